import type { GraphQLResolveInfo } from 'graphql';
import type { ArgBuilder } from '@pothos/core';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Film, Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { KeysetArgs } from '../../pagination/keyset.ts';
import { keysetListPage, once, resolveKeysetList, type KeysetList } from '../../pagination/list.ts';
import type { SqlListRoot } from '../../plugins/compiled/sql/compile.ts';
import { keysetPageArgs } from '../connection.ts';
import type { OrderTerm } from '../order.ts';
import { checkFilmFilter, filmOrdering, FilmFilterInput, FilmOrderInput, type FilmFilter } from './filter.ts';
import { facetRows, FILM_ID, filmSource, filmWhere, type FilmOrderField } from './sql.ts';

export interface FacetCount<V> {
  value: V;
  count: number;
}

export interface FilmFacets {
  genres: FacetCount<string>[];
  years: FacetCount<number | null>[];
  countries: FacetCount<string>[];
}

const StringFacetRef = builder.objectRef<FacetCount<string>>('StringFacet').implement({
  description: 'One facet value and how many films of the filtered list have it.',
  fields: (t) => ({
    value: t.exposeString('value', { description: 'The value (a genre, a country code).' }),
    count: t.exposeInt('count', { description: 'Films with it.' }),
  }),
});

const YearFacetRef = builder.objectRef<FacetCount<number | null>>('YearFacet').implement({
  description: 'A year (null: films without a year) and how many films of the filtered list have it.',
  fields: (t) => ({
    value: t.exposeInt('value', { nullable: true, description: 'The year; null for films without one.' }),
    count: t.exposeInt('count', { description: 'Films of that year.' }),
  }),
});

const FilmFacetsRef = builder.objectRef<FilmFacets>('FilmFacets').implement({
  description: 'Counts over every film matching the filter (not only the page).',
  fields: (t) => ({
    genres: t.field({ type: [StringFacetRef], description: 'Most frequent first, then by name.', resolve: (f) => f.genres }),
    years: t.field({ type: [YearFacetRef], description: 'By year, films without a year last.', resolve: (f) => f.years }),
    countries: t.field({
      type: [StringFacetRef],
      description: 'Films with at least one release in each country; most frequent first, then by code.',
      resolve: (f) => f.countries,
    }),
  }),
});

/** Extra fields of the films connection; each runs its statement only when selected. */
export interface FilmListExtras {
  totalCount: () => Promise<number>;
  facets: () => Promise<FilmFacets>;
}

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

// Pothos types a connection's parent as { edges, pageInfo } only; resolveFilmList adds the extras.
const extras = (parent: object) => parent as FilmListExtras;

export const filmConnectionFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
  totalCount: t.int({
    description: 'Films matching the filter (all pages); counted only when selected.',
    resolve: (parent) => extras(parent).totalCount(),
  }),
  facets: t.field({
    type: FilmFacetsRef,
    description: 'Counts over the filtered list; computed (one statement) only when selected.',
    resolve: (parent) => extras(parent).facets(),
  }),
});

export const filmListArgs = (t: ArgBuilder<Types>) => ({
  filter: t({ type: FilmFilterInput, required: false, description: 'Only the films matching every given part.' }),
  orderBy: t({
    type: [FilmOrderInput],
    required: false,
    description: 'Sort terms in priority order; id breaks remaining ties. Default: by id.',
  }),
  ...keysetPageArgs(t),
});

async function facets(prisma: PrismaClient, where: Prisma.Sql): Promise<FilmFacets> {
  const rows = await facetRows(prisma, where);
  const byCount = <V extends string>(a: FacetCount<V>, b: FacetCount<V>) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
  const of = (facet: string) => rows.filter((r) => r.facet === facet);
  return {
    genres: of('genres')
      .map((r) => ({ value: r.value!, count: r.count }))
      .sort(byCount),
    countries: of('countries')
      .map((r) => ({ value: r.value!, count: r.count }))
      .sort(byCount),
    years: of('years')
      .map((r) => ({ value: r.value === null ? null : Number(r.value), count: r.count }))
      .sort((a, b) => (a.value ?? Infinity) - (b.value ?? Infinity)),
  };
}

type FilmListArgs = KeysetArgs & { filter?: FilmFilter | null; orderBy?: readonly OrderTerm<FilmOrderField>[] | null };

/** The films a list's arguments select, in their order (checked first: a bad filter is a user error before any SQL). */
function filmList(args: FilmListArgs, ctx: Context) {
  checkFilmFilter(args.filter);
  const where = filmWhere(args.filter);
  const list: KeysetList<Film> = {
    typeName: 'Film',
    ordering: filmOrdering(args.orderBy, args.filter),
    source: filmSource(where),
    idExpr: FILM_ID,
    // Rows hold what the client selected; Pothos types nodes as whole Film rows, as prismaConnection does.
    load: (query, ids) => ctx.prisma.film.findMany({ ...(query as Prisma.FilmFindManyArgs), where: { id: { in: ids } } }) as Promise<Film[]>,
  };
  return { where, list };
}

export async function resolveFilmList(args: FilmListArgs, ctx: Context, info: GraphQLResolveInfo) {
  const { where, list } = filmList(args, ctx);
  const extras: Pick<FilmListExtras, 'facets'> = { facets: once(() => facets(ctx.prisma, where)) };
  return resolveKeysetList(ctx, info, args, list, extras);
}

/** `films` for hot documents answered in SQL (plugins/compiled/sql): the same page; `facets` stays with the resolver. */
export const filmListSql: SqlListRoot = {
  model: 'Film',
  fields: ['totalCount'],
  page: async (args, ctx: Context) => keysetListPage(ctx, args, filmList(args as FilmListArgs, ctx).list),
};
