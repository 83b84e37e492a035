// `npm run db:migrate`: apply pending migrations to DATABASE_URL or the embedded database.
import { migrateDatabase, runDatabaseTask } from './task.ts';

await runDatabaseTask(migrateDatabase);
