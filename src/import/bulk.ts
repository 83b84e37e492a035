/**
 * Multi-row INSERTs for imports: a batch of rows goes to PostgreSQL as one JSON parameter,
 * expanded by jsonb_to_recordset (JSON arrays become array columns, text becomes enums), so a
 * batch of thousands of rows is one statement with one parameter. Prisma's createManyAndReturn
 * builds and maps one parameter per cell, which profiled as most of an import's CPU time and a
 * gigabyte of garbage per 60k rows; the rows go through the same validation before either.
 */
import type { Prisma } from '../generated/prisma/client.ts';

/** Column name → its PostgreSQL type, as jsonb_to_recordset must be told. */
export type Columns = Record<string, string>;

/** Tables with an `updatedAt` that Prisma (@updatedAt), not the database, fills. */
const WITH_UPDATED_AT = new Set(['Film', 'Person', 'FilmTitle', 'Rating', 'Credit', 'Company', 'FilmCompany', 'FilmMoney']);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Inserts `rows` into `table`; returns the `returning` columns of the inserted rows in the rows'
 * order (ORDER BY the input's ordinality: PostgreSQL inserts, and returns, in that order).
 */
export async function insertRows<T extends Record<string, unknown> = { id: number }>(
  tx: Prisma.TransactionClient,
  table: string,
  columns: Columns,
  rows: Record<string, unknown>[],
  returning: string[] = ['id'],
): Promise<T[]> {
  if (rows.length === 0) return [];
  const names = Object.keys(columns);
  const stamp = WITH_UPDATED_AT.has(table);
  const sql =
    `INSERT INTO ${q(table)} (${[...names, ...(stamp ? ['updatedAt'] : [])].map(q).join(', ')}) ` +
    `SELECT ${[...names.map((n) => `x.${q(n)}`), ...(stamp ? ['now()'] : [])].join(', ')} ` +
    // ROWS FROM: WITH ORDINALITY cannot follow a column definition list directly.
    `FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (${names.map((n) => `${q(n)} ${columns[n]}`).join(', ')})) ` +
    `WITH ORDINALITY AS x(${[...names, 'ord'].map(q).join(', ')}) ORDER BY x.ord` +
    (returning.length ? ` RETURNING ${returning.map(q).join(', ')}` : '');
  const json = JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  return returning.length ? tx.$queryRawUnsafe<T[]>(sql, json) : (await tx.$executeRawUnsafe(sql, json), []);
}

export const CITATION_COLUMNS: Columns = {
  sourceId: 'int',
  kind: '"CitationKind"',
  field: 'text',
  recordFile: 'text',
  recordKey: 'text',
  recordFields: 'text[]',
  filmId: 'int',
  personId: 'int',
  creditId: 'int',
  ratingId: 'int',
  filmTitleId: 'int',
  companyId: 'int',
  filmCompanyId: 'int',
  filmMoneyId: 'int',
  releaseId: 'int',
};

export const REVISION_COLUMNS: Columns = {
  changeSetId: 'int',
  entityType: 'text',
  entityId: 'int',
  action: '"RevisionAction"',
  diff: 'jsonb',
  citationIds: 'int[]',
  revertOfId: 'int',
};
