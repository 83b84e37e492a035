import { checkBudgets, insertDataset, quickParams, type BudgetTarget } from '../bench/budget.ts';
import { SCENARIOS } from '../bench/scenarios.ts';
import { migrate } from '../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './helpers/db.ts';
import { createClient, type Client } from './helpers/graphql.ts';

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
