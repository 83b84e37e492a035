// fast-check over the review, quote, source and citation mutations' input types, sent with write
// and admin keys so every case reaches the resolvers. The oracle, as for the film mutations
// (tests/write/fuzz.test.ts): no 5xx, no INTERNAL_SERVER_ERROR, nothing logged at error level,
// every payload holds its object or user errors (not both); at the end, every review equals its
// revisions replayed and no citation is left without its record.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { pino } from 'pino';
import { onPostgres } from '../helpers/db.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const RUNS = onPostgres ? 300 : 250;
const TEXT = 'The Verge gives Her 4 out of 5: "eschews the weirdness". Sight & Sound says 9 out of 10. Jane Roe signs it.';
const errorLines: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => errorLines.push(line) });

const api = useApi((db) => insertSource(db.prisma, 'verge', TEXT).then(() => undefined));
let client: Client;
let callers: Headers[];
const known: Record<'Review' | 'ReviewQuote' | 'Citation' | 'Source', string[]> = { Review: [], ReviewQuote: [], Citation: [], Source: [] };
let film: string;
let publication: string;

beforeAll(async () => {
  client = createClient(api.db, { logger, guard: { RATE_LIMIT_ENABLED: false } });
  const keys = await testKeys(api.db.prisma);
  callers = [keys.write.headers, keys.admin.headers];
  film = encodeGlobalID('Film', (await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } })).id);
  publication = encodeGlobalID('Publication', (await api.db.prisma.publication.findUniqueOrThrow({ where: { slug: 'the-verge' } })).id);
  known.Review = (await api.db.prisma.review.findMany({ select: { id: true } })).map((r) => encodeGlobalID('Review', r.id));
  known.ReviewQuote = (await api.db.prisma.reviewQuote.findMany({ select: { id: true } })).map((r) => encodeGlobalID('ReviewQuote', r.id));
});

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, fc.constant(null as T)), { nil: undefined });
const text = fc.oneof(
  fc.constantFrom('eschews the weirdness', 'The Verge gives Her 4 out of 5', '9 out of 10', 'Jane Roe', '', ' ', 'x'.repeat(2_100)),
  fc.string({ maxLength: 30 }),
);
const number = fc.oneof(fc.double({ min: -5, max: 1_200, noNaN: true }), fc.constantFrom(0, 4, 5, 9, 10, 100, 1_000, 1_001));
const anyId = fc.oneof(
  fc
    .constantFrom('known', 'Film:1', 'Publication:1', 'Review:999999', 'Critic:1', 'Person:1')
    .map((s) => (s === 'known' ? s : Buffer.from(s).toString('base64'))),
  fc.string({ maxLength: 10 }),
);
const citation = fc.record(
  {
    sourceSlug: maybe(fc.constantFrom('verge', 'her-review', 'nope')),
    excerpt: text,
    occurrence: maybe(fc.integer({ min: -1, max: 2 })),
    fields: maybe(fc.array(fc.constantFrom('filmId', 'originalScore', 'scoreScale', 'text', 'url', 'bogus'), { maxLength: 2 })),
  },
  { requiredKeys: ['excerpt'] },
);
const goodCitations = fc.constant([{ sourceSlug: 'verge', excerpt: 'The Verge gives Her 4 out of 5: "eschews the weirdness"' }]);
const citations = fc.oneof(maybe(fc.array(citation, { maxLength: 2 })), goodCitations);
const reviewFacts = {
  criticId: maybe(anyId),
  url: maybe(fc.constantFrom('https://example.com/r', 'ftp://x', 'not a url')),
  originalScore: maybe(number),
  scoreScale: maybe(number),
  publishedOn: maybe(fc.constantFrom('2013-12-12', '1700-01-01', '2013-02-30', 'yesterday')),
  citations,
  note: maybe(text),
};
const version = fc.oneof(fc.constant('current'), fc.integer({ min: -1, max: 4 }));

// Plausible updates, so the versioned writes themselves run, not only the checks.
const plausibleUpdate = fc.record({
  kind: fc.constant('updateReview' as const),
  input: fc.record({
    id: fc.constant('Review'),
    version: fc.constant('current'),
    originalScore: fc.integer({ min: 0, max: 5 }),
    scoreScale: fc.constant(5),
    citations: goodCitations,
  }),
});

const goodQuote = { text: 'eschews the weirdness', citations: [{ sourceSlug: 'verge', excerpt: '"eschews the weirdness"' }] };
const plausibleCreate = fc.record({
  kind: fc.constant('createReview' as const),
  input: fc.record(
    {
      filmId: fc.constant('film'),
      publicationId: fc.constant('publication'),
      originalScore: fc.integer({ min: 0, max: 5 }),
      scoreScale: fc.constant(5),
      citations: goodCitations,
      quotes: maybe(fc.constant([goodQuote])),
    },
    { requiredKeys: ['filmId', 'publicationId', 'originalScore', 'scoreScale', 'citations'] },
  ),
});
const plausibleQuote = fc.record({
  kind: fc.constant('addReviewQuote' as const),
  input: fc.record({ reviewId: fc.constant('Review'), text: fc.constant(goodQuote.text), citations: fc.constant(goodQuote.citations) }),
});

