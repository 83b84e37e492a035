// `npm run db:migrate`: apply pending migrations to DATABASE_URL or the embedded database.
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './client.ts';
import { migrate } from './migrate.ts';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const session = await db.openSession();
try {
  const report = await migrate(session, { log: (m) => log.info(m) });
  log.info({ applied: report.applied.length, alreadyApplied: report.alreadyApplied.length }, 'migrations up to date');
} catch (error) {
  log.error({ err: error }, (error as Error).message);
  process.exitCode = 1;
} finally {
  await session.close();
  await db.close();
}
