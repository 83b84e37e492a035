import * as z from 'zod';
import { DEVELOPMENT_CURSOR_SECRET } from './pagination/secret.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be an integer between ${min} and ${max}` })
    .int()
    .min(min)
    .max(max);

const redisUrl = z.string().regex(/^rediss?:\/\//, { message: 'must be a redis:// or rediss:// URL' });

/**
 * A comma-separated list of browser origins (scheme://host[:port], as browsers send them in
 * `Origin`); `*` is refused, since allowing credentials for every origin is the hole it closes.
 */
const originList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine((origin) => URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin, {
        error: (issue) =>
          `must be comma-separated origins such as https://app.example.com (scheme, lower-case host and port only; no path, no trailing slash, no *); got ${JSON.stringify(issue.input)}`,
      }),
    ),
  );

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' });

/** Every environment variable the service reads; docs/operations.md#configuration mirrors this. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number({ message: 'must be a port number (0-65535)' }).int().min(0).max(65535).default(4000),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  MIGRATE_ON_START: bool.default(true),
  SEED_ON_START: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Optional so development needs no setup; required in production (see cursorSecretProblem).
  CURSOR_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * The whole request, headers and body, must arrive within this (the headers within the first
   * 10 s of it, or all of it when shorter): a client that trickles a request (slowloris) gets 408
   * and its connection closed. Node's defaults held such a connection 300 s. Not the response:
   * a live subscription's stream is not cut.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** How long /ready answers 503 before the listener closes, so load balancers stop routing first. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(0),

  /** Shared response cache for anonymous reads (memory, or Redis when REDIS_URL is set). */
  RESPONSE_CACHE: bool.default(true),
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(1).max(86_400_000).default(60_000),
  /** In-memory cache size (entries); ignored with Redis. */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  /** In-memory cache budget: the JSON length of the responses held (least recently used evicted past it); ignored with Redis. Sized to fit the heap limit `npm start` sets (docs/operations.md#memory). */
  RESPONSE_CACHE_MAX_BYTES: int(65_536, 4_294_967_296).default(8 * 1_048_576),
  /** Requests of one operation (query + variables) before its result is stored; 1 stores every miss. */
  RESPONSE_CACHE_ADMIT_AFTER: z.coerce.number().int().min(1).max(10).default(2),
  /** `max-age` of successful anonymous GET queries (persisted ones above all): how long a browser or CDN may reuse one (docs/caching.md#http-caching-for-get). */
  HTTP_CACHE_MAX_AGE_SECONDS: int(0, 31_536_000).default(60),
  /** `stale-while-revalidate` of the same responses: how long past max-age a cache may answer while it refetches; 0 leaves it out. */
  HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS: int(0, 31_536_000).default(60),
  /** Redis for the shared response cache and the rate-limit store (one Redis serves both). */
  REDIS_URL: redisUrl.optional(),
  /** Namespace of the cache's keys, so several deployments (or tests) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('cinegraph:response-cache:'),
  /** graphql-jit compiled execution of hot query documents (see docs/caching.md#graphql-jit for the measurement behind the default). */
  GRAPHQL_JIT: bool.default(true),
  /** Executions of a query document before it runs compiled (1: from the first); a document named by id runs compiled from the first. */
  GRAPHQL_JIT_AFTER: int(1, 1000).default(2),
  /** With GRAPHQL_JIT: hot documents whose fields all have SQL run as one statement building the response's JSON (docs/caching.md#sql-execution). */
  SQL_EXECUTION: bool.default(true),
  /** Reuse the Prisma selection plan of a field across requests of the same document and nested variables (docs/caching.md#plan-cache); false plans every request anew. */
  PLAN_CACHE: bool.default(true),
  /**
   * Bootstrap credential: `Authorization: Bearer <ADMIN_TOKEN>` acts with every scope (actor
   * "admin-token"), e.g. to create the first API key with `createApiKey`. Unset: only API keys
   * (`npm run keys`) authorize writes. docs/writing.md#api-keys.
   */
  ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** Every query field then needs an API key with the `read` scope (write and admin keys have it); default: reads are public. */
  READ_REQUIRES_KEY: bool.default(false),

  /** Embedded PGlite only: its buffer cache (shared_buffers) in MiB; unset: src/db/client.ts PGLITE_SHARED_BUFFERS_MB (32). */
  PGLITE_SHARED_BUFFERS_MB: int(1, 1024).optional(),
  /** PostgreSQL only: connections in the pool. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(1_000).default(10),
  /** PostgreSQL only: give up opening a connection after this long (also bounds waiting for a free one). */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
  /** PostgreSQL only: server-side statement_timeout and client-side query timeout. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /**
   * PostgreSQL only: the first N distinct SQL statements become named prepared statements on
   * each pooled connection (sent and parsed once, then run by name); later ones run
   * unnamed. 0 turns it off (e.g. behind a pgbouncer in transaction mode before 1.21).
   */
  DB_PREPARED_STATEMENTS: z.coerce.number().int().min(0).max(10_000).default(200),
  /**
   * PostgreSQL only, with DB_PREPARED_STATEMENTS > 0: how prepared statements are planned.
   * by_statement (default): plan_cache_mode=auto, and statements whose plans depend on their
   * parameters (ranges, patterns: src/db/client.ts planSensitive) run unnamed, planned for each
   * execution's values; lookups by key may settle on one generic plan, which saved ~70 % of the
   * database's CPU per film detail. force_custom_plan plans every execution (as before
   * December 2); auto and force_generic_plan let PostgreSQL reuse generic plans for every named
   * statement, which took a filtered film list from 130 ms to 3.8 s (docs/benchmarks.md).
   */
  DB_PLAN_CACHE_MODE: z.enum(['by_statement', 'force_custom_plan', 'auto', 'force_generic_plan']).default('by_statement'),
  /**
   * PostgreSQL only: streaming replicas for reads, comma-separated postgres:// URLs (src/db/replicas.ts).
   * Queries go to a healthy replica; mutations, subscriptions and the queries of a client that
   * wrote within DATABASE_READ_AFTER_WRITE_MS go to DATABASE_URL.
   */
  DATABASE_REPLICA_URLS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .pipe(z.array(postgresUrl))
    .default([]),
  /** A replica whose replay is behind the primary and older than this is out of rotation until it catches up. */
  DATABASE_REPLICA_MAX_LAG_MS: int(0, 3_600_000).default(5_000),
  /** How often each replica's health and lag are checked. */
  DATABASE_REPLICA_CHECK_MS: int(100, 600_000).default(1_000),
  /** After a write, the same client's (API key's) queries read from the primary for this long. */
  DATABASE_READ_AFTER_WRITE_MS: int(0, 3_600_000).default(10_000),

  // Abuse limits (docs/guards.md#limits): every one is checked before any SQL runs.
  MAX_DEPTH: int(1, 100).default(10),
  MAX_ALIASES: int(0, 1_000).default(30),
  MAX_TOKENS: int(10, 100_000).default(2_000),
  MAX_DIRECTIVES: int(0, 1_000).default(20),
  /** Fields of an operation with its fragment spreads expanded; as many as MAX_TOKENS lets a fragment-free document have. */
  MAX_SELECTIONS: int(1, 1_000_000).default(2_000),
  MAX_DOCUMENT_BYTES: int(100, 1_000_000).default(20_000),
  MAX_BODY_BYTES: int(1_000, 10_000_000).default(100_000),
  MAX_COST: int(1, 10_000_000).default(5_000),
  RATE_LIMIT_ENABLED: bool.default(true),
  RATE_LIMIT_POINTS: int(1, 1_000_000_000).default(50_000),
  RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).max(100).default('cinegraph:rl'),
  TRUST_PROXY: int(0, 10).default(0),
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  APQ_CACHE_SIZE: int(0, 1_000_000).default(1_000),
  /**
   * The web client at `/` (docs/web.md): served from WEB_DIR when it holds a build (web/build.mjs);
   * its operations' manifest joins the persisted documents (with TRUSTED_DOCUMENTS, the trusted set).
   */
  WEB: bool.default(true),
  WEB_DIR: z.string().min(1).default('web/dist'),

  // HTTP surface (docs/guards.md#limits, docs/operations.md#configuration).
  /**
   * Introspection and graphql-js "Did you mean …?" suggestions, one decision: the schema is public
   * (schema.graphql is committed and docs/api.md documents every field), so hiding it buys nothing and
   * breaks GraphiQL and codegen; false turns both off for deployments that want it unlisted.
   */
  INTROSPECTION: bool.default(true),
  /** Origins whose browsers may send credentials (Authorization, x-api-key, cookies); others get `*` without them. */
  CORS_ORIGINS: originList.default([]),
  /** Accept form-encoded and multipart POSTs, which browsers send cross-site without a CORS preflight. */
  ALLOW_FORM_POSTS: bool.default(false),
  /**
   * /metrics: distinct operation names that get a label of their own (the first ones seen);
   * later names count under "other", so clients cannot grow the metrics without bound. With
   * TRUSTED_DOCUMENTS only the manifest's operation names are labelled.
   */
  METRICS_MAX_OPERATIONS: int(0, 10_000).default(100),

  // Live updates: subscriptions over SSE (docs/live.md#settings).
  /** Open subscriptions in one process; the next is refused with TOO_MANY_SUBSCRIPTIONS. */
  LIVE_MAX_SUBSCRIPTIONS: int(0, 1_000_000).default(10_000),
  /** Open subscriptions of one client (API key, else IP) in one process. */
  LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: int(0, 100_000).default(20),
  /** An SSE comment line (`:`) on every open stream this often, so proxies keep idle streams open. */
  LIVE_HEARTBEAT_SECONDS: int(1, 3_600).default(15),
  /** Read the change feed this often even without a commit signal (a lost signal delays events by at most this); 0: never. */
  LIVE_POLL_SECONDS: int(0, 3_600).default(5),
  /** Redis pub/sub channel (with REDIS_URL) or PostgreSQL NOTIFY channel (a lower-case identifier) that carries commit positions between instances. */
  LIVE_CHANNEL: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case identifier (a-z, 0-9, _; at most 63 characters)' })
    .default('cinegraph_live'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** For entry points: the parsed config, or the ConfigError message on stderr and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/** Parse the environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Treat empty strings as unset, as shells and compose files often export VAR= .
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const problem = cursorSecretProblem(parsed.data);
  if (problem) throw new ConfigError(`Invalid configuration:\n  CURSOR_SECRET: ${problem}`);
  if (parsed.data.DATABASE_REPLICA_URLS.length > 0 && !parsed.data.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_REPLICA_URLS: needs DATABASE_URL (the primary); the embedded database has no replicas');
  }
  return parsed.data;
}

/**
 * Production refuses to start without its own cursor key: with the public development key
 * (README) anyone can sign cursors. Refused rather than generated, because every instance behind
 * a load balancer must share the key to accept the others' cursors, and a generated one would
 * differ per instance (and change with every new PGlite folder or container).
 */
export function cursorSecretProblem(config: Pick<Config, 'NODE_ENV' | 'CURSOR_SECRET'>): string | undefined {
  if (config.NODE_ENV !== 'production') return undefined;
  if (!config.CURSOR_SECRET) {
    return 'required when NODE_ENV=production: without it cursors are signed with the public development key and clients can forge them. Set a random string of at least 16 characters (e.g. `openssl rand -hex 32`), the same on every instance';
  }
  if (config.CURSOR_SECRET === DEVELOPMENT_CURSOR_SECRET) return 'is the public development key; production needs a secret of its own';
  return undefined;
}
