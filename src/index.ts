/** The server process: configuration, database (open, migrate, seed), listening and ordered shutdown; each start-up phase is timed and logged. */
import { createServer, type ServerResponse } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import type { Redis } from 'ioredis';
import { loadConfigOrExit } from './config.ts';
import { databaseLocation, openDatabase, type Database } from './db/client.ts';
import { databaseReadiness } from './db/readiness.ts';
import { loadTemplate } from './db/template.ts';
import type { LiveTransport } from './live/transport.ts';
import { createLogger } from './logger.ts';
import { answerProbe } from './probes.ts';
import type { TrustedDocuments } from './plugins/trusted-documents.ts';
import type { Site } from './web/site.ts';
import type { CinegraphYoga } from './yoga.ts';

// performance.now() counts from the process start: this line runs once every static import has loaded.
const startedAt = performance.now();
/** Where a start-up's time went, in ms (logged with "Cinegraph listening"; docs/benchmarks.md#start-up-memory-and-the-fixed-cost-of-a-request). */
const phases: Record<string, number> = { modules: Math.round(startedAt) };
let phaseStart = performance.now();
function phaseDone(name: string) {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStart);
  phaseStart = now;
}
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);

/** starting (bound, 503 but /health) → serving → draining (/ready 503, still serving) → closing (listener closed, new requests refused). */
let phase: 'starting' | 'serving' | 'draining' | 'closing' = 'starting';
let yoga: CinegraphYoga | undefined;
let databaseReady: (() => Promise<boolean>) | undefined;
const ready = async () => phase === 'serving' && databaseReady !== undefined && (await databaseReady());
// Node checks these timeouts every connectionsCheckingInterval (30 s by default, which would let
// a trickling client stay up to that much past its deadline).
const server = createServer(
  {
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeout: Math.min(10_000, config.HTTP_REQUEST_TIMEOUT_MS),
    connectionsCheckingInterval: 1_000,
  },
  (req, res) => {
    // Until the database is ready: alive for liveness probes, not ready for anything else.
    if (phase === 'starting' || !yoga) {
      if (req.url === '/health') res.writeHead(200).end();
      else unavailable(res, 'The server is starting.');
      return;
    }
    // A request arriving on a kept-alive connection after the listener closed: refuse it and
    // close the connection, so the client retries elsewhere instead of extending shutdown.
    if (phase === 'closing') {
      unavailable(res, 'The server is shutting down.');
      return;
    }
    if (answerProbe(req, res, ready)) return;
    if (site) site.handle(req, res, () => void yoga!(req, res));
    else void yoga(req, res);
  },
);
function unavailable(res: ServerResponse, message: string) {
  res.writeHead(503, { 'content-type': 'application/json', connection: 'close', 'retry-after': '1' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE' } }] }));
}

/**
 * The port is bound before the database is opened: a port in use is then one fatal line within
 * a second, instead of a migrate + seed (≈ 14 s on a fresh folder) ending in an unhandled EADDRINUSE.
 */
async function bindPort(): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const where = `${config.HOST}:${config.PORT}`;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${config.PORT} is already in use on ${config.HOST}: stop the process using it or set PORT to a free port`
        : code === 'EACCES'
          ? `not allowed to listen on ${where}: use a port above 1023 or run with the right to bind it`
          : `cannot listen on ${where}: ${message}`;
    logger.fatal(`start-up failed: ${reason}`);
    process.exit(1);
  }
}

/**
 * What the server needs besides the database: the GraphQL layer, migrations, the seed and the
 * rest, imported after the port is bound (so /health answers while it loads). The trusted
 * documents and the web client's manifest are checked before the database is opened, so a bad
 * file is one fatal line and a new data folder is left untouched.
 */
async function loadLayer() {
  const [yogaModule, seedModule, task, rateLimit, transport, events, trusted, site] = await Promise.all([
    import('./yoga.ts'),
    import('../seed/seed.ts'),
    import('./db/task.ts'),
    import('./plugins/rate-limit.ts'),
    import('./live/transport.ts'),
    import('./events.ts'),
    import('./plugins/trusted-documents.ts'),
    import('./web/site.ts'),
  ]);
  return { ...yogaModule, ...seedModule, ...task, ...rateLimit, ...transport, ...events, ...trusted, ...site };
}
type Layer = Awaited<ReturnType<typeof loadLayer>>;

/** The folder of the built bundle, which holds the seeded database archive; undefined under tsx. */
const template = import.meta.bundleDirname;

/** Open the database; a failure (folder locked, database unreachable) is one fatal log line. */
async function openOrExit(): Promise<Database> {
  try {
    const db = await openDatabase({
      ...databaseLocation(config),
      // A new folder is unpacked from the build's migrated and seeded archive, when the start
      // would migrate and seed it anyway (not with MIGRATE_ON_START or SEED_ON_START off).
      ...(template && config.MIGRATE_ON_START && config.SEED_ON_START ? { freshFrom: () => loadTemplate(template, logger) } : {}),
      pool: {
        max: config.DB_POOL_MAX,
        connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
        preparedStatements: config.DB_PREPARED_STATEMENTS,
        planCacheMode: config.DB_PLAN_CACHE_MODE,
      },
      replicas: {
        urls: config.DATABASE_REPLICA_URLS,
        maxLagMs: config.DATABASE_REPLICA_MAX_LAG_MS,
        checkMs: config.DATABASE_REPLICA_CHECK_MS,
        readAfterWriteMs: config.DATABASE_READ_AFTER_WRITE_MS,
        onChange: ({ replica, inRotation, reason }) =>
          inRotation ? logger.info({ replica, reason }, 'read replica in rotation') : logger.warn({ replica, reason }, 'read replica out of rotation'),
      },
    });
    phaseDone('open');
    logger.info(
      { database: db.kind, dataDir: db.kind === 'pglite' ? config.DATA_DIR : undefined, dataDirState: db.dataDirState, unpacked: db.unpacked },
      'database open',
    );
    if (db.dataDirState === 'adopted') logger.info('data folder from before start-up markers: accepted (it holds applied migrations) and marked');
    return db;
  } catch (error) {
    logger.fatal({ err: error }, `start-up failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

/** Migrate and seed; a failure (an edited migration, a seed that cannot write) is one fatal log line. */
async function prepareDatabase(db: Database, layer: Layer): Promise<void> {
  try {
    if (config.MIGRATE_ON_START) await layer.migrateDatabase(db, logger);
    phaseDone('migrate');
    if (config.SEED_ON_START && (await layer.isEmpty(db.prisma))) {
      for (const report of await layer.seed(db.prisma)) logger.info(report, 'seeded empty database');
    }
    // Only now may a fresh embedded folder be trusted on later starts (src/db/data-dir.ts).
    await db.markInitialized();
    phaseDone('seed');
  } catch (error) {
    logger.fatal({ err: error }, `start-up failed: ${(error as Error).message}`);
    await db.close().catch(() => undefined);
    process.exit(1);
  }
}
function trustedDocuments(layer: Layer): TrustedDocuments | undefined {
  if (!config.TRUSTED_DOCUMENTS) return undefined;
  try {
    return layer.loadTrustedDocuments(config.TRUSTED_DOCUMENTS);
  } catch (error) {
    if (!(error instanceof layer.TrustedDocumentsError)) throw error;
    logger.fatal(`start-up failed: ${error.message}`);
    process.exit(1);
  }
}
/** The web client at `/` when it has been built (web/build.mjs runs on install and on start). */
function webSite(layer: Layer): Site | undefined {
  if (!config.WEB) return undefined;
  try {
    const site = layer.loadSite(config.WEB_DIR);
    if (!site) logger.warn({ dir: config.WEB_DIR }, 'web client not built (npm run web:build): `/` serves nothing');
    return site;
  } catch (error) {
    if (!(error instanceof layer.TrustedDocumentsError)) throw error;
    logger.fatal(`start-up failed: the web client's manifest: ${error.message}`);
    process.exit(1);
  }
}
// Early, so a stop during start-up (PID 1 in a container ignores signals without a handler) exits.
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
await bindPort();
phaseDone('bind');
const layer = await loadLayer();
const documents = trustedDocuments(layer);
const site = webSite(layer);
phaseDone('layer');
const db = await openOrExit();
await prepareDatabase(db, layer);
const rateLimitStore = layer.createRateLimitStore({
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
  // Imported only with REDIS_URL: an embedded server never loads ioredis (src/live/transport.ts).
  const { Redis: RedisClient } = await import('ioredis');
  const redis = new RedisClient(config.REDIS_URL, {
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

// Live updates (docs/live.md): the hub reads the change feed on each commit signal; the
// transport carries signals between instances (Redis, else LISTEN/NOTIFY, else in process).
const events = new layer.WriteEvents({ onError: (err) => logger.error({ err }, 'a listener of committed writes failed') });
const live = layer.createLiveHub({ prisma: db.prisma, logger, events, config });
async function connectLive(): Promise<LiveTransport> {
  try {
    return await layer.connectLiveTransport({
      hub: live,
      events,
      logger,
      channel: config.LIVE_CHANNEL,
      redisUrl: config.REDIS_URL,
      databaseUrl: config.DATABASE_URL,
    });
  } catch (error) {
    logger.fatal({ err: error }, `start-up failed: live updates cannot connect: ${(error as Error).message}`);
    redis?.disconnect();
    await db.close().catch(() => undefined);
    process.exit(1);
  }
}
const liveTransport = await connectLive();
phaseDone('connections');

yoga = layer.createCinegraphYoga({
  prisma: db.prisma,
  logger,
  graphiql: config.NODE_ENV !== 'production',
  isAcceptingTraffic: () => phase === 'serving',
  cursorSecret: config.CURSOR_SECRET,
  adminToken: config.ADMIN_TOKEN,
  readRequiresKey: config.READ_REQUIRES_KEY,
  responseCache: config.RESPONSE_CACHE
    ? {
        ttlMs: config.RESPONSE_CACHE_TTL_MS,
        maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES,
        maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
        admitAfter: config.RESPONSE_CACHE_ADMIT_AFTER,
        ...(redis ? { redis } : {}),
      }
    : undefined,
  jit: config.GRAPHQL_JIT,
  jitAfter: config.GRAPHQL_JIT_AFTER,
  sql: config.SQL_EXECUTION,
  planCache: config.PLAN_CACHE,
  database: { kind: db.kind, poolStats: db.poolStats },
  readRouting: db.replicas?.routing,
  processMetrics: true,
  metricsMaxOperations: config.METRICS_MAX_OPERATIONS,
  guard: config,
  rateLimitStore,
  trustedDocuments: documents,
  siteDocuments: site?.documents,
  events,
  live,
  liveConfig: config,
});
databaseReady = databaseReadiness(db.prisma, logger);
phaseDone('serve');
phase = 'serving';
{
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    {
      url: `http://localhost:${port}/graphql`,
      startupMs: Math.round(performance.now()),
      // What V8 may grow to: `npm start` sets it (package.json config.nodeOptions), NODE_OPTIONS overrides.
      heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 1_048_576),
      phases,
      responseCache: config.RESPONSE_CACHE ? (redis ? 'redis' : 'memory') : 'off',
      jit: config.GRAPHQL_JIT,
      sql: config.GRAPHQL_JIT && config.SQL_EXECUTION,
      planCache: config.PLAN_CACHE,
      adminToken: config.ADMIN_TOKEN ? 'set' : 'unset',
      readRequiresKey: config.READ_REQUIRES_KEY,
      rateLimit: config.RATE_LIMIT_ENABLED ? rateLimitStore.backend : 'off',
      trustedDocuments: documents?.size,
      site: site ? `http://localhost:${port}/` : 'off',
      live: liveTransport.kind,
      replicas: db.replicas?.pool.state(),
    },
    'Cinegraph listening',
  );
}

async function shutdown(signal: string) {
  if (phase === 'starting') {
    // Interrupted start-up: nothing was served. Exiting releases the data-folder lock; a fresh
    // folder stays unmarked, so the next start refuses it rather than trusting a half set-up.
    logger.warn({ signal }, 'start-up interrupted: exiting');
    process.exit(1);
  }
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
  // Open subscriptions end now with a `complete` event (clients resume elsewhere with their
  // last cursor); their connections then go idle and close like the others.
  const streams = live.subscriptions;
  live.close();
  logger.info({ streams }, 'live subscriptions ended');
  // Keep-alive connections become idle as their in-flight request completes; close each then.
  const reaper = setInterval(() => server.closeIdleConnections(), 50);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearInterval(reaper);
  logger.info({ ms: elapsed() }, 'http server closed: in-flight requests done');
  await liveTransport.close().catch((err: unknown) => logger.error({ err }, 'closing the live transport failed'));
  await db.close().catch((err: unknown) => logger.error({ err }, 'closing the database failed'));
  logger.info({ ms: elapsed() }, 'database closed');
  await rateLimitStore.close().catch((err: unknown) => logger.error({ err }, 'closing the rate-limit store failed'));
  if (redis) await redis.quit().catch(() => redis.disconnect());
  clearTimeout(timer);
  logger.info({ ms: elapsed(), forced }, 'shutdown complete');
  process.exit(forced ? 1 : 0);
}
