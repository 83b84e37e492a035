import { MAX_NAMED_SQL_LENGTH, openDatabase, planSensitive, statementNames, type Database, type PlanCacheMode } from '../../src/db/client.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';
import { createClient } from '../helpers/graphql.ts';

// Named prepared statements (DB_PREPARED_STATEMENTS) exist on PostgreSQL only: PGlite's adapter
// runs every statement in-process, with nothing to prepare.
test('statement names: one per distinct SQL text, reused for the same text, none beyond the cap or when off', () => {
  const name = statementNames(2)!;
  expect(name({ sql: 'SELECT 1' })).toBe('cinegraph_1');
  expect(name({ sql: 'SELECT 2' })).toBe('cinegraph_2');
  expect(name({ sql: 'SELECT 1' })).toBe('cinegraph_1');
  expect(name({ sql: 'SELECT 3' })).toBeUndefined();
  expect(name({ sql: 'SELECT 2' })).toBe('cinegraph_2');
  expect(statementNames(0)).toBeUndefined();
});

test('statement names: a text longer than MAX_NAMED_SQL_LENGTH (a batch of rows as a literal) runs unnamed and takes no name', () => {
  const name = statementNames(2)!;
  const long = `SELECT * FROM jsonb_to_recordset($rows$${'x'.repeat(MAX_NAMED_SQL_LENGTH)}$rows$::jsonb)`;
  expect(name({ sql: long })).toBeUndefined();
  expect(name({ sql: long })).toBeUndefined();
  expect(name({ sql: 'SELECT 1' })).toBe('cinegraph_1');
  expect(name({ sql: 'SELECT 2' })).toBe('cinegraph_2');
});

test("statement names by plan: a statement whose plan depends on its parameters' values runs unnamed, the rest as before", () => {
  const name = statementNames(3, 'parameters')!;
  expect(name({ sql: 'SELECT "t0"."id" FROM "public"."Film" AS "t0" WHERE "t0"."slug" = $1 LIMIT $2' })).toBe('cinegraph_1');
  expect(name({ sql: 'SELECT id FROM "Film" WHERE year >= $1' })).toBeUndefined();
  expect(name({ sql: 'SELECT id FROM "Film" WHERE year >= $1' })).toBeUndefined();
  // The cap counts the unnamed ones too: a flood of distinct sensitive statements cannot grow the map.
  expect(name({ sql: 'SELECT id FROM "Film" WHERE id IN ($1,$2)' })).toBe('cinegraph_3');
  expect(name({ sql: 'SELECT 4' })).toBeUndefined();
  // With 'any' (the other DB_PLAN_CACHE_MODE values) every statement is named.
  expect(statementNames(2, 'any')!({ sql: 'SELECT id FROM "Film" WHERE year >= $1' })).toBe('cinegraph_1');
});

test.each([
  [
    'a lookup by key with nested relations',
    'SELECT "t0"."id" FROM "public"."Film" AS "t0" LEFT JOIN LATERAL (SELECT 1 FROM "Credit" AS "t1" WHERE "t0"."id" = "t1"."filmId" LIMIT $1 OFFSET $2) AS "x" ON true WHERE "t0"."slug" = $3',
    false,
  ],
  ['rows by a list of ids', 'SELECT "t0"."id" FROM "public"."Film" AS "t0" WHERE "t0"."id" IN ($1,$2,$3)', false],
  ['an enum filter and an OR', 'SELECT 1 FROM "Credit" WHERE ("job" = $1 OR "department" = CAST($2::text AS "public"."Department"))', false],
  ['a range', 'SELECT id FROM "Film" f WHERE f."year" >= CAST($2 AS int) AND f."year" <= CAST($3 AS int)', true],
  ['a keyset cursor', 'SELECT id FROM "Film" WHERE ("title", "id") > ($1, $2) ORDER BY 1 LIMIT 21', true],
  ['BETWEEN', 'SELECT id FROM "Film" WHERE year between $1 and $2', true],
  ['a pattern', `SELECT id FROM "Film" WHERE "title" ILIKE $1`, true],
  ['trigram similarity', 'SELECT id FROM "Film" WHERE cinegraph_normalize($1) % cinegraph_normalize("title")', true],
  ['array containment', 'SELECT id FROM "Film" f WHERE f."genres" @> CAST(ARRAY[$1] AS text[])', true],
  ['text search', `SELECT id FROM "Film" WHERE to_tsvector('english', "synopsis") @@ to_tsquery('english', $1)`, true],
  ['a JSON operator (errs towards planning)', `SELECT "data"->>'a' FROM "Revision" WHERE id = $1`, true],
  ['operators inside a quoted identifier only', 'SELECT "a<b>%@~" FROM "Film" WHERE "id" = $1', false],
])('planSensitive: %s', (_what, sql, sensitive) => {
  expect(planSensitive(sql)).toBe(sensitive);
});

const describePostgres = onPostgres ? describe : describe.skip;
if (!onPostgres) console.warn('prepared-statement tests skipped: TEST_DATABASE_URL is not set (they run in the PostgreSQL pass)');

