// Optimistic concurrency under concurrent clients: every client gets success or a typed user
// error, no update is lost or silently overwritten, and no duplicate or orphan row is left.
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { onPostgres } from '../helpers/db.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const WRITERS = onPostgres ? 200 : 40;
const TEXT = Array.from({ length: WRITERS }, (_, i) => `Cut number ${i + 1} runs ${i + 1} minutes.`).join(' ');
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateFilmInput!) {
    updateFilm(input: $input) {
      film {
        version
        runtimeMinutes
      }
      userErrors {
        code
        field
        currentVersion
      }
    }
  }
`;
const CREATE = /* GraphQL */ `
  mutation ($input: CreateFilmInput!) {
    createFilm(input: $input) {
      film {
        id
      }
      userErrors {
        code
        field
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'cuts', TEXT).then(() => undefined));
let client: Client;
let write: Headers;
let film: { id: number; globalId: string };

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  write = (await testKeys(api.db.prisma)).write.headers;
  const her = await client.query('{ film(slug: "her") { id } }');
  film = { id: (await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } })).id, globalId: her.data!['film'].id };
});

const runtime = (i: number) => ({ runtimeMinutes: i + 1, citations: [{ sourceSlug: 'cuts', excerpt: `Cut number ${i + 1} runs ${i + 1} minutes.` }] });

test(`${WRITERS} concurrent updates at the same version: one wins, every other gets CONFLICT with the new version, nothing is lost`, async () => {
  const before = await api.db.prisma.film.findUniqueOrThrow({ where: { id: film.id } });
  const revisions = await api.db.prisma.revision.count();
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) => client.query(UPDATE, { input: { id: film.globalId, version: before.version, ...runtime(i) } }, write)),
  );
  expect(results.every((r) => r.status === 200 && r.errors === undefined)).toBe(true);
  const won = results.map((r, i) => ({ i, payload: r.data!['updateFilm'] })).filter(({ payload }) => payload.userErrors.length === 0);
  expect(won).toHaveLength(1);
  const winner = won[0]!;
  expect(winner.payload.film).toEqual({ version: before.version + 1, runtimeMinutes: winner.i + 1 });
  for (const r of results.filter((_, i) => i !== winner.i)) {
    expect(r.data!['updateFilm']).toEqual({ film: null, userErrors: [{ code: 'CONFLICT', field: ['input', 'version'], currentVersion: before.version + 1 }] });
  }
  const after = await api.db.prisma.film.findUniqueOrThrow({ where: { id: film.id } });
  expect([after.version, after.runtimeMinutes]).toEqual([before.version + 1, winner.i + 1]);
  // One revision, and only the winner's citation: the losers' rolled back with them.
  expect(await api.db.prisma.revision.count()).toBe(revisions + 1);
  const cited = await api.db.prisma.citation.findMany({ where: { filmId: film.id, source: { slug: 'cuts' } } });
  expect(cited.map((c) => c.excerpt)).toEqual([`Cut number ${winner.i + 1} runs ${winner.i + 1} minutes.`]);
});

test('updates that each send the version they read all apply, in turn, each bumping it by one', async () => {
  const start = (await api.db.prisma.film.findUniqueOrThrow({ where: { id: film.id } })).version;
  for (let i = 0; i < 5; i++) {
    const result = await client.query(UPDATE, { input: { id: film.globalId, version: start + i, ...runtime(i) } }, write);
    expect(result.data!['updateFilm']).toEqual({ film: { version: start + i + 1, runtimeMinutes: i + 1 }, userErrors: [] });
  }
});

test(`${WRITERS} concurrent creates of the same slug: one film, every other gets TAKEN, no duplicate and no orphan citation`, async () => {
  const citations = await api.db.prisma.citation.count();
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) =>
      client.query(
        CREATE,
        {
          input: {
            title: 'Cut',
            slug: 'the-cut',
            runtimeMinutes: i + 1,
            citations: [
              { sourceSlug: 'cuts', excerpt: `Cut number ${i + 1}`, fields: ['title'] },
              { sourceSlug: 'cuts', excerpt: `runs ${i + 1} minutes`, fields: ['runtimeMinutes'] },
            ],
          },
        },
        write,
      ),
    ),
  );
  expect(results.every((r) => r.status === 200 && r.errors === undefined)).toBe(true);
  const created = results.filter((r) => r.data!['createFilm'].film !== null);
  expect(created).toHaveLength(1);
  for (const r of results.filter((x) => x.data!['createFilm'].film === null)) {
    expect(r.data!['createFilm'].userErrors).toEqual([{ code: 'TAKEN', field: ['input', 'slug'] }]);
  }
  expect(await api.db.prisma.film.count({ where: { slug: 'the-cut' } })).toBe(1);
  // The winner's two facts, cited once each.
  expect(await api.db.prisma.citation.count()).toBe(citations + 2);
});
