import * as z from 'zod';
import { builder } from '../../builder.ts';
import { userInputError } from '../../errors.ts';
import { TitleTypeEnum } from '../catalog/enums.ts';
import { ReleaseTypeEnum } from '../enums.ts';
import { checkOrderBy, OrderDirectionEnum, orderSignature, type OrderTerm } from '../order.ts';
import { maxReleaseTypes } from '../release.ts';
import { filmSortKey, type FilmOrderField } from './sql.ts';

const nonEmpty = (name: string, max: number) => z.string().min(1, `${name} must not be empty`).max(max, `${name} is at most ${max} characters`).nullish();

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
    releasedIn: t.field({ type: ReleaseFilterInput, required: false, description: 'At least one release matching every given part.' }),
    hasReviews: t.boolean({ required: false, description: 'true: at least one review; false: none.' }),
    minCriticScore: t.float({
      required: false,
      description: 'Critic score (average normalized review score, 0–100) at least this; unscored films are excluded.',
      validate: z.number().min(0, 'minCriticScore must be between 0 and 100').max(100, 'minCriticScore must be between 0 and 100').nullish(),
    }),
    titleTypes: t.field({
      type: [TitleTypeEnum],
      required: false,
      description: 'The film is of one of these title types (e.g. [FEATURE]); films of unknown type are excluded.',
      validate: z.array(z.string()).max(10, 'at most 10 title types').nullish(),
    }),
  }),
});

export const FilmOrderFieldEnum = builder.enumType('FilmOrderField', {
  description: 'What films can be sorted by.',
  values: {
    TITLE: { description: 'Title, in the database collation.' },
    YEAR: { description: 'Films without a year come last.' },
    RELEASE_DATE: {
      description: 'Earliest release in any country, or in `filter.releasedIn.country` when given. Unreleased films last.',
    },
    CRITIC_SCORE: { description: 'Average normalized review score (0–100). Films without scored reviews last.' },
    CREATED_AT: { description: 'When the film was added to Cinegraph.' },
  } as const,
});

export const FilmOrderInput = builder.inputType('FilmOrder', {
  description: 'One sort term of `films(orderBy:)`.',
  fields: (t) => ({
    field: t.field({ type: FilmOrderFieldEnum, required: true, description: 'The key to sort by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'ASC', description: 'ASC (default) or DESC.' }),
  }),
});

export type FilmFilter = NonNullable<typeof FilmFilterInput.$inferInput>;

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

/** Sort keys (id breaks ties in keyset.ts) and the ordering signature cursors are bound to. */
export function filmOrdering(orderBy: readonly OrderTerm<FilmOrderField>[] | null | undefined, filter: FilmFilter | null | undefined) {
  const terms = checkOrderBy(orderBy);
  const country = filter?.releasedIn?.country;
  const keys = terms.map((term) => filmSortKey(term.field, term.direction === 'DESC', country));
  // RELEASE_DATE means another date per country, so a cursor is bound to the country too.
  const scope = country && terms.some((t) => t.field === 'RELEASE_DATE') ? `@${country}` : '';
  return { keys, signature: `Film|${orderSignature(terms)}${scope}` };
}
