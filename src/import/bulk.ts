/**
 * Multi-row INSERTs for imports: a batch of rows goes to PostgreSQL as one JSON parameter,
 * expanded by jsonb_to_recordset (JSON arrays become array columns, text becomes enums), so a
 * batch of thousands of rows is one statement with one parameter. Prisma's createManyAndReturn
 * builds and maps one parameter per cell, which profiled as most of an import's CPU time and a
 * gigabyte of garbage per 60k rows; the rows go through the same validation before either.
 * Also what both importers' batches share: their citations in one INSERT (Revisions), free slugs
 * for many new rows from one query, Map.groupBy; and the IMDb importer's new rows with their
 * citations and revisions in one statement (insertCreated).
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { RevisionAction } from '../generated/prisma/enums.ts';
import type { Change, ImportWriter } from './writer.ts';

/** Column name → its PostgreSQL type, as jsonb_to_recordset must be told. */
export type Columns = Record<string, string>;

/** Tables with an `updatedAt` that Prisma (@updatedAt), not the database, fills. */
const WITH_UPDATED_AT = new Set(['Film', 'Person', 'FilmTitle', 'Rating', 'Credit', 'Company', 'FilmCompany', 'FilmMoney', 'Release']);

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * `text` as a dollar-quoted SQL literal, its tag one the text does not contain. A batch's rows go
 * in the statement's text, not as a parameter: Prisma serializes a raw query's parameters to JSON
 * and parses them back before the driver sees them, which for a batch's megabytes of JSON cost
 * more client CPU than building it (docs/importing.md#speed); the statement's text is passed as is.
 */
export function literal(text: string): string {
  let tag = 'rows';
  for (let n = 0; text.includes(`$${tag}$`); n++) tag = `rows${n}`;
  return `$${tag}$${text}$${tag}$`;
}

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
  const json = JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  const stamp = WITH_UPDATED_AT.has(table);
  const sql =
    `INSERT INTO ${q(table)} (${[...names, ...(stamp ? ['updatedAt'] : [])].map(q).join(', ')}) ` +
    `SELECT ${[...names.map((n) => `x.${q(n)}`), ...(stamp ? ['now()'] : [])].join(', ')} ` +
    // ROWS FROM: WITH ORDINALITY cannot follow a column definition list directly.
    `FROM ROWS FROM (jsonb_to_recordset(${literal(json)}::jsonb) AS (${names.map((n) => `${q(n)} ${columns[n]}`).join(', ')})) ` +
    `WITH ORDINALITY AS x(${[...names, 'ord'].map(q).join(', ')}) ORDER BY x.ord`;
  if (returning.length === 0) return (await tx.$executeRawUnsafe(sql), []);
  // The returned rows as one JSON text, parsed here: Prisma converts a raw result cell by cell,
  // which for thousands of rows cost more client CPU than the INSERT's own statement. json_agg
  // reads the CTE in the order RETURNING produced it.
  const list = returning.map(q).join(', ');
  const [{ rows: text }] = await tx.$queryRawUnsafe<[{ rows: string }]>(
    `WITH ins AS (${sql} RETURNING ${list}) SELECT coalesce(json_agg(json_build_array(${list})), '[]')::text AS rows FROM ins`,
  );
  return (JSON.parse(text) as unknown[][]).map((values) => Object.fromEntries(returning.map((name, i) => [name, values[i]])) as T);
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

/** Citation rows in one INSERT; ids in the rows' order. */
export async function cite(tx: Prisma.TransactionClient, rows: Prisma.CitationCreateManyInput[]): Promise<number[]> {
  if (rows.length === 0) return [];
  return (await insertRows(tx, 'Citation', CITATION_COLUMNS, rows)).map((c) => c.id);
}

/** Map.groupBy (Node 21+; the project runs on Node 20). */
export function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Slugs of `table` starting with any of `bases` (one query; slugs are [a-z0-9-], escaped anyway). */
export async function slugsStartingWith(tx: Prisma.TransactionClient, table: 'Film' | 'Person' | 'Company', bases: string[]): Promise<Set<string>> {
  if (bases.length === 0) return new Set();
  const patterns = [...new Set(bases)].map((b) => `${b.replace(/[\\%_]/g, '\\$&')}%`);
  const rows = await tx.$queryRawUnsafe<{ slug: string }[]>(`SELECT slug FROM ${q(table)} WHERE slug LIKE ANY($1::text[])`, patterns);
  return new Set(rows.map((r) => r.slug));
}

/** The first of `base`, `...extra`, `base-2`, `base-3`… not in `taken`, which it is then added to. */
export function freeSlug(base: string, taken: Set<string>, extra: string[] = []): string {
  const candidates = [base, ...extra];
  for (let n = 2; candidates.every((c) => taken.has(c)); n++) candidates.push(`${base}-${n}`);
  const slug = candidates.find((c) => !taken.has(c))!;
  taken.add(slug);
  return slug;
}

/**
 * Revisions whose citations go in together: a batch collects each entity's revision with its
 * citation rows, and `flush` inserts every citation in one statement and hands the revisions,
 * with their citations' ids, to the ImportWriter (which run.ts inserts in one statement more).
 */
export class Revisions {
  readonly #citations: Prisma.CitationCreateManyInput[] = [];
  readonly #revisions: { type: string; id: number; action: RevisionAction; change: Change; cited: number }[] = [];

  constructor(private readonly w: ImportWriter) {}

  add(type: string, id: number, action: RevisionAction, change: Change, citations: Prisma.CitationCreateManyInput[]): void {
    this.#revisions.push({ type, id, action, change, cited: citations.length });
    this.#citations.push(...citations);
  }

  async flush(): Promise<void> {
    const ids = await cite(this.w.tx, this.#citations.splice(0));
    let at = 0;
    for (const r of this.#revisions.splice(0)) {
      this.w.revise(r.type, r.id, r.action, r.change, ids.slice(at, at + r.cited));
      at += r.cited;
    }
  }
}

/** A new row for `insertCreated`: its columns' values, its record's key and the citations of that record it gets. */
export interface NewRow {
  data: Record<string, unknown>;
  key: string;
  /** Each citation's field (null: the whole row) and the record's fields (columns) that state it */
  cites: { field: string | null; fields: string[] }[];
}

/**
 * New rows of one table with their record citations and CREATE revisions, in one statement: the
 * rows' ids (and their citations') are drawn from the tables' sequences in the statement, so the
 * citations and revisions that name them are built by PostgreSQL from the same rows rather than
 * sent again, and each revision's diff — every set column, from null, as the API's Writer
 * (diffFields) records a create — is built there from the typed columns. Parsing a batch's
 * revisions and citations as JSON was most of their INSERTs' database time, and building them a
 * good part of the client's (docs/importing.md#speed). The change feed's lock is taken first (`w.changeSet`): revision ids
 * must follow commit order. Returns the rows' ids in the rows' order.
 */
export async function insertCreated(
  w: ImportWriter,
  spec: { table: string; columns: Columns; target: string; sourceId: number; file: string },
  rows: NewRow[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  // to_jsonb writes a date or a bigint otherwise than the API's revisions do (toJson: ISO instants, numbers).
  const unlike = Object.entries(spec.columns).find(([, type]) => /date|time|bigint/i.test(type));
  if (unlike) throw new Error(`insertCreated: ${spec.table}.${unlike[0]} (${unlike[1]}) would be diffed unlike the API's revisions`);
  const changeSetId = await w.changeSet();
  const names = Object.keys(spec.columns);
  const stamp = WITH_UPDATED_AT.has(spec.table);
  const string = (text: string) => `'${text.replace(/'/g, "''")}'`;
  // One citation a row (all but films): its columns beside the row's, its id drawn with the row's.
  // Several (a film's, one per fact): a JSON array per row, expanded laterally.
  const single = rows.every((r) => r.cites.length === 1);
  // Leading underscores: no table's column is named so (Prisma's are camelCase).
  const json = JSON.stringify(
    rows.map((r) =>
      single
        ? { ...r.data, _key: r.key, _f: r.cites[0]!.field, _r: r.cites[0]!.fields }
        : { ...r.data, _key: r.key, _cites: r.cites.map((c) => ({ f: c.field, r: c.fields })) },
    ),
  );
  const extra = single ? ['_key text', '_f text', '_r text[]'] : ['_key text', '_cites json'];
  // A CREATE revision's diff: each column set (not NULL; an empty array is set) as { before: null, after }.
  const diff = names
    .map(
      (n) => `CASE WHEN x.${q(n)} IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(${string(n)}, jsonb_build_object('before', NULL, 'after', x.${q(n)})) END`,
    )
    .join(' || ');
  const sql =
    // nextval is volatile: a CTE that calls it is materialized, evaluated once, in scan order.
    `WITH x AS (SELECT nextval(${string(q(`${spec.table}_id_seq`))})::int AS _id${single ? `, nextval('"Citation_id_seq"')::int AS _cid` : ''}, r.* ` +
    // json, not jsonb: parsing a batch's text into jsonb cost twice what json_to_recordset's one pass does.
    `FROM ROWS FROM (json_to_recordset(${literal(json)}::json) AS (${[...names.map((n) => `${q(n)} ${spec.columns[n]}`), ...extra].join(', ')})) ` +
    `WITH ORDINALITY AS r(${[...names, ...extra.map((e) => e.split(' ')[0]!), '_ord'].map(q).join(', ')})), ` +
    (single
      ? `c AS (SELECT x._cid AS id, x._id AS owner, x._key AS key, x._f AS f, x._r AS r FROM x), `
      : `c AS (SELECT nextval('"Citation_id_seq"')::int AS id, x._id AS owner, x._key AS key, c.f, c.r ` +
        `FROM x CROSS JOIN LATERAL json_to_recordset(x._cites) AS c(f text, r text[])), `) +
    `e AS (INSERT INTO ${q(spec.table)} (id, ${[...names, ...(stamp ? ['updatedAt'] : [])].map(q).join(', ')}) ` +
    `SELECT x._id, ${[...names.map((n) => `x.${q(n)}`), ...(stamp ? ['now()'] : [])].join(', ')} FROM x ORDER BY x._ord), ` +
    `ci AS (INSERT INTO "Citation" (id, "sourceId", kind, field, "recordFile", "recordKey", "recordFields", ${q(spec.target)}) ` +
    `SELECT c.id, $1::int, 'STATED', c.f, $2::text, c.key, c.r, c.owner FROM c ORDER BY c.id), ` +
    `rv AS (INSERT INTO "Revision" ("changeSetId", "entityType", "entityId", action, diff, "citationIds") ` +
    `SELECT $3::int, $4::text, x._id, 'CREATE', ${diff}, ` +
    (single
      ? `ARRAY[x._cid] FROM x ORDER BY x._ord RETURNING id, "entityId") `
      : `coalesce(cc.ids, '{}') FROM x LEFT JOIN (SELECT owner, array_agg(id ORDER BY id) AS ids FROM c GROUP BY owner) cc ON cc.owner = x._id ORDER BY x._ord RETURNING id, "entityId") `) +
    `SELECT coalesce(json_agg(json_build_array("entityId", id) ORDER BY "entityId"), '[]')::text AS rows FROM rv`;
  const [{ rows: text }] = await w.tx.$queryRawUnsafe<[{ rows: string }]>(sql, spec.sourceId, spec.file, changeSetId, spec.table);
  // Ids follow the rows' order (drawn in the recordset's order), so sorting by id restores it.
  const pairs = JSON.parse(text) as [number, number][];
  for (const [entityId, id] of pairs) w.inserted.push({ id, entityType: spec.table, entityId, action: 'CREATE' });
  w.touched(spec.table);
  return pairs.map(([entityId]) => entityId);
}

/** Film's columns as both importers insert them, with their SQL types for `insertRows`. */
export const FILM_INSERT_COLUMNS = {
  slug: 'text',
  imdbId: 'text',
  title: 'text',
  originalTitle: 'text',
  year: 'smallint',
  runtimeMinutes: 'smallint',
  genres: 'text[]',
  titleType: '"TitleType"',
};
