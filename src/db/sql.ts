import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The few raw-SQL operations the migration runner and seed need, over either engine.
 * Prisma's client cannot run multi-statement scripts, hence this thin layer.
 */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Run a multi-statement script (no parameters). */
  exec(sql: string): Promise<void>;
  /** Run `fn` inside one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Run `fn` while holding a lock that every other session of this database (in this or another
   * process) must wait for. PostgreSQL: a session advisory lock; PGlite: an in-process mutex,
   * since PGlite is single-process (the data-folder lock keeps other processes out).
   */
  withLock<T>(key: bigint, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

type Queryable = Pick<PGlite | Transaction, 'query' | 'exec'>;

const pgliteMutexes = new WeakMap<PGlite, Promise<unknown>>();

function pgliteSession(db: PGlite, q: Queryable = db): SqlSession {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await q.query<T>(sql, params)).rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
    transaction(fn) {
      return db.transaction((tx) => fn(pgliteSession(db, tx)));
    },
    async withLock(_key, fn) {
      const previous = pgliteMutexes.get(db) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(fn);
      pgliteMutexes.set(db, run);
      return run;
    },
    async close() {
      // The PGlite instance belongs to the Database that created this session.
    },
  };
}

export function openPgliteSession(db: PGlite): SqlSession {
  return pgliteSession(db);
}

function clientSession(client: pg.Client | pg.PoolClient, onClose: () => Promise<void>): SqlSession {
  const self: SqlSession = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(self);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    async withLock(key, fn) {
      await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]);
      }
    },
    close: onClose,
  };
  return self;
}

/** A dedicated connection (not from the app's pool) so locks and transactions stay on it. */
export async function openPostgresSession(connectionString: string): Promise<SqlSession> {
  // Imported here, so an embedded server never loads node-postgres (src/db/client.ts).
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  return clientSession(client, () => client.end());
}
