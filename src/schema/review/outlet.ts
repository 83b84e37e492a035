/** Publication and Critic: the outlets and named reviewers of reviews, with their root fields. */
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { totalCountField } from '../connection.ts';
import { addRevisionsField } from '../write/revision.ts';
import { ReviewConnection, reviewOrder } from './review.ts';

export const CriticRef = builder.prismaNode('Critic', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'A named reviewer.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key, unique. `critic(slug:)` finds it.' }),
    name: t.exposeString('name', { description: 'The name as signed.' }),
    reviews: t.relatedConnection(
      'reviews',
      { cursor: 'id', totalCount: true, description: 'Their reviews, newest first.', query: { orderBy: [...reviewOrder] } },
      ReviewConnection,
    ),
    citations: t.relation('citations', { query: citationsQuery, description: "Excerpts backing the critic's name and affiliations." }),
  }),
});

export const PublicationRef = builder.prismaNode('Publication', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'An outlet that publishes reviews.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key, unique. `publication(slug:)` finds it.' }),
    name: t.exposeString('name', { description: 'The name of the outlet.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Its home page.' }),
    reviews: t.relatedConnection(
      'reviews',
      { cursor: 'id', totalCount: true, description: 'Their reviews, newest first.', query: { orderBy: [...reviewOrder] } },
      ReviewConnection,
    ),
    citations: t.relation('citations', { description: 'The excerpts that back facts about this publication.', query: citationsQuery }),
  }),
});

// The critic ↔ publication fields are added once both types exist (they reference each other).
builder.prismaObjectFields(PublicationRef, (t) => ({
  critics: t.field({
    type: [CriticRef],
    description: 'Critics who wrote for it.',
    select: (_args, _ctx, nestedSelection) => ({
      critics: { orderBy: { criticId: 'asc' }, select: { critic: nestedSelection(true) } },
    }),
    resolve: (publication) => publication.critics.map((c) => c.critic),
  }),
}));

builder.prismaObjectFields(CriticRef, (t) => ({
  publications: t.field({
    type: [PublicationRef],
    description: 'Publications they wrote for.',
    select: (_args, _ctx, nestedSelection) => ({
      publications: { orderBy: { publicationId: 'asc' }, select: { publication: nestedSelection(true) } },
    }),
    resolve: (critic) => critic.publications.map((p) => p.publication),
  }),
}));

builder.queryFields((t) => ({
  publication: t.prismaField({
    type: PublicationRef,
    nullable: true,
    description: 'One publication by slug. Null when none matches.',
    args: { slug: t.arg.string({ required: true, description: 'The slug (`Publication.slug`).' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.publication.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  publications: t.prismaConnection(
    {
      type: PublicationRef,
      cursor: 'id',
      description: 'Every publication, by name.',
      totalCount: (_parent, _args, ctx) => ctx.prisma.publication.count(),
      resolve: (query, _root, _args, ctx) => ctx.prisma.publication.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    {
      name: 'PublicationConnection',
      description: 'A page of publications.',
      fields: (t) => ({ totalCount: totalCountField(t, 'Every publication (all pages); counted only when selected.') }),
    },
    { name: 'PublicationEdge', description: 'A publication and its cursor.' },
  ),
  critic: t.prismaField({
    type: CriticRef,
    nullable: true,
    description: 'One critic by slug. Null when none matches.',
    args: { slug: t.arg.string({ required: true, description: 'The slug (`Critic.slug`).' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.critic.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  critics: t.prismaConnection(
    {
      type: CriticRef,
      cursor: 'id',
      description: 'Every critic, by name.',
      totalCount: (_parent, _args, ctx) => ctx.prisma.critic.count(),
      resolve: (query, _root, _args, ctx) => ctx.prisma.critic.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    },
    {
      name: 'CriticConnection',
      description: 'A page of critics.',
      fields: (t) => ({ totalCount: totalCountField(t, 'Every critic (all pages); counted only when selected.') }),
    },
    { name: 'CriticEdge', description: 'A critic and their cursor.' },
  ),
}));

addRevisionsField('Publication');
addRevisionsField('Critic');
