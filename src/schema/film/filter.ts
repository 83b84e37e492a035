import { z } from 'zod';
import { builder } from '../../builder.ts';
import { userInputError } from '../../errors.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { SortKey } from '../../pagination/keyset.ts';
import { ReleaseTypeEnum } from '../enums.ts';
import { checkOrderBy, OrderDirectionEnum, orderSignature, type OrderTerm } from '../order.ts';
import { maxReleaseTypes } from '../release.ts';

const nonEmpty = (name: string, max: number) =>
  z.string().min(1, `${name} must not be empty`).max(max, `${name} is at most ${max} characters`).nullish();

export const ReleaseFilterInput = builder.inputType('ReleaseFilter', {
  description: 'Matches films with at least one release satisfying every given part.',
  fields: (t) => ({
    country: t.field({ type: 'CountryCode', required: false, description: 'ISO 3166-1 alpha-2 code, e.g. "US".' }),
    from: t.field({ type: 'Date', required: false, description: 'Released on or after this date.' }),
    to: t.field({ type: 'Date', required: false, description: 'Released on or before this date.' }),
    types: t.field({ type: [ReleaseTypeEnum], required: false, description: 'Any of these release types.', validate: maxReleaseTypes.nullish() }),
  }),
});

export const FilmFilterInput = builder.inputType('FilmFilter', {
  description: 'Every given part must hold. Omitted or null parts do not filter.',
  fields: (t) => ({
    genres: t.stringList({
      required: false,
      description: 'The film has every one of these genres (exact spelling, e.g. "Drama").',
      validate: z.array(z.string().min(1, 'a genre must not be empty').max(50, 'a genre is at most 50 characters')).max(10, 'at most 10 genres').nullish(),
    }),
    yearFrom: t.int({ required: false, description: 'Year on or after (films without a year are excluded).' }),
    yearTo: t.int({ required: false, description: 'Year on or before (films without a year are excluded).' }),
    personSlug: t.string({ required: false, description: 'Credited person (with `creditJob`: in that job).', validate: nonEmpty('personSlug', 200) }),
    creditJob: t.string({ required: false, description: 'Credit job, case-insensitive (e.g. "Director").', validate: nonEmpty('creditJob', 100) }),
    releasedIn: t.field({ type: ReleaseFilterInput, required: false }),
    hasReviews: t.boolean({ required: false, description: 'true: at least one review; false: none.' }),
    minCriticScore: t.float({
      required: false,
      description: 'Critic score (average normalized review score, 0–100) at least this; unscored films are excluded.',
      validate: z.number().min(0, 'minCriticScore must be between 0 and 100').max(100, 'minCriticScore must be between 0 and 100').nullish(),
    }),
  }),
});

export const FilmOrderFieldEnum = builder.enumType('FilmOrderField', {
  values: {
    TITLE: {},
    YEAR: { description: 'Films without a year come last.' },
    RELEASE_DATE: {
      description: 'Earliest release in any country, or in `filter.releasedIn.country` when given. Unreleased films last.',
    },
    CRITIC_SCORE: { description: 'Average normalized review score (0–100). Films without scored reviews last.' },
    CREATED_AT: {},
  } as const,
});

export const FilmOrderInput = builder.inputType('FilmOrder', {
  fields: (t) => ({
    field: t.field({ type: FilmOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'ASC' }),
  }),
});

export type FilmFilter = NonNullable<typeof FilmFilterInput.$inferInput>;
export type FilmOrderField = 'TITLE' | 'YEAR' | 'RELEASE_DATE' | 'CRITIC_SCORE' | 'CREATED_AT';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Cross-field checks the per-field validators cannot make. */
export function checkFilmFilter(filter: FilmFilter | null | undefined): void {
  if (!filter) return;
  if (filter.yearFrom != null && filter.yearTo != null && filter.yearFrom > filter.yearTo) {
    throw userInputError(`filter.yearFrom (${filter.yearFrom}) is after filter.yearTo (${filter.yearTo}).`);
  }
  const { from, to } = filter.releasedIn ?? {};
  if (from && to && from > to) {
    throw userInputError(`filter.releasedIn.from (${day(from)}) is after filter.releasedIn.to (${day(to)}).`);
  }
}

/** The film's critic score: AVG of its reviews' normalizedScore, ignoring unscored ones; NULL when none. */
export const criticScoreSql = (film: Prisma.Sql) =>
  Prisma.sql`(SELECT AVG(r."normalizedScore") FROM "Review" r WHERE r."filmId" = ${film} AND r."normalizedScore" IS NOT NULL)`;

/** The film's earliest release in one country (in any country it is Film.firstReleaseDate). */
const releaseDateSql = (film: Prisma.Sql, country: string) =>
  Prisma.sql`(SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = ${film} AND r."country" = ${country})`;

const F = Prisma.raw('f."id"');

/** `WHERE …` over "Film" f for a filter. */
export function filmWhere(filter: FilmFilter | null | undefined): Prisma.Sql {
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
  return c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
}

/** Sort keys (id breaks ties in keyset.ts) and the ordering signature cursors are bound to. */
export function filmOrdering(orderBy: readonly OrderTerm<FilmOrderField>[] | null | undefined, filter: FilmFilter | null | undefined) {
  const terms = checkOrderBy(orderBy);
  const country = filter?.releasedIn?.country;
  const keys: SortKey[] = terms.map((term) => {
    const descending = term.direction === 'DESC';
    switch (term.field) {
      case 'TITLE':
        return { expr: Prisma.sql`f."title"`, type: 'text', nullable: false, descending };
      case 'YEAR':
        return { expr: Prisma.sql`f."year"`, type: 'int', nullable: true, descending };
      case 'CREATED_AT':
        return { expr: Prisma.sql`f."createdAt"`, type: 'timestamptz', nullable: false, descending };
      // Both columns hold the aggregates below, kept by triggers (migration 20261128200100_list_scale),
      // so these orders scan an index instead of aggregating every filtered film.
      case 'CRITIC_SCORE':
        return { expr: Prisma.sql`f."criticScoreAverage"`, type: 'float8', nullable: true, descending };
      case 'RELEASE_DATE':
        return country
          ? { expr: releaseDateSql(F, country), type: 'date', nullable: true, descending }
          : { expr: Prisma.sql`f."firstReleaseDate"`, type: 'date', nullable: true, descending };
    }
  });
  // RELEASE_DATE means another date per country, so a cursor is bound to the country too.
  const scope = country && terms.some((t) => t.field === 'RELEASE_DATE') ? `@${country}` : '';
  return { keys, signature: `Film|${orderSignature(terms)}${scope}` };
}
