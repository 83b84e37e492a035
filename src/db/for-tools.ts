import type { Config } from '../config.ts';
import { openDatabase, type Database } from './client.ts';
import { migrate } from './migrate.ts';

/**
 * The configured database (DATABASE_URL, or the embedded one in DATA_DIR) for a command-line tool
 * (`npm run keys`, `npm run ingest`), migrated as the server does at start (MIGRATE_ON_START), so
 * a tool works before the server's first start. Closed again if migrating fails.
 */
export async function openDatabaseForTool(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'MIGRATE_ON_START'>): Promise<Database> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  if (!config.MIGRATE_ON_START) return db;
  try {
    const session = await db.openSession();
    await migrate(session).finally(() => session.close());
    return db;
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