const mutation = fc.oneof(
  plausibleCreate,
  plausibleUpdate,
  plausibleQuote,
  fc.record({
    kind: fc.constant('createReview' as const),
    input: fc.record(
      {
        filmId: fc.oneof(fc.constant('film'), anyId),
        publicationId: fc.oneof(fc.constant('publication'), anyId),
        ...reviewFacts,
        quotes: maybe(fc.array(fc.record({ text, citations }), { maxLength: 2 })),
      },
      { requiredKeys: ['filmId', 'publicationId'] },
    ),
  }),
  fc.record({
    kind: fc.constant('updateReview' as const),
    input: fc.record({ id: fc.oneof(fc.constant('Review'), anyId), version, ...reviewFacts }, { requiredKeys: ['id', 'version'] }),
  }),
  fc.record({ kind: fc.constant('deleteReview' as const), input: fc.record({ id: fc.oneof(fc.constant('Review'), anyId), version }) }),
  fc.record({
    kind: fc.constant('addReviewQuote' as const),
    input: fc.record(
      { reviewId: fc.oneof(fc.constant('Review'), anyId), text, position: maybe(fc.integer({ min: -1, max: 5 })), citations, note: maybe(text) },
      { requiredKeys: ['reviewId', 'text'] },
    ),
  }),
  fc.record({
    kind: fc.constant('updateReviewQuote' as const),
    input: fc.record(
      { id: fc.oneof(fc.constant('ReviewQuote'), anyId), version, text: maybe(text), position: maybe(fc.integer({ min: -1, max: 5 })), citations },
      { requiredKeys: ['id', 'version'] },
    ),
  }),
  fc.record({ kind: fc.constant('removeReviewQuote' as const), input: fc.record({ id: fc.oneof(fc.constant('ReviewQuote'), anyId), version }) }),
  fc.record({
    kind: fc.constant('createSource' as const),
    input: fc.record(
      {
        slug: fc.oneof(fc.stringMatching(/^[a-z]{1,5}$/), fc.constantFrom('verge', 'Bad Slug')),
        text,
        url: maybe(fc.constantFrom('https://example.com/s', 'x')),
      },
      { requiredKeys: ['slug', 'text'] },
    ),
  }),
  fc.record({
    kind: fc.constant('updateSource' as const),
    input: fc.record({ id: fc.oneof(fc.constant('Source'), anyId), version, text: maybe(text), title: maybe(text) }, { requiredKeys: ['id', 'version'] }),
  }),
  fc.record({
    kind: fc.constant('deleteSource' as const),
    input: fc.record({ id: fc.oneof(fc.constant('Source'), anyId), version, cascade: maybe(fc.boolean()) }, { requiredKeys: ['id', 'version'] }),
  }),
  fc.record({
    kind: fc.constant('addCitation' as const),
    input: fc.record({
      entityId: fc.oneof(fc.constantFrom('Review', 'ReviewQuote'), anyId),
      field: fc.constantFrom('originalScore', 'text', 'filmId', 'normalizedScore', 'nope'),
      citation: fc.oneof(
        citation,
        goodCitations.map((c) => c[0]!),
      ),
    }),
  }),
  fc.record({
    kind: fc.constant('removeCitation' as const),
    input: fc.record({ id: fc.oneof(fc.constant('Citation'), anyId), version, note: maybe(text) }, { requiredKeys: ['id', 'version'] }),
  }),
);

const TYPES: Record<string, string> = {
  createReview: 'CreateReviewInput',
  updateReview: 'UpdateReviewInput',
  deleteReview: 'DeleteReviewInput',
  addReviewQuote: 'AddReviewQuoteInput',
  updateReviewQuote: 'UpdateReviewQuoteInput',
  removeReviewQuote: 'RemoveReviewQuoteInput',
  createSource: 'CreateSourceInput',
  updateSource: 'UpdateSourceInput',
  deleteSource: 'DeleteSourceInput',
  addCitation: 'AddCitationInput',
  removeCitation: 'RemoveCitationInput',
};
const OBJECT: Record<string, string> = {
  createReview: 'review { id quotes { id } citations { id } }',
  updateReview: 'review { id citations { id } }',
  addReviewQuote: 'quote { id citations { id } }',
  updateReviewQuote: 'quote { id }',
  createSource: 'source { id }',
  updateSource: 'source { id }',
  addCitation: 'citation { id }',
};
const document = (kind: string) =>
  `mutation ($input: ${TYPES[kind]}!) { ${kind}(input: $input) { ${OBJECT[kind] ?? 'deletedIds'} userErrors { field message code currentVersion } } }`;

