// `npm run db:seed`: migrate-safe, idempotent load of the seed articles.
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { seed } from './seed.ts';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  for (const report of await seed(db.prisma)) log.info(report, 'seeded');
} catch (error) {
  log.error({ err: error }, 'seed failed');
  process.exitCode = 1;
} finally {
  await db.close();
}
