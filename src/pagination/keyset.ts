import { userInputError } from '../errors.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { CursorCodec, CursorKeys, CursorPosition, KeyType } from './cursor.ts';
import { requestedPageSize } from './page-size.ts';

export interface SortKey {
  /** SQL expression over the row (e.g. f."title" or a correlated aggregate). */
  expr: Prisma.Sql;
  type: KeyType;
  nullable: boolean;
  descending: boolean;
}

export interface KeysetArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface KeysetRow {
  id: number;
  cursor: string;
}

export interface KeysetPage {
  rows: KeysetRow[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Decode and check `after`/`before` (signature, ordering, and each key against its column's type) before any SQL runs. */
export function decodeCursors(codec: CursorCodec, ordering: string, keys: CursorKeys, args: KeysetArgs) {
  if (args.first != null && args.last != null) {
    throw userInputError('Pass either `first` (with `after`) or `last` (with `before`), not both.');
  }
  const decode = (arg: 'after' | 'before') => (args[arg] == null ? undefined : codec.decode(args[arg], ordering, arg, keys));
  return { after: decode('after'), before: decode('before') };
}

const col = (i: number) => Prisma.raw(`"k${i}"`);
const ID = Prisma.raw('"id"');

function literal(value: string | number, type: KeyType | 'int'): Prisma.Sql {
  return Prisma.sql`CAST(${String(value)} AS ${Prisma.raw(type)})`;
}

interface Part {
  column: Prisma.Sql;
  value: Prisma.Sql | null;
  nullable: boolean;
  descending: boolean;
}

function parts(keys: SortKey[], position: CursorPosition): Part[] {
  return [
    ...keys.map((key, i) => ({
      column: col(i),
      value: position.keys[i] == null ? null : literal(position.keys[i]!, key.type),
      nullable: key.nullable,
      descending: key.descending,
    })),
    { column: ID, value: literal(position.id, 'int'), nullable: false, descending: false },
  ];
}

/**
 * Rows strictly after (or before) a position in the ordering, where NULL keys sort last in both
 * directions: a lexicographic OR of "equal on the earlier keys, beyond on this one". A row-value
 * comparison `(a, b) > (x, y)` cannot express mixed directions or NULL placement, hence the expansion.
 * `inclusive` also admits the cursor's own row (the id comparison becomes non-strict), which turns
 * "not after the cursor" into the same shape as "before it", so the planner can answer it from an index.
 */
function beyond(keys: SortKey[], position: CursorPosition, side: 'after' | 'before', inclusive = false): Prisma.Sql {
  const ps = parts(keys, position);
  const disjuncts: Prisma.Sql[] = [];
  ps.forEach((p, i) => {
    let strict: Prisma.Sql | null;
    const last = i === ps.length - 1;
    const greater = Prisma.raw(((side === 'after') !== p.descending ? '>' : '<') + (inclusive && last ? '=' : ''));
    if (p.value === null) {
      // A NULL cursor key: nothing is after it (nulls are last); every non-null value is before it.
      strict = side === 'after' ? null : Prisma.sql`${p.column} IS NOT NULL`;
    } else if (p.nullable && side === 'after') {
      strict = Prisma.sql`(${p.column} IS NULL OR ${p.column} ${greater} ${p.value})`;
    } else {
      strict = Prisma.sql`${p.column} ${greater} ${p.value}`;
    }
    if (strict === null) return;
    const equal = ps.slice(0, i).map((q) => (q.value === null ? Prisma.sql`${q.column} IS NULL` : Prisma.sql`${q.column} = ${q.value}`));
    disjuncts.push(Prisma.join([...equal, strict], ' AND ', '(', ')'));
  });
  if (!disjuncts.length) return Prisma.sql`FALSE`;
  const expanded = Prisma.join(disjuncts, ' OR ', '(', ')');
  const bound = leadingBound(ps[0]!, side);
  return bound ? Prisma.sql`(${bound} AND ${expanded})` : expanded;
}

/**
 * A redundant range on the leading sort column, implied by the expansion above. The OR expansion
 * cannot bound an index scan; this conjunct can, so a page deep in the list starts at the cursor
 * instead of walking the index from its first entry. Where the rows beyond mix NULLs and values
 * (after a non-null key of a nullable column) no single range holds them, and none is added.
 */
function leadingBound(p: Part, side: 'after' | 'before'): Prisma.Sql | null {
  if (p.value === null) return side === 'after' ? Prisma.sql`${p.column} IS NULL` : null;
  if (p.nullable && side === 'after') return null;
  const op = Prisma.raw((side === 'after') !== p.descending ? '>=' : '<=');
  return Prisma.sql`${p.column} ${op} ${p.value}`;
}

/**
 * The rows beyond a position as one or two conditions, each an index range in page order. Rows
 * after a non-null key of a nullable column are the values beyond it and then every NULL (and the
 * rows before a NULL key every value, then some NULLs): two ranges no single index condition
 * covers, so they become two LIMITed scans whose union keeps a deep page from walking the index
 * from its start.
 */
function beyondRanges(keys: SortKey[], position: CursorPosition, side: 'after' | 'before'): Prisma.Sql[] {
  const expanded = beyond(keys, position, side);
  const first = keys[0];
  const value = position.keys[0];
  if (!first?.nullable || (value != null) === (side === 'before')) return [expanded];
  const values =
    value == null
      ? Prisma.sql`${col(0)} IS NOT NULL`
      : Prisma.sql`${col(0)} ${Prisma.raw((side === 'after') !== first.descending ? '>=' : '<=')} ${literal(value, first.type)}`;
  return [Prisma.sql`(${values} AND ${expanded})`, Prisma.sql`(${col(0)} IS NULL AND ${expanded})`];
}

/**
 * `k DESC NULLS LAST, id ASC` rather than `k IS NULL, k DESC, id`: only the former is the order of
 * an index (see migration 20261128200100_list_scale), which lets LIMIT stop after the page.
 */
function orderBy(keys: SortKey[], reverse: boolean, column: (i: number) => Prisma.Sql = col, id: Prisma.Sql = ID): Prisma.Sql {
  const dir = (descending: boolean) => (descending !== reverse ? 'DESC' : 'ASC');
  const nulls = reverse ? 'NULLS FIRST' : 'NULLS LAST';
  const terms = keys.map((key, i) => Prisma.sql`${column(i)} ${Prisma.raw(`${dir(key.descending)}${key.nullable ? ` ${nulls}` : ''}`)}`);
  return Prisma.join([...terms, Prisma.sql`${id} ${Prisma.raw(dir(false))}`], ', ');
}

/**
 * One statement: the page's ids and sort keys (limit + 1 to learn whether more follow), plus
 * whether any row lies on the other side of the cursor (for hasPreviousPage / hasNextPage).
 * `source` is `FROM … WHERE …` naming the row's id `idExpr`.
 *
 * The filtered rows are a plain subquery in FROM (not a CTE, no window function), so PostgreSQL
 * pulls it up: the keyset conditions and ORDER BY land on the table's columns, an index in that
 * order serves the scan and LIMIT stops it after the page (top-N, not a sort of the filtered set).
 * The other-side flag is its own EXISTS, answered by the first qualifying index entry.
 */
export async function keysetPage(
  prisma: PrismaClient,
  options: {
    codec: CursorCodec;
    ordering: string;
    source: Prisma.Sql;
    idExpr: Prisma.Sql;
    keys: SortKey[];
    args: KeysetArgs;
    after?: CursorPosition;
    before?: CursorPosition;
  },
): Promise<KeysetPage> {
  const { keys, args, after, before } = options;
  const backward = args.last != null;
  const size = requestedPageSize(args);
  // The cursor in the paging direction bounds the scan; one on the other side only filters it.
  const [leading, trailing] = backward ? [before, after && beyond(keys, after, 'after')] : [after, before && beyond(keys, before, 'before')];
  const ranges: (Prisma.Sql | null)[] = leading ? beyondRanges(keys, leading, backward ? 'before' : 'after') : [null];
  const where = (range: Prisma.Sql | null) => {
    const conditions = [range, trailing].filter((c): c is Prisma.Sql => Boolean(c));
    return conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  };
  const keyColumns = keys.map((key, i) => Prisma.sql`${key.expr} AS ${col(i)}`);
  const keyed = Prisma.sql`(SELECT ${Prisma.join([Prisma.sql`${options.idExpr} AS ${ID}`, ...keyColumns], ', ')} ${options.source}) keyed`;
  // The side opposite to the paging direction: rows at or before `after` (forward), at or after `before` (backward).
  const boundary = backward ? before && beyond(keys, before, 'after', true) : after && beyond(keys, after, 'before', true);
  const other = boundary ? Prisma.sql`EXISTS (SELECT 1 FROM ${keyed} WHERE ${boundary})` : Prisma.sql`FALSE`;
  // Text copies under other names: an output column named like the key would shadow it in ORDER BY.
  const keyText = keys.map((_key, i) => Prisma.sql`CAST(${col(i)} AS text) AS ${Prisma.raw(`"c${i}"`)}`);
  const pageColumn = (i: number) => Prisma.raw(`page."k${i}"`);
  const limit = Prisma.raw(String(size + 1));
  const order = orderBy(keys, backward);
  const columns = Prisma.join([ID, ...keys.map((_k, i) => col(i)), ...keyText], ', ');
  const scan = (range: Prisma.Sql | null) => Prisma.sql`SELECT ${columns} FROM ${keyed} ${where(range)} ORDER BY ${order} LIMIT ${limit}`;
  const pageSql =
    ranges.length === 1
      ? scan(ranges[0]!)
      : Prisma.sql`SELECT * FROM (${Prisma.join(
          ranges.map((r) => Prisma.sql`(${scan(r)})`),
          ' UNION ALL ',
        )}) ranges ORDER BY ${order} LIMIT ${limit}`;
  const rows = await prisma.$queryRaw<({ id: number | null; other: boolean } & Record<string, string | null>)[]>`
    SELECT ${Prisma.join([Prisma.raw('page."id"'), ...keys.map((_k, i) => Prisma.raw(`page."c${i}"`))], ', ')}, o."other"
    FROM (SELECT ${other} AS "other") o
    LEFT JOIN (${pageSql}) page ON TRUE
    ORDER BY ${orderBy(keys, backward, pageColumn, Prisma.raw('page."id"'))}`;
  const hasOther = rows[0]?.other ?? false;
  const found = rows.filter((r) => r.id !== null);
  const more = found.length > size;
  const page = found.slice(0, size);
  if (backward) page.reverse();
  return {
    rows: page.map((r) => ({
      id: r.id!,
      cursor: options.codec.encode({ ordering: options.ordering, keys: keys.map((_k, i) => r[`c${i}`] ?? null), id: r.id! }),
    })),
    hasNextPage: backward ? hasOther : more,
    hasPreviousPage: backward ? more : hasOther,
  };
}
