import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { seed, isEmpty } from '../seed/seed.ts';
import { cursorSecretWarning, loadConfigOrExit } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrateDatabase } from './db/task.ts';
import { createLogger } from './logger.ts';
import { createRateLimitStore } from './plugins/rate-limit.ts';
import { loadTrustedDocuments, TrustedDocumentsError, type TrustedDocuments } from './plugins/trusted-documents.ts';
import { createCinegraphYoga } from './yoga.ts';

const startedAt = performance.now();
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);

/** Open, migrate and seed; a failure (folder locked, database unreachable, edited migration) is one fatal log line. */
async function prepareDatabase(): Promise<Database> {
  let db: Database | undefined;
  try {
    db = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      pool: { max: config.DB_POOL_MAX, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS, preparedStatements: config.DB_PREPARED_STATEMENTS, planCacheMode: config.DB_PLAN_CACHE_MODE },
    });
    logger.info({ database: db.kind, dataDir: db.kind === 'pglite' ? config.DATA_DIR : undefined }, 'database open');
    if (config.MIGRATE_ON_START) await migrateDatabase(db, logger);
    if (config.SEED_ON_START && (await isEmpty(db.prisma))) {
      for (const report of await seed(db.prisma)) logger.info(report, 'seeded empty database');
    }
    return db;
  } catch (error) {
    logger.fatal({ err: error }, `start-up failed: ${(error as Error).message}`);
    await db?.close().catch(() => undefined);
    process.exit(1);
  }
}
function trustedDocuments(): TrustedDocuments | undefined {
  if (!config.TRUSTED_DOCUMENTS) return undefined;
  try {
    return loadTrustedDocuments(config.TRUSTED_DOCUMENTS);
  } catch (error) {
    if (!(error instanceof TrustedDocumentsError)) throw error;
    logger.fatal(`start-up failed: ${error.message}`);
    process.exit(1);
  }
}
const documents = trustedDocuments();
const db = await prepareDatabase();
const cursorWarning = cursorSecretWarning(config);
if (cursorWarning) logger.warn(cursorWarning);
const rateLimitStore = createRateLimitStore({
  points: config.RATE_LIMIT_POINTS,
  windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
  redisUrl: config.REDIS_URL,
  logger,
});
if (!(await rateLimitStore.ready())) logger.warn('Redis not reachable at start: rate limits are per process until it is');

/** The Redis behind the shared response cache, when REDIS_URL is set; unreachable at start-up is fatal. */
async function connectRedis(): Promise<Redis | undefined> {
  if (!config.REDIS_URL || !config.RESPONSE_CACHE) return undefined;
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_KEY_PREFIX,
    lazyConnect: true,
    // Fail a cache call fast while Redis is down (the cache then fails open) instead of queueing it.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
  });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));
  try {
    await redis.connect();
    return redis;
  } catch (error) {
    logger.fatal({ err: error }, `start-up failed: Redis at REDIS_URL is unreachable: ${(error as Error).message}`);
    redis.disconnect();
    await db.close().catch(() => undefined);
    process.exit(1);
  }
}
const redis = await connectRedis();

/** serving → draining (/ready 503, still serving) → closing (listener closed, new requests refused). */
let phase: 'serving' | 'draining' | 'closing' = 'serving';
const yoga = createCinegraphYoga({
  prisma: db.prisma,
  logger,
  graphiql: config.NODE_ENV !== 'production',
  isAcceptingTraffic: () => phase === 'serving',
  cursorSecret: config.CURSOR_SECRET,
  adminToken: config.ADMIN_TOKEN,
  responseCache: config.RESPONSE_CACHE
    ? { ttlMs: config.RESPONSE_CACHE_TTL_MS, maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES, admitAfter: config.RESPONSE_CACHE_ADMIT_AFTER, ...(redis ? { redis } : {}) }
    : undefined,
  jit: config.GRAPHQL_JIT,
  database: { kind: db.kind, poolStats: db.poolStats },
  processMetrics: true,
  guard: config,
  rateLimitStore,
  trustedDocuments: documents,
});
const server = createServer((req, res) => {
  // A request arriving on a kept-alive connection after the listener closed: refuse it and
  // close the connection, so the client retries elsewhere instead of extending shutdown.
  if (phase === 'closing') {
    res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '1' });
    res.end(JSON.stringify({ errors: [{ message: 'The server is shutting down.', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
    return;
  }
  void yoga(req, res);
});
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    {
      url: `http://localhost:${port}/graphql`,
      startupMs: Math.round(performance.now() - startedAt),
      responseCache: config.RESPONSE_CACHE ? (redis ? 'redis' : 'memory') : 'off',
      jit: config.GRAPHQL_JIT,
      mutations: config.ADMIN_TOKEN ? 'enabled' : 'disabled',
      rateLimit: config.RATE_LIMIT_ENABLED ? rateLimitStore.backend : 'off',
      trustedDocuments: documents?.size,
    },
    'Cinegraph listening',
  );
});

async function shutdown(signal: string) {
  if (phase !== 'serving') return;
  const began = performance.now();
  const elapsed = () => Math.round(performance.now() - began);
  phase = 'draining';
  logger.info({ signal, drainMs: config.SHUTDOWN_DRAIN_MS }, 'shutting down: /ready answers 503');
  let forced = false;
  const timer = setTimeout(() => {
    forced = true;
    logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'grace period over: closing remaining connections');
    server.closeAllConnections();
  }, config.SHUTDOWN_GRACE_MS);
  timer.unref();
  if (config.SHUTDOWN_DRAIN_MS > 0) await new Promise((r) => setTimeout(r, config.SHUTDOWN_DRAIN_MS));

  phase = 'closing';
  // Keep-alive connections become idle as their in-flight request completes; close each then.
  const reaper = setInterval(() => server.closeIdleConnections(), 50);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearInterval(reaper);
  logger.info({ ms: elapsed() }, 'http server closed: in-flight requests done');
  await db.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
  logger.info({ ms: elapsed() }, 'database closed');
  await rateLimitStore.close().catch((err: unknown) => logger.error({ err }, 'closing the rate-limit store failed'));
  if (redis) await redis.quit().catch(() => redis.disconnect());
  clearTimeout(timer);
  logger.info({ ms: elapsed(), forced }, 'shutdown complete');
  process.exit(forced ? 1 : 0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
