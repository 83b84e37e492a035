import { checkBudgets, insertDataset, quickParams, type BudgetTarget } from '../../bench/budget.ts';
import { filmRows } from '../../bench/generate.ts';
import { SCENARIOS } from '../../bench/scenarios.ts';
import { summarizeRss } from '../../bench/stats.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createClient, type Client } from '../helpers/graphql.ts';

// The core of `npm run bench:quick`: the benchmark scenarios, on a generated catalogue, must
// stay within depth + 1 SQL statements whatever their page size.
let db: TestDatabase;
let client: Client;
let target: BudgetTarget;
let slugs: string[];

beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
  const session = await db.openSession();
  await migrate(session);
  await insertDataset(session, { films: 300, seed: 1 });
  slugs = (await session.query<{ slug: string }>(`SELECT slug FROM "Film" ORDER BY id LIMIT 3`)).map((r) => r.slug);
  await session.close();
  client = createClient(db);
  target = {
    execute: async (body) =>
      (await client.yoga.fetch('http://bench.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json(),
    resetStatements: () => void db.resetStatements(),
    statementCount: () => db.statements.length,
  };
});
afterAll(() => db?.close());

test('every benchmark scenario this build serves issues at most depth + 1 statements, the same at page size 3 as at its default', async () => {
  const rows = await checkBudgets(target, quickParams(slugs));
  expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
  // typename and film detail exist in every build; films/search arrive with the lists/search branches
  expect(rows.filter((r) => r.status === 'ok').map((r) => r.scenario)).toEqual(expect.arrayContaining(['typename', 'film']));
  for (const row of rows.filter((r) => r.status === 'ok')) {
    expect({ scenario: row.scenario, withinBudget: row.statements! <= row.budget, pageSizeIndependent: row.statementsAtPageSize3 === row.statements }).toEqual({
      scenario: row.scenario,
      withinBudget: true,
      pageSizeIndependent: true,
    });
  }
  expect(rows.find((r) => r.scenario === 'typename')!.statements).toBe(0);
});

test('a scenario that reads the database with a budget of zero statements is reported over budget', async () => {
  const film = SCENARIOS.find((s) => s.name === 'film')!;
  const [row] = await checkBudgets(target, quickParams(slugs), [{ ...film, depth: -1 }]);
  expect(row).toMatchObject({ scenario: 'film', status: 'ok', budget: 0, withinBudget: false });
  expect(row!.statements).toBeGreaterThan(0);
});

test("the generator's derived Film columns are the aggregates the database's triggers maintain (the bulk loader writes them with the triggers off)", async () => {
  const session = await db.openSession();
  const aggregates = `SELECT f.id,
      (SELECT AVG(r."normalizedScore")::double precision FROM "Review" r WHERE r."filmId" = f.id AND r."normalizedScore" IS NOT NULL) AS "criticScoreAverage",
      (SELECT to_char(MIN(r.date), 'YYYY-MM-DD') FROM "Release" r WHERE r."filmId" = f.id) AS "firstReleaseDate"
    FROM "Film" f ORDER BY f.id`;
  // insertDataset INSERTs with the triggers on, so the stored columns are the triggers' own values.
  const stored = `SELECT id, "criticScoreAverage", to_char("firstReleaseDate", 'YYYY-MM-DD') AS "firstReleaseDate" FROM "Film" ORDER BY id`;
  type Derived = { id: number; criticScoreAverage: number | null; firstReleaseDate: string | null };
  const [computed, kept] = [await session.query<Derived>(aggregates), await session.query<Derived>(stored)];
  await session.close();
  const generated = [...filmRows({ films: 300, seed: 1 })].map(
    ({ film }) => ({ id: film[0], criticScoreAverage: film[9], firstReleaseDate: film[10] }) as Derived,
  );
  const rounded = (rows: Derived[]) =>
    rows.map((f) => ({ ...f, criticScoreAverage: f.criticScoreAverage === null ? null : Number(f.criticScoreAverage.toFixed(9)) }));
  expect(generated.length).toBe(300);
  expect(generated.filter((f) => f.criticScoreAverage === null).length).toBeGreaterThan(0);
  expect(rounded(generated)).toEqual(rounded(computed));
  expect(rounded(kept)).toEqual(rounded(computed));
});

test('RSS flatness is judged after the heap settles: a cold-start ramp then a flat line passes, a slow leak fails', () => {
  // 10 minutes at one sample per second: 300 → 600 MiB in the first 40 s, then 600 ± 12.
  const flat = Array.from({ length: 601 }, (_, s) => (s < 40 ? 300 + (300 * s) / 40 : 600 + (s % 2 ? 12 : -12)));
  const summary = summarizeRss(flat, 1)!;
  expect(summary.spreadPercent).toBeGreaterThan(90);
  expect(summary.settledAfterSeconds).toBe(60);
  expect(summary.settledMeanMiB).toBe(600);
  expect(summary.settledSpreadPercent).toBe(2);
  // A leak of 0.5 MiB/s after the same ramp: +270 MiB over the settled window.
  const leak = flat.map((v, s) => (s < 40 ? v : v + (s - 40) * 0.5));
  expect(summarizeRss(leak, 1)!.settledSpreadPercent).toBeGreaterThan(10);
});
