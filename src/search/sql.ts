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

/**
 * The expressions below repeat the migration's index expressions verbatim
 * (prisma/migrations/20261128190000_search): the planner uses an expression index only for the
 * very same expression.
 */
function terms(t: SearchTerms) {
  return {
    text: Prisma.sql`"cinegraph_normalize"(${t.text})`,
    simple: Prisma.sql`to_tsquery('simple', "cinegraph_normalize"(${t.tsquery}))`,
    // Stop words vanish from an 'english' query ("her" → empty query, which matches nothing).
    english: Prisma.sql`to_tsquery('english', "cinegraph_normalize"(${t.tsquery}))`,
  };
}

type Terms = ReturnType<typeof terms>;

/** A title or name: full-text ('simple') and trigram, each served by its own GIN index. */
function nameMatch(column: Prisma.Sql, q: Terms) {
  const fts = Prisma.sql`to_tsvector('simple', ${norm(column)}) @@ ${q.simple}`;
  return {
    fts,
    // `%`: whole-string similarity ≥ 0.3 (typos anywhere); `<%`: the query is close to some
    // run of words in the field ≥ 0.6 (a misspelt surname inside a full name).
    candidates: [fts, Prisma.sql`${q.text} % ${norm(column)}`, Prisma.sql`${q.text} <% ${norm(column)}`],
    /** FIELD_WEIGHT × (full-text hit + word similarity + exact match + 0.5 × starts with the query's words) */
    score(weight: number) {
      const words = Prisma.sql`btrim(regexp_replace(${norm(column)}, '[^[:alnum:]]+', ' ', 'g'))`;
      return Prisma.sql`${weight}::float8 * (
        (${fts})::int
        + word_similarity(${q.text}, ${norm(column)})
        + (${words} = ${q.text})::int
        + 0.5 * (left(${words}, length(${q.text}) + 1) = ${q.text} || ' ')::int
      )`;
    },
  };
}

/** A synopsis: full-text only ('english', stemmed); a fuzzy match inside prose is noise. */
function proseMatch(column: Prisma.Sql, q: Terms) {
  const fts = Prisma.sql`to_tsvector('english', ${norm(column)}) @@ ${q.english}`;
  return { fts, candidates: [fts], score: (weight: number) => Prisma.sql`${weight}::float8 * (${fts})::int` };
}

/** Ids matching any condition: a UNION of single-index scans, which a combined OR would not get. */
function candidateIds(table: string, idColumn: string, conditions: Prisma.Sql[]) {
  return Prisma.join(
    conditions.map((c) => Prisma.sql`SELECT ${Prisma.raw(`"${idColumn}"`)} AS id FROM ${Prisma.raw(`"${table}"`)} WHERE ${c}`),
    ' UNION ',
  );
}

/** The best-scoring field of a row; on equal scores the heavier field, then declaration order. */
function bestField(fields: [SearchField, Prisma.Sql][]) {
  const values = Prisma.join(
    // A NULL column (no synopsis, no original title) scores 0, not NULL, which would sort first.
    fields.map(([field, score], i) => Prisma.sql`(${field}, round(COALESCE(${score}, 0)::numeric, 4), ${i})`),
    ', ',
  );
  return Prisma.sql`CROSS JOIN LATERAL (SELECT field, score FROM (VALUES ${values}) AS v(field, score, position)
    ORDER BY score DESC, position LIMIT 1) AS best`;
}

function filmHits(q: Terms) {
  const title = nameMatch(Prisma.sql`f."title"`, q);
  const original = nameMatch(Prisma.sql`f."originalTitle"`, q);
  const synopsis = proseMatch(Prisma.sql`f."synopsis"`, q);
  // Candidate conditions name the bare columns (no alias), as the index expressions do.
  const ids = candidateIds('Film', 'id', [
    ...nameMatch(Prisma.sql`"title"`, q).candidates,
    ...nameMatch(Prisma.sql`"originalTitle"`, q).candidates,
    ...proseMatch(Prisma.sql`"synopsis"`, q).candidates,
  ]);
  return Prisma.sql`SELECT ${TYPE_RANK.FILM}::int AS type, f."id", best.field, best.score
    FROM "Film" f JOIN (${ids}) AS hit ON hit.id = f."id"
    ${bestField([
      ['TITLE', title.score(FIELD_WEIGHT.TITLE)],
      ['ORIGINAL_TITLE', original.score(FIELD_WEIGHT.ORIGINAL_TITLE)],
      ['SYNOPSIS', synopsis.score(FIELD_WEIGHT.SYNOPSIS)],
    ])}`;
}

function personHits(q: Terms) {
  const name = nameMatch(Prisma.sql`p."name"`, q);
  const alias = nameMatch(Prisma.sql`a."name"`, q);
  const ids = Prisma.sql`${candidateIds('Person', 'id', nameMatch(Prisma.sql`"name"`, q).candidates)}
    UNION ${candidateIds('PersonAlias', 'personId', nameMatch(Prisma.sql`"name"`, q).candidates)}`;
  const bestAlias = Prisma.sql`COALESCE((SELECT max(${alias.score(FIELD_WEIGHT.ALIAS)}) FROM "PersonAlias" a
    WHERE a."personId" = p."id"), 0)`;
  return Prisma.sql`SELECT ${TYPE_RANK.PERSON}::int AS type, p."id", best.field, best.score
    FROM "Person" p JOIN (${ids}) AS hit ON hit.id = p."id"
    ${bestField([
      ['NAME', name.score(FIELD_WEIGHT.NAME)],
      ['ALIAS', bestAlias],
    ])}`;
}

function publicationHits(q: Terms) {
  const name = nameMatch(Prisma.sql`o."name"`, q);
  const ids = candidateIds('Publication', 'id', nameMatch(Prisma.sql`"name"`, q).candidates);
  return Prisma.sql`SELECT ${TYPE_RANK.PUBLICATION}::int AS type, o."id", best.field, best.score
    FROM "Publication" o JOIN (${ids}) AS hit ON hit.id = o."id"
    ${bestField([['NAME', name.score(FIELD_WEIGHT.NAME)]])}`;
}

const HITS: Record<SearchType, (q: Terms) => Prisma.Sql> = {
  FILM: filmHits,
  PERSON: personHits,
  PUBLICATION: publicationHits,
};

/**
 * One statement: every matching row of the requested types, scored, ranked by
 * (score desc, type, id), counted, and cut to the page after `after`.
 */
export function searchStatement(input: { terms: SearchTerms; types: readonly SearchType[]; after: SearchKey | null; take: number }) {
  const q = terms(input.terms);
  const hits = Prisma.join(
    input.types.map((type) => HITS[type](q)),
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
