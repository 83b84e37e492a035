import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import type { SortKey } from '../../pagination/keyset.ts';
import type { SqlFieldHook } from '../../plugins/compiled/sql/compile.ts';

/**
 * Every raw statement of the film domain: the list filter, its sort keys, its facets and the
 * critic-score aggregates, and `directors`/`writers` for hot documents answered in SQL. The GraphQL side (filter.ts, list.ts, critic-score.ts) calls these.
 */

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The filter's values as the SQL reads them (FilmFilter, validated by filter.ts). */
export interface FilmConditions {
  genres?: readonly string[] | null;
  yearFrom?: number | null;
  yearTo?: number | null;
  personSlug?: string | null;
  creditJob?: string | null;
  releasedIn?: { country?: string | null; from?: Date | null; to?: Date | null; types?: readonly string[] | null } | null;
  hasReviews?: boolean | null;
  minCriticScore?: number | null;
  titleTypes?: readonly string[] | null;
}

export type FilmOrderField = 'TITLE' | 'YEAR' | 'RELEASE_DATE' | 'CRITIC_SCORE' | 'CREATED_AT';

/** The film's critic score: AVG of its reviews' normalizedScore, ignoring unscored ones; NULL when none. */
export const criticScoreSql = (film: Prisma.Sql) =>
  Prisma.sql`(SELECT AVG(r."normalizedScore") FROM "Review" r WHERE r."filmId" = ${film} AND r."normalizedScore" IS NOT NULL)`;

/** The film's earliest release in one country (in any country it is Film.firstReleaseDate). */
const releaseDateSql = (film: Prisma.Sql, country: string) =>
  Prisma.sql`(SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = ${film} AND r."country" = ${country})`;

const F = Prisma.raw('f."id"');

/** The rows of a films list: `FROM "Film" f` with the filter's WHERE (keyset source). */
export const filmSource = (where: Prisma.Sql) => Prisma.sql`FROM "Film" f ${where}`;
export const FILM_ID = F;

/** `WHERE …` over "Film" f for a filter. */
export function filmWhere(filter: FilmConditions | null | undefined): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (filter?.genres?.length) c.push(Prisma.sql`f."genres" @> CAST(ARRAY[${Prisma.join(filter.genres)}] AS text[])`);
  if (filter?.yearFrom != null) c.push(Prisma.sql`f."year" >= CAST(${filter.yearFrom} AS int)`);
  if (filter?.yearTo != null) c.push(Prisma.sql`f."year" <= CAST(${filter.yearTo} AS int)`);
  if (filter?.personSlug || filter?.creditJob) {
    const parts: Prisma.Sql[] = [Prisma.sql`c."filmId" = ${F}`];
    if (filter.personSlug) parts.push(Prisma.sql`c."personId" = (SELECT p."id" FROM "Person" p WHERE p."slug" = ${filter.personSlug})`);
    if (filter.creditJob) parts.push(Prisma.sql`lower(c."job") = lower(${filter.creditJob})`);
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "Credit" c WHERE ${Prisma.join(parts, ' AND ')})`);
  }
  const rel = filter?.releasedIn;
  if (rel) {
    const parts: Prisma.Sql[] = [Prisma.sql`r."filmId" = ${F}`];
    if (rel.country) parts.push(Prisma.sql`r."country" = ${rel.country}`);
    if (rel.from) parts.push(Prisma.sql`r."date" >= CAST(${day(rel.from)} AS date)`);
    if (rel.to) parts.push(Prisma.sql`r."date" <= CAST(${day(rel.to)} AS date)`);
    if (rel.types) {
      parts.push(rel.types.length ? Prisma.sql`CAST(r."type" AS text) IN (${Prisma.join(rel.types)})` : Prisma.sql`FALSE`);
    }
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "Release" r WHERE ${Prisma.join(parts, ' AND ')})`);
  }
  if (filter?.hasReviews != null) {
    const exists = Prisma.sql`EXISTS (SELECT 1 FROM "Review" r WHERE r."filmId" = ${F})`;
    c.push(filter.hasReviews ? exists : Prisma.sql`NOT ${exists}`);
  }
  if (filter?.minCriticScore != null) c.push(Prisma.sql`${criticScoreSql(F)} >= CAST(${filter.minCriticScore} AS numeric)`);
  if (filter?.titleTypes) {
    c.push(filter.titleTypes.length ? Prisma.sql`CAST(f."titleType" AS text) IN (${Prisma.join(filter.titleTypes)})` : Prisma.sql`FALSE`);
  }
  return c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
}

