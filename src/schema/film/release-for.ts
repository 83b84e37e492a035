import { builder } from '../../builder.ts';
import type { Release, ReleaseType } from '../../generated/prisma/client.ts';
import { ReleaseTypeEnum } from '../enums.ts';
import { ReleaseRef, releaseTypesArg } from '../release.ts';

/**
 * Which release a front end shows for a country. A wide theatrical opening is what audiences
 * mean by "the release date"; a limited run or a festival premiere comes before home media,
 * and a TV airing last. Lower index wins.
 */
export const RELEASE_TYPE_PRECEDENCE: readonly ReleaseType[] = ['THEATRICAL', 'LIMITED', 'PREMIERE', 'DIGITAL', 'PHYSICAL', 'TV'];

type ChoiceRow = Pick<Release, 'id' | 'country' | 'date' | 'type'>;

const rank = (type: ReleaseType) => RELEASE_TYPE_PRECEDENCE.indexOf(type);
const time = (release: ChoiceRow) => release.date.getTime();

/** In the requested country: type precedence, then earliest date, then lowest id. */
const inCountryOrder = (a: ChoiceRow, b: ChoiceRow) => rank(a.type) - rank(b.type) || time(a) - time(b) || a.id - b.id;
/** Fallback, anywhere: earliest date, then type precedence, then country code, then lowest id. */
const anywhereOrder = (a: ChoiceRow, b: ChoiceRow) => time(a) - time(b) || rank(a.type) - rank(b.type) || a.country.localeCompare(b.country) || a.id - b.id;

const CHOICE_COLUMNS = { id: true, country: true, date: true, type: true } as const;

export type ReleaseChoiceRule = 'COUNTRY_PRECEDENCE' | 'EARLIEST_ELSEWHERE';

export interface ReleaseChoice<R extends ChoiceRow = ChoiceRow> {
  release: R;
  matchedCountry: boolean;
  rule: ReleaseChoiceRule;
}

/** The release to show for `country` among `releases` (already restricted to the requested types). */
export function chooseRelease<R extends ChoiceRow>(releases: readonly R[], country: string): ReleaseChoice<R> | null {
  const local = releases.filter((r) => r.country === country);
  if (local.length > 0) return { release: [...local].sort(inCountryOrder)[0]!, matchedCountry: true, rule: 'COUNTRY_PRECEDENCE' };
  if (releases.length > 0) return { release: [...releases].sort(anywhereOrder)[0]!, matchedCountry: false, rule: 'EARLIEST_ELSEWHERE' };
  return null;
}

const ReleaseChoiceRuleEnum = builder.enumType('ReleaseChoiceRule', {
  description: 'How `Film.releaseFor` picked its release.',
  values: {
    COUNTRY_PRECEDENCE: {
      description:
        'The country has a release (of the requested types): the best type (THEATRICAL > LIMITED > PREMIERE > DIGITAL > PHYSICAL > TV), then the earliest date.',
    },
    EARLIEST_ELSEWHERE: {
      description: "The country has none: the film's earliest release (of the requested types) in any country.",
    },
  } as const,
});

const ReleaseChoiceRef = builder.objectRef<ReleaseChoice>('ReleaseChoice').implement({
  description: 'The release `Film.releaseFor` chose, and whether it is from the requested country.',
  fields: (t) => ({
    release: t.field({
      type: ReleaseRef,
      description: 'The chosen release.',
      // The row also holds every column and relation the client selected under `release`
      // (planned by `nestedSelection` in Film.releaseFor); its static type knows only CHOICE_COLUMNS.
      resolve: (choice) => choice.release as Release,
    }),
    matchedCountry: t.exposeBoolean('matchedCountry', {
      description: 'False when the country has no release (of the requested types) and this is a fallback.',
    }),
    rule: t.field({ type: ReleaseChoiceRuleEnum, description: 'Which rule picked it.', resolve: (choice) => choice.rule }),
  }),
});

builder.prismaObjectFields('Film', (t) => ({
  releaseFor: t.field({
    type: ReleaseChoiceRef,
    nullable: true,
    description:
      'The one release to show for `country`. Among the releases of `types` (default: all): the ' +
      "country's best by type (THEATRICAL > LIMITED > PREMIERE > DIGITAL > PHYSICAL > TV), then " +
      "earliest date, then id; when the country has none, the film's earliest release anywhere " +
      '(ties: type order, then country code, then id) with `matchedCountry: false`. Null when the ' +
      'film has no release of those types.',
    args: {
      country: t.arg({ type: 'CountryCode', required: true, description: 'The country to show a release for.' }),
      types: t.arg({
        type: [ReleaseTypeEnum],
        required: false,
        validate: releaseTypesArg,
        description: 'Only releases of these types count (default: every type).',
      }),
    },
    // Every candidate release is loaded with the page (relationJoins: same statement) and the
    // precedence applied here: a custom enum order and a fallback are awkward in Prisma's
    // orderBy, and a film has few releases.
    // CHOICE_COLUMNS: the precedence needs them even when the client selects nothing of `release`.
    select: (args, _ctx, nestedSelection) => ({
      releases: nestedSelection({ where: args.types ? { type: { in: args.types } } : {}, select: CHOICE_COLUMNS }, ['release']),
    }),
    resolve: (film, args) => chooseRelease(film.releases, args.country.toUpperCase()),
  }),
}));
