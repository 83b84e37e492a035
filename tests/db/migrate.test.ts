// The migration runner against the engine of this run: PGlite in memory by default, a fresh
// PostgreSQL database of its own when TEST_DATABASE_URL is set. Each test starts from an empty
// public schema.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acquireDirLock, DataDirLockedError } from '../../src/db/dir-lock.ts';
import { checksumOf, migrate, MigrationError, MIGRATIONS_DIR, readMigrations, type MigrationFile } from '../../src/db/migrate.ts';
import type { SqlSession } from '../../src/db/sql.ts';
import { deadPid, runMigrateCli } from '../helpers/cli.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';

interface LedgerRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

let db: TestDatabase;
let session: SqlSession;
let real: MigrationFile[];
const tempDirs: string[] = [];

const migration = (name: string, sql: string): MigrationFile => ({ name, sql, checksum: checksumOf(sql) });
// Named to sort after every real migration; depends on the first one's "Film" table.
const tagline = migration('29990101000000_film_tagline', 'ALTER TABLE "Film" ADD COLUMN "tagline" TEXT;\n');
const ledger = () => session.query<LedgerRow>('SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name');
const exists = async (relation: string) => (await session.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [relation]))[0]!.found;
const hasColumn = async (table: string, column: string) =>
  (await session.query('SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2', [table, column])).length === 1;
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-migrate-test-'));
  tempDirs.push(dir);
  return dir;
};

beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
  session = await db.openSession();
  real = await readMigrations();
});
beforeEach(() => session.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;'));
afterAll(async () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  await session?.close();
  await db?.close();
});

