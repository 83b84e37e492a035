import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { Config } from '../config.ts';
import { PrismaClient } from '../generated/prisma/client.ts';
import { dataDirPaths, DataDirError, explainOpenFailure, inspectDataDir, writeMarker, writePending, type DataDirState } from './data-dir.ts';
import { registerDirectQuery, type DirectQuery } from './direct.ts';
import { acquireDirLock, type DirLock } from './dir-lock.ts';
import type { ReadRouting, ReplicaOptions, ReplicaPool } from './replicas.ts';
import { openPgliteSession, openPostgresSession, type SqlSession } from './sql.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** A raw SQL session for migrations and seeding; close it when done. */
  openSession(): Promise<SqlSession>;
  /** PostgreSQL only: the connection pool's state, for metrics. */
  poolStats?: () => PoolStats;
  /** PostgreSQL with replicas: which client serves a request, and the replicas' rotation (src/db/replicas.ts). */
  replicas?: { routing: ReadRouting<PrismaClient>; pool: ReplicaPool };
  /** PGlite only: a snapshot of the whole database (tests reuse a migrated, seeded one; the build's archive is a gzipped one). */
  dumpDataDir?: (compression?: 'none' | 'gzip') => Promise<Blob>;
  /** PGlite in a folder: what the folder was when opened (src/db/data-dir.ts). */
  dataDirState?: DataDirState | 'adopted';
  /** PGlite in a folder that was fresh: whether it was unpacked from `freshFrom` rather than initialised empty. */
  unpacked?: boolean;
  /**
   * Call once the database is set up (migrated and, when seeding, seeded): a fresh PGlite folder
   * then gets its marker, and later starts accept it. A no-op otherwise.
   */
  markInitialized(): Promise<void>;
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

/** DB_PLAN_CACHE_MODE (src/config.ts): PostgreSQL's plan_cache_mode values, and `by_statement`. */
export type PlanCacheMode = 'by_statement' | 'force_custom_plan' | 'auto' | 'force_generic_plan';

/** PostgreSQL pool limits; the defaults match src/config.ts. */
export interface PoolOptions {
  max?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** How many distinct statements may become named prepared statements (0: none). */
  preparedStatements?: number;
  /**
   * PostgreSQL's plan_cache_mode for the pool's connections, or `by_statement`: `auto`, with
   * the statements whose plans depend on their parameters left unnamed (statementNames).
   */
  planCacheMode?: PlanCacheMode;
}

/** Longer SQL texts always run unnamed (statementNames); the longest the API sends, a search, is ~12,000 characters. */
export const MAX_NAMED_SQL_LENGTH = 32_768;

/**
 * Names for Prisma's SQL statements, so node-postgres prepares each once per connection and
 * then sends only its name and parameters; PostgreSQL skips parsing and may reuse the plan. A
 * GraphQL API issues a small, fixed set of statement shapes, but clients choose their
 * selections, so the set is capped: once `max` shapes have names, new ones run unnamed (each
 * name stays prepared on every connection that ran it, so evicting one would free nothing).
 *
 * With `planFor: 'parameters'` (DB_PLAN_CACHE_MODE=by_statement), a statement whose best plan
 * depends on its parameters' values (planSensitive) runs unnamed instead: PostgreSQL plans an
 * unnamed statement for the parameters of each execution, while a named one may settle on a
 * generic plan after five executions (plan_cache_mode=auto).
 */
export function statementNames(max: number, planFor: 'parameters' | 'any' = 'any'): ((query: { sql: string }) => string) | undefined {
  if (max <= 0) return undefined;
  const names = new Map<string, string | undefined>();
  return ({ sql }) => {
    // Text this long carries its data (an import batch's rows as a literal: src/import/bulk.ts),
    // so it is new at every execution: naming it would only hold megabytes of SQL here and a
    // prepared statement per connection on the server, and use up the names.
    if (sql.length > MAX_NAMED_SQL_LENGTH) return undefined as unknown as string;
    let name = names.get(sql);
    if (!names.has(sql) && names.size < max) {
      name = planFor === 'parameters' && planSensitive(sql) ? undefined : `cinegraph_${names.size + 1}`;
      names.set(sql, name);
    }
    // Typed as string, but the adapter hands it to pg as the query's `name`, where undefined
    // means an unnamed statement: what the adapter does when there is no generator at all.
    return name as string;
  };
}

