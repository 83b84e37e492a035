/**
 * npm run bench:quick [-- --films 2000 | --database-url postgres://…/db]
 * Seconds-long CI check of SQL statements per request (not timings): builds a generated
 * catalogue in an in-memory PGlite (or, with --database-url, reads an existing database such as
 * one an IMDb import filled, migrating it first), runs every scenario in-process through yoga.fetch with
 * Prisma query events counted, and exits 1 when a scenario exceeds depth + 1 statements or
 * its count depends on the page size. Scenarios whose fields this build lacks are reported
 * as unavailable (they appear when the search/lists branches are merged).
 */
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.ts';
import { onDirectStatement } from '../src/db/direct.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { createCinegraphYoga } from '../src/yoga.ts';
import { checkBudgets, formatBudgetTable, insertDataset, quickParams } from './budget.ts';

const { values } = parseArgs({
  options: { films: { type: 'string', default: '2000' }, seed: { type: 'string', default: '1' }, 'database-url': { type: 'string' } },
});
const databaseUrl = values['database-url'];
const films = Number(values.films);
const seed = Number(values.seed);

const started = performance.now();
const db = await openDatabase(databaseUrl ? { databaseUrl, logQueries: true } : { inMemory: true, logQueries: true });
let statements = 0;
db.prisma.$on('query' as never, () => void statements++);
onDirectStatement(db.prisma, () => void statements++);
try {
  const session = await db.openSession();
  await migrate(session);
  if (!databaseUrl) await insertDataset(session, { films, seed });
  // An existing catalogue: its five most-credited films (the widest details), searched by their
  // titles' first four letters; a generated one: its first five, and the generator's prefixes.
  const films5 = await session.query<{ slug: string; title: string }>(
    databaseUrl
      ? `SELECT f.slug, f.title FROM "Film" f JOIN (SELECT "filmId", count(*) AS n FROM "Credit" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5) c ON c."filmId" = f.id ORDER BY c.n DESC, f.id`
      : `SELECT slug, title FROM "Film" ORDER BY id LIMIT 5`,
  );
  const params = quickParams(films5.map((f) => f.slug)).map((p, i) => (databaseUrl ? { ...p, prefix: films5[i]!.title.slice(0, 4) } : p));
  await session.close();
  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: createLogger('silent'), graphiql: false });
  const rows = await checkBudgets(
    {
      execute: async (body) =>
        (await yoga.fetch('http://bench.quick/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json(),
      resetStatements: () => void (statements = 0),
      statementCount: () => statements,
    },
    params,
  );
  const what = databaseUrl
    ? `the ${(await db.prisma.film.count()).toLocaleString('en')} films of ${new URL(databaseUrl).pathname.slice(1)} (PostgreSQL)`
    : `${films.toLocaleString('en')} generated films (PGlite)`;
  console.log(`bench:quick on ${what}, ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  console.log(formatBudgetTable(rows));
  const bad = rows.filter((r) => r.status === 'failed' || (r.status === 'ok' && !r.withinBudget));
  if (bad.length) {
    console.error(`\n${bad.length} scenario(s) failed or exceeded the statement budget: ${bad.map((r) => r.scenario).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
