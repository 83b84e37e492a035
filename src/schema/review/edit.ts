/** The review writes: createReview / updateReview / deleteReview and the quote writes, their zod schemas, and the revert hooks of Review and ReviewQuote. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { CITATION_FIELDS } from '../citation/edit.ts';
import { citationsSchema, citeFacts, type CitationArg } from '../write/cite.ts';
import { changedFields, restoredValues } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { calendarDate, globalId, httpUrl, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText, type UserError } from '../write/write.ts';

/** The facts of a review a mutation sets; each change is cited. */
export const REVIEW_FACTS = ['filmId', 'publicationId', 'criticId', 'url', 'originalScore', 'scoreScale', 'publishedOn'] as const;
/** What a Review revision diffs: the facts and the score derived from them (never cited: it follows from the two it is computed from). */
export const REVIEW_FIELDS = [...REVIEW_FACTS, 'normalizedScore'] as const;
type ReviewField = (typeof REVIEW_FIELDS)[number];
/** A quote's cited fact is its text; its review and position are where it sits (position: display order, not a claim). */
export const QUOTE_FACTS = ['text'] as const;
export const QUOTE_FIELDS = ['reviewId', 'position', 'text'] as const;

const select = <F extends string>(fields: readonly F[]) =>
  Object.fromEntries([...fields, 'id', 'version'].map((f) => [f, true])) as Record<F | 'id' | 'version', true>;
const REVIEW_SELECT = select(REVIEW_FIELDS);
const QUOTE_SELECT = select(QUOTE_FIELDS);

/** The largest score scale accepted (scales in use: 4, 5, 10, 100). */
export const MAX_SCALE = 1_000;
export const MAX_QUOTES = 50;

const facts = {
  filmId: globalId('Film'),
  publicationId: globalId('Publication'),
  criticId: globalId('Critic').nullable(),
  url: httpUrl.nullable(),
  originalScore: z.number().min(0, 'originalScore must be 0 or more').max(MAX_SCALE, `originalScore is at most ${MAX_SCALE}`).nullable(),
  scoreScale: z.number().gt(0, 'scoreScale must be more than 0').max(MAX_SCALE, `scoreScale is at most ${MAX_SCALE}`).nullable(),
  publishedOn: calendarDate('publishedOn').nullable(),
};

const quoteText = userText('text', 1, 2_000);
const quoteSchema = z.object({ text: quoteText, citations: citationsSchema });
const positionSchema = z.number().int().min(0, 'position must be 0 or more').max(10_000, 'position is at most 10000');

