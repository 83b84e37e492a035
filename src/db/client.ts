import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { acquireDirLock, type DirLock } from './dir-lock.ts';
import { openPgliteSession, openPostgresSession, type SqlSession } from './sql.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** A raw SQL session for migrations and seeding; close it when done. */
  openSession(): Promise<SqlSession>;
  /** PostgreSQL only: the connection pool's state, for metrics. */
  poolStats?: () => PoolStats;
  /** PGlite only: a snapshot of the whole database (tests reuse a migrated, seeded one). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Open connections (idle + in use). */
  total: number;
  idle: number;
  /** Requests queued for a free connection. */
  waiting: number;
  max: number;
}

/** PostgreSQL pool limits; the defaults match src/config.ts. */
export interface PoolOptions {
  max?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** How many distinct statements may become named prepared statements (0: none). */
  preparedStatements?: number;
  /** PostgreSQL's plan_cache_mode for the pool's connections. */
  planCacheMode?: 'force_custom_plan' | 'auto' | 'force_generic_plan';
}

/**
 * Names for Prisma's SQL statements, so node-postgres prepares each once per connection and
 * then sends only its name and parameters; PostgreSQL skips parsing and reuses the plan. A
 * GraphQL API issues a small, fixed set of statement shapes, but clients choose their
 * selections, so the set is capped: once `max` shapes have names, new ones run unnamed (each
 * name stays prepared on every connection that ran it, so evicting one would free nothing).
 */
export function statementNames(max: number): ((query: { sql: string }) => string) | undefined {
  if (max <= 0) return undefined;
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined && names.size < max) {
      name = `cinegraph_${names.size + 1}`;
      names.set(sql, name);
    }
    // Typed as string, but the adapter hands it to pg as the query's `name`, where undefined
    // means an unnamed statement: what the adapter does when there is no generator at all.
    return name as string;
  };
}

export interface DatabaseOptions {
  /** postgres://… ; when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** Emit Prisma `query` events (statement counting in tests and benchmarks). */
  logQueries?: boolean;
  /** PGlite only: start from a dump made by `dumpDataDir()` instead of the data folder. */
  loadDataDir?: Blob;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  pool?: PoolOptions;
}

function prismaLog(logQueries: boolean | undefined) {
  return logQueries ? [{ emit: 'event' as const, level: 'query' as const }] : [];
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const {
      max = 10,
      connectTimeoutMs = 2_000,
      statementTimeoutMs = 5_000,
      preparedStatements = 200,
      planCacheMode = 'force_custom_plan',
    } = options.pool ?? {};
    // Our own pool (PrismaPg accepts one) so metrics can read its counts. The timeouts make a
    // request fail fast when PostgreSQL is down or stalled instead of queueing indefinitely:
    // connectionTimeoutMillis also bounds the wait for a free connection, statement_timeout
    // stops a runaway query on the server, query_timeout covers a server that stopped answering.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max,
      connectionTimeoutMillis: connectTimeoutMs,
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 1_000,
      keepAlive: true,
      // Only prepared statements have a plan cache, so the setting goes with them. A startup
      // parameter, so it holds from the first statement of every connection; added to any
      // `options` the URL carries (an explicit key would replace them).
      ...(preparedStatements > 0
        ? { options: [new URL(options.databaseUrl).searchParams.get('options'), `-c plan_cache_mode=${planCacheMode}`].filter(Boolean).join(' ') }
        : {}),
    });
    // An idle connection killed by a server restart emits 'error' on the pool; without a
    // listener that would crash the process. The pool drops the connection and reconnects.
    pool.on('error', () => undefined);
    const statementNameGenerator = statementNames(preparedStatements);
    const adapter = new PrismaPg(pool, statementNameGenerator ? { statementNameGenerator } : undefined);
    const prisma = new PrismaClient({ adapter, log: prismaLog(options.logQueries) });
    const url = options.databaseUrl;
    return {
      kind: 'postgres',
      prisma,
      openSession: () => openPostgresSession(url),
      poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  let lock: DirLock | undefined;
  let dataPath: string | undefined;
  if (!options.inMemory) {
    const dir = path.resolve(options.dataDir ?? './data');
    mkdirSync(dir, { recursive: true });
    // PGlite is one process's database: a second process opening the same folder would
    // corrupt it, so the folder is locked for as long as this process has it open.
    lock = await acquireDirLock(dir);
    dataPath = path.join(dir, 'pglite');
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataPath ? { dataDir: dataPath } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm, unaccent },
    });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    log: prismaLog(options.logQueries),
  });
  return {
    kind: 'pglite',
    prisma,
    openSession: async () => openPgliteSession(pglite),
    dumpDataDir: async () => (await pglite.dumpDataDir('none')) as Blob,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await lock?.release();
    },
  };
}
