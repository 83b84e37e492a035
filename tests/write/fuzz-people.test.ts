// fast-check over the person, alias, credit and release mutations' input types (the film ones are
// in fuzz.test.ts), sent with write and admin keys so every case reaches the resolvers. The
// oracle is the same: no 5xx, no INTERNAL_SERVER_ERROR, nothing logged at error level, and every
// payload either holds its record (no user errors) or user errors and no record. At the end, the
// revisions replayed rebuild every person, credit and release exactly as it is.
import { encodeGlobalID } from '@pothos/plugin-relay';
import fc from 'fast-check';
import { pino } from 'pino';
import { onPostgres } from '../helpers/db.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const RUNS = onPostgres ? 400 : 300;
const TEXT = 'Ryan Gosling (nm0331516, Q210148) plays the Driver. Carey Mulligan plays Irene. Drive opened in the US on 16 September 2011, rated R.';
const errorLines: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => errorLines.push(line) });

const api = useApi((db) => insertSource(db.prisma, 'drive-cast', TEXT).then(() => undefined));
let client: Client;
let callers: Headers[];
const known: Record<'Film' | 'Person' | 'PersonAlias' | 'Credit' | 'Release', string[]> = { Film: [], Person: [], PersonAlias: [], Credit: [], Release: [] };

beforeAll(async () => {
  client = createClient(api.db, { logger, guard: { RATE_LIMIT_ENABLED: false } });
  const keys = await testKeys(api.db.prisma);
  callers = [keys.write.headers, keys.admin.headers];
  const p = api.db.prisma;
  known.Film = (await p.film.findMany({ select: { id: true } })).map((r) => encodeGlobalID('Film', r.id));
  known.Person = (await p.person.findMany({ select: { id: true } })).map((r) => encodeGlobalID('Person', r.id));
  known.PersonAlias = (await p.personAlias.findMany({ select: { id: true } })).map((r) => encodeGlobalID('PersonAlias', r.id));
  known.Credit = (await p.credit.findMany({ select: { id: true } })).map((r) => encodeGlobalID('Credit', r.id));
  known.Release = (await p.release.findMany({ select: { id: true } })).map((r) => encodeGlobalID('Release', r.id));
});

const text = fc.oneof(
  fc.constantFrom('Ryan Gosling', 'Irene', 'Driver', 'rated R', '', ' ', ' padded ', 'x'.repeat(400)),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.oneof(arb, fc.constant(null as T)), { nil: undefined });
const int = fc.oneof(fc.integer({ min: -5, max: 40_000 }), fc.constantFrom(0, 1, 32_767, 32_768, 2_147_483_647, -2_147_483_648));
const ref = (type: keyof typeof known) =>
  fc.oneof(
    fc.constant(`known:${type}`),
    fc.constantFrom(...['Film:1', 'Person:1', 'Credit:1', 'Release:999999', 'PersonAlias:1'].map((s) => Buffer.from(s).toString('base64'))),
    fc.string({ maxLength: 12 }),
  );
const version = fc.oneof(fc.constant('current'), fc.integer({ min: 0, max: 4 }), fc.constant(-1));
const excerpt = fc.oneof(text, fc.constantFrom('Ryan Gosling (nm0331516, Q210148)', 'Carey Mulligan plays Irene.', 'rated R', 'plays the Driver'));
const citation = fc.record(
  {
    sourceSlug: maybe(fc.constantFrom('drive-cast', 'her-review', 'nope')),
    excerpt,
    occurrence: maybe(fc.integer({ min: -1, max: 2 })),
    kind: maybe(fc.constantFrom('STATED', 'INFERRED')),
    fields: maybe(fc.array(fc.constantFrom('name', 'imdbId', 'kind', 'job', 'character', 'country', 'date', 'releaseNote', 'budget'), { maxLength: 3 })),
  },
  { requiredKeys: ['excerpt'] },
);
const citations = maybe(fc.oneof(fc.array(citation, { maxLength: 3 }), fc.constant([{ sourceSlug: 'drive-cast', excerpt: 'Ryan Gosling' }])));
const note = maybe(text);
const kind = fc.constantFrom('CAST', 'CREW');
const department = fc.constantFrom('ACTING', 'DIRECTING', 'SOUND', 'CREW');
const country = fc.constantFrom('US', 'gb', 'FR', 'XX', 'USA', '');
const date = fc.constantFrom('2011-09-16', '2011-09-17', '1850-01-01', '2011-02-30', 'soon');
const releaseType = fc.constantFrom('THEATRICAL', 'DIGITAL', 'STREAMING');