export const createReviewSchema = z.object({
  filmId: facts.filmId,
  publicationId: facts.publicationId,
  criticId: facts.criticId.optional(),
  url: facts.url.optional(),
  originalScore: facts.originalScore.optional(),
  scoreScale: facts.scoreScale.optional(),
  publishedOn: facts.publishedOn.optional(),
  quotes: z.array(quoteSchema).max(MAX_QUOTES, `at most ${MAX_QUOTES} quotes`).nullish(),
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

type ReviewValues = { [F in (typeof REVIEW_FACTS)[number]]: z.output<(typeof facts)[F]> };

export const updateReviewSchema = z
  .object({
    id: globalId('Review'),
    version: versionSchema,
    ...Object.fromEntries(REVIEW_FACTS.map((f) => [f, facts[f].optional()])),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => REVIEW_FACTS.some((f) => (input as Record<string, unknown>)[f] !== undefined), {
    message: `give at least one of: ${REVIEW_FACTS.join(', ')}`,
  }) as z.ZodType<{ id: number; version: number; citations: z.output<typeof citationsSchema>; note?: string | null } & Partial<ReviewValues>>;

export const deleteSchema = (typename: string) => z.object({ id: globalId(typename), version: versionSchema, note: noteSchema });

export const addQuoteSchema = z.object({
  reviewId: globalId('Review'),
  text: quoteText,
  position: positionSchema.nullish(),
  citations: citationsSchema,
  note: noteSchema,
});

export const updateQuoteSchema = z
  .object({
    id: globalId('ReviewQuote'),
    version: versionSchema,
    text: quoteText.optional(),
    position: positionSchema.optional(),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => input.text !== undefined || input.position !== undefined, { message: 'give text or position' });

/**
 * A score is the published score and the top of its scale, both or neither, the score within
 * the scale (the table's Review_score_scale CHECK, as a user error); the normalised score follows.
 */
function scored(w: Writer, values: Pick<ReviewValues, 'originalScore' | 'scoreScale'>): number | null {
  const { originalScore: score, scoreScale: scale } = values;
  if ((score == null) !== (scale == null)) {
    w.fail('INVALID', 'originalScore and scoreScale go together: give both (a score on its scale) or neither.', [
      'input',
      score == null ? 'originalScore' : 'scoreScale',
    ]);
  }
  if (score == null || scale == null) return null;
  if (score > scale) w.fail('INVALID', `originalScore ${score} is above the top of its scale (${scale}).`, ['input', 'originalScore']);
  return Math.round((score / scale) * 100);
}

/** The film, publication and critic a review names exist (one statement each, only for those given): NOT_FOUND at their input field. */
async function checkReferences(w: Writer, values: Partial<Pick<ReviewValues, 'filmId' | 'publicationId' | 'criticId'>>): Promise<void> {
  const errors: UserError[] = [];
  const missing = (field: string, type: string) => errors.push({ field: ['input', field], code: 'NOT_FOUND', message: `No ${type} with that id.` });
  if (values.filmId != null && !(await w.tx.film.findUnique({ where: { id: values.filmId }, select: { id: true } }))) missing('filmId', 'Film');
  if (values.publicationId != null && !(await w.tx.publication.findUnique({ where: { id: values.publicationId }, select: { id: true } })))
    missing('publicationId', 'Publication');
  if (values.criticId != null && !(await w.tx.critic.findUnique({ where: { id: values.criticId }, select: { id: true } }))) missing('criticId', 'Critic');
  if (errors.length > 0) w.failAll(errors);
}

/** The lists holding a review: its film's, its outlet's and its critic's. */
function touchReview(w: Writer, review: { filmId: number; publicationId: number; criticId: number | null }): void {
  w.touched('Film', review.filmId);
  w.touched('Publication', review.publicationId);
  if (review.criticId !== null) w.touched('Critic', review.criticId);
}

/**
 * A quote is verbatim: each excerpt citing its text must contain it, so the quote is located in
 * the source (at the excerpt's offset plus the text's position in it) like any cited fact.
 */
function checkVerbatim(w: Writer, text: string, citations: readonly CitationArg[] | null | undefined, path: string[]): void {
  const errors = (citations ?? []).flatMap((c, i): UserError[] =>
    (c.fields == null || c.fields.includes('text')) && !c.excerpt.includes(text)
      ? [
          {
            field: [...path, String(i), 'excerpt'],
            code: 'EXCERPT_NOT_FOUND',
            message: 'A quote is verbatim: the excerpt citing it must contain the quote text.',
          },
        ]
      : [],
  );
  if (errors.length > 0) w.failAll(errors);
}

async function insertQuote(w: Writer, reviewId: number, position: number, quote: z.output<typeof quoteSchema>, path: string[]): Promise<number> {
  checkVerbatim(w, quote.text, quote.citations, [...path, 'citations']);
  const row = await w.tx.reviewQuote.create({ data: { reviewId, position, text: quote.text }, select: { id: true } });
  const citationIds = await citeFacts(w, quote.citations, QUOTE_FACTS, QUOTE_FACTS, { reviewQuoteId: row.id }, [...path, 'citations']);
  w.revise('ReviewQuote', row.id, 'CREATE', { before: null, after: { reviewId, position, text: quote.text }, fields: QUOTE_FIELDS }, citationIds);
  return row.id;
}

export async function createReview(w: Writer, input: z.output<typeof createReviewSchema>): Promise<{ review: number }> {
  const values: ReviewValues = {
    filmId: input.filmId,
    publicationId: input.publicationId,
    criticId: input.criticId ?? null,
    url: input.url ?? null,
    originalScore: input.originalScore ?? null,
    scoreScale: input.scoreScale ?? null,
    publishedOn: input.publishedOn ?? null,
  };
  const normalizedScore = scored(w, values);
  await checkReferences(w, values);
  const review = await w.tx.review.create({ data: { ...values, normalizedScore }, select: { id: true } });
  const set = REVIEW_FACTS.filter((f) => values[f] !== null);
  const citationIds = await citeFacts(w, input.citations, REVIEW_FACTS, set, { reviewId: review.id });
  w.revise('Review', review.id, 'CREATE', { before: null, after: { ...values, normalizedScore }, fields: REVIEW_FIELDS }, citationIds);
  for (const [position, quote] of (input.quotes ?? []).entries()) await insertQuote(w, review.id, position, quote, ['input', 'quotes', String(position)]);
  touchReview(w, values);
  return { review: review.id };
}

/** Sets the given facts (omitted ones stay; unchanged ones are neither cited nor revised); the score is checked as it will be. */
export async function updateReview(w: Writer, input: z.output<typeof updateReviewSchema>): Promise<{ review: number }> {
  const review = checkVersion(w, 'Review', await w.tx.review.findUnique({ where: { id: input.id }, select: REVIEW_SELECT }), input.version);
  const changed = changedFields(review, input, REVIEW_FACTS);
  const citationIds = await citeFacts(w, input.citations, REVIEW_FACTS, changed, { reviewId: review.id });
  if (changed.length === 0) return { review: review.id };
  const data: Partial<Record<ReviewField, unknown>> = Object.fromEntries(changed.map((f) => [f, input[f]]));
  const next = { ...review, ...data } as typeof review;
  const normalizedScore = scored(w, next);
  if (normalizedScore !== review.normalizedScore) data.normalizedScore = normalizedScore;
  await checkReferences(w, Object.fromEntries(changed.map((f) => [f, input[f]])));
  await updateVersioned(w, 'Review', review.id, input.version, data);
  w.revise('Review', review.id, 'UPDATE', { before: review, after: { ...review, ...data }, fields: REVIEW_FIELDS }, citationIds);
  touchReview(w, review);
  touchReview(w, next);
  return { review: review.id };
}

/** Columns a DELETE revision keeps. */
const deleted = (row: Record<string, unknown>, fields: readonly string[]) => ({ before: row, after: null, fields });

/** Deletes a review with its quotes and the citations of both (database cascades), each with a DELETE revision. Returns their global ids. */
export async function deleteReview(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const review = checkVersion(
    w,
    'Review',
    await w.tx.review.findUnique({ where: { id }, select: { ...REVIEW_SELECT, quotes: { select: QUOTE_SELECT } } }),
    version,
  );
  const citations = await w.tx.citation.findMany({ where: { OR: [{ reviewId: id }, { reviewQuoteId: { in: review.quotes.map((q) => q.id) } }] } });
  await deleteVersioned(w, 'Review', id, version);
  w.revise('Review', id, 'DELETE', deleted(review, REVIEW_FIELDS), [], revertOfId);
  for (const q of review.quotes) w.revise('ReviewQuote', q.id, 'DELETE', deleted(q, QUOTE_FIELDS));
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', deleted(c, CITATION_FIELDS));
    w.touched('Source', c.sourceId);
  }
  touchReview(w, review);
  return [
    encodeGlobalID('Review', id),
    ...review.quotes.map((q) => encodeGlobalID('ReviewQuote', q.id)),
    ...citations.map((c) => encodeGlobalID('Citation', c.id)),
  ];
}

/** The position after a review's last quote. */
async function nextPosition(w: Writer, reviewId: number): Promise<number> {
  const last = await w.tx.reviewQuote.findFirst({ where: { reviewId }, orderBy: { position: 'desc' }, select: { position: true } });
  return last ? last.position + 1 : 0;
}

async function checkPositionFree(w: Writer, reviewId: number, position: number, path: string[]): Promise<void> {
  const taken = await w.tx.reviewQuote.findUnique({ where: { reviewId_position: { reviewId, position } }, select: { id: true } });
  if (taken) w.fail('TAKEN', `The review already has a quote at position ${position}; move that one first, or omit position to append.`, path);
}

export async function addReviewQuote(w: Writer, input: z.output<typeof addQuoteSchema>): Promise<{ quote: number }> {
  const review = await w.tx.review.findUnique({ where: { id: input.reviewId }, select: { id: true, filmId: true, publicationId: true, criticId: true } });
  if (!review) return w.fail('NOT_FOUND', 'No Review with that id.', ['input', 'reviewId']);
  if (input.position != null) await checkPositionFree(w, review.id, input.position, ['input', 'position']);
  const position = input.position ?? (await nextPosition(w, review.id));
  const quote = await insertQuote(w, review.id, position, input, ['input']);
  touchReview(w, review);
  w.touched('Review', review.id);
  return { quote };
}

export async function updateReviewQuote(w: Writer, input: z.output<typeof updateQuoteSchema>): Promise<{ quote: number }> {
  const quote = checkVersion(w, 'ReviewQuote', await w.tx.reviewQuote.findUnique({ where: { id: input.id }, select: QUOTE_SELECT }), input.version);
  const changed = changedFields(quote, input, ['text', 'position'] as const);
  if (changed.includes('text')) checkVerbatim(w, input.text!, input.citations, ['input', 'citations']);
  const citationIds = await citeFacts(
    w,
    input.citations,
    QUOTE_FACTS,
    changed.filter((f) => f === 'text'),
    { reviewQuoteId: quote.id },
  );
  if (changed.length === 0) return { quote: quote.id };
  if (changed.includes('position')) await checkPositionFree(w, quote.reviewId, input.position!, ['input', 'position']);
  const data = Object.fromEntries(changed.map((f) => [f, input[f]]));
  await updateVersioned(w, 'ReviewQuote', quote.id, input.version, data);
  w.revise('ReviewQuote', quote.id, 'UPDATE', { before: quote, after: { ...quote, ...data }, fields: QUOTE_FIELDS }, citationIds);
  w.touched('Review', quote.reviewId);
  return { quote: quote.id };
}

/** Removes a quote and its citations. Returns their global ids. */
export async function removeReviewQuote(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const quote = checkVersion(w, 'ReviewQuote', await w.tx.reviewQuote.findUnique({ where: { id }, select: QUOTE_SELECT }), version);
  const citations = await w.tx.citation.findMany({ where: { reviewQuoteId: id } });
  await deleteVersioned(w, 'ReviewQuote', id, version);
  w.revise('ReviewQuote', id, 'DELETE', deleted(quote, QUOTE_FIELDS), [], revertOfId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', deleted(c, CITATION_FIELDS));
    w.touched('Source', c.sourceId);
  }
  w.touched('Review', quote.reviewId);
  return [encodeGlobalID('ReviewQuote', id), ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

registerEditable({
  typename: 'Review',
  facts: REVIEW_FIELDS,
  cited: REVIEW_FACTS,
  async restore(w, id, version, values, revertOfId) {
    const review = checkVersion(w, 'Review', await w.tx.review.findUnique({ where: { id }, select: REVIEW_SELECT }), version);
    const restored = restoredValues(values, REVIEW_FIELDS, ['publishedOn']);
    const changed = changedFields(review, restored, REVIEW_FIELDS);
    if (changed.length === 0) return;
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]]));
    await updateVersioned(w, 'Review', id, version, data);
    w.revise('Review', id, 'REVERT', { before: review, after: { ...review, ...data }, fields: REVIEW_FIELDS }, [], revertOfId);
    touchReview(w, review);
    touchReview(w, { ...review, ...data });
  },
  async remove(w, id, version, revertOfId) {
    await deleteReview(w, id, version, revertOfId);
  },
});

registerEditable({
  typename: 'ReviewQuote',
  facts: QUOTE_FIELDS,
  cited: QUOTE_FACTS,
  async restore(w, id, version, values, revertOfId) {
    const quote = checkVersion(w, 'ReviewQuote', await w.tx.reviewQuote.findUnique({ where: { id }, select: QUOTE_SELECT }), version);
    const restored = restoredValues(values, ['text', 'position']);
    const changed = changedFields(quote, restored, ['text', 'position'] as const);
    if (changed.length === 0) return;
    if (changed.includes('position')) await checkPositionFree(w, quote.reviewId, restored['position'] as number, ['input', 'id']);
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]]));
    await updateVersioned(w, 'ReviewQuote', id, version, data);
    w.revise('ReviewQuote', id, 'REVERT', { before: quote, after: { ...quote, ...data }, fields: QUOTE_FIELDS }, [], revertOfId);
    w.touched('Review', quote.reviewId);
  },
  async remove(w, id, version, revertOfId) {
    await removeReviewQuote(w, id, version, revertOfId);
  },
});