test("a fresh database gets every migration applied, recorded in a ledger shaped exactly like Prisma Migrate's", async () => {
  const report = await migrate(session);
  expect(real.length).toBeGreaterThan(0);
  expect(report).toEqual({ applied: real.map((m) => m.name), alreadyApplied: [] });
  expect(await exists('"Film"')).toBe(true);

  // Prisma's own DDL for the table (schema-engine, PostgreSQL flavour), column for column.
  const columns = await session.query(
    `SELECT column_name AS name, data_type AS type, character_maximum_length AS length,
            is_nullable AS nullable, column_default AS default
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
  );
  const column = (name: string, type: string, length: number | null, nullable: string, dflt: string | null = null) => ({
    name,
    type,
    length,
    nullable,
    default: dflt,
  });
  expect(columns).toEqual([
    column('id', 'character varying', 36, 'NO'),
    column('checksum', 'character varying', 64, 'NO'),
    column('finished_at', 'timestamp with time zone', null, 'YES'),
    column('migration_name', 'character varying', 255, 'NO'),
    column('logs', 'text', null, 'YES'),
    column('rolled_back_at', 'timestamp with time zone', null, 'YES'),
    column('started_at', 'timestamp with time zone', null, 'NO', 'now()'),
    column('applied_steps_count', 'integer', null, 'NO', '0'),
  ]);
  const [pk] = await session.query<{ columns: string }>(
    `SELECT string_agg(a.attname::text, ',') AS columns FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = '"_prisma_migrations"'::regclass AND i.indisprimary`,
  );
  expect(pk!.columns).toBe('id');

  const rows = await ledger();
  expect(rows.map((r) => r.migration_name)).toEqual(real.map((m) => m.name));
  for (const row of rows) {
    // Prisma's checksum is the SHA-256 of migration.sql's bytes, in lowercase hex.
    const file = readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
    expect(row).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      checksum: createHash('sha256').update(file).digest('hex'),
      finished_at: expect.any(Date),
      migration_name: row.migration_name,
      logs: null,
      rolled_back_at: null,
      started_at: expect.any(Date),
      applied_steps_count: 1,
    });
    expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
  }
});

test('running again applies nothing and changes no ledger row', async () => {
  await migrate(session);
  const before = await ledger();
  expect(await migrate(session)).toEqual({ applied: [], alreadyApplied: real.map((m) => m.name) });
  expect(await ledger()).toEqual(before);
});

test('a migration whose file changed after it was applied is refused with an error naming it, and nothing new is applied', async () => {
  await migrate(session);
  const before = await ledger();
  const [first, ...rest] = real;
  const edited = migration(first!.name, `${first!.sql}\n-- edited after it was applied\n`);
  const run = migrate(session, { migrations: [edited, ...rest, tagline] });
  await expect(run).rejects.toThrow(MigrationError);
  // The name a start-up log shows in front of the message.
  await expect(run).rejects.toThrow(expect.objectContaining({ name: 'MigrationError' }));
  await expect(run).rejects.toThrow(
    `Migration ${first!.name} was modified after it was applied (applied checksum ${first!.checksum.slice(0, 12)}…, file now ${edited.checksum.slice(0, 12)}…). ` +
      'Restore the original migration.sql and put the change in a new migration.',
  );
  expect(await ledger()).toEqual(before);
  expect(await hasColumn('Film', 'tagline')).toBe(false);
});

test('a new migration is applied after the earlier ones, in folder-name order, and only it', async () => {
  await migrate(session);
  // A migrations folder where the new migration is written first: order comes from the names.
  const dir = tempDir();
  for (const m of [tagline, ...real]) {
    mkdirSync(path.join(dir, m.name));
    writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
  }
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  const migrations = await readMigrations(dir);
  expect(migrations.map((m) => m.name)).toEqual([...real.map((m) => m.name), tagline.name]);

  expect(await migrate(session, { migrations })).toEqual({ applied: [tagline.name], alreadyApplied: real.map((m) => m.name) });
  expect(await hasColumn('Film', 'tagline')).toBe(true);
  const rows = await ledger();
  expect(rows.map((r) => r.migration_name)).toEqual([...real.map((m) => m.name), tagline.name]);
  expect(rows.at(-1)!.started_at.getTime()).toBeGreaterThanOrEqual(rows.at(-2)!.finished_at!.getTime());
  expect(rows.at(-1)!.checksum).toBe(tagline.checksum);
});

test('each applied migration is logged with its time; one applied but no longer in the folder is logged and skipped', async () => {
  const logs: string[] = [];
  await migrate(session, { migrations: [...real, tagline], log: (message) => logs.push(message) });
  expect(logs).toEqual([...real, tagline].map((m) => expect.stringMatching(new RegExp(`^applied migration ${m.name} in \\d+ ms$`))));
  logs.length = 0;
  expect(await migrate(session, { migrations: real, log: (message) => logs.push(message) })).toEqual({
    applied: [],
    alreadyApplied: real.map((m) => m.name),
  });
  expect(logs).toEqual([`migration ${tagline.name} is applied in the database but missing from prisma/migrations`]);
});

test('a failing migration is rolled back completely, leaves no ledger row and is reported with the database error', async () => {
  const broken = migration('29990101000000_broken', 'CREATE TABLE "HalfDone" ("id" INTEGER);\nALTER TABLE "NoSuchTable" ADD COLUMN "x" INTEGER;\n');
  const run = migrate(session, { migrations: [...real, broken] });
  await expect(run).rejects.toThrow(MigrationError);
  await expect(run).rejects.toThrow(new RegExp(`^Migration ${broken.name} failed and was rolled back: relation "NoSuchTable" does not exist`));
  expect(await exists('"HalfDone"')).toBe(false);
  expect((await ledger()).map((r) => [r.migration_name, r.applied_steps_count])).toEqual(real.map((m) => [m.name, 1]));

  // Nothing is left to clean up: the corrected migration applies on the next run.
  const fixed = migration(broken.name, 'CREATE TABLE "HalfDone" ("id" INTEGER);\n');
  expect(await migrate(session, { migrations: [...real, fixed] })).toMatchObject({ applied: [fixed.name] });
});

test('an unfinished ledger row, as a crashed `prisma migrate deploy` leaves, is refused until it is resolved', async () => {
  await migrate(session);
  await session.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
     VALUES (gen_random_uuid()::text, $1, $2, 'Database error: connection reset', now(), 0)`,
    [tagline.checksum, tagline.name],
  );
  const run = migrate(session, { migrations: [...real, tagline] });
  await expect(run).rejects.toThrow(MigrationError);
  await expect(run).rejects.toThrow(
    new RegExp(`^Migration ${tagline.name} failed or was interrupted .* unfinished .*\`prisma migrate resolve --rolled-back ${tagline.name}`),
  );
  expect(await hasColumn('Film', 'tagline')).toBe(false);

  // What `prisma migrate resolve --rolled-back` does; the runner then applies it afresh.
  await session.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1`, [tagline.name]);
  expect(await migrate(session, { migrations: [...real, tagline] })).toMatchObject({ applied: [tagline.name] });
  const rows = (await ledger()).filter((r) => r.migration_name === tagline.name);
  expect(rows.map((r) => [r.rolled_back_at !== null, r.finished_at !== null])).toEqual([
    [true, false],
    [false, true],
  ]);
});

test(`two runners started together apply each migration exactly once (${onPostgres ? 'two connections' : 'one PGlite instance'})`, async () => {
  // The slow migration keeps the first runner busy long enough for the second to arrive.
  const slow = migration('29990101000000_slow', 'SELECT pg_sleep(0.5);\nCREATE TABLE "Slow" ("id" INTEGER);\n');
  const migrations = [...real, slow];
  const [a, b] = [await db.openSession(), await db.openSession()];
  let sawWaiter = false;
  let done = false;
  const watch = (async () => {
    // On PostgreSQL, observe the second runner blocked on the advisory lock: proof they overlapped.
    while (onPostgres && !done && !sawWaiter) {
      const waiting = await session.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`);
      sawWaiter = waiting.length > 0;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const reports = await Promise.all([migrate(a, { migrations }), migrate(b, { migrations })]);
    done = true;
    await watch;
    const names = migrations.map((m) => m.name);
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, names.length]);
    expect(reports.find((r) => r.applied.length === 0)!.alreadyApplied).toEqual(names);
    if (onPostgres) expect(sawWaiter).toBe(true);
  } finally {
    done = true;
    await Promise.all([a.close(), b.close()]);
  }
  const rows = await ledger();
  expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
  expect(rows.every((r) => r.finished_at !== null)).toBe(true);
});

