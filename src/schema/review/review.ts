/**
 * Review: a publication's review of a film, with its quotes and score, and the order every list of reviews shares.
 * Siblings: outlet.ts (Publication, Critic, their root fields) · edit.ts and mutations.ts (review and
 * quote writes) · outlet-edit.ts and outlet-mutations.ts (publication and critic writes).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { totalCountField } from '../connection.ts';
import { addRevisionsField } from '../write/revision.ts';

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

export const ReviewQuoteRef = builder.prismaObject('ReviewQuote', {
  description: 'A passage quoted from a review.',
  fields: (t) => ({
    id: t.id({
      description: 'Global ID, for updateReviewQuote and removeReviewQuote (a quote is not a node: `node(id:)` does not resolve it).',
      resolve: (quote) => encodeGlobalID('ReviewQuote', quote.id),
    }),
    position: t.exposeInt('position', { description: "Order among the review's quotes (0 first)." }),
    text: t.exposeString('text', { description: 'The quoted passage.' }),
    citations: t.relation('citations', { description: 'The excerpts that back this quote.', query: citationsQuery }),
  }),
});

addRevisionsField('Review');
addRevisionsField('ReviewQuote');
