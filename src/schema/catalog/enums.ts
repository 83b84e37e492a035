/** The catalogue's enums: title types, rating sources, company roles, kinds of money, conflict statuses. */
import { builder } from '../../builder.ts';
import type { CompanyRole, ConflictStatus, MoneyKind, RatingSource, TitleType } from '../../generated/prisma/enums.ts';

export const TitleTypeEnum = builder.enumType('TitleType', {
  description: "What kind of title a film is (IMDb's titleType): a feature, a short, a TV production…",
  values: {
    FEATURE: { description: 'A feature film (IMDb "movie").' },
    SHORT: { description: 'A short film.' },
    TV_MOVIE: { description: 'A film made for television.' },
    TV_SERIES: { description: 'A television series.' },
    TV_MINI_SERIES: { description: 'A television mini-series.' },
    TV_EPISODE: { description: 'One episode of a series.' },
    TV_SPECIAL: { description: 'A television special.' },
    TV_SHORT: { description: 'A short made for television.' },
    VIDEO: { description: 'A direct-to-video release.' },
    VIDEO_GAME: { description: 'A video game.' },
  } as const satisfies Record<TitleType, { description: string }>,
});

export const RatingSourceEnum = builder.enumType('RatingSource', {
  description: 'Who collected an audience rating.',
  values: {
    IMDB: { description: "IMDb users' weighted average (0–10)." },
    ROTTEN_TOMATOES: { description: 'Rotten Tomatoes (0–100).' },
    METACRITIC: { description: 'Metacritic (0–100).' },
  } as const satisfies Record<RatingSource, { description: string }>,
});

export const CompanyRoleEnum = builder.enumType('CompanyRole', {
  description: "A company's part in a film.",
  values: {
    DISTRIBUTOR: { description: 'It distributed the film.' },
    PRODUCTION: { description: 'It produced the film.' },
  } as const satisfies Record<CompanyRole, { description: string }>,
});

export const MoneyKindEnum = builder.enumType('MoneyKind', {
  description: 'What an amount of money about a film is.',
  values: {
    BUDGET: { description: 'The production budget.' },
    GROSS_US: { description: 'Box office gross in the United States.' },
    GROSS_WORLDWIDE: { description: 'Box office gross worldwide.' },
    DVD_SALES_US: { description: 'DVD sales in the United States.' },
  } as const satisfies Record<MoneyKind, { description: string }>,
});

export const ConflictStatusEnum = builder.enumType('ConflictStatus', {
  description: 'Where a conflict between a current value and an imported one stands.',
  values: {
    OPEN: { description: 'Waiting for an editor; the current value stays.' },
    KEPT_CURRENT: { description: 'An editor kept the current value.' },
    ACCEPTED_INCOMING: { description: 'An editor took the incoming value (a revision of the entity, citing the record).' },
  } as const satisfies Record<ConflictStatus, { description: string }>,
});
