import { createServer } from 'node:http';
import { seed, isEmpty } from '../seed/seed.ts';
import { cursorSecretWarning, loadConfigOrExit } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrateDatabase } from './db/task.ts';
import { createLogger } from './logger.ts';
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
const db = await prepareDatabase();
const cursorWarning = cursorSecretWarning(config);
if (cursorWarning) logger.warn(cursorWarning);

let accepting = true;
const yoga = createCinegraphYoga({
  prisma: db.prisma,
  logger,
  graphiql: config.NODE_ENV !== 'production',
  isAcceptingTraffic: () => accepting,
  cursorSecret: config.CURSOR_SECRET,
});
const server = createServer(yoga);
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info(
    { url: `http://localhost:${port}/graphql`, startupMs: Math.round(performance.now() - startedAt) },
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
  await db.close();
  logger.info('database closed');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
