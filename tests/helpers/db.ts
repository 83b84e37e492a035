import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { seed } from '../../seed/seed.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { onDirectStatement } from '../../src/db/direct.ts';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TestDatabase extends Database {
  /** SQL statements Prisma sent since the last `resetStatements()`. */
  statements: string[];
  resetStatements(): void;
  /** postgres:// URL of this test's own database, when on PostgreSQL. */
  url?: string;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Set by tests/helpers/global-setup.js: an id of this jest run, naming its PostgreSQL template database. */
const TEST_RUN_VARIABLE = 'CINEGRAPH_TEST_RUN';

/**
 * A PostgreSQL database of this test's own, created on the server TEST_DATABASE_URL points
 * at (empty, or a copy of `template`) and dropped by `close()`. Only databases this helper
 * created are ever dropped.
 */
export async function createPostgresDatabase(template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `cinegraph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  await admin.end();
  return {
    url: withDatabaseName(adminUrl, name),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

function instrument(db: Database, extra: { url?: string; onClose?: () => Promise<void> } = {}): TestDatabase {
  const statements: string[] = [];
  db.prisma.$on('query' as never, (event: { query: string }) => {
    statements.push(event.query);
  });
  // Statements of hot documents answered in SQL go beside Prisma (src/db/direct.ts).
  onDirectStatement(db.prisma, (sql) => statements.push(sql));
  return {
    ...db,
    statements,
    resetStatements: () => statements.splice(0, statements.length),
    url: extra.url,
    async close() {
      await db.close();
      await extra.onClose?.();
    },
  };
}

// A migrated, seeded PGlite snapshot shared by test files: initdb costs ~4 s, loading a dump ~1 s.
// Keyed by everything that shapes its contents, so a changed migration or seed rebuilds it.
function templateKey(): string {
  const hash = createHash('sha256');
  for (const dir of readdirSync(MIGRATIONS_DIR).sort()) {
    const file = path.join(MIGRATIONS_DIR, dir, 'migration.sql');
    if (existsSync(file)) hash.update(dir).update(readFileSync(file));
  }
  // Files at the top of seed/ shape the seeded data; its folders (e.g. the extractor's dev articles) do not.
  for (const entry of readdirSync(path.join(ROOT, 'seed'), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isFile()) hash.update(entry.name).update(readFileSync(path.join(ROOT, 'seed', entry.name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Set by the jest environment (tests/helpers/environment.cjs): PGlite's compiled module and bundle, once per worker. */
interface WorkerAssets {
  pgliteWasmModule: WebAssembly.Module;
  fsBundle: Blob;
  templates: Map<string, Blob>;
}
const workerAssets = (globalThis as { __cinegraphTestAssets?: WorkerAssets }).__cinegraphTestAssets;

async function pgliteTemplate(): Promise<Blob> {
  const dir = path.join(ROOT, 'node_modules/.cache/cinegraph');
  const file = path.join(dir, `template-${templateKey()}.tar`);
  const cached = workerAssets?.templates.get(file);
  if (cached) return cached;
  if (!existsSync(file)) {
    const db = await openDatabase({ inMemory: true });
    const session = await db.openSession();
    await migrate(session);
    await seed(db.prisma);
    const dump = await db.dumpDataDir!();
    await db.close();
    mkdirSync(dir, { recursive: true });
    // Atomic publish: parallel workers may build it at once; each renames a complete file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  // A Blob is immutable: every database of the worker loads from the same one.
  const template = new Blob([readFileSync(file)]);
  workerAssets?.templates.set(file, template);
  return template;
}

async function migrateAndSeed(db: Database): Promise<void> {
  const session = await db.openSession();
  await migrate(session);
  await session.close();
  await seed(db.prisma);
}

/**
 * PostgreSQL: this run's migrated, seeded database, which each test file copies with
 * `CREATE DATABASE … TEMPLATE` instead of migrating and seeding its own. The first file of any
 * worker to ask builds it (under an advisory lock, then renamed into place, so others never see
 * a half-built one); tests/helpers/global-teardown.js drops it. Undefined outside a jest run
 * with the global setup (then each file migrates and seeds its own).
 */
async function postgresTemplate(): Promise<string | undefined> {
  const run = process.env[TEST_RUN_VARIABLE];
  if (!run) return undefined;
  const name = `cinegraph_test_template_${run}`;
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const db = await openDatabase({ databaseUrl: withDatabaseName(adminUrl, building) });
      await migrateAndSeed(db).finally(() => db.close());
      // A closed pool's backends may take a moment to leave (the rename needs none left); nothing else connects to it.
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`).catch(async () => {
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [building]);
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      });
    }
    return name;
  } finally {
    await admin.end();
  }
}

/**
 * A fresh database for one test file: PGlite in memory by default, or a new PostgreSQL
 * database when TEST_DATABASE_URL is set. `seeded: false` gives an empty, unmigrated one.
 */
export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const seeded = options.seeded ?? true;
  if (onPostgres) {
    const template = seeded ? await postgresTemplate() : undefined;
    const created = await createPostgresDatabase(template);
    const db = await openDatabase({ databaseUrl: created.url, logQueries: true });
    if (seeded && !template) await migrateAndSeed(db);
    return instrument(db, { url: created.url, onClose: created.drop });
  }
  const db = await openDatabase({
    inMemory: true,
    logQueries: true,
    ...(seeded ? { loadDataDir: await pgliteTemplate() } : {}),
    ...(workerAssets ? { pgliteAssets: { pgliteWasmModule: workerAssets.pgliteWasmModule, fsBundle: workerAssets.fsBundle } } : {}),
  });
  return instrument(db);
}
