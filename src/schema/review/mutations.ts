/** The review mutations' schema: createReview / updateReview / deleteReview and addReviewQuote / updateReviewQuote / removeReviewQuote. */
import { builder } from '../../builder.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { deletedPayload, loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import {
  addQuoteSchema,
  addReviewQuote,
  createReview,
  createReviewSchema,
  deleteReview,
  deleteSchema,
  MAX_QUOTES,
  MAX_SCALE,
  removeReviewQuote,
  updateQuoteSchema,
  updateReview,
  updateReviewQuote,
  updateReviewSchema,
} from './edit.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation): input, payload, and a field
// whose resolver hands the raw input, its zod schema and the write (edit.ts) to runWrite.

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';
const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';
const CITATIONS = 'The excerpts backing the facts set; every changed fact must be cited.';

const reviewFacts = <Required extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, required: Required) => ({
  filmId: t.id({ required, description: 'The film reviewed (global ID).' }),
  publicationId: t.id({ required, description: 'The outlet that published the review (global ID).' }),
  criticId: t.id({ description: 'The critic who signed it (global ID); null: unsigned, or the critic is unknown.' }),
  url: t.field({ type: 'URL', description: 'Where the review is published (http or https).' }),
  originalScore: t.float({ description: `The score as published, 0–scoreScale. Given with scoreScale, or neither (unscored).` }),
  scoreScale: t.float({ description: `The top of the score's scale (4, 5, 10, 100…), more than 0 and at most ${MAX_SCALE}.` }),
  publishedOn: t.field({ type: 'Date', description: 'When the review was published.' }),
  citations: t.field({ type: [CitationInput], description: CITATIONS }),
  note: t.string({ description: NOTE }),
});

const ReviewQuoteInput = builder.inputType('ReviewQuoteInput', {
  description: 'A passage quoted from the review, verbatim: each citation of it must have an excerpt containing `text`.',
  fields: (t) => ({
    text: t.string({ required: true, description: 'The quote (1–2000 characters).' }),
    citations: t.field({ type: [CitationInput], description: 'The excerpts holding the quote (each must contain it).' }),
  }),
});

const CreateReviewInput = builder.inputType('CreateReviewInput', {
  description: 'A new review of a film. Every fact given must be cited; the normalised score is computed.',
  fields: (t) => ({
    ...reviewFacts(t, true),
    quotes: t.field({ type: [ReviewQuoteInput], description: `Its quotes, in order (positions 0, 1…; at most ${MAX_QUOTES}).` }),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const UpdateReviewInput = builder.inputType('UpdateReviewInput', {
  description: "New values for some of a review's facts. Omitted fields stay; null erases a nullable fact (erase a score with both of its fields).",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The review (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...reviewFacts(t, false),
  }),
});

const deleteInput = (name: string, what: string, description: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.id({ required: true, description: `The ${what} (global ID).` }),
      version: t.int({ required: true, description: VERSION }),
      note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
    }),
  });

const DeleteReviewInput = deleteInput(
  'DeleteReviewInput',
  'review',
  'The review to delete, at the version read. Its quotes and all their citations go with it.',
);
const RemoveReviewQuoteInput = deleteInput('RemoveReviewQuoteInput', 'quote', 'The quote to remove, at the version read, with its citations.');

const AddReviewQuoteInput = builder.inputType('AddReviewQuoteInput', {
  description: 'A quote to add to a review; its text is cited by excerpts that contain it.',
  fields: (t) => ({
    reviewId: t.id({ required: true, description: 'The review (global ID).' }),
    text: t.string({ required: true, description: 'The quote, verbatim (1–2000 characters).' }),
    position: t.int({ description: 'Where it goes (0–10000, free); default: after the last quote.' }),
    citations: t.field({ type: [CitationInput], description: 'The excerpts holding the quote (each must contain it).' }),
    note: t.string({ description: NOTE }),
  }),
});