/** The database id of a global id, if it is one. */
const rowId = (globalId: unknown) => Number(Buffer.from(String(globalId), 'base64').toString().split(':')[1]);

test(`${RUNS} random review, quote, source and citation mutations: typed answers only, never a 5xx`, async () => {
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(mutation, fc.nat(), fc.nat(), async ({ kind, input }, who, pick) => {
      const variables = { input: { ...input } as Record<string, unknown> };
      const resolve = (key: string) => {
        const value = variables.input[key];
        if (value === 'film') variables.input[key] = film;
        else if (value === 'publication') variables.input[key] = publication;
        else if (typeof value === 'string' && Object.hasOwn(known, value)) {
          const ids = known[value as keyof typeof known];
          variables.input[key] = ids.length > 0 ? ids[pick % ids.length] : encodeGlobalID(value, 1);
        }
      };
      for (const key of ['id', 'reviewId', 'entityId', 'filmId', 'publicationId']) resolve(key);
      if (variables.input['version'] === 'current') {
        const type = Buffer.from(String(variables.input['id']), 'base64').toString().split(':')[0]!;
        const delegates = new Map([
          ['Review', 'review'],
          ['ReviewQuote', 'reviewQuote'],
          ['Citation', 'citation'],
          ['Source', 'source'],
        ]);
        const delegate = delegates.get(type);
        const row = delegate
          ? await (api.db.prisma as unknown as Record<string, { findUnique(a: unknown): Promise<{ version: number } | null> }>)[delegate]!.findUnique({
              where: { id: rowId(variables.input['id']) },
              select: { version: true },
            })
          : null;
        variables.input['version'] = row?.version ?? 1;
      }
      const result = await client.query(document(kind), variables, callers[who % callers.length]);
      expect(result.status).toBeLessThan(500);
      const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      if (result.errors) {
        expect(codes.every((c) => c === 'BAD_USER_INPUT' || c === 'FORBIDDEN')).toBe(true);
        count(String(codes[0]));
        return;
      }
      const payload = result.data![kind];
      const succeeded = payload.userErrors.length === 0;
      const object = OBJECT[kind] ? payload[OBJECT[kind].split(' ')[0]!] : payload.deletedIds.length > 0 ? payload.deletedIds : null;
      expect([kind, object !== null]).toEqual([kind, succeeded]);
      count(succeeded ? `${kind} ok` : `${kind}: ${payload.userErrors[0].code}`);
      for (const e of payload.userErrors) {
        expect(e.message.length).toBeGreaterThan(0);
        expect(e.code === 'CONFLICT').toBe(e.currentVersion !== null);
      }
      if (!succeeded) return;
      if (kind === 'createReview') {
        known.Review.push(object.id);
        known.ReviewQuote.push(...object.quotes.map((q: { id: string }) => q.id));
      }
      if (kind === 'addReviewQuote') known.ReviewQuote.push(object.id);
      if (kind === 'createSource') known.Source.push(object.id);
      for (const c of object?.citations ?? []) known.Citation.push(c.id);
      if (kind === 'addCitation') known.Citation.push(object.id);
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 14), endOnFailure: true },
  );
  expect(errorLines).toEqual([]);
  // The generators reach the writes themselves, not only the input checks.
  for (const outcome of ['createReview ok', 'updateReview ok', 'addReviewQuote ok', 'createSource ok', 'createReview: INVALID', 'BAD_USER_INPUT']) {
    expect([outcome, (outcomes[outcome] ?? 0) > 0]).toEqual([outcome, true]);
  }

  // Every review written through the API equals its revisions replayed.
  const reviews = new Map<number, Record<string, unknown> | null>();
  for (const revision of await api.db.prisma.revision.findMany({ where: { entityType: 'Review' }, orderBy: { id: 'asc' } })) {
    if (revision.action === 'DELETE') reviews.set(revision.entityId, null);
    else
      reviews.set(revision.entityId, {
        ...(reviews.get(revision.entityId) ?? {}),
        ...Object.fromEntries(Object.entries(revision.diff as Record<string, { after: unknown }>).map(([f, d]) => [f, d.after])),
      });
  }
  expect(reviews.size).toBeGreaterThan(0);
  for (const [id, state] of reviews) {
    const row = await api.db.prisma.review.findUnique({ where: { id } });
    if (state === null) expect(row).toBeNull();
    else {
      const actual = Object.fromEntries(Object.keys(state).map((k) => [k, (row as Record<string, unknown> | null)?.[k]]));
      expect(JSON.parse(JSON.stringify(actual))).toEqual(state);
    }
  }
  const orphans = await api.db.prisma.citation.count({
    where: {
      filmId: null,
      personId: null,
      personAliasId: null,
      creditId: null,
      publicationId: null,
      criticId: null,
      reviewId: null,
      reviewQuoteId: null,
      releaseId: null,
    },
  });
  expect(orphans).toBe(0);
});