/**
 * Whether a statement's plan should be chosen for each execution's parameters: it compares a
 * parameter by range (`<`, `>`, `BETWEEN`), pattern (`LIKE`, trigram `%`, `~`), containment or
 * text search (`@>`, `<@`, `&&`, `@@`). The selectivity of such a predicate is the parameter's
 * value — `year >= $1` keeps every film or none — and a generic plan, made for no value in
 * particular, can pick the wrong index: a filtered film list took ~4 s on its generic plan
 * against ~0.1 s planned for its values (docs/benchmarks.md). Equality on keys, `IN` lists of
 * ids and `LIMIT`/`OFFSET` (what a lookup by slug or id and its nested relations use) select
 * about as many rows whatever the values, so their generic plan is as good and saves the
 * planning: most of the database's CPU for a film detail. Errs towards sensitive: any `<`, `>`,
 * `%`, `@` or `~` outside a quoted identifier counts, so a JSON operator (`->`) only costs a
 * plan per execution.
 */
export function planSensitive(sql: string): boolean {
  const unquoted = sql.replace(/"(?:[^"]|"")*"/g, '""');
  return /[<>%@~]|&&|\b(?:I?LIKE|BETWEEN|SIMILAR)\b/i.test(unquoted);
}

export interface DatabaseOptions {
  /** postgres://… ; when absent, PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir?: string;
  /** Emit Prisma `query` events (statement counting in tests and benchmarks). */
  logQueries?: boolean;
  /** PGlite only: start from a dump made by `dumpDataDir()` instead of the data folder. */
  loadDataDir?: Blob;
  /**
   * PGlite in a folder only: when the folder is fresh (empty or absent), a dump to unpack into it
   * instead of initialising an empty database (the build's seeded archive: src/db/template.ts);
   * undefined to initialise it as usual. Not called for a folder that holds a database.
   */
  freshFrom?: () => Promise<Blob | undefined>;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /**
   * PGlite only: its WebAssembly module already compiled, and its file-system bundle already
   * read, so many databases in one process skip both (the test workers: tests/helpers/environment.cjs).
   */
  pgliteAssets?: { pgliteWasmModule: WebAssembly.Module; fsBundle: Blob };
  /** PGlite only: its buffer cache (shared_buffers) in MiB; default PGLITE_SHARED_BUFFERS_MB. */
  pgliteSharedBuffersMb?: number;
  pool?: PoolOptions;
  /** PostgreSQL only: streaming replicas for reads (DATABASE_REPLICA_URLS and its settings). */
  replicas?: Omit<ReplicaOptions, 'poolConfig'> & { readAfterWriteMs: number };
}

function prismaLog(logQueries: boolean | undefined) {
  return logQueries ? [{ emit: 'event' as const, level: 'query' as const }] : [];
}

