/**
 * `node dist/template.js`, run by `npm run build` after bundling: migrates and seeds an in-memory
 * PGlite and writes it beside the bundle as the archive a start on a new data folder unpacks
 * (src/db/template.ts).
 */
import { openDatabase } from '../src/db/client.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { writeTemplate } from '../src/db/template.ts';
import { seed } from './seed.ts';

const dir = import.meta.bundleDirname;
if (!dir) throw new Error('seed/template.ts runs from the bundle (dist/template.js): npm run build');
const db = await openDatabase({ inMemory: true });
try {
  const migrations = await readMigrations();
  const session = await db.openSession();
  try {
    await migrate(session, { migrations });
  } finally {
    await session.close();
  }
  await seed(db.prisma);
  await writeTemplate(dir, await db.dumpDataDir!('gzip'), migrations);
} finally {
  await db.close();
}
