// The seed article re-ingested into an EMPTY catalogue and accepted in bulk: the film, its people,
// credits, releases and reviews come out as the hand-built seed has them, every fact cited to an
// excerpt of the new source, read back through the GraphQL API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { herArticle } from '../../seed/her.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createClient, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { migrate } from '../../src/db/migrate.ts';

const TEXT = readFileSync(path.join(import.meta.dirname, '../../seed/her-review.txt'), 'utf8');

let db: TestDatabase;
let client: Client;
let write: Headers;
let sourceId: string;

beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
  const session = await db.openSession();
  await migrate(session);
  await session.close();
  client = createClient(db);
  write = (await testKeys(db.prisma)).write.headers;
  const ingested = await client.query(
    `mutation ($input: IngestSourceInput!) { ingestSource(input: $input) { source { id } userErrors { code message } } }`,
    { input: { text: TEXT, title: 'Her review', publishedOn: '2013-12-01' } },
    write,
  );
  expect(ingested.data!['ingestSource'].userErrors).toEqual([]);
  sourceId = ingested.data!['ingestSource'].source.id;
}, 120_000);
afterAll(() => db?.close());

const BULK = `mutation ($input: AcceptProposalsInput!) {
  acceptProposals(input: $input) {
    acceptedCount failedCount
    outcomes { accepted proposal { key kind status result { __typename id } } userErrors { code field message } }
    userErrors { code message }
  }
}`;

const cited = `citations { kind field excerpt start end note source { id text } }`;

const FILM = `query ($slug: String!) {
  film(slug: $slug) {
    title year genres ${cited}
    cast { person { name aliases { name ${cited} } } character billingOrder voice ${cited} }
    crew { person { name } department job ${cited} }
    releases { country date type ${cited} }
    reviews(first: 10) { nodes { publication { name } quotes { text ${cited} } ${cited} } }
  }
}`;

type Citation = { kind: string; field: string | null; excerpt: string; start: number; end: number; note: string | null; source: { id: string; text: string } };

/** Every citation points at the new source, at offsets that hold its excerpt. */
function expectExcerpts(citations: Citation[]) {
  expect(citations.length).toBeGreaterThan(0);
  for (const c of citations) {
    expect(c.source.id).toBe(sourceId);
    expect(TEXT.slice(c.start, c.end)).toBe(c.excerpt);
  }
}

test('above 0.8 it accepts the main film, its people, credits and reviews; the inferred releases wait', async () => {
  const result = await client.query(BULK, { input: { sourceId, minConfidence: 0.8 } }, write);
  const payload = result.data!['acceptProposals'];
  expect(payload.userErrors).toEqual([]);
  expect(payload.failedCount).toBe(0);
  const keys = payload.outcomes.map((o: any) => o.proposal.key);
  expect(keys).toEqual([
    'film:her',
    'person:spike-jonze',
    'person:joaquin-phoenix',
    'person:scarlett-johansson',
    'cast:her:joaquin-phoenix:theodore',
    'cast:her:scarlett-johansson:samantha',
    'crew:her:spike-jonze:writer',
    'review:her:la-times',
    'review:her:the-verge',
  ]);
  expect(payload.acceptedCount).toBe(keys.length);
  expect(payload.outcomes.every((o: any) => o.accepted && o.proposal.status === 'ACCEPTED' && o.proposal.result)).toBe(true);
  const film = (await client.query(FILM, { slug: 'her' })).data!['film'];
  expect(film.releases).toEqual([]);
});