/** Where the configured database is: DATABASE_URL, or the embedded one in DATA_DIR with its buffer cache. */
export function databaseLocation(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'PGLITE_SHARED_BUFFERS_MB'>): DatabaseOptions {
  return {
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    ...(config.PGLITE_SHARED_BUFFERS_MB ? { pgliteSharedBuffersMb: config.PGLITE_SHARED_BUFFERS_MB } : {}),
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

/**
 * node-postgres, its Prisma adapter and the replica pool, imported on first use like PGlite below:
 * an embedded server never loads them (~120 ms of every embedded start-up).
 */
async function loadPostgres() {
  const [{ default: pg }, { PrismaPg }, { ReadRouting, ReplicaPool }] = await Promise.all([
    import('pg'),
    import('@prisma/adapter-pg'),
    import('./replicas.ts'),
  ]);
  return { pg, PrismaPg, ReadRouting, ReplicaPool };
}

async function openPostgres(databaseUrl: string, options: DatabaseOptions): Promise<Database> {
  const { pg, PrismaPg, ReadRouting, ReplicaPool } = await loadPostgres();
  const { max = 10, connectTimeoutMs = 2_000, statementTimeoutMs = 5_000, preparedStatements = 200, planCacheMode = 'by_statement' } = options.pool ?? {};
  // Our own pool (PrismaPg accepts one) so metrics can read its counts. The timeouts make a
  // request fail fast when PostgreSQL is down or stalled instead of queueing indefinitely:
  // connectionTimeoutMillis also bounds the wait for a free connection, statement_timeout
  // stops a runaway query on the server, query_timeout covers a server that stopped answering.
  const poolConfig: pg.PoolConfig = {
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1_000,
    keepAlive: true,
    // Only prepared statements have a plan cache, so the setting goes with them. A startup
    // parameter, so it holds from the first statement of every connection; added to any
    // `options` the URL carries (an explicit key would replace them).
    ...(preparedStatements > 0
      ? {
          options: [new URL(databaseUrl).searchParams.get('options'), `-c plan_cache_mode=${planCacheMode === 'by_statement' ? 'auto' : planCacheMode}`]
            .filter(Boolean)
            .join(' '),
        }
      : {}),
  };
  const pool = new pg.Pool({ ...poolConfig, connectionString: databaseUrl });
  // An idle connection killed by a server restart emits 'error' on the pool; without a
  // listener that would crash the process. The pool drops the connection and reconnects.
  pool.on('error', () => undefined);
  const statementNameGenerator = statementNames(preparedStatements, planCacheMode === 'by_statement' ? 'parameters' : 'any');
  const adapter = new PrismaPg(pool, statementNameGenerator ? { statementNameGenerator } : undefined);
  const prisma = new PrismaClient({ adapter, log: prismaLog(options.logQueries) });
  // Statements beside Prisma (db/direct.ts) go to the same pool under the same names.
  const direct =
    (target: pg.Pool): DirectQuery =>
    async (sql, values) => {
      const name = statementNameGenerator?.({ sql });
      return (await target.query({ text: sql, values: values as unknown[], ...(name ? { name } : {}) })).rows as Record<string, unknown>[];
    };
  registerDirectQuery(prisma, direct(pool));
  let replicas: Database['replicas'];
  if (options.replicas && options.replicas.urls.length > 0) {
    // One statement-name generator for both clients: a statement that falls back from a replica
    // to the primary must mean the same SQL under the same name there.
    const replicaPool = new ReplicaPool(pool, { ...options.replicas, poolConfig });
    const replicaAdapter = new PrismaPg(replicaPool, statementNameGenerator ? { statementNameGenerator } : undefined);
    const replicaClient = new PrismaClient({ adapter: replicaAdapter, log: prismaLog(options.logQueries) });
    registerDirectQuery(replicaClient, direct(replicaPool));
    await replicaPool.start();
    replicas = { routing: new ReadRouting(prisma, replicaClient, options.replicas.readAfterWriteMs), pool: replicaPool };
  }
  return {
    kind: 'postgres',
    prisma,
    ...(replicas ? { replicas } : {}),
    openSession: () => openPostgresSession(databaseUrl),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    markInitialized: async () => undefined,
    async close() {
      if (replicas) {
        await replicas.routing.replica.$disconnect();
        await replicas.pool.end();
      }
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * PGlite and its Prisma adapter, imported on first use: a server on PostgreSQL never loads them
 * (their module graph and WebAssembly glue were ~38 MiB of RSS and part of every start-up).
 */
async function loadPglite() {
  const [{ PGlite }, { pg_trgm }, { unaccent }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('pglite-prisma-adapter'),
  ]);
  return { PGlite, pg_trgm, unaccent, PrismaPGlite };
}

/**
 * PGlite's buffer cache unless told otherwise (PGLITE_SHARED_BUFFERS_MB). A folder's own
 * postgresql.conf says 128 MB, PostgreSQL's default for a server, and PGlite allocates its shared
 * memory with emscripten's mmap, which zeroes all of it at every open: ~0.3 s of a 1.1 s reopen
 * (memset was 433 ms of a bare reopen's profile) and ~100 MiB of resident memory, whatever the
 * database's size. 32 MB holds the seeded and the imported 3,201-film catalogues' hot pages; a
 * page beyond it is read from the operating system's file cache (docs/operations.md#memory).
 */
export const PGLITE_SHARED_BUFFERS_MB = 32;

/** PGlite in `dataDir` (locked, checked and marked: data-dir.ts), or in memory for tests. */
async function openPglite(options: DatabaseOptions): Promise<Database> {
  const { PGlite, pg_trgm, unaccent, PrismaPGlite } = await loadPglite();
  let lock: DirLock | undefined;
  let state: DataDirState | 'adopted' | undefined;
  let unpack: Blob | undefined;
  const paths = options.inMemory ? undefined : dataDirPaths(path.resolve(options.dataDir ?? './data'));
  let pglite: PGlite;
  try {
    if (paths) {
      mkdirSync(paths.dir, { recursive: true });
      // PGlite is one process's database: a second process opening the same folder would
      // corrupt it, so the folder is locked for as long as this process has it open.
      lock = await acquireDirLock(paths.dir);
      state = await inspectDataDir(paths);
      if (state === 'fresh') await writePending(paths);
    }
    if (state === 'fresh') unpack = await options.freshFrom?.();
    const loadDataDir = options.loadDataDir ?? unpack;
    pglite = await PGlite.create({
      ...(paths ? { dataDir: paths.data } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      // PGlite's own option names: a misspelt one would be ignored silently (a spread escapes the excess-property check).
      ...(options.pgliteAssets ? { pgliteWasmModule: options.pgliteAssets.pgliteWasmModule, fsBundle: options.pgliteAssets.fsBundle } : {}),
      extensions: { pg_trgm, unaccent },
      // PGlite's own start parameters, with the buffer cache's size after them (a later -c wins).
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.pgliteSharedBuffersMb ?? PGLITE_SHARED_BUFFERS_MB}MB`],
    }).catch((error: unknown) => Promise.reject(paths ? explainOpenFailure(error, paths) : error));
  } catch (error) {
    await lock?.release();
    throw error;
  }
  if (paths && state === 'unmarked') {
    // A folder from before the marker existed: accepted if Cinegraph finished migrating it once.
    try {
      await adoptUnmarked(pglite, paths);
      state = 'adopted';
    } catch (error) {
      await pglite.close().catch(() => undefined);
      await lock?.release();
      throw error;
    }
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    log: prismaLog(options.logQueries),
  });
  registerDirectQuery(prisma, async (sql, values) => (await pglite.query<Record<string, unknown>>(sql, values as unknown[])).rows);
  return {
    kind: 'pglite',
    prisma,
    openSession: async () => openPgliteSession(pglite),
    dumpDataDir: async (compression = 'none') => (await pglite.dumpDataDir(compression)) as Blob,
    ...(state ? { dataDirState: state } : {}),
    ...(paths && unpack ? { unpacked: true } : {}),
    async markInitialized() {
      if (paths && state === 'fresh') {
        await writeMarker(paths, 'initialized');
        state = 'initialized';
      }
    },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      await lock?.release();
    },
  };
}

/**
 * Folders written before the marker existed have none. One that Cinegraph migrated at least once
 * (a finished row in Prisma's ledger) served the app before: it gets its marker now. One
 * without is an initdb that never got further (or someone else's database): refused, unchanged.
 */
async function adoptUnmarked(pglite: PGlite, paths: ReturnType<typeof dataDirPaths>): Promise<void> {
  const ledger = await pglite.query<{ found: boolean }>(`SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS found`);
  const applied = ledger.rows[0]?.found
    ? (await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM public._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL'))
        .rows[0]?.n
    : 0;
  if (!applied) {
    throw new DataDirError(
      `Refusing to start: the embedded database folder ${paths.data} has no ${paths.marker} and no applied migration, ` +
        `so it is not a database Cinegraph finished setting up. Restore it from a backup, or move it aside (mv ${paths.data} ${paths.data}.broken) to start with a fresh, seeded database.`,
    );
  }
  await writeMarker(paths, 'adopted');
}
