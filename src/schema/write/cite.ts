/** CitationInput, and citing the facts a write changes: excerpts located in the source text, one Citation row per fact. */
import * as z from 'zod';
import { builder } from '../../builder.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { CitationKind } from '../../generated/prisma/enums.ts';
import { ExcerptNotFoundError, locate } from '../citation/locate.ts';
import { CitationKindEnum } from '../enums.ts';
import { globalId } from './input.ts';
import type { Writer } from './run.ts';
import { userText, type UserError } from './write.ts';

export const CitationInput = builder.inputType('CitationInput', {
  description:
    'The source excerpt that backs facts a mutation sets. The excerpt must occur verbatim in the source text; the server locates it and stores its offsets (docs/writing.md#citations).',
  fields: (t) => ({
    sourceSlug: t.string({ required: false, description: 'The source by slug (give this or `sourceId`).' }),
    sourceId: t.id({ required: false, description: 'The source by global ID (give this or `sourceSlug`).' }),
    excerpt: t.string({ required: true, description: 'The passage, verbatim (1–2000 characters).' }),
    occurrence: t.int({
      required: false,
      description: 'Which occurrence of the excerpt in the text (0 = first, the default), when it occurs more than once.',
    }),
    kind: t.field({
      type: CitationKindEnum,
      required: false,
      description: 'STATED (default): the excerpt says it. INFERRED: reasoned from it; say how in `note`.',
    }),
    fields: t.stringList({
      required: false,
      description: 'The input fields this excerpt backs, e.g. ["year", "runtimeMinutes"]; default: every fact the mutation changes.',
    }),
    note: t.string({ required: false, description: 'Editorial context for this citation (e.g. why an INFERRED fact follows).' }),
  }),
});

export const citationSchema = z
  .object({
    sourceSlug: z.string().min(1, 'sourceSlug must not be empty').max(200, 'sourceSlug is at most 200 characters').nullish(),
    sourceId: globalId('Source').nullish(),
    excerpt: userText('excerpt', 1, 2_000),
    occurrence: z.number().int().min(0, 'occurrence must be 0 or more').max(10_000, 'occurrence is at most 10000').nullish(),
    kind: z.enum(CitationKind).nullish(),
    fields: z.array(z.string().max(100)).min(1, 'fields must name at least one field; omit it to cite every changed fact').max(50).nullish(),
    note: userText('note', 1, 1_000).nullish(),
  })
  .superRefine((citation, ctx) => {
    if ((citation.sourceSlug == null) === (citation.sourceId == null)) {
      ctx.addIssue({ code: 'custom', path: ['sourceSlug'], message: 'give exactly one of sourceSlug and sourceId' });
    }
  });

export const citationsSchema = z.array(citationSchema).max(20, 'at most 20 citations per mutation').nullish();

export type CitationArg = z.output<typeof citationSchema>;

/** The record a citation backs: exactly one of Citation's target columns. */
export type CitationTarget = Pick<
  Prisma.CitationUncheckedCreateInput,
  | 'filmId'
  | 'personId'
  | 'personAliasId'
  | 'creditId'
  | 'publicationId'
  | 'criticId'
  | 'reviewId'
  | 'reviewQuoteId'
  | 'releaseId'
  | 'ratingId'
  | 'filmTitleId'
  | 'companyId'
  | 'filmCompanyId'
  | 'filmMoneyId'
>;

/**
 * Cite the facts a write `changed` (names of input fields, each one of `facts`): every changed
 * fact must be backed by at least one citation, unless the caller may write uncited (admin and a
 * note). Each citation backs its `fields` (default: every changed fact) and becomes one Citation
 * row per fact, with `field` set and offsets located server-side, so that
 * `source.text.slice(start, end) === excerpt`. Unchanged values cite nothing. Returns the new
 * citation ids (for the revision). Sources are read in one statement, rows written in one.
 */
export async function citeFacts(
  w: Writer,
  citations: readonly CitationArg[] | null | undefined,
  facts: readonly string[],
  changed: readonly string[],
  target: CitationTarget,
  path: string[] = ['input', 'citations'],
): Promise<number[]> {
  const given = citations ?? [];
  const errors: UserError[] = [];
  const covers = given.map((citation, i) => {
    const unknown = (citation.fields ?? []).filter((f) => !facts.includes(f));
    if (unknown.length > 0) {
      errors.push({
        field: [...path, String(i), 'fields'],
        code: 'INVALID',
        message: `fields names ${unknown.join(', ')}, not a fact of this input (${facts.join(', ')})`,
      });
    }
    return (citation.fields ?? changed).filter((f) => changed.includes(f));
  });
  if (!w.mayWriteUncited) {
    for (const fact of changed.filter((f) => !covers.some((c) => c.includes(f)))) {
      errors.push({
        // The fact sits beside its citations: ["input", "runtimeMinutes"], ["input", "quotes", "0", "text"].
        field: [...path.slice(0, -1), fact],
        code: 'CITATION_REQUIRED',
        message: `${fact} is changed without a citation: add a CitationInput that backs it (or, with the admin scope, state a note).`,
      });
    }
  }
  if (errors.length > 0) w.failAll(errors);
  if (changed.length === 0 || given.length === 0) return [];

  const slugs = given.flatMap((c) => (c.sourceSlug != null ? [c.sourceSlug] : []));
  const ids = given.flatMap((c) => (c.sourceId != null ? [c.sourceId] : []));
  const sources = await w.tx.source.findMany({ where: { OR: [{ slug: { in: slugs } }, { id: { in: ids } }] }, select: { id: true, slug: true, text: true } });
  const rows: Prisma.CitationCreateManyInput[] = [];
  given.forEach((citation, i) => {
    const source = sources.find((s) => (citation.sourceSlug != null ? s.slug === citation.sourceSlug : s.id === citation.sourceId));
    if (!source) {
      const by = citation.sourceSlug != null ? `slug "${citation.sourceSlug}"` : 'that id';
      errors.push({
        field: [...path, String(i), citation.sourceSlug != null ? 'sourceSlug' : 'sourceId'],
        code: 'NOT_FOUND',
        message: `No source with ${by}.`,
      });
      return;
    }
    let offsets: { start: number; end: number };
    try {
      offsets = locate(source.text, { excerpt: citation.excerpt, occurrence: citation.occurrence ?? 0 });
    } catch (error) {
      if (!(error instanceof ExcerptNotFoundError)) throw error;
      const times = citation.occurrence ? ` ${citation.occurrence + 1} times` : '';
      errors.push({
        field: [...path, String(i), 'excerpt'],
        code: 'EXCERPT_NOT_FOUND',
        message: `The excerpt does not occur in the source text${times}; quote it verbatim.`,
      });
      return;
    }
    for (const field of covers[i]!) {
      rows.push({ ...target, ...offsets, sourceId: source.id, kind: citation.kind ?? 'STATED', field, excerpt: citation.excerpt, note: citation.note ?? null });
    }
    w.touched('Source', source.id);
  });
  if (errors.length > 0) w.failAll(errors);
  if (rows.length === 0) return [];
  const created = await w.tx.citation.createManyAndReturn({ data: rows, select: { id: true } });
  return created.map((c) => c.id);
}