(onPostgres ? test : test.skip)('two `npm run db:migrate` processes started together on one PostgreSQL database record each migration once', async () => {
  const [first, second] = await Promise.all([runMigrateCli({ DATABASE_URL: db.url! }), runMigrateCli({ DATABASE_URL: db.url! })]);
  expect([first.code, second.code, first.stderr, second.stderr]).toEqual([0, 0, '', '']);
  const applied = [first, second].map((r) => r.logs.find((l) => l['msg'] === 'migrations up to date')?.['applied']);
  expect(applied.sort()).toEqual([0, real.length]);
  const rows = await ledger();
  expect(rows.map((r) => r.migration_name)).toEqual(real.map((m) => m.name));
});

describe('the embedded database folder (PGlite) across processes', () => {
  test('a second process is refused with the folder-in-use message while another holds the data folder', async () => {
    const dir = tempDir();
    const lock = await acquireDirLock(dir);
    try {
      const result = await runMigrateCli({ DATABASE_URL: '', DATA_DIR: dir });
      expect(result.code).not.toBe(0);
      // reported as one error log line, not an uncaught stack trace
      expect(result.stderr).toBe('');
      const failure = result.logs.find((l) => l['level'] === 50);
      expect(failure?.['msg']).toContain(`Data folder ${dir} is in use by process ${process.pid}.`);
      expect(failure?.['msg']).toContain('set DATA_DIR to another folder');
      expect(existsSync(path.join(dir, 'pglite'))).toBe(false);
    } finally {
      await lock.release();
    }
    expect(existsSync(path.join(dir, 'cinegraph.lock'))).toBe(false);
  });

  test('a lock held by a live process is refused after the wait, naming the holder', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'cinegraph.lock'), String(process.ppid));
    const started = Date.now();
    await expect(acquireDirLock(dir, 300)).rejects.toThrow(DataDirLockedError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await expect(acquireDirLock(dir, 0)).rejects.toThrow(`is in use by process ${process.ppid}`);
    expect(readFileSync(path.join(dir, 'cinegraph.lock'), 'utf8')).toBe(String(process.ppid));
  });

  test('a stale lock file left by a dead process is taken over', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cinegraph.lock');
    writeFileSync(file, String(await deadPid()));
    const lock = await acquireDirLock(dir, 0);
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    expect(existsSync(file)).toBe(false);
  });

  test('`npm run db:migrate` takes over a stale lock, migrates the folder and releases it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'cinegraph.lock'), String(await deadPid()));
    const result = await runMigrateCli({ DATABASE_URL: '', DATA_DIR: dir });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.logs.find((l) => l['msg'] === 'migrations up to date')).toMatchObject({ applied: real.length, alreadyApplied: 0 });
    expect(existsSync(path.join(dir, 'pglite'))).toBe(true);
    expect(existsSync(path.join(dir, 'cinegraph.lock'))).toBe(false);
  });
});