describePostgres('on PostgreSQL', () => {
  let seeded: TestDatabase;
  const opened: Database[] = [];
  beforeAll(async () => {
    seeded = await createTestDatabase();
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await seeded?.close();
  });

  /** A second client on the test's database with one connection, so every statement shares a session. */
  async function connect(preparedStatements: number, extra: { planCacheMode?: PlanCacheMode; url?: string } = {}) {
    const db = await openDatabase({ databaseUrl: extra.url ?? seeded.url!, pool: { max: 1, preparedStatements, planCacheMode: extra.planCacheMode } });
    opened.push(db);
    const prepared = async () =>
      (await db.prisma.$queryRawUnsafe<{ name: string; statement: string }[]>(`SELECT name, statement FROM pg_prepared_statements ORDER BY name`)).filter((r) =>
        r.name.startsWith('cinegraph_'),
      );
    return { db, prepared, client: createClient(db) };
  }

  const FILM = `query ($slug: String!) { film(slug: $slug) { title directors { name } cast { character person { name } } } }`;

  test('a GraphQL query runs as a named statement, prepared once and reused with new parameters', async () => {
    const { client, prepared } = await connect(200);
    const her = await client.query(FILM, { slug: 'her' });
    expect(her.errors).toBeUndefined();
    expect(her.data!.film.directors).toEqual([{ name: 'Spike Jonze' }]);
    // A slug that names no film also looks for a redirect (merges): its own statement, prepared once too.
    const missing = await client.query(FILM, { slug: 'no-such-film' });
    expect(missing.data).toEqual({ film: null });
    const before = await prepared();
    expect(before.some((s) => s.statement.includes('"public"."Film"'))).toBe(true);
    const again = await client.query(FILM, { slug: 'her' });
    expect(again.data).toEqual(her.data);
    expect((await client.query(FILM, { slug: 'still-no-such-film' })).data).toEqual({ film: null });
    // The same statements, not one more per request.
    expect((await prepared()).map((s) => s.name)).toEqual(before.map((s) => s.name));
  });

  test('past the cap, statements still run, unnamed; with 0 nothing is prepared', async () => {
    const capped = await connect(1);
    const first = await capped.client.query(FILM, { slug: 'her' });
    const other = await capped.client.query(`{ films(first: 2) { nodes { title } } }`);
    expect(first.errors).toBeUndefined();
    expect(other.errors).toBeUndefined();
    expect(other.data!.films.nodes.length).toBeGreaterThan(0);
    expect(await capped.prepared()).toHaveLength(1);

    const off = await connect(0);
    expect((await off.client.query(FILM, { slug: 'her' })).data).toEqual(first.data);
    expect(await off.prepared()).toEqual([]);
  });

  test('connections plan by statement unless DB_PLAN_CACHE_MODE says otherwise, keeping options from the URL', async () => {
    const setting = async (db: Database, name: string) =>
      (await db.prisma.$queryRawUnsafe<{ value: string }[]>(`SELECT current_setting('${name}') AS value`))[0]!.value;
    const byDefault = await connect(200);
    expect(await setting(byDefault.db, 'plan_cache_mode')).toBe('auto');
    const custom = await connect(200, { planCacheMode: 'force_custom_plan' });
    expect(await setting(custom.db, 'plan_cache_mode')).toBe('force_custom_plan');
    const url = new URL(seeded.url!);
    url.searchParams.set('options', '-c work_mem=5MB');
    const auto = await connect(200, { planCacheMode: 'auto', url: url.toString() });
    expect(await setting(auto.db, 'plan_cache_mode')).toBe('auto');
    expect(await setting(auto.db, 'work_mem')).toBe('5MB');
    // Without prepared statements there is no plan cache to steer: the client sends no setting,
    // and the server's own stays.
    const source = async (db: Database) =>
      (await db.prisma.$queryRawUnsafe<{ source: string }[]>(`SELECT source FROM pg_settings WHERE name = 'plan_cache_mode'`))[0]!.source;
    expect(await source(byDefault.db)).toBe('client');
    const off = await connect(0);
    expect(await source(off.db)).not.toBe('client');
  });

  test('by statement: a film detail is prepared and settles on a generic plan; a filtered list is planned for its values', async () => {
    const { db, client, prepared } = await connect(200);
    // Six executions: PostgreSQL's auto mode makes five custom plans before it weighs a generic one.
    for (let i = 0; i < 6; i++) expect((await client.query(FILM, { slug: 'her' })).errors).toBeUndefined();
    const LIST = `query ($from: Int!) { films(first: 3, filter: { yearFrom: $from }) { nodes { title } } }`;
    for (let i = 0; i < 6; i++) expect((await client.query(LIST, { from: 1990 + i })).errors).toBeUndefined();
    const statements = await prepared();
    const detail = statements.filter((s) => s.statement.includes('"public"."Film"') && s.statement.includes('"slug" = $'));
    expect(detail.length).toBeGreaterThan(0);
    // No prepared statement compares a parameter by range: the list's ran unnamed.
    expect(statements.filter((s) => planSensitive(s.statement))).toEqual([]);
    const plans = await db.prisma.$queryRawUnsafe<{ name: string; generic_plans: bigint }[]>(
      `SELECT name, generic_plans FROM pg_prepared_statements WHERE name = ANY($1)`,
      detail.map((s) => s.name),
    );
    expect(plans.some((p) => Number(p.generic_plans) > 0)).toBe(true);
  });
});
