/**
 * npm run bench:quick [-- --films 2000]
 * Seconds-long CI check of SQL statements per request (not timings): builds a generated
 * catalogue in an in-memory PGlite, runs every scenario in-process through yoga.fetch with
 * Prisma query events counted, and exits 1 when a scenario exceeds depth + 1 statements or
 * its count depends on the page size. Scenarios whose fields this build lacks are reported
 * as unavailable (they appear when the search/lists branches are merged).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { createCinegraphYoga } from '../src/yoga.ts';
import { checkBudgets, formatBudgetTable, insertDataset, quickParams } from './budget.ts';

const { values } = parseArgs({ options: { films: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' } } });
const films = Number(values.films);
const seed = Number(values.seed);

const started = performance.now();
const db = await openDatabase({ inMemory: true, logQueries: true });
let statements = 0;
db.prisma.$on('query' as never, () => void statements++);
try {
  const session = await db.openSession();
  await migrate(session);
  await insertDataset(session, { films, seed });
  const slugs = (await session.query<{ slug: string }>(`SELECT slug FROM "Film" ORDER BY id LIMIT 5`)).map((r) => r.slug);
  await session.close();
  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: createLogger('silent'), graphiql: false });
  const rows = await checkBudgets(
    {
      execute: async (body) =>
        (await yoga.fetch('http://bench.quick/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json(),
      resetStatements: () => void (statements = 0),
      statementCount: () => statements,
    },
    quickParams(slugs),
  );
  console.log(`bench:quick on ${films.toLocaleString('en')} generated films (PGlite), ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  console.log(formatBudgetTable(rows));
  const bad = rows.filter((r) => r.status === 'failed' || (r.status === 'ok' && !r.withinBudget));
  if (bad.length) {
    console.error(`\n${bad.length} scenario(s) failed or exceeded the statement budget: ${bad.map((r) => r.scenario).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
