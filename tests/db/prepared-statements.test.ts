import { openDatabase, statementNames, type Database } from '../../src/db/client.ts';
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
  async function connect(preparedStatements: number, extra: { planCacheMode?: 'auto'; url?: string } = {}) {
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

  test('connections plan each execution for its parameters unless DB_PLAN_CACHE_MODE says otherwise, keeping options from the URL', async () => {
    const setting = async (db: Database, name: string) =>
      (await db.prisma.$queryRawUnsafe<{ value: string }[]>(`SELECT current_setting('${name}') AS value`))[0]!.value;
    const byDefault = await connect(200);
    expect(await setting(byDefault.db, 'plan_cache_mode')).toBe('force_custom_plan');
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
});
