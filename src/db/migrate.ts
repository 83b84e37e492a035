import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlSession } from './sql.ts';

/** prisma/migrations, resolved from this file so the CLI works from any cwd. */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

// Arbitrary constant: every Cinegraph process takes this advisory lock to migrate.
const MIGRATION_LOCK_KEY = 0x43494e454752n; // "CINEGR"

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Prisma Migrate's checksum: SHA-256 of migration.sql, hex. */
export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(); // Prisma orders by folder name: a UTC timestamp prefix.
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

// Prisma Migrate's own ledger table, column for column, so `prisma migrate status` and
// `prisma migrate deploy` see migrations applied by this runner as their own.
const LEDGER_DDL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

interface LedgerRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Apply pending migrations in name order, each in its own transaction, under a lock shared
 * by every process, recording each in `_prisma_migrations` like `prisma migrate deploy`.
 * Refuses to run when an applied migration's file has changed or an earlier attempt failed.
 */
export async function migrate(session: SqlSession, options: { migrations?: MigrationFile[]; log?: (message: string) => void } = {}): Promise<MigrationReport> {
  const migrations = options.migrations ?? (await readMigrations());
  const log = options.log ?? (() => undefined);

  return session.withLock(MIGRATION_LOCK_KEY, async () => {
    await session.exec(LEDGER_DDL);
    const rows = await session.query<LedgerRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at
         FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const applied = new Map<string, LedgerRow>();
    for (const row of rows) {
      if (row.rolled_back_at) continue;
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed or was interrupted in an earlier run and is ` +
            'recorded as unfinished in _prisma_migrations. Fix the database by hand, then mark it ' +
            `with \`prisma migrate resolve --rolled-back ${row.migration_name}\` (or delete that ledger row).`,
        );
      }
      applied.set(row.migration_name, row);
    }

    const byName = new Map(migrations.map((m) => [m.name, m]));
    for (const [name, row] of applied) {
      const file = byName.get(name);
      if (!file) {
        log(`migration ${name} is applied in the database but missing from prisma/migrations`);
        continue;
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `Migration ${name} was modified after it was applied ` +
            `(applied checksum ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
            'Restore the original migration.sql and put the change in a new migration.',
        );
      }
    }

    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        report.alreadyApplied.push(migration.name);
        continue;
      }
      const started = Date.now();
      await session.transaction(async (tx) => {
        const id = randomUUID();
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        try {
          await tx.exec(migration.sql);
        } catch (error) {
          throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
        }
        await tx.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
      });
      log(`applied migration ${migration.name} in ${Date.now() - started} ms`);
      report.applied.push(migration.name);
    }
    return report;
  });
}