const cases = {
  createPerson: fc.record(
    {
      name: text,
      slug: maybe(fc.constantFrom('ryan-gosling', 'her', 'Bad Slug')),
      imdbId: maybe(fc.constantFrom('nm0331516', 'tt0780504', 'nm1')),
      tmdbId: maybe(int),
      wikidataId: maybe(fc.constantFrom('Q210148', 'P1')),
      citations,
      note,
      idempotencyKey: maybe(fc.string({ maxLength: 4 })),
    },
    { requiredKeys: ['name'] },
  ),
  updatePerson: fc.record(
    {
      id: ref('Person'),
      version,
      name: maybe(text),
      slug: maybe(fc.constantFrom('ryan', 'spike-jonze')),
      imdbId: maybe(fc.constantFrom('nm0331516', 'nm0005069')),
      citations,
      note,
    },
    { requiredKeys: ['id', 'version'] },
  ),
  deletePerson: fc.record({ id: ref('Person'), version, cascade: maybe(fc.boolean()), note }, { requiredKeys: ['id', 'version'] }),
  createPersonAlias: fc.record({ personId: ref('Person'), name: text, citations, note }, { requiredKeys: ['personId', 'name'] }),
  updatePersonAlias: fc.record({ id: ref('PersonAlias'), version, name: text, citations, note }, { requiredKeys: ['id', 'version', 'name'] }),
  deletePersonAlias: fc.record({ id: ref('PersonAlias'), version, note }, { requiredKeys: ['id', 'version'] }),
  createCredit: fc.record(
    {
      filmId: ref('Film'),
      personId: ref('Person'),
      kind,
      department: maybe(department),
      job: maybe(fc.constantFrom('Actor', 'Director', '')),
      character: maybe(fc.constantFrom('Driver', 'Irene')),
      billingOrder: maybe(int),
      voice: maybe(fc.boolean()),
      citations,
      note,
    },
    { requiredKeys: ['filmId', 'personId', 'kind'] },
  ),
  updateCredit: fc.record(
    {
      id: ref('Credit'),
      version,
      department: maybe(department),
      job: maybe(fc.constantFrom('Actor', 'Editor')),
      character: maybe(fc.constantFrom('Driver', 'Irene')),
      billingOrder: maybe(int),
      voice: maybe(fc.boolean()),
      citations,
      note,
    },
    { requiredKeys: ['id', 'version'] },
  ),
  deleteCredit: fc.record({ id: ref('Credit'), version, note }, { requiredKeys: ['id', 'version'] }),
  createRelease: fc.record(
    {
      filmId: ref('Film'),
      country,
      date,
      type: releaseType,
      certification: maybe(fc.constantFrom('R', '', 'x'.repeat(30))),
      releaseNote: maybe(text),
      citations,
      note,
    },
    { requiredKeys: ['filmId', 'country', 'date', 'type'] },
  ),
  updateRelease: fc.record(
    {
      id: ref('Release'),
      version,
      country: maybe(country),
      date: maybe(date),
      type: maybe(releaseType),
      certification: maybe(fc.constantFrom('R', 'PG')),
      releaseNote: maybe(text),
      citations,
      note,
    },
    { requiredKeys: ['id', 'version'] },
  ),
  deleteRelease: fc.record({ id: ref('Release'), version, note }, { requiredKeys: ['id', 'version'] }),
};
type Mutation = keyof typeof cases;

