/** Publication and Critic: the outlets and named reviewers of reviews, with their root fields. */
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { addRevisionsField } from '../write/revision.ts';
import { reviewOrder } from './review.ts';

export const CriticRef = builder.prismaNode('Critic', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'A named reviewer.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    reviews: t.relatedConnection('reviews', { cursor: 'id', totalCount: true, query: { orderBy: [...reviewOrder] } }),
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
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    url: t.expose('url', { type: 'URL', nullable: true }),
    reviews: t.relatedConnection('reviews', { cursor: 'id', totalCount: true, query: { orderBy: [...reviewOrder] } }),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});

// The critic ↔ publication fields are added once both types exist (they reference each other).
builder.prismaObjectFields(PublicationRef, (t) => ({
  critics: t.field({
    type: [CriticRef],
    select: (_args, _ctx, nestedSelection) => ({
      critics: { orderBy: { criticId: 'asc' }, select: { critic: nestedSelection(true) } },
    }),
    resolve: (publication) => publication.critics.map((c) => c.critic),
  }),
}));

builder.prismaObjectFields(CriticRef, (t) => ({
  publications: t.field({
    type: [PublicationRef],
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
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.publication.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  publications: t.prismaConnection({
    type: PublicationRef,
    cursor: 'id',
    totalCount: (_parent, _args, ctx) => ctx.prisma.publication.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.publication.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
  critic: t.prismaField({
    type: CriticRef,
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.critic.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  critics: t.prismaConnection({
    type: CriticRef,
    cursor: 'id',
    totalCount: (_parent, _args, ctx) => ctx.prisma.critic.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.critic.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
}));

addRevisionsField('Publication');
addRevisionsField('Critic');
