/**
 * Person: the type, its aliases and the `person` / `people` root fields.
 * Siblings: list.ts (people connection, PersonFilter, PersonOrder) · filmography.ts
 * (Person.filmography) · sql.ts (every raw statement of the domain).
 */
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { ExternalIdInput, externalIdSchema, lookupWhere } from '../external-id.ts';
import { findFollowingRedirect } from '../merge/follow.ts';
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

builder.prismaObject('PersonAlias', {
  description: 'Another spelling of the name seen in a source; searches by it find the same person.',
  fields: (t) => ({
    name: t.exposeString('name'),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});

addRevisionsField('Person');

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
    // A merged-away person's id or slug answers with the survivor (merge/follow.ts).
    resolve: (query, _root, args, ctx) =>
      findFollowingRedirect(ctx.prisma, 'Person', lookupWhere(args, 'person'), (where) => ctx.prisma.person.findUnique({ ...query, where })),
  }),
  people: t.field({
    type: PersonConnection,
    description: 'People, filtered and ordered, paged by keyset cursors. See docs/api.md#filtering-ordering-and-facets.',
    args: personListArgs(t.arg),
    resolve: (_root, args, ctx, info) => resolvePersonList(args, ctx, info),
  }),
}));
