/**
 * Person: the type, its aliases and the `person` / `people` root fields.
 * Siblings: list.ts (people connection, PersonFilter, PersonOrder) · filmography.ts
 * (Person.filmography) · sql.ts (every raw statement of the domain).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { CreditConnection } from '../credit.ts';
import { ExternalIdInput, externalIdSchema, lookupWhere, sqlRoot } from '../external-id.ts';
import { findFollowingRedirect } from '../merge/follow.ts';
import { addRevisionsField } from '../write/revision.ts';
import { personConnectionFields, personListArgs, personListSql, resolvePersonList } from './list.ts';

export const PersonRef = builder.prismaNode('Person', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'Someone credited on a film.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key: lower-case words joined by hyphens, unique. `person(slug:)` finds it.' }),
    name: t.exposeString('name', { description: 'The name as credited.' }),
    imdbId: t.exposeString('imdbId', { nullable: true, description: 'IMDb name id, e.g. "nm0005069".' }),
    tmdbId: t.exposeInt('tmdbId', { nullable: true, description: 'The Movie Database id.' }),
    wikidataId: t.exposeString('wikidataId', { nullable: true, description: 'Wikidata item, e.g. "Q286570".' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the person was added to Cinegraph.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the person record last changed.' }),
    aliases: t.relation('aliases', { description: 'Other spellings of the name, by name.', query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    credits: t.relatedConnection(
      'credits',
      {
        description: 'Filmography: newest film first (undated films last), then by title.',
        cursor: 'id',
        totalCount: true,
        query: {
          orderBy: [{ film: { year: { sort: 'desc', nulls: 'last' } } }, { film: { title: 'asc' } }, { kind: 'asc' }, { id: 'asc' }],
        },
      },
      CreditConnection,
    ),
    citations: t.relation('citations', { description: 'The excerpts that back facts about this person.', query: citationsQuery }),
  }),
});

export const PersonAliasRef = builder.prismaObject('PersonAlias', {
  description: 'Another spelling of the name seen in a source; searches by it find the same person.',
  fields: (t) => ({
    // Not a Node (node(id:) does not resolve it), but identified like one: updatePersonAlias and deletePersonAlias take this id.
    id: t.id({
      description: 'Global ID of the alias, for updatePersonAlias and deletePersonAlias.',
      resolve: (alias) => encodeGlobalID('PersonAlias', alias.id),
    }),
    name: t.exposeString('name', { description: 'The spelling.' }),
    citations: t.relation('citations', { description: 'The excerpts where this spelling occurs.', query: citationsQuery }),
  }),
});

addRevisionsField('Person');
addRevisionsField('PersonAlias');

const PersonConnection = builder.connectionObject(
  { type: PersonRef, name: 'PersonConnection', description: 'A page of people.', fields: (t) => personConnectionFields(t) },
  { name: 'PersonEdge', description: 'A person and their cursor.' },
);

builder.queryFields((t) => ({
  person: t.prismaField({
    type: PersonRef,
    nullable: true,
    description: 'One person by global `id`, by `slug` or by `externalId` (exactly one). Null when none matches.',
    args: {
      id: t.arg.globalID({ for: PersonRef, description: 'The global ID (`Person.id`).' }),
      slug: t.arg.string({ description: 'The slug (`Person.slug`).' }),
      externalId: t.arg({ type: ExternalIdInput, validate: externalIdSchema('person'), description: 'An id in IMDb, TMDB or Wikidata.' }),
    },
    // Hot documents read the row in one statement built from this (plugins/compiled/sql); a null
    // there is confirmed by the resolver, which follows redirects.
    extensions: { sqlRoot: sqlRoot('Person', 'person') },
    // A merged-away person's id or slug answers with the survivor (merge/follow.ts).
    resolve: (query, _root, args, ctx) =>
      findFollowingRedirect(ctx.prisma, 'Person', lookupWhere(args, 'person'), (where) => ctx.prisma.person.findUnique({ ...query, where })),
  }),
  people: t.field({
    type: PersonConnection,
    description: 'People, filtered and ordered, paged by keyset cursors. See docs/api.md#filtering-ordering-and-facets.',
    args: personListArgs(t.arg),
    extensions: { sqlList: personListSql },
    resolve: (_root, args, ctx, info) => resolvePersonList(args, ctx, info),
  }),
}));
