/**
 * Person: the type, its aliases and the `person` / `people` root fields.
 * Siblings: list.ts (people connection, PersonFilter, PersonOrder) · filmography.ts
 * (Person.filmography) · sql.ts (every raw statement of the domain).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { ExternalIdInput, externalIdSchema, lookupWhere } from '../external-id.ts';
import { addRevisionsField } from '../write/revision.ts';
import { personConnectionFields, personListArgs, resolvePersonList } from './list.ts';

export const PersonRef = builder.prismaNode('Person', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'Someone credited on a film.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    imdbId: t.exposeString('imdbId', { nullable: true }),
    tmdbId: t.exposeInt('tmdbId', { nullable: true }),
    wikidataId: t.exposeString('wikidataId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    aliases: t.relation('aliases', { query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    credits: t.relatedConnection('credits', {
      description: 'Filmography: newest film first (undated films last), then by title.',
      cursor: 'id',
      totalCount: true,
      query: {
        orderBy: [{ film: { year: { sort: 'desc', nulls: 'last' } } }, { film: { title: 'asc' } }, { kind: 'asc' }, { id: 'asc' }],
      },
    }),
    citations: t.relation('citations', { query: citationsQuery }),
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
    name: t.exposeString('name'),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});

addRevisionsField('Person');
addRevisionsField('PersonAlias');

const PersonConnection = builder.connectionObject(
  { type: PersonRef, name: 'QueryPeopleConnection', fields: (t) => personConnectionFields(t) },
  { name: 'QueryPeopleConnectionEdge' },
);

builder.queryFields((t) => ({
  person: t.prismaField({
    type: PersonRef,
    nullable: true,
    description: 'One person by global `id`, by `slug` or by `externalId` (exactly one). Null when none matches.',
    args: {
      id: t.arg.globalID({ for: PersonRef }),
      slug: t.arg.string(),
      externalId: t.arg({ type: ExternalIdInput, validate: externalIdSchema('person') }),
    },
    resolve: (query, _root, args, ctx) => ctx.prisma.person.findUnique({ ...query, where: lookupWhere(args, 'person') }),
  }),
  people: t.field({
    type: PersonConnection,
    description: 'People, filtered and ordered, paged by keyset cursors. See docs/api.md#filtering-ordering-and-facets.',
    args: personListArgs(t.arg),
    resolve: (_root, args, ctx, info) => resolvePersonList(args, ctx, info),
  }),
}));