test('the rest, down to 0.5, completes the catalogue the seed was hand-built as, every fact cited to the new source', async () => {
  const result = await client.query(BULK, { input: { sourceId, minConfidence: 0.5 } }, write);
  const payload = result.data!['acceptProposals'];
  expect(payload.failedCount).toBe(0);
  expect(payload.acceptedCount).toBe(13);

  const film = (await client.query(FILM, { slug: 'her' })).data!['film'];
  const seedFilm = herArticle.films[0]!;
  expect({ title: film.title, genres: film.genres }).toEqual({ title: seedFilm.title, genres: seedFilm.genres });
  expectExcerpts(film.citations);

  // The cast in billing order, as the seed has it.
  const seedCast = herArticle.credits
    .filter((c) => c.film === 'her' && c.kind === 'CAST')
    .map((c) => ({
      person: herArticle.people.find((p) => p.slug === c.person)!.name,
      character: c.character,
      billingOrder: c.billingOrder,
      voice: c.voice ?? false,
    }));
  expect(film.cast.map((c: any) => ({ person: c.person.name, character: c.character, billingOrder: c.billingOrder, voice: c.voice }))).toEqual(seedCast);
  for (const c of film.cast) expectExcerpts(c.citations);
  const billing = film.cast[0].citations.find((c: Citation) => c.field === 'billingOrder');
  expect(billing).toMatchObject({ kind: 'INFERRED', note: 'Billing follows the order in which the article introduces the cast.' });

  const seedCrew = herArticle.credits.filter((c) => c.film === 'her' && c.kind === 'CREW').map((c) => ({ department: c.department, job: c.job }));
  expect(film.crew.map((c: any) => ({ department: c.department, job: c.job }))).toEqual(expect.arrayContaining(seedCrew));
  expect(film.crew.every((c: any) => c.person.name === 'Spike Jonze')).toBe(true);

  expect(film.releases.map((r: any) => ({ country: r.country, date: r.date, type: r.type }))).toEqual(
    herArticle.releases.map((r) => ({ country: r.country, date: r.date, type: r.type })),
  );
  for (const r of film.releases) {
    expectExcerpts(r.citations);
    expect(r.citations.every((c: Citation) => c.kind === 'INFERRED' && c.note?.includes('inferred'))).toBe(true);
  }

  const reviews = film.reviews.nodes.map((r: any) => ({ publication: r.publication.name, quotes: r.quotes.map((q: any) => q.text) }));
  expect(reviews).toEqual(
    expect.arrayContaining(
      herArticle.reviews.map((r) => ({ publication: herArticle.publications.find((p) => p.slug === r.publication)!.name, quotes: r.quotes })),
    ),
  );
  for (const r of film.reviews.nodes) {
    expectExcerpts(r.citations);
    for (const q of r.quotes) {
      expectExcerpts(q.citations);
      expect(q.citations.every((c: Citation) => c.excerpt.includes(q.text))).toBe(true);
    }
  }

  const johansson = film.cast.find((c: any) => c.person.name === 'Scarlett Johansson').person;
  expect(johansson.aliases.map((a: any) => a.name)).toEqual(['Johannson']);
  expectExcerpts(johansson.aliases[0].citations);
  expect(johansson.aliases[0].citations[0].kind).toBe('INFERRED');

  // The films named in passing, with the inferred credits of their owners.
  const passing = await client.query(`{ films(first: 10) { nodes { title crew { person { name } job } cast { person { name } character } } } }`);
  const byTitle = Object.fromEntries(passing.data!['films'].nodes.map((f: any) => [f.title, f]));
  expect(Object.keys(byTitle).sort()).toEqual(herArticle.films.map((f) => f.title).sort());
  expect(byTitle['Being John Malkovich'].crew).toEqual([{ person: { name: 'Spike Jonze' }, job: 'Director' }]);
  expect(byTitle['Gladiator'].cast).toEqual([{ person: { name: 'Joaquin Phoenix' }, character: null }]);

  // Every write is in the change feed: one change set for each bulk acceptance.
  const sets = await db.prisma.changeSet.findMany({ where: { operationName: 'acceptProposals' }, select: { _count: { select: { revisions: true } } } });
  expect(sets).toHaveLength(2);
  expect(await db.prisma.proposal.count({ where: { status: 'PENDING' } })).toBe(0);
});
