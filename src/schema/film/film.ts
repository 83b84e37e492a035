/**
 * Film: the type, its relations and the `film` / `films` root fields.
 * Siblings: list.ts (films connection, facets) · filter.ts (FilmFilter, FilmOrder) ·
 * release-for.ts (Film.releaseFor) · critic-score.ts (Film.criticScore) · mutations.ts and edit.ts (createFilm, updateFilm, deleteFilm) ·
 * sql.ts (every raw statement of the domain).
 */
import { builder } from '../../builder.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { citationsQuery } from '../citation/citation.ts';
import { castOrder, CreditConnection, creditFilter, CreditFilterInput, creditOrder, crewOrder } from '../credit.ts';
import { ExternalIdInput, externalIdSchema, lookupWhere, sqlRoot } from '../external-id.ts';
import { filmConnectionFields, filmListArgs, filmListSql, resolveFilmList } from './list.ts';
import { keyCrewSql } from './sql.ts';
import { PersonRef } from '../person/person.ts';
import { ReviewConnection, reviewOrder } from '../review/review.ts';
import { findFollowingRedirect } from '../merge/follow.ts';
import { addRevisionsField } from '../write/revision.ts';

/**
 * Directors and writers read one shared selection of the crew-only relation (Credit.crewFilmId),
 * so a query asking for both, and for a cast page over `credits`, is still one statement: the
 * Prisma plugin merges selections of a relation only when their arguments are equal.
 */
const KEY_CREW = { OR: [{ job: 'Director' }, { department: 'WRITING' }] } satisfies Prisma.CreditWhereInput;

function keyCrew<P>(person: P) {
  return { crewCredits: { where: KEY_CREW, orderBy: crewOrder, select: { job: true, department: true, person } } };
}

/** One entry per person, in credit order: a writer credited for screenplay and story is listed once. */
function distinctPeople<T extends { id: number }>(credits: { person: T }[]): T[] {
  return [...new Map(credits.map((c) => [c.person.id, c.person])).values()];
}

export const FilmRef = builder.prismaNode('Film', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'A film. Every fact about it can be traced to a source through `citations`.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key: lower-case words joined by hyphens, unique (e.g. "her-2013"). `film(slug:)` finds it.' }),
    title: t.exposeString('title', { description: 'Title as released in English-language sources.' }),
    originalTitle: t.exposeString('originalTitle', { nullable: true, description: 'Title in the original language; null when it is the same as `title`.' }),
    year: t.exposeInt('year', { nullable: true, description: 'Release year; null when no source gives it.' }),
    synopsis: t.exposeString('synopsis', { nullable: true, description: 'Plot summary.' }),
    genres: t.exposeStringList('genres', { description: 'Genres, most defining first (e.g. ["Drama", "Romance"]).' }),
    runtimeMinutes: t.expose('runtimeMinutes', { type: 'NonNegativeInt', nullable: true, description: 'Running time in minutes.' }),
    imdbId: t.exposeString('imdbId', { nullable: true, description: 'IMDb title id, e.g. "tt1798709".' }),
    tmdbId: t.exposeInt('tmdbId', { nullable: true, description: 'The Movie Database id.' }),
    wikidataId: t.exposeString('wikidataId', { nullable: true, description: 'Wikidata item, e.g. "Q132863".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the film was added to Cinegraph.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the film record last changed.' }),
    credits: t.relatedConnection(
      'credits',
      {
        cursor: 'id',
        totalCount: true,
        description: 'Cast (billing order) before crew (department, job), optionally filtered.',
        args: { filter: t.arg({ type: CreditFilterInput, required: false, description: 'Only the credits matching every given part.' }) },
        query: (args) => ({ where: creditFilter(args.filter), orderBy: creditOrder }),
      },
      CreditConnection,
    ),
    cast: t.relation('credits', {
      description: 'Cast credits in billing order (unbilled last).',
      query: { where: { kind: 'CAST' }, orderBy: castOrder },
    }),
    crew: t.relation('crewCredits', {
      description: 'Crew credits by department, then job.',
      query: { orderBy: crewOrder },
    }),
    directors: t.field({
      type: [PersonRef],
      description: 'People credited as Director, in credit order, each once.',
      select: (_args, _ctx, nestedSelection) => keyCrew(nestedSelection(true)),
      resolve: (film) => distinctPeople(film.crewCredits.filter((c) => c.job === 'Director')),
      extensions: { sql: keyCrewSql(`"job" = 'Director'`) },
    }),
    writers: t.field({
      type: [PersonRef],
      description: 'People credited in the WRITING department, in credit order, each once.',
      select: (_args, _ctx, nestedSelection) => keyCrew(nestedSelection(true)),
      resolve: (film) => distinctPeople(film.crewCredits.filter((c) => c.department === 'WRITING')),
      extensions: { sql: keyCrewSql(`"department" = 'WRITING'`) },
    }),
    reviews: t.relatedConnection(
      'reviews',
      { cursor: 'id', totalCount: true, description: 'Its reviews, newest first.', query: { orderBy: [...reviewOrder] } },
      ReviewConnection,
    ),
    releases: t.relation('releases', {
      description: 'Its releases by date, then country.',
      args: { country: t.arg({ type: 'CountryCode', required: false, description: 'Only the releases in this country.' }) },
      query: (args) => ({
        where: args.country ? { country: args.country } : {},
        orderBy: [{ date: 'asc' }, { country: 'asc' }, { id: 'asc' }],
      }),
    }),
    citations: t.relation('citations', { description: 'The excerpts that back facts about this film.', query: citationsQuery }),
  }),
});

addRevisionsField('Film');

const FilmConnection = builder.connectionObject(
  { type: FilmRef, name: 'FilmConnection', description: 'A page of films.', fields: (t) => filmConnectionFields(t) },
  { name: 'FilmEdge', description: 'A film and its cursor.' },
);

builder.queryFields((t) => ({
  film: t.prismaField({
    type: FilmRef,
    nullable: true,
    description: 'One film by global `id`, by `slug` or by `externalId` (exactly one). Null when none matches.',
    args: {
      id: t.arg.globalID({ for: FilmRef, description: 'The global ID (`Film.id`).' }),
      slug: t.arg.string({ description: 'The slug (`Film.slug`).' }),
      externalId: t.arg({ type: ExternalIdInput, validate: externalIdSchema('film'), description: 'An id in IMDb, TMDB or Wikidata.' }),
    },
    // Hot documents read the row in one statement built from this (plugins/compiled/sql); a null
    // there is confirmed by the resolver, which follows redirects.
    extensions: { sqlRoot: sqlRoot('Film', 'film') },
    // A merged-away film's id or slug answers with the survivor (merge/follow.ts).
    resolve: (query, _root, args, ctx) =>
      findFollowingRedirect(ctx.prisma, 'Film', lookupWhere(args, 'film'), (where) => ctx.prisma.film.findUnique({ ...query, where })),
  }),
  films: t.field({
    type: FilmConnection,
    description: 'Films, filtered and ordered, paged by keyset cursors. See docs/api.md#filtering-ordering-and-facets.',
    args: filmListArgs(t.arg),
    extensions: { sqlList: filmListSql },
    resolve: (_root, args, ctx, info) => resolveFilmList(args, ctx, info),
  }),
}));
