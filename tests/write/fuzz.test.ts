// fast-check over the film mutations' input types, sent with write and admin keys so every
// case reaches the resolvers (input parsing, citations, versions, unique values). The oracle: no
// 5xx, no INTERNAL_SERVER_ERROR, nothing logged at error level, and every payload either holds
// the film (no user errors) or holds user errors and no film. At the end, the feed replayed
// rebuilds every film exactly as it is.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { pino } from 'pino';
import { onPostgres } from '../helpers/db.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const RUNS = onPostgres ? 400 : 300;
const TEXT = 'Drive (2011) runs 100 minutes. A crime drama. IMDb tt0780504, Wikidata Q110043. Drive (2011) again.';
const errorLines: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => errorLines.push(line) });

const api = useApi((db) => insertSource(db.prisma, 'drive', TEXT).then(() => undefined));
let client: Client;
let callers: Headers[];
let filmIds: string[];

beforeAll(async () => {
  client = createClient(api.db, { logger, guard: { RATE_LIMIT_ENABLED: false } });
  const keys = await testKeys(api.db.prisma);
  callers = [keys.write.headers, keys.admin.headers];
  filmIds = (await api.db.prisma.film.findMany({ select: { id: true } })).map((f) => encodeGlobalID('Film', f.id));
});

const text = fc.oneof(
  fc.constantFrom('Drive', 'Drive (2011)', 'runs 100 minutes', 'tt0780504', 'Q110043', 'A crime drama', '', ' ', 'x'.repeat(600)),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, fc.constant(null as T)), { nil: undefined });
const int = fc.oneof(fc.integer({ min: -5, max: 3_000 }), fc.constantFrom(0, 1870, 2200, 2201, 2_147_483_647, -2_147_483_648));
const id = fc.oneof(
  fc.constantFrom(...['Film:1', 'Film:2', 'Film:999999', 'Person:1', 'Source:1'].map((s) => Buffer.from(s).toString('base64'))),
  fc.string({ maxLength: 12 }),
  fc.constant('RmlsbTox'),
);
const citation = fc.record(
  {
    sourceSlug: maybe(fc.constantFrom('drive', 'her-review', 'nope')),
    sourceId: maybe(id),
    excerpt: text,
    occurrence: maybe(fc.integer({ min: -1, max: 3 })),
    kind: maybe(fc.constantFrom('STATED', 'INFERRED')),
    fields: maybe(fc.array(fc.constantFrom('title', 'year', 'runtimeMinutes', 'genres', 'imdbId', 'slug', 'budget'), { maxLength: 3 })),
    note: maybe(text),
  },
  { requiredKeys: ['excerpt'] },
);
const facts = {
  title: maybe(text),
  originalTitle: maybe(text),
  year: maybe(int),
  synopsis: maybe(text),
  genres: maybe(fc.array(text, { maxLength: 4 })),
  runtimeMinutes: maybe(int),
  slug: maybe(fc.oneof(fc.constantFrom('drive', 'her', 'drive-2011', 'Bad Slug', '-x'), fc.stringMatching(/^[a-z0-9-]{1,12}$/))),
  imdbId: maybe(fc.constantFrom('tt0780504', 'tt1798709', 'nm0000001', 'tt1')),
  tmdbId: maybe(int),
  wikidataId: maybe(fc.constantFrom('Q110043', 'Q1', 'P31', 'q1')),
  citations: maybe(fc.array(citation, { maxLength: 3 })),
  note: maybe(text),
};
const wild = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), input: fc.record({ ...facts, idempotencyKey: maybe(fc.string({ maxLength: 6 })) }, { requiredKeys: [] }) }),
  fc.record({
    kind: fc.constant('update' as const),
    input: fc.record(
      { ...facts, id: fc.oneof(id, fc.constantFrom('known')), version: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(-1)) },
      { requiredKeys: ['id', 'version'] },
    ),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    input: fc.record(
      { id: fc.oneof(id, fc.constantFrom('known')), version: fc.integer({ min: 0, max: 3 }), note: maybe(text) },
      { requiredKeys: ['id', 'version'] },
    ),
  }),
);
// Plausible inputs, so the writes themselves run (and race for slugs and versions), not only the checks.
const excerpt = fc.constantFrom('Drive (2011)', 'runs 100 minutes', 'A crime drama', 'IMDb tt0780504', 'Drive');
const goodCitations = fc.array(fc.record({ sourceSlug: fc.constant('drive'), excerpt }), { minLength: 1, maxLength: 2 });
const plausible = fc.oneof(
  fc.record({
    kind: fc.constant('create' as const),
    input: fc.record(
      {
        title: fc.constantFrom('Drive', 'Drive Again'),
        year: fc.integer({ min: 1990, max: 2030 }),
        slug: maybe(fc.stringMatching(/^[a-z]{2,6}$/)),
        citations: goodCitations,
      },
      { requiredKeys: ['title', 'citations'] },
    ),
  }),
  fc.record({
    kind: fc.constant('update' as const),
    input: fc.record(
      {
        id: fc.constant('known'),
        version: fc.constantFrom('current', 1),
        runtimeMinutes: fc.integer({ min: 1, max: 300 }),
        genres: maybe(fc.array(fc.constantFrom('Crime', 'Drama'), { maxLength: 2 })),
        citations: goodCitations,
      },
      { requiredKeys: ['id', 'version', 'runtimeMinutes', 'citations'] },
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), input: fc.record({ id: fc.constant('known'), version: fc.constantFrom('current', 1) }) }),
);
const mutation = fc.oneof(wild, plausible);

