import { loadConfigOrExit } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { databaseLocation, openDatabase, type Database } from './client.ts';
import { migrate } from './migrate.ts';

/**
 * Shell for one-shot commands (`db:migrate`, `db:seed`): validated config, the configured
 * database, every failure reported as one log line with exit code 1, the database always closed.
 */
export async function runDatabaseTask(task: (db: Database, log: Logger) => Promise<void>): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger(config.LOG_LEVEL);
  let db: Database | undefined;
  try {
    db = await openDatabase(databaseLocation(config));
    await task(db, log);
    // A fresh embedded folder counts as set up once the command succeeded (src/db/data-dir.ts).
    await db.markInitialized();
  } catch (error) {
    log.error({ err: error }, (error as Error).message);
    process.exitCode = 1;
  } finally {
    await db?.close();
  }
}

/** Apply pending migrations over a dedicated session, logging each one. */
export async function migrateDatabase(db: Database, log: Logger): Promise<void> {
  const session = await db.openSession();
  try {
    const report = await migrate(session, { log: (m) => log.info(m) });
    log.info({ applied: report.applied.length, alreadyApplied: report.alreadyApplied.length }, 'migrations up to date');
  } finally {
    await session.close();
  }
}
