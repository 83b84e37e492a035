import type { SqlSession } from '../src/db/sql.ts';
import { COLUMNS, filmRows, peopleRows, publicationRows, TABLES, type DatasetOptions, type Row, type TableName } from './generate.ts';
import { PREFIXES } from './params.ts';
import { SCENARIOS, type Params, type Scenario } from './scenarios.ts';

/**
 * The statement-budget check behind `npm run bench:quick` and tests/bench/quick.test.ts: every
 * benchmark scenario, run in-process against a small generated catalogue, must issue at most
 * depth + 1 SQL statements, and the same number at page size 3 as at its default page size.
 */

/** Insert the generated catalogue with multi-row INSERTs (works on PGlite, which has no COPY FROM STDIN). */
export async function insertDataset(session: SqlSession, opts: DatasetOptions): Promise<void> {
  const buffers = new Map<TableName, Row[]>(TABLES.map((t) => [t, []]));
  const flush = async (table: TableName) => {
    const rows = buffers.get(table)!;
    if (rows.length === 0) return;
    const cols = COLUMNS[table];
    const params: unknown[] = [];
    const tuples = rows.map((row) => `(${row.map((value) => (params.push(value), `$${params.length}`)).join(', ')})`);
    await session.query(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, params);
    rows.length = 0;
  };
  const add = async (table: TableName, row: Row) => {
    const rows = buffers.get(table)!;
    rows.push(row);
    // Stay well under PostgreSQL's 65,535 bind parameters per statement; flush every table,
    // parents first, so a child row never arrives before the film it references.
    if (rows.length * COLUMNS[table].length > 20_000) for (const t of TABLES) await flush(t);
  };
  for (const row of peopleRows(opts)) await add('Person', row);
  await flush('Person');
  for (const row of publicationRows()) await add('Publication', row);
  await flush('Publication');
  for (const f of filmRows(opts)) {
    await add('Film', f.film);
    for (const r of f.credits) await add('Credit', r);
    for (const r of f.reviews) await add('Review', r);
    for (const r of f.releases) await add('Release', r);
  }
  for (const t of TABLES) await flush(t);
  for (const t of TABLES) await session.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), (SELECT max(id) FROM "${t}"))`);
}

export interface BudgetRow {
  scenario: string;
  /** ok: measured; unavailable: the API of this build lacks the scenario's fields (e.g. before a merge); failed: other errors. */
  status: 'ok' | 'unavailable' | 'failed';
  error?: string;
  budget: number;
  statements?: number;
  statementsAtPageSize3?: number;
  withinBudget?: boolean;
}

export interface BudgetTarget {
  /** Run one GraphQL request; returns its parsed JSON body. */
  execute(body: string): Promise<unknown>;
  resetStatements(): void;
  statementCount(): number;
}

/** Parameter sets from the quick catalogue: the first few films by id, common genres and prefixes. */
export function quickParams(slugs: string[]): Params[] {
  return slugs.map((slug, i) => ({ slug, yearFrom: 1960 + (i % 5) * 10, yearTo: 2025, genre: 'Drama', prefix: PREFIXES[i % PREFIXES.length]!, pageSize: 0 }));
}

function isUnavailable(json: unknown): boolean {
  const errors = (json as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ?? [];
  // Only schema-shape errors (unknown field or argument) mean "not in this build"; anything else is a failure.
  return (
    errors.length > 0 &&
    errors.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && /Cannot query field|Unknown argument|Unknown type|is not defined/.test(e.message))
  );
}

async function measure(target: BudgetTarget, scenario: Scenario, params: Params[], pageSize: number): Promise<number> {
  const build = scenario.request.cinegraph;
  if ('unavailable' in build) throw new Error(build.unavailable);
  let worst = 0;
  for (const p of params) {
    const req = build({ ...p, pageSize });
    if (req.method !== 'POST') throw new Error('Cinegraph scenarios are GraphQL requests');
    target.resetStatements();
    const json = await target.execute(req.body);
    scenario.check('cinegraph', json);
    worst = Math.max(worst, target.statementCount());
  }
  return worst;
}

/** Worst statement count over `params` for each scenario, at its default page size and at 3. */
export async function checkBudgets(target: BudgetTarget, params: Params[], scenarios: Scenario[] = SCENARIOS): Promise<BudgetRow[]> {
  const rows: BudgetRow[] = [];
  for (const scenario of scenarios) {
    const budget = scenario.depth + 1;
    const build = scenario.request.cinegraph;
    if ('unavailable' in build) {
      rows.push({ scenario: scenario.name, status: 'unavailable', error: build.unavailable, budget });
      continue;
    }
    const first = build({ ...params[0]!, pageSize: scenario.defaultPageSize });
    const probe = first.method === 'POST' ? await target.execute(first.body) : undefined;
    if (isUnavailable(probe)) {
      const message = (probe as { errors: { message: string }[] }).errors.map((e) => e.message).join('; ');
      rows.push({ scenario: scenario.name, status: 'unavailable', error: message, budget });
      continue;
    }
    try {
      const statements = await measure(target, scenario, params, scenario.defaultPageSize);
      const statementsAtPageSize3 = scenario.defaultPageSize > 3 ? await measure(target, scenario, params, 3) : statements;
      rows.push({
        scenario: scenario.name,
        status: 'ok',
        budget,
        statements,
        statementsAtPageSize3,
        withinBudget: statements <= budget && statementsAtPageSize3 === statements,
      });
    } catch (error) {
      rows.push({ scenario: scenario.name, status: 'failed', error: (error as Error).message, budget });
    }
  }
  return rows;
}

export function formatBudgetTable(rows: BudgetRow[]): string {
  const lines = ['scenario  status       budget  statements  at page size 3  verdict'];
  for (const r of rows) {
    const verdict = r.status !== 'ok' ? (r.error ?? '') : r.withinBudget ? 'ok' : 'OVER BUDGET or page-size dependent';
    lines.push(
      `${r.scenario.padEnd(9)} ${r.status.padEnd(12)} ${String(r.budget).padStart(6)}  ${String(r.statements ?? '–').padStart(10)}  ${String(r.statementsAtPageSize3 ?? '–').padStart(14)}  ${verdict}`,
    );
  }
  return lines.join('\n');
}
