import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { TYPE_RANK, type SearchKey, type SearchTerms, type SearchType } from './query.ts';

export const SEARCH_FIELDS = ['TITLE', 'ORIGINAL_TITLE', 'SYNOPSIS', 'NAME', 'ALIAS'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/**
 * How much a match in each field counts. A title or name outranks an original title or alias,
 * which outranks a word somewhere in a synopsis.
 */
export const FIELD_WEIGHT: Record<SearchField, number> = {
  TITLE: 1,
  NAME: 1,
  ORIGINAL_TITLE: 0.8,
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

interface TypeSpec {
  type: SearchType;
  table: string;
  fields: FieldSpec[];
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
  },
  PERSON: { type: 'PERSON', table: 'Person', fields: [{ field: 'NAME', column: 'name', kind: 'name' }] },
  PUBLICATION: { type: 'PUBLICATION', table: 'Publication', fields: [{ field: 'NAME', column: 'name', kind: 'name' }] },
};

/**
 * Conditions that find candidate rows. They repeat the migration's index expressions verbatim
 * (prisma/migrations/20261128190000_search): the planner uses an expression index only for the
 * very same expression.
 */
function candidateConditions(column: Prisma.Sql, kind: FieldSpec['kind'], q: Terms): Prisma.Sql[] {
  if (kind === 'prose') return [Prisma.sql`to_tsvector('english', ${norm(column)}) @@ ${q.english}`];
  return [
    Prisma.sql`to_tsvector('simple', ${norm(column)}) @@ ${q.simple}`,
    // `%`: whole-string similarity ≥ 0.3 (typos anywhere); `<%`: the query is close to some run
    // of words in the field, ≥ 0.6 (a misspelt surname inside a full name).
    Prisma.sql`${q.text} % ${norm(column)}`,
    Prisma.sql`${q.text} <% ${norm(column)}`,
  ];
}

/** Ids matching any condition: a UNION of single-index scans, which a combined OR would not get. */
function candidateIds(table: string, idColumn: string, conditions: Prisma.Sql[]) {
  return Prisma.join(
    conditions.map((c) => Prisma.sql`SELECT ${quoted(idColumn)} AS id FROM ${quoted(table)} WHERE ${c}`),
    ' UNION ',
  );
}

/**
 * Per-row inputs of the score: the normalised value and its words. Computed once per row and
 * field (OFFSET 0 keeps PostgreSQL from copying the expressions into every place that uses them).
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

function hitsOf(spec: TypeSpec, q: Terms): Prisma.Sql {
  const conditions = spec.fields.flatMap((f) => candidateConditions(quoted(f.column), f.kind, q));
  let ids = candidateIds(spec.table, 'id', conditions);
  const folded = spec.fields.map((f, i) => foldedColumns('t', f, i));
  const scores = spec.fields.map((f, i) => Prisma.sql`${fieldScore(f, i, q)} AS ${quoted(`s${i}`)}`);
  const fields = spec.fields.map((f) => f.field);

  if (spec.type === 'PERSON') {
    // Aliases live in their own table: their matches add candidates, and the best alias of
    // each candidate competes with the name as the ALIAS field.
    ids = Prisma.sql`${ids} UNION ${candidateIds('PersonAlias', 'personId', candidateConditions(quoted('name'), 'name', q))}`;
    const aliasSpec: FieldSpec = { field: 'ALIAS', column: 'name', kind: 'name' };
    const i = spec.fields.length;
    const aliasScore = fieldScore(aliasSpec, i, q, (name) => Prisma.sql`a.${quoted(name)}`);
    scores.push(Prisma.sql`COALESCE((SELECT max(${aliasScore}) FROM (SELECT ${foldedColumns('pa', aliasSpec, i)}
      FROM "PersonAlias" pa WHERE pa."personId" = folded."id" OFFSET 0) AS a), 0) AS ${quoted(`s${i}`)}`);
    fields.push('ALIAS');
  }

  const { score, field } = best(fields);
  return Prisma.sql`SELECT ${TYPE_RANK[spec.type]}::int AS type, scored."id", ${field} AS field, ${score} AS score
    FROM (SELECT folded."id", ${Prisma.join(scores)}
      FROM (SELECT t."id", ${Prisma.join(folded)} FROM ${quoted(spec.table)} t JOIN (${ids}) AS hit ON hit.id = t."id" OFFSET 0) AS folded
      OFFSET 0) AS scored`;
}

/**
 * One statement: every matching row of the requested types, scored, ranked by
 * (score desc, type, id), counted, and cut to the page after `after`.
 */
export function searchStatement(input: { terms: SearchTerms; types: readonly SearchType[]; after: SearchKey | null; take: number }) {
  const q = terms(input.terms);
  const hits = Prisma.join(
    input.types.map((type) => hitsOf(TYPES[type], q)),
    ' UNION ALL ',
  );
  const keyset = input.after
    ? Prisma.sql`AND (score < ${input.after.score}::numeric
        OR (score = ${input.after.score}::numeric AND (type, id) > (${input.after.type}::int, ${input.after.id}::int)))`
    : Prisma.empty;
  // The count row is always there, so an empty page still reports how many matches exist.
  return Prisma.sql`WITH hits AS (SELECT * FROM (${hits}) AS scored WHERE score > 0)
    SELECT page.type, page.id, page.field, page.score::text AS score, counted.total
    FROM (SELECT count(*) AS total FROM hits) AS counted
    LEFT JOIN LATERAL (SELECT type, id, field, score FROM hits WHERE true ${keyset}
      ORDER BY score DESC, type, id LIMIT ${input.take}) AS page ON true
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
): Promise<{ hits: SearchHit[]; total: number }> {
  const rows = await prisma.$queryRaw<SearchRow[]>(searchStatement(input));
  return {
    hits: rows.filter((r): r is SearchHit & SearchRow => r.id !== null),
    total: Number(rows[0]?.total ?? 0),
  };
}
