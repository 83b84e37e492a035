/**
 * Review: a publication's review of a film, with its quotes and score, and the order every list of reviews shares.
 * Siblings: outlet.ts (Publication, Critic, their root fields) · edit.ts and mutations.ts (review and
 * quote writes) · outlet-edit.ts and outlet-mutations.ts (publication and critic writes).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { addRevisionsField } from '../write/revision.ts';

/** Newest first, undated last; id breaks ties. Shared by every list of reviews. */
export const reviewOrder = [{ publishedOn: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }] as const;

builder.prismaNode('Review', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: "A publication's (and optionally a named critic's) review of a film.",
  fields: (t) => ({
    film: t.relation('film'),
    publication: t.relation('publication'),
    critic: t.relation('critic', { nullable: true }),
    url: t.expose('url', { type: 'URL', nullable: true }),
    quotes: t.relation('quotes', { query: { orderBy: { position: 'asc' } } }),
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
    publishedOn: t.expose('publishedOn', { type: 'Date', nullable: true }),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});

builder.prismaObject('ReviewQuote', {
  description: 'A passage quoted from a review.',
  fields: (t) => ({
    id: t.id({
      description: 'Global ID, for updateReviewQuote and removeReviewQuote (a quote is not a node: `node(id:)` does not resolve it).',
      resolve: (quote) => encodeGlobalID('ReviewQuote', quote.id),
    }),
    position: t.exposeInt('position'),
    text: t.exposeString('text'),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});

addRevisionsField('Review');
addRevisionsField('ReviewQuote');
