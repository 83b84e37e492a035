import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import { TYPE_RANK, type SearchKey, type SearchTerms, type SearchType } from './query.ts';

export const SEARCH_FIELDS = ['TITLE', 'ORIGINAL_TITLE', 'ALTERNATIVE_TITLE', 'SYNOPSIS', 'NAME', 'ALIAS'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * How much a match in each field counts. A title or name outranks an original title or alias,
 * which outranks a word somewhere in a synopsis.
 */
export const FIELD_WEIGHT: Record<SearchField, number> = {
  TITLE: 1,
  NAME: 1,
  ORIGINAL_TITLE: 0.8,
  ALTERNATIVE_TITLE: 0.8,
  ALIAS: 0.8,
  SYNOPSIS: 0.4,
};

export interface SearchRow {
  /** Null on the single row of a page with no results (it still carries `total`). */
  type: number | null;
  id: number | null;
  field: SearchField | null;
  score: string | null;
  total: bigint | number;
  exact: boolean;
}

const norm = (column: Prisma.Sql) => Prisma.sql`"cinegraph_normalize"(${column})`;
const quoted = (identifier: string) => Prisma.raw(`"${identifier}"`);

/** The query, normalised as the indexed columns are (lower case, accents removed). */
function terms(t: SearchTerms) {
  return {
    text: norm(Prisma.sql`${t.text}`),
    simple: Prisma.sql`to_tsquery('simple', ${norm(Prisma.sql`${t.tsquery}`)})`,
    // Stop words vanish from an 'english' query ("her" → empty query, which matches nothing).
    english: Prisma.sql`to_tsquery('english', ${norm(Prisma.sql`${t.tsquery}`)})`,
    // LIKE pattern "<query>%". The words hold only letters and digits, but unaccent may expand a
    // character into anything, so the pattern's wildcards are escaped all the same.
    prefix: Prisma.sql`replace(replace(replace(${norm(Prisma.sql`${t.text}`)}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
  };
}

type Terms = ReturnType<typeof terms>;

/**
 * NAME-like fields (titles, names) are matched by full text ('simple': no stemming, no stop
 * words, so "Her" stays a word) and by trigram similarity; a synopsis by full text only
 * ('english', stemmed), since a fuzzy match inside prose is noise.
 */
interface FieldSpec {
  field: SearchField;
  column: string;
  kind: 'name' | 'prose';
}

/** Names kept in a table of their own (a person's aliases, a film's alternative titles), matched like a name. */
interface AliasSpec {
  field: SearchField;
  table: string;
  /** The column naming the owning row. */
  owner: string;
  column: string;
}

interface TypeSpec {
  type: SearchType;
  table: string;
  fields: FieldSpec[];
  aliases?: AliasSpec;
}

const TYPES: Record<SearchType, TypeSpec> = {
  FILM: {
    type: 'FILM',
    table: 'Film',
    fields: [
      { field: 'TITLE', column: 'title', kind: 'name' },
      { field: 'ORIGINAL_TITLE', column: 'originalTitle', kind: 'name' },
      { field: 'SYNOPSIS', column: 'synopsis', kind: 'prose' },
    ],
    aliases: { field: 'ALTERNATIVE_TITLE', table: 'FilmTitle', owner: 'filmId', column: 'title' },
  },
  PERSON: {
    type: 'PERSON',
    table: 'Person',
    fields: [{ field: 'NAME', column: 'name', kind: 'name' }],
    aliases: { field: 'ALIAS', table: 'PersonAlias', owner: 'personId', column: 'name' },
  },
  PUBLICATION: { type: 'PUBLICATION', table: 'Publication', fields: [{ field: 'NAME', column: 'name', kind: 'name' }] },
};

/**
 * Rows each candidate branch contributes at most. Bounds the work of one request however many
 * rows match: a broad prefix ("Synth" against a million titles) reads K rows from a btree, not
 * every match.
 */
export const BRANCH_LIMIT = 200;
/** Pages reach the best SEARCH_WINDOW results of a search; past it `hasNextPage` is false. */
export const SEARCH_WINDOW = 200;

const FULL_TEXT = (column: Prisma.Sql, q: Terms) => Prisma.sql`to_tsvector('simple', ${norm(column)}) @@ ${q.simple}`;

const unionOf = (names: string[]) =>
  Prisma.join(
    names.map((name) => Prisma.sql`SELECT id FROM ${quoted(name)}`),
    ' UNION ',
  );

interface Branch {
  /** CTE name. */
  name: string;
  /** Trigram branches find rows scoring at most 1, so they never count towards a gate. */
  fuzzy?: true;
  sql: Prisma.Sql;
}

/**
 * Candidate branches of one field, cheapest and best-scoring first, each LIMITed:
 * - prefix (p): the field starts with the query: a range of the "C"-collated btree index, read in
 *   index order (exact value, then shortest completions), so K rows cost K index entries;
 * - full text (f): every word occurs somewhere; runs only when the prefix branch did not fill,
 *   because its GIN bitmap costs as much as there are matches;
 * - trigram (w): typo-tolerant `%` / `<%`; runs only when the prefix and full-text branches of
 *   this field and of the type's earlier fields together found fewer than K rows. A row matching
 *   only by trigrams scores at most 1 (no full-text hit), below every full-text hit of a title,
 *   name or alias, so once K of those are candidates it cannot rank above them.
 * The GIN conditions repeat the search migration's index expressions verbatim: the planner uses
 * an expression index only for the very same expression.
 */
function nameBranches(base: string, table: string, idColumn: string, column: Prisma.Sql, q: Terms, earlier: Branch[]): Branch[] {
  const t = quoted(table);
  const id = quoted(idColumn);
  const key = Prisma.sql`${norm(column)} COLLATE "C"`;
  const count = (name: string) => Prisma.sql`(SELECT count(*) FROM ${quoted(name)})`;
  const p = `${base}p`;
  const f = `${base}f`;
  return [
    { name: p, sql: Prisma.sql`SELECT ${id} AS id FROM ${t} WHERE ${key} LIKE ${q.prefix} ORDER BY ${key}, "id" LIMIT ${BRANCH_LIMIT}` },
    {
      name: f,
      sql: Prisma.sql`SELECT ${id} AS id FROM ${t} WHERE ${count(p)} < ${BRANCH_LIMIT} AND ${FULL_TEXT(column, q)} LIMIT ${BRANCH_LIMIT}`,
    },
    {
      name: `${base}w`,
      fuzzy: true,
      // `%`: whole-string similarity ≥ 0.3 (typos anywhere); `<%`: the query is close to some run
      // of words in the field, ≥ 0.6 (a misspelt surname inside a full name).
      sql: Prisma.sql`SELECT ${id} AS id FROM ${t}
        WHERE (SELECT count(*) FROM (${unionOf([...earlier.filter((b) => !b.fuzzy).map((b) => b.name), p, f])}) AS pf) < ${BRANCH_LIMIT}
          AND (${q.text} % ${norm(column)} OR ${q.text} <% ${norm(column)}) LIMIT ${BRANCH_LIMIT}`,
    },
  ];
}

/**
 * A synopsis match scores 0.4, below any title full-text hit: the branch runs only while the
 * title branches found fewer than K rows, as its GIN bitmap costs as much as there are matches.
 */
function proseBranch(name: string, column: Prisma.Sql, titleBranches: Branch[], q: Terms): Branch {
  const titles = unionOf(titleBranches.filter((b) => !b.fuzzy).map((b) => b.name));
  return {
    name,
    sql: Prisma.sql`SELECT "id" AS id FROM "Film"
      WHERE (SELECT count(*) FROM (${titles}) AS named) < ${BRANCH_LIMIT}
        AND to_tsvector('english', ${norm(column)}) @@ ${q.english} LIMIT ${BRANCH_LIMIT}`,
  };
}

function branchesOf(spec: TypeSpec, q: Terms): Branch[] {
  const branches: Branch[] = [];
  spec.fields.forEach((f, i) => {
    const base = `c${TYPE_RANK[spec.type]}_${i}`;
    if (f.kind === 'name') branches.push(...nameBranches(base, spec.table, 'id', quoted(f.column), q, [...branches]));
    else branches.push(proseBranch(`${base}f`, quoted(f.column), [...branches], q));
  });
  if (spec.aliases) {
    const { table, owner, column } = spec.aliases;
    branches.push(...nameBranches(`c${TYPE_RANK[spec.type]}_a`, table, owner, quoted(column), q, [...branches]));
  }
  return branches;
}

/**
 * Per-row inputs of the score: the normalised value and its words. Computed once per row and
 * field (OFFSET 0 keeps PostgreSQL from copying the expressions into every place that uses them).
 * Each candidate row is fetched by primary key in a LATERAL subquery (its OFFSET 0 keeps the
 * planner from flattening it into a hash join, which would read and fold the whole table).
 */
function foldedColumns(alias: string, spec: FieldSpec, i: number): Prisma.Sql {
  const column = Prisma.sql`${quoted(alias)}.${quoted(spec.column)}`;
  if (spec.kind === 'prose') return Prisma.sql`${norm(column)} AS ${quoted(`v${i}`)}`;
  return Prisma.sql`${norm(column)} AS ${quoted(`v${i}`)},
    btrim(regexp_replace(${norm(column)}, '[^[:alnum:]]+', ' ', 'g')) AS ${quoted(`w${i}`)}`;
}

/**
 * FIELD_WEIGHT × (full-text hit + word similarity + exact match + 0.5 × starts with the query's
 * words); a synopsis: FIELD_WEIGHT × full-text hit. NULL (no such value) scores 0.
 */
function fieldScore(spec: FieldSpec, i: number, q: Terms, valueOf = (name: string) => quoted(name)): Prisma.Sql {
  const v = valueOf(`v${i}`);
  const weight = FIELD_WEIGHT[spec.field];
  if (spec.kind === 'prose') {
    return Prisma.sql`COALESCE(${weight}::float8 * (to_tsvector('english', ${v}) @@ ${q.english})::int, 0)`;
  }
  const w = valueOf(`w${i}`);
  return Prisma.sql`COALESCE(${weight}::float8 * (
      (to_tsvector('simple', ${v}) @@ ${q.simple})::int
      + word_similarity(${q.text}, ${v})
      + (${w} = ${q.text})::int
      + 0.5 * (left(${w}, length(${q.text}) + 1) = ${q.text} || ' ')::int
    ), 0)`;
}

/** The best field's score, and its name; on equal scores the field listed first wins. */
function best(fields: SearchField[]) {
  const s = (i: number) => quoted(`s${i}`);
  const score = Prisma.sql`round(GREATEST(${Prisma.join(fields.map((_, i) => s(i)))})::numeric, 4)`;
  const whens = fields.slice(0, -1).map((field, i) => {
    const beats = fields.map((_, j) => (j === i ? null : Prisma.sql`${s(i)} >= ${s(j)}`)).filter((c): c is Prisma.Sql => c !== null);
    return Prisma.sql`WHEN ${Prisma.join(beats, ' AND ')} THEN ${field}`;
  });
  const field = whens.length === 0 ? Prisma.sql`${fields[0]!}` : Prisma.sql`CASE ${Prisma.join(whens, ' ')} ELSE ${fields.at(-1)!} END`;
  return { score, field };
}

function hitsOf(spec: TypeSpec, branches: Branch[], q: Terms): Prisma.Sql {
  const ids = Prisma.join(
    branches.map((b) => Prisma.sql`SELECT id FROM ${quoted(b.name)}`),
    ' UNION ',
  );
  const folded = spec.fields.map((f, i) => foldedColumns('t', f, i));
  const scores = spec.fields.map((f, i) => Prisma.sql`${fieldScore(f, i, q)} AS ${quoted(`s${i}`)}`);
  const fields = spec.fields.map((f) => f.field);

  if (spec.aliases) {
    // Aliases (alternative titles) live in their own table: their branches add candidates, and the
    // best alias of each candidate competes with the name (title) as the alias field.
    const { table, owner, column, field } = spec.aliases;
    const aliasSpec: FieldSpec = { field, column, kind: 'name' };
    const i = spec.fields.length;
    const aliasScore = fieldScore(aliasSpec, i, q, (name) => Prisma.sql`a.${quoted(name)}`);
    scores.push(Prisma.sql`COALESCE((SELECT max(${aliasScore}) FROM (SELECT ${foldedColumns('pa', aliasSpec, i)}
      FROM ${quoted(table)} pa WHERE pa.${quoted(owner)} = folded."id" OFFSET 0) AS a), 0) AS ${quoted(`s${i}`)}`);
    fields.push(field);
  }

  const { score, field } = best(fields);
  return Prisma.sql`SELECT ${TYPE_RANK[spec.type]}::int AS type, scored."id", ${field} AS field, ${score} AS score
    FROM (SELECT folded."id", ${Prisma.join(scores)}
      FROM (SELECT f.* FROM (${ids}) AS hit
        CROSS JOIN LATERAL (SELECT t."id", ${Prisma.join(folded)} FROM ${quoted(spec.table)} t WHERE t."id" = hit.id OFFSET 0) AS f
        OFFSET 0) AS folded
      OFFSET 0) AS scored`;
}

/**
 * One statement: the candidates of the requested types (at most BRANCH_LIMIT per branch),
 * scored, ranked by (score desc, type, id), cut to the best SEARCH_WINDOW, counted, and cut to
 * the page between `after` and `before`: its first `take` rows, or with `backward` its last `take`
 * rows (read in reverse ranking, as keyset paging backwards does, and returned in ranking order).
 * `exact` is false when some branch was cut at its LIMIT (or skipped because an earlier one was):
 * then more rows match than were counted.
 */
export function searchStatement(input: {
  terms: SearchTerms;
  types: readonly SearchType[];
  after: SearchKey | null;
  before?: SearchKey | null;
  backward?: boolean;
  take: number;
}) {
  const q = terms(input.terms);
  const perType = input.types.map((type) => ({ spec: TYPES[type], branches: branchesOf(TYPES[type], q) }));
  const branches = perType.flatMap((t) => t.branches);
  const ctes = Prisma.join(
    branches.map((b) => Prisma.sql`${quoted(b.name)} AS (${b.sql})`),
    ', ',
  );
  const full = Prisma.join(
    branches.map((b) => Prisma.sql`(SELECT count(*) FROM ${quoted(b.name)}) >= ${BRANCH_LIMIT}`),
    ' OR ',
  );
  const hits = Prisma.join(
    perType.map((t) => hitsOf(t.spec, t.branches, q)),
    ' UNION ALL ',
  );
  // The window holds at most SEARCH_WINDOW rows, so plain comparisons on it cost nothing worth an index.
  const after = input.after
    ? Prisma.sql`AND (score < ${input.after.score}::numeric
        OR (score = ${input.after.score}::numeric AND (type, id) > (${input.after.type}::int, ${input.after.id}::int)))`
    : Prisma.empty;
  const before = input.before
    ? Prisma.sql`AND (score > ${input.before.score}::numeric
        OR (score = ${input.before.score}::numeric AND (type, id) < (${input.before.type}::int, ${input.before.id}::int)))`
    : Prisma.empty;
  const pageOrder = input.backward ? Prisma.sql`score ASC, type DESC, id DESC` : Prisma.sql`score DESC, type, id`;
  // The count row is always there, so an empty page still reports how many matches exist.
  return Prisma.sql`WITH ${ctes},
      hits AS (SELECT * FROM (${hits}) AS scored WHERE score > 0),
      window_ AS (SELECT type, id, field, score FROM hits ORDER BY score DESC, type, id LIMIT ${SEARCH_WINDOW})
    SELECT page.type, page.id, page.field, page.score::text AS score, counted.total, counted.exact
    FROM (SELECT count(*) AS total, NOT (${full}) AS exact FROM hits) AS counted
    LEFT JOIN LATERAL (SELECT type, id, field, score FROM window_ WHERE true ${after} ${before}
      ORDER BY ${pageOrder} LIMIT ${input.take}) AS page ON true
    ORDER BY page.score DESC, page.type, page.id`;
}

export interface SearchHit {
  type: number;
  id: number;
  field: SearchField;
  score: string;
}

export async function runSearch(
  prisma: PrismaClient,
  input: Parameters<typeof searchStatement>[0],
): Promise<{ hits: SearchHit[]; total: number; exact: boolean }> {
  const rows = await prisma.$queryRaw<SearchRow[]>(searchStatement(input));
  return {
    hits: rows.filter((r): r is SearchHit & SearchRow => r.id !== null),
    total: Number(rows[0]?.total ?? 0),
    exact: rows[0]?.exact ?? true,
  };
}