/** The payload field holding the record, and its type, of each mutation (null for deletes). */
const RECORD: Record<Mutation, [string, keyof typeof known] | null> = {
  createPerson: ['person', 'Person'],
  updatePerson: ['person', 'Person'],
  deletePerson: null,
  createPersonAlias: ['personAlias', 'PersonAlias'],
  updatePersonAlias: ['personAlias', 'PersonAlias'],
  deletePersonAlias: null,
  createCredit: ['credit', 'Credit'],
  updateCredit: ['credit', 'Credit'],
  deleteCredit: null,
  createRelease: ['release', 'Release'],
  updateRelease: ['release', 'Release'],
  deleteRelease: null,
};
const document = (m: Mutation) => {
  const input = `${m[0]!.toUpperCase()}${m.slice(1)}Input`;
  const record = RECORD[m];
  return `mutation ($input: ${input}!) { ${m}(input: $input) { ${record ? `${record[0]} { id version }` : 'deletedIds'} userErrors { field message code currentVersion } } }`;
};
const wild = fc.oneof(
  ...(Object.keys(cases) as Mutation[]).map((m) => fc.record({ m: fc.constant(m), input: cases[m] as fc.Arbitrary<Record<string, unknown>> })),
);
// Plausible inputs, so the writes themselves run (and race for versions and unique keys), not only the checks.
const good = fc.constant([{ sourceSlug: 'drive-cast', excerpt: 'Ryan Gosling (nm0331516, Q210148) plays the Driver.' }]);
const plausibleCases: Partial<Record<Mutation, fc.Arbitrary<Record<string, unknown>>>> = {
  createPerson: fc.record({ name: fc.constantFrom('Ryan Gosling', 'Carey Mulligan', 'Albert Brooks'), citations: good }),
  updatePerson: fc.record({
    id: fc.constant('known:Person'),
    version: fc.constantFrom('current', 1),
    name: fc.constantFrom('Ryan Gosling', 'R. Gosling'),
    citations: good,
  }),
  createPersonAlias: fc.record({ personId: fc.constant('known:Person'), name: fc.constantFrom('R. Gosling', 'The Driver'), citations: good }),
  createCredit: fc.record({
    filmId: fc.constant('known:Film'),
    personId: fc.constant('known:Person'),
    kind: fc.constant('CAST'),
    character: fc.constantFrom('Driver', 'Irene', 'Bernie'),
    billingOrder: fc.integer({ min: 0, max: 5 }),
    citations: good,
  }),
  updateCredit: fc.record({
    id: fc.constant('known:Credit'),
    version: fc.constantFrom('current', 1),
    billingOrder: fc.integer({ min: 0, max: 50 }),
    citations: good,
  }),
  deleteCredit: fc.record({ id: fc.constant('known:Credit'), version: fc.constant('current') }),
  createRelease: fc.record({
    filmId: fc.constant('known:Film'),
    country: fc.constantFrom('US', 'gb'),
    date: fc.constantFrom('2011-09-16', '2011-11-04'),
    type: fc.constantFrom('THEATRICAL', 'DIGITAL'),
    certification: fc.constantFrom('R', '18'),
    citations: good,
  }),
  updateRelease: fc.record({
    id: fc.constant('known:Release'),
    version: fc.constantFrom('current', 1),
    certification: fc.constantFrom('R', 'PG', '15'),
    citations: good,
  }),
  deletePerson: fc.record({ id: fc.constant('known:Person'), version: fc.constant('current'), cascade: fc.boolean() }),
};
const plausible = fc.oneof(...Object.entries(plausibleCases).map(([m, input]) => fc.record({ m: fc.constant(m as Mutation), input: input! })));
const mutation = fc.oneof(wild, plausible);

const versionOf = async (globalId: string): Promise<number> => {
  const [type, id] = Buffer.from(globalId, 'base64').toString().split(':') as [string, string];
  const delegate = { Person: api.db.prisma.person, PersonAlias: api.db.prisma.personAlias, Credit: api.db.prisma.credit, Release: api.db.prisma.release }[
    type
  ] as unknown as { findUnique(args: { where: { id: number } }): Promise<{ version: number } | null> } | undefined;
  return (await delegate?.findUnique({ where: { id: Number(id) } }))?.version ?? 1;
};