const UpdateReviewQuoteInput = builder.inputType('UpdateReviewQuoteInput', {
  description: "A quote's new text (cited) or position (a free one; not a fact, not cited).",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The quote (ReviewQuote.id).' }),
    version: t.int({ required: true, description: VERSION }),
    text: t.string({ description: 'The new text, verbatim.' }),
    position: t.int({ description: 'The new position (0–10000), not held by another quote of the review.' }),
    citations: t.field({ type: [CitationInput], description: 'The excerpts holding the new text (each must contain it).' }),
    note: t.string({ description: NOTE }),
  }),
});

const reviewPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ review: number }>>(name).implement({
    description,
    fields: (t) => ({
      review: t.prismaField({
        type: 'Review',
        nullable: true,
        description: 'The review as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.review, (args) => ctx.prisma.review.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const quotePayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ quote: number }>>(name).implement({
    description,
    fields: (t) => ({
      quote: t.prismaField({
        type: 'ReviewQuote',
        nullable: true,
        description: 'The quote as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.quote, (args) => ctx.prisma.reviewQuote.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

builder.mutationFields((t) => ({
  createReview: t.field({
    type: reviewPayload('CreateReviewPayload', 'The created review, or why it was not created.'),
    authScopes: factScopes,
    description:
      'Create a review (with its quotes and score) from cited facts. Scope `write` (`admin` to state a note instead of citations). Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: CreateReviewInput, required: true, description: "The review's facts, quotes and citations." }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createReview', input, schema: createReviewSchema, idempotent: true }, (w, parsed) => createReview(w, parsed)),
  }),
  updateReview: t.field({
    type: reviewPayload('UpdateReviewPayload', 'The updated review, or why it was not updated.'),
    authScopes: factScopes,
    description: "Change a review's facts, each change cited, at the version read. Scope `write` (`admin` to state a note instead of citations).",
    args: { input: t.arg({ type: UpdateReviewInput, required: true, description: 'The review, the version read, the facts to change and their citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updateReview', input, schema: updateReviewSchema }, (w, parsed) => updateReview(w, parsed)),
  }),
  deleteReview: t.field({
    type: deletedPayload('DeleteReviewPayload', 'What the deletion removed, or why it did not.', 'the review, its quotes and their citations'),
    authScopes: { write: true },
    description: 'Delete a review with its quotes and their citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: DeleteReviewInput, required: true, description: 'The review and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deleteReview', input, schema: deleteSchema('Review') }, async (w, parsed) => ({
        deletedIds: await deleteReview(w, parsed.id, parsed.version),
      })),
  }),
  addReviewQuote: t.field({
    type: quotePayload('AddReviewQuotePayload', 'The added quote, or why it was not added.'),
    authScopes: factScopes,
    description: 'Add a cited quote to a review. Scope `write` (`admin` to state a note instead of citations).',
    args: { input: t.arg({ type: AddReviewQuoteInput, required: true, description: 'The review, the quote and its citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'addReviewQuote', input, schema: addQuoteSchema }, (w, parsed) => addReviewQuote(w, parsed)),
  }),
  updateReviewQuote: t.field({
    type: quotePayload('UpdateReviewQuotePayload', 'The updated quote, or why it was not updated.'),
    authScopes: factScopes,
    description: "Change a quote's text (cited) or position, at the version read. Scope `write` (`admin` to state a note instead of citations).",
    args: { input: t.arg({ type: UpdateReviewQuoteInput, required: true, description: 'The quote, the version read, and what changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'updateReviewQuote', input, schema: updateQuoteSchema }, (w, parsed) => updateReviewQuote(w, parsed)),
  }),
  removeReviewQuote: t.field({
    type: deletedPayload('RemoveReviewQuotePayload', 'What the removal deleted, or why it did not.', 'the quote and its citations'),
    authScopes: { write: true },
    description: 'Remove a quote and its citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: RemoveReviewQuoteInput, required: true, description: 'The quote and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'removeReviewQuote', input, schema: deleteSchema('ReviewQuote') }, async (w, parsed) => ({
        deletedIds: await removeReviewQuote(w, parsed.id, parsed.version),
      })),
  }),
}));
