// `npm run db:seed`: apply pending migrations, then the idempotent load of the seed articles.
import { migrateDatabase, runDatabaseTask } from '../src/db/task.ts';
import { seed } from './seed.ts';

await runDatabaseTask(async (db, log) => {
  await migrateDatabase(db, log);
  for (const report of await seed(db.prisma)) log.info(report, 'seeded');
});