// Up to minutes on a loaded shared host (PostgreSQL), hence the timeout.
test(`${RUNS} random person, alias, credit and release mutations: typed answers only, never a 5xx`, async () => {
  const outcomes: Record<string, number> = {};
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  await fc.assert(
    fc.asyncProperty(mutation, fc.nat(), fc.nat(), async ({ m, input }, who, pick) => {
      const variables: Record<string, unknown> = { ...input };
      for (const [key, value] of Object.entries(variables)) {
        if (typeof value === 'string' && value.startsWith('known:')) {
          const pool = known[value.slice(6) as keyof typeof known];
          variables[key] = pool.length ? pool[pick % pool.length] : encodeGlobalID(value.slice(6), 1);
        }
      }
      if (variables['version'] === 'current') variables['version'] = typeof variables['id'] === 'string' ? await versionOf(variables['id']) : 1;
      const result = await client.query(document(m), { input: variables }, callers[who % callers.length]);
      expect(result.status).toBeLessThan(500);
      const codes = (result.errors ?? []).map((e) => e.extensions?.['code']);
      expect(codes).not.toContain('INTERNAL_SERVER_ERROR');
      if (result.errors) {
        // Only the GraphQL layer refuses outright: a value of the wrong type (CountryCode, Date,
        // an enum), a missing required field, a string PostgreSQL cannot store, or a note
        // without citations for a write key.
        expect(codes.every((c) => c === 'BAD_USER_INPUT' || c === 'FORBIDDEN')).toBe(true);
        count(String(codes[0]));
        return;
      }
      const payload = result.data![m];
      const succeeded = payload.userErrors.length === 0;
      const record = RECORD[m];
      if (record) expect(payload[record[0]] !== null).toBe(succeeded);
      else expect(payload.deletedIds.length > 0).toBe(succeeded);
      count(succeeded ? `${m} ok` : `${m}: ${payload.userErrors[0].code}`);
      for (const e of payload.userErrors) {
        expect(e.message.length).toBeGreaterThan(0);
        expect(e.code === 'CONFLICT').toBe(e.currentVersion !== null);
      }
      if (record && succeeded && m.startsWith('create')) known[record[1]].push(payload[record[0]].id);
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 14), endOnFailure: true },
  );
  expect(errorLines).toEqual([]);
  // The generators reach the writes, not only the input checks.
  for (const outcome of [
    'createPerson ok',
    'updatePerson ok',
    'createCredit ok',
    'updateCredit ok',
    'createRelease ok',
    'updateRelease ok',
    'updateCredit: CONFLICT',
    'createCredit: INVALID',
    'BAD_USER_INPUT',
  ]) {
    expect([outcome, (outcomes[outcome] ?? 0) > 0]).toEqual([outcome, true]);
  }

  // The final state equals the revisions replayed (for the records created here: seeded rows have no CREATE revision).
  const models = {
    Person: api.db.prisma.person,
    Credit: api.db.prisma.credit,
    Release: api.db.prisma.release,
    PersonAlias: api.db.prisma.personAlias,
  } as unknown as Record<string, { findUnique(args: { where: { id: number } }): Promise<Record<string, unknown> | null> }>;
  const states = new Map<string, Record<string, unknown> | null>();
  const created = new Set<string>();
  for (const r of await api.db.prisma.revision.findMany({ where: { entityType: { in: Object.keys(models) } }, orderBy: { id: 'asc' } })) {
    const key = `${r.entityType}:${r.entityId}`;
    if (r.action === 'CREATE') created.add(key);
    if (r.action === 'DELETE') states.set(key, null);
    else
      states.set(key, {
        ...(states.get(key) ?? {}),
        ...Object.fromEntries(Object.entries(r.diff as Record<string, { after: unknown }>).map(([f, d]) => [f, d.after])),
      });
  }
  let checked = 0;
  for (const [key, state] of states) {
    if (!created.has(key)) continue;
    const [type, id] = key.split(':') as [string, string];
    const row = await models[type]!.findUnique({ where: { id: Number(id) } });
    checked++;
    if (state === null) {
      expect([key, row]).toEqual([key, null]);
      continue;
    }
    const asApi = (k: string, v: unknown) => (k === 'character' && v === '' ? null : v instanceof Date ? v.toISOString() : v);
    expect([key, Object.fromEntries(Object.keys(state).map((k) => [k, asApi(k, row?.[k])]))]).toEqual([key, state]);
  }
  expect(checked).toBeGreaterThan(0);
}, 900_000);
