// Optimistic concurrency on reviews under concurrent clients: of 200 conflicting updates of one
// review at the same version, one wins and every other gets CONFLICT with the new version; no
// citation of a loser survives; the review equals its revisions replayed.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const WRITERS = 200;
const TEXT = Array.from({ length: WRITERS }, (_, i) => `Reading ${i + 1} scores it ${(i % 100) + 1} out of 100.`).join(' ');
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateReviewInput!) {
    updateReview(input: $input) {
      review {
        version
        originalScore
        normalizedScore
      }
      userErrors {
        code
        field
        currentVersion
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'readings', TEXT).then(() => undefined));
let client: Client;
let write: Headers;
let review: { id: number; globalId: string };

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  write = (await testKeys(api.db.prisma)).write.headers;
  const [film, publication] = await Promise.all([
    api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } }),
    api.db.prisma.publication.findUniqueOrThrow({ where: { slug: 'the-verge' } }),
  ]);
  const created = await client.query(
    'mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id } userErrors { code } } }',
    {
      input: {
        filmId: encodeGlobalID('Film', film.id),
        publicationId: encodeGlobalID('Publication', publication.id),
        // A score no writer sends, so every update changes something.
        originalScore: 0.5,
        scoreScale: 100,
        citations: [{ sourceSlug: 'readings', excerpt: 'Reading 1 scores it 1 out of 100.' }],
      },
    },
    write,
  );
  expect(created.data!['createReview'].userErrors).toEqual([]);
  const globalId = created.data!['createReview'].review.id as string;
  review = { globalId, id: Number(Buffer.from(globalId, 'base64').toString().split(':')[1]) };
});

const score = (i: number) => ({
  originalScore: (i % 100) + 1,
  citations: [{ sourceSlug: 'readings', excerpt: `Reading ${i + 1} scores it ${(i % 100) + 1} out of 100.` }],
});

test(`${WRITERS} concurrent updates of one review at the same version: one wins, every other gets CONFLICT, the review equals its revisions replayed`, async () => {
  const before = await api.db.prisma.review.findUniqueOrThrow({ where: { id: review.id } });
  const revisions = await api.db.prisma.revision.count();
  const results = await Promise.all(
    Array.from({ length: WRITERS }, (_, i) => client.query(UPDATE, { input: { id: review.globalId, version: before.version, ...score(i) } }, write)),
  );
  expect(results.every((r) => r.status === 200 && r.errors === undefined)).toBe(true);
  const won = results.map((r, i) => ({ i, payload: r.data!['updateReview'] })).filter(({ payload }) => payload.userErrors.length === 0);
  expect(won).toHaveLength(1);
  const winner = won[0]!;
  expect(winner.payload.review).toEqual({ version: before.version + 1, originalScore: (winner.i % 100) + 1, normalizedScore: (winner.i % 100) + 1 });
  for (const r of results.filter((_, i) => i !== winner.i)) {
    expect(r.data!['updateReview']).toEqual({
      review: null,
      userErrors: [{ code: 'CONFLICT', field: ['input', 'version'], currentVersion: before.version + 1 }],
    });
  }
  expect(await api.db.prisma.revision.count()).toBe(revisions + 1);
  const cited = await api.db.prisma.citation.findMany({ where: { reviewId: review.id, field: 'originalScore' }, orderBy: { id: 'asc' } });
  expect(cited.map((c) => c.excerpt)).toEqual(['Reading 1 scores it 1 out of 100.', `Reading ${winner.i + 1} scores it ${(winner.i % 100) + 1} out of 100.`]);

  // The review's state, rebuilt from its revisions alone.
  const state: Record<string, unknown> = {};
  for (const revision of await api.db.prisma.revision.findMany({ where: { entityType: 'Review', entityId: review.id }, orderBy: { id: 'asc' } })) {
    for (const [field, { after }] of Object.entries(revision.diff as Record<string, { after: unknown }>)) state[field] = after;
  }
  const row = await api.db.prisma.review.findUniqueOrThrow({ where: { id: review.id } });
  expect(Object.fromEntries(Object.keys(state).map((k) => [k, (row as Record<string, unknown>)[k]]))).toEqual(state);
  expect(Object.keys(state)).toEqual(expect.arrayContaining(['filmId', 'publicationId', 'originalScore', 'scoreScale', 'normalizedScore']));
});