/** The sort key of one orderBy term; `country` narrows RELEASE_DATE to releases there. */
export function filmSortKey(field: FilmOrderField, descending: boolean, country: string | null | undefined): SortKey {
  switch (field) {
    case 'TITLE':
      return { expr: Prisma.sql`f."title"`, type: 'text', nullable: false, descending };
    case 'YEAR':
      return { expr: Prisma.sql`f."year"`, type: 'int', nullable: true, descending };
    case 'CREATED_AT':
      return { expr: Prisma.sql`f."createdAt"`, type: 'timestamptz', nullable: false, descending };
    // Both columns hold the aggregates above, kept by triggers (migration 20261128200100_list_scale),
    // so these orders scan an index instead of aggregating every filtered film.
    case 'CRITIC_SCORE':
      return { expr: Prisma.sql`f."criticScoreAverage"`, type: 'float8', nullable: true, descending };
    case 'RELEASE_DATE':
      return country
        ? { expr: releaseDateSql(F, country), type: 'date', nullable: true, descending }
        : { expr: Prisma.sql`f."firstReleaseDate"`, type: 'date', nullable: true, descending };
  }
}

export interface FacetRow {
  facet: 'genres' | 'years' | 'countries';
  value: string | null;
  count: number;
}

/** The three facets of a filtered list in one statement, each counting distinct films. */
export function facetRows(prisma: PrismaClient, where: Prisma.Sql): Promise<FacetRow[]> {
  return prisma.$queryRaw<FacetRow[]>`
    WITH filtered AS (SELECT f."id", f."year", f."genres" FROM "Film" f ${where})
    SELECT 'genres' AS "facet", g AS "value", CAST(count(DISTINCT filtered."id") AS int) AS "count"
      FROM filtered, unnest(filtered."genres") AS g GROUP BY g
    UNION ALL
    SELECT 'years', CAST(filtered."year" AS text), CAST(count(*) AS int) FROM filtered GROUP BY filtered."year"
    UNION ALL
    SELECT 'countries', CAST(r."country" AS text), CAST(count(DISTINCT r."filmId") AS int)
      FROM filtered JOIN "Release" r ON r."filmId" = filtered."id" GROUP BY r."country"`;
}

/**
 * Aggregates for every film of the batch in one statement. AVG/COUNT ignore NULL scores, so
 * `average` and `scoredCount` cover scored reviews only while `count` covers all of them.
 */
export interface CriticScoreRow {
  filmId: number;
  count: number;
  scoredCount: number;
  positiveCount: number;
  average: number | null;
}

export function criticScoreRows(prisma: PrismaClient, filmIds: readonly number[], positiveThreshold: number): Promise<CriticScoreRow[]> {
  return prisma.$queryRaw<CriticScoreRow[]>`
    SELECT "filmId",
           COUNT(*)::int AS "count",
           COUNT("normalizedScore")::int AS "scoredCount",
           COUNT(*) FILTER (WHERE "normalizedScore" >= ${positiveThreshold})::int AS "positiveCount",
           AVG("normalizedScore")::float8 AS "average"
      FROM "Review"
     WHERE "filmId" IN (${Prisma.join(filmIds)})
     GROUP BY "filmId"`;
}

/**
 * `directors`/`writers` as SQL for hot documents (plugins/compiled/sql): the same people as
 * distinctPeople below, each at their first crew credit matching `condition` in crewOrder.
 */
export function keyCrewSql(condition: string): SqlFieldHook {
  return ({ parent, alias, object }) => {
    const [credit, first, person] = [alias(), alias(), alias()];
    const ranked = `SELECT ${credit}."personId", row_number() OVER (ORDER BY ${credit}."department", ${credit}."job", ${credit}."id") AS o FROM "Credit" AS ${credit} WHERE ${credit}."crewFilmId" = ${parent}."id" AND ${credit}.${condition}`;
    return `(SELECT coalesce(json_agg(${object('Person', person)} ORDER BY ${first}.o), '[]'::json) FROM (SELECT "personId", min(o) AS o FROM (${ranked}) AS r GROUP BY "personId") AS ${first} JOIN "Person" AS ${person} ON ${person}."id" = ${first}."personId")`;
  };
}