const DOCUMENTS = {
  create: 'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { id version } userErrors { field message code currentVersion } } }',
  update: 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { id version } userErrors { field message code currentVersion } } }',
  delete: 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { deletedIds userErrors { field message code currentVersion } } }',
};
const FIELD = { create: 'createFilm', update: 'updateFilm', delete: 'deleteFilm' } as const;

test(`${RUNS} random film mutations: typed answers only, never a 5xx`, async () => {
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(mutation, fc.nat(), fc.nat(), async ({ kind, input }, who, pick) => {
      const variables = { input: { ...input } as Record<string, unknown> };
      // "known": an id of a film that exists (or did), so updates and deletes reach the version check.
      if (variables.input['id'] === 'known') variables.input['id'] = filmIds[pick % filmIds.length];
      if (variables.input['version'] === 'current') {
        const row = await api.db.prisma.film.findUnique({
          where: { id: Number(Buffer.from(String(variables.input['id']), 'base64').toString().split(':')[1]) },
        });
        variables.input['version'] = row?.version ?? 1;
      }
      const result = await client.query(DOCUMENTS[kind], variables, callers[who % callers.length]);
      expect(result.status).toBeLessThan(500);
      const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      if (result.errors) {
        // Only the GraphQL layer refuses outright: a value of the wrong type, a missing required
        // field, a string PostgreSQL cannot store, or a note without citations for a write key.
        expect(codes.every((c) => c === 'BAD_USER_INPUT' || c === 'FORBIDDEN')).toBe(true);
        count(String(codes[0]));
        return;
      }
      const payload = result.data![FIELD[kind]];
      const succeeded = payload.userErrors.length === 0;
      if (kind === 'delete') expect(payload.deletedIds.length > 0).toBe(succeeded);
      else expect(payload.film !== null).toBe(succeeded);
      count(succeeded ? `${kind} ok` : `${kind}: ${payload.userErrors[0].code}`);
      for (const e of payload.userErrors) {
        expect(e.message.length).toBeGreaterThan(0);
        expect(e.code === 'CONFLICT').toBe(e.currentVersion !== null);
      }
      if (kind === 'create' && succeeded) filmIds.push(payload.film.id);
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 14), endOnFailure: true },
  );
  expect(errorLines).toEqual([]);
  // The generators reach the writes themselves, not only the input checks.
  for (const outcome of ['create ok', 'update ok', 'delete ok', 'update: CONFLICT', 'create: INVALID', 'update: INVALID', 'BAD_USER_INPUT']) {
    expect([outcome, (outcomes[outcome] ?? 0) > 0]).toEqual([outcome, true]);
  }

  // The final state equals the revisions replayed.
  const films = new Map<string, Record<string, unknown> | null>();
  for (const revision of await api.db.prisma.revision.findMany({ where: { entityType: 'Film' }, orderBy: { id: 'asc' } })) {
    const state = films.get(String(revision.entityId)) ?? {};
    if (revision.action === 'DELETE') films.set(String(revision.entityId), null);
    else
      films.set(String(revision.entityId), {
        ...state,
        ...Object.fromEntries(Object.entries(revision.diff as Record<string, { after: unknown }>).map(([f, d]) => [f, d.after])),
      });
  }
  expect(films.size).toBeGreaterThan(0);
  for (const [rowId, state] of films) {
    const row = await api.db.prisma.film.findUnique({ where: { id: Number(rowId) } });
    if (state === null) expect(row).toBeNull();
    else expect(Object.fromEntries(Object.keys(state).map((k) => [k, (row as Record<string, unknown> | null)?.[k]]))).toEqual(state);
  }
});
