import { DEFAULT_PAGE_SIZE, pageSize } from '../builder.ts';
import { invalidCursorError, userInputError } from '../errors.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { CursorCodec, CursorPosition } from './cursor.ts';

/** PostgreSQL type of a sort key; cursor values travel as text and are cast back to it. */
export type KeyType = 'text' | 'int' | 'numeric' | 'float8' | 'date' | 'timestamptz';

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

/** Validators for the connection arguments of keyset-paged fields (cursors are checked in `decodeCursors`). */
export const keysetArgValidators = { first: pageSize('first'), last: pageSize('last') };

/**
 * Whether a cursor's key, as text, is a value PostgreSQL casts to `type` without an error. The
 * tag proves we signed a cursor, not that the key inside is sane: a cursor signed with a leaked
 * or development key, or by a release with another key layout, could carry "abc" for an int,
 * and the CAST would fail inside the page query. Each pattern admits what PostgreSQL prints for
 * the type (ISO DateStyle, as both engines here use) and nothing its input function refuses.
 */
export function isValidKey(value: string, type: KeyType): boolean {
  if (value.length > 100 && type !== 'text') return false;
  switch (type) {
    case 'text':
      // PostgreSQL text cannot hold NUL; a lone surrogate is not UTF-8.
      return !value.includes('\0') && !/\p{Cs}/u.test(value);
    case 'int':
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2 ** 31 - (value.startsWith('-') ? 0 : 1);
    case 'numeric':
      return /^-?\d{1,30}(\.\d{1,30})?$/.test(value);
    case 'float8': {
      const match = /^-?(?:\d+\.?\d*|\.\d+)(?:e([-+]?\d{1,3}))?$/i.exec(value);
      // Exponents past ±300 risk over- or underflow, which PostgreSQL refuses; its output never needs them here.
      return Boolean(match) && Number.isFinite(Number(value)) && Math.abs(Number(match![1] ?? 0)) <= 300;
    }
    case 'date':
      return isCalendarDate(value);
    case 'timestamptz': {
      const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(value);
      if (!match || !isCalendarDate(match[1]!)) return false;
      const [hour, minute, second, offsetHours, offsetMinutes = 0, offsetSeconds = 0] = match.slice(2).map((v) => Number(v ?? 0));
      return hour! < 24 && minute! < 60 && second! < 60 && offsetHours! <= 15 && offsetMinutes < 60 && offsetSeconds < 60;
    }
  }
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Decode and check `after`/`before` (signature, ordering, and each key against its column's type) before any SQL runs. */
export function decodeCursors(codec: CursorCodec, ordering: string, keys: readonly Pick<SortKey, 'type' | 'nullable'>[], args: KeysetArgs) {
  if (args.first != null && args.last != null) {
    throw userInputError('Pass either `first` (with `after`) or `last` (with `before`), not both.');
  }
  const decode = (arg: 'after' | 'before') => {
    const cursor = args[arg];
    if (cursor == null) return undefined;
    const position = codec.decode(cursor, ordering, arg);
    // Only a cursor signed by an older release with another key layout could fail this.
    if (position.keys.length !== keys.length) throw invalidCursorError(`\`${arg}\` no longer fits this ordering; restart paging without a cursor.`);
    position.keys.forEach((value, i) => {
      const key = keys[i]!;
      if (value === null ? !key.nullable : !isValidKey(value, key.type)) {
        throw invalidCursorError(`\`${arg}\` holds a value that does not fit this ordering; use a cursor or pageInfo value from a previous page.`);
      }
    });
    return position;
  };
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
      : Prisma.sql`${col(0)} ${Prisma.raw(side === 'after' !== first.descending ? '>=' : '<=')} ${literal(value, first.type)}`;
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
  const size = args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
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
      : Prisma.sql`SELECT * FROM (${Prisma.join(ranges.map((r) => Prisma.sql`(${scan(r)})`), ' UNION ALL ')}) ranges ORDER BY ${order} LIMIT ${limit}`;
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

/** Relay connection result for Pothos: edges in page order with their rows loaded by id. */
export function toConnection<T extends { id: number }, Extra extends object>(page: KeysetPage, loaded: T[], extra: Extra) {
  const byId = new Map(loaded.map((row) => [row.id, row]));
  // A row deleted between the two statements is dropped rather than failing the page.
  const edges = page.rows.filter((r) => byId.has(r.id)).map((r) => ({ cursor: r.cursor, node: byId.get(r.id)! }));
  return {
    ...extra,
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
