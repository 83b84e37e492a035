import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { seed } from '../../seed/seed.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
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

/**
 * A PostgreSQL database of this test's own, created on the server TEST_DATABASE_URL points
 * at and dropped by `close()`. Only databases this helper created are ever dropped.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `cinegraph_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
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
  wasmModule: WebAssembly.Module;
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

/**
 * A fresh database for one test file: PGlite in memory by default, or a new PostgreSQL
 * database when TEST_DATABASE_URL is set. `seeded: false` gives an empty, unmigrated one.
 */
export async function createTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const seeded = options.seeded ?? true;
  if (onPostgres) {
    const created = await createPostgresDatabase();
    const db = await openDatabase({ databaseUrl: created.url, logQueries: true });
    if (seeded) {
      const session = await db.openSession();
      await migrate(session);
      await session.close();
      await seed(db.prisma);
    }
    return instrument(db, { url: created.url, onClose: created.drop });
  }
  const db = await openDatabase({
    inMemory: true,
    logQueries: true,
    ...(seeded ? { loadDataDir: await pgliteTemplate() } : {}),
    ...(workerAssets ? { pgliteAssets: { wasmModule: workerAssets.wasmModule, fsBundle: workerAssets.fsBundle } } : {}),
  });
  return instrument(db);
}
