import { createServer } from 'node:http';
import { seed, isEmpty } from '../seed/seed.ts';
import { loadConfigOrExit } from './config.ts';
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
    db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
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
const rateLimitStore = createRateLimitStore({
  points: config.RATE_LIMIT_POINTS,
  windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
  keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
  redisUrl: config.REDIS_URL,
  logger,
});
if (!(await rateLimitStore.ready())) logger.warn('Redis not reachable at start: rate limits are per process until it is');

let accepting = true;
const yoga = createCinegraphYoga({
  prisma: db.prisma,
  logger,
  graphiql: config.NODE_ENV !== 'production',
  isAcceptingTraffic: () => accepting,
  guard: config,
  rateLimitStore,
  trustedDocuments: documents,
});
const server = createServer(yoga);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    {
      url: `http://localhost:${port}/graphql`,
      startupMs: Math.round(performance.now() - startedAt),
      rateLimitStore: config.RATE_LIMIT_ENABLED ? rateLimitStore.backend : 'off',
      trustedDocuments: documents?.size,
    },
    'Cinegraph listening',
  );
});

async function shutdown(signal: string) {
  if (!accepting) return;
  accepting = false;
  logger.info({ signal }, 'shutting down: no new connections');
  const timer = setTimeout(() => {
    logger.error({ graceMs: config.SHUTDOWN_GRACE_MS }, 'grace period over: closing remaining connections');
    server.closeAllConnections();
  }, config.SHUTDOWN_GRACE_MS);
  timer.unref();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  logger.info('http server closed');
  await rateLimitStore.close();
  await db.close();
  logger.info('database closed');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
