import * as z from 'zod';
import { builder } from '../builder.ts';
import { dbId, exactlyOne } from './args.ts';
import type { SqlRootHook } from '../plugins/compiled/sql/compile.ts';

export const ExternalIdSourceEnum = builder.enumType('ExternalIdSource', {
  description: 'A catalogue whose identifiers Cinegraph stores for films and people.',
  values: {
    IMDB: { description: 'IMDb: `tt…` for titles, `nm…` for names (at least 7 digits).' },
    TMDB: { description: 'The Movie Database: a positive integer, given as a string.' },
    WIKIDATA: { description: 'Wikidata: `Q` followed by digits.' },
  } as const,
});

export const ExternalIdInput = builder.inputType('ExternalIdInput', {
  description: 'An identifier in another catalogue, e.g. `{ source: IMDB, id: "tt1798709" }`.',
  fields: (t) => ({
    source: t.field({ type: ExternalIdSourceEnum, required: true, description: 'The catalogue.' }),
    id: t.string({ required: true, description: 'The id in that catalogue, in its own format (see ExternalIdSource).' }),
  }),
});

type Source = 'IMDB' | 'TMDB' | 'WIKIDATA';
type Kind = 'film' | 'person';

// Ids beyond these lengths exist in no catalogue; the cap keeps messages and queries small.
export const MAX_ID_LENGTH = 20;
export const INT4_MAX = 2 ** 31 - 1;

/** The format of each catalogue's ids, for lookups and for writes (film/edit.ts). */
export const EXTERNAL_ID_FORMATS: Record<Kind, Record<Source, { pattern: RegExp; example: string }>> = {
  film: {
    IMDB: { pattern: /^tt\d{7,}$/, example: 'tt1798709' },
    TMDB: { pattern: /^[1-9]\d*$/, example: '152601' },
    WIKIDATA: { pattern: /^Q\d+$/, example: 'Q132863' },
  },
  person: {
    IMDB: { pattern: /^nm\d{7,}$/, example: 'nm0005069' },
    TMDB: { pattern: /^[1-9]\d*$/, example: '5953' },
    WIKIDATA: { pattern: /^Q\d+$/, example: 'Q286570' },
  },
};

/** Zod schema for the `externalId` argument of `film` or `person`: the id must match its source's format. */
export function externalIdSchema(kind: Kind) {
  return z
    .object({ source: z.enum(['IMDB', 'TMDB', 'WIKIDATA']), id: z.string() })
    .superRefine((value, ctx) => {
      const { pattern, example } = EXTERNAL_ID_FORMATS[kind][value.source];
      const ok = value.id.length <= MAX_ID_LENGTH && pattern.test(value.id) && (value.source !== 'TMDB' || Number(value.id) <= INT4_MAX);
      if (!ok) {
        ctx.addIssue({
          code: 'custom',
          path: ['id'],
          message: `"${value.id.slice(0, MAX_ID_LENGTH)}" is not a valid ${value.source} ${kind} id (expected e.g. "${example}").`,
        });
      }
    })
    .nullish();
}

type Lookup = {
  id?: { id: string | number } | null;
  slug?: string | null;
  externalId?: { source: Source; id: string } | null;
};

/** The unique `where` for `film`/`person`: exactly one of global `id`, `slug` or `externalId`. */
export function lookupWhere(args: Lookup, field: Kind) {
  const key = exactlyOne(args, ['id', 'slug', 'externalId'], field);
  if (key === 'id') return { id: dbId(args.id!.id) };
  if (key === 'slug') return { slug: args.slug! };
  const { source, id } = args.externalId!;
  if (source === 'IMDB') return { imdbId: id };
  if (source === 'TMDB') return { tmdbId: Number(id) };
  return { wikidataId: id };
}

/** `extensions.sqlRoot` of `film`/`person`: the row `lookupWhere` names, for hot documents answered in SQL. */
export const sqlRoot =
  (model: 'Film' | 'Person', field: Kind): SqlRootHook =>
  (args) => ({ model, where: lookupWhere(args as Lookup, field) });
