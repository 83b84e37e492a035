import { builder } from '../builder.ts';
import { citationsQuery } from './citation/citation.ts';
import { totalCountField } from './connection.ts';

/** Newest first, undated last; id breaks ties. Shared by every list of reviews. */
export const reviewOrder = [{ publishedOn: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] as const;

export const ReviewRef = builder.prismaNode('Review', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: "A publication's (and optionally a named critic's) review of a film.",
  fields: (t) => ({
    film: t.relation('film', { description: 'The film reviewed.' }),
    publication: t.relation('publication', { description: 'Where the review appeared.' }),
    critic: t.relation('critic', { nullable: true, description: 'Who wrote it; null when unsigned or unknown.' }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Where to read it.' }),
    quotes: t.relation('quotes', { description: 'Passages quoted from it, in order.', query: { orderBy: { position: 'asc' } } }),
    quote: t.string({
      nullable: true,
      description: 'The first quoted excerpt, for list views.',
      select: { quotes: { orderBy: { position: 'asc' }, take: 1, select: { text: true } } },
      resolve: (review) => review.quotes[0]?.text ?? null,
    }),
    originalScore: t.exposeFloat('originalScore', { nullable: true, description: 'As published, on `scoreScale`.' }),
    scoreScale: t.exposeFloat('scoreScale', { nullable: true, description: 'Top of the scale (4, 5, 10, 100…).' }),
    normalizedScore: t.expose('normalizedScore', {
      type: 'NonNegativeInt',
      nullable: true,
      description: '0–100: originalScore / scoreScale × 100, rounded. Null when unscored.',
    }),
    publishedOn: t.expose('publishedOn', { type: 'Date', nullable: true, description: 'The day it was published; null when unknown.' }),
    citations: t.relation('citations', { description: 'The excerpts that back this review.', query: citationsQuery }),
  }),
});

/** `Film.reviews`, `Critic.reviews` and `Publication.reviews`: one type, newest first. */
export const ReviewConnection = builder.connectionObject(
  {
    type: ReviewRef,
    name: 'ReviewConnection',
    description: 'A page of reviews.',
    fields: (t) => ({ totalCount: totalCountField(t, 'Reviews in the list (all pages); counted only when selected.') }),
  },
  { name: 'ReviewEdge', description: 'A review and its cursor.' },
);

builder.prismaObject('ReviewQuote', {
  description: 'A passage quoted from a review.',
  fields: (t) => ({
    position: t.exposeInt('position', { description: "Order among the review's quotes (0 first)." }),
    text: t.exposeString('text', { description: 'The quoted passage.' }),
    citations: t.relation('citations', { description: 'The excerpts that back this quote.', query: citationsQuery }),
  }),
});

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
