import type { Config } from '../config.ts';
import { databaseLocation, openDatabase, type Database, type PoolOptions } from './client.ts';
import { migrate } from './migrate.ts';

/**
 * The configured database (DATABASE_URL, or the embedded one in DATA_DIR) for a command-line tool
 * (`npm run keys`, `npm run ingest`), migrated as the server does at start (MIGRATE_ON_START), so
 * a tool works before the server's first start. Closed again if migrating fails. `pool` overrides
 * the server's pool defaults (an import's batch statements may take longer than a request's).
 */
export async function openDatabaseForTool(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'MIGRATE_ON_START' | 'PGLITE_SHARED_BUFFERS_MB'>,
  pool?: PoolOptions,
): Promise<Database> {
  const db = await openDatabase({ ...databaseLocation(config), ...(pool ? { pool } : {}) });
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
