import { z } from 'zod';
import { notFoundError, userInputError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../builder.ts';
import { dbId, exactlyOne } from '../args.ts';
import { userText } from '../write.ts';
import { ExcerptNotFoundError, locate } from './locate.ts';
import { SourceRef } from './source.ts';

export interface CitationArg {
  sourceSlug?: string | null | undefined;
  sourceId?: { id: string | number } | null | undefined;
  excerpt: string;
  occurrence?: number | null | undefined;
  note?: string | null | undefined;
}

export const CitationInput = builder.inputType('CitationInput', {
  description: 'The source excerpt that backs a write. The excerpt must occur verbatim in the source text; its offsets are computed by the server.',
  fields: (t) => ({
    sourceSlug: t.string({ required: false, description: 'The source by slug (give this or `sourceId`).' }),
    sourceId: t.globalID({ required: false, for: [SourceRef], description: 'The source by global ID (give this or `sourceSlug`).' }),
    excerpt: t.string({
      required: true,
      validate: userText('excerpt', 1, 2_000),
    }),
    occurrence: t.int({
      required: false,
      description: 'Which occurrence of the excerpt in the text (0 = first, the default), when it occurs more than once.',
      validate: z.number().int().min(0, 'occurrence must be 0 or more').max(10_000, 'occurrence is at most 10000').nullish(),
    }),
    note: t.string({ required: false, validate: userText('note', 1, 1_000).nullish() }),
  }),
});

/**
 * Resolve the cited source and locate the excerpt in its text. Unknown source → NOT_FOUND;
 * excerpt not in the text → BAD_USER_INPUT (every stored citation satisfies
 * `text.slice(start, end) === excerpt`).
 */
export async function locateCitation(tx: Prisma.TransactionClient, citation: CitationArg) {
  const by = exactlyOne(citation, ['sourceSlug', 'sourceId'], 'citation');
  const where = by === 'sourceSlug' ? { slug: citation.sourceSlug! } : { id: dbId(citation.sourceId!.id) };
  const source = await tx.source.findUnique({ where, select: { id: true, text: true } });
  if (!source) throw notFoundError(`No source ${by === 'sourceSlug' ? `with slug "${citation.sourceSlug}"` : 'with that id'}.`);
  try {
    const { start, end } = locate(source.text, { excerpt: citation.excerpt, occurrence: citation.occurrence ?? 0 });
    return { sourceId: source.id, excerpt: citation.excerpt, start, end, note: citation.note ?? null };
  } catch (error) {
    if (!(error instanceof ExcerptNotFoundError)) throw error;
    throw userInputError(`The excerpt does not occur in the source text${citation.occurrence ? ` ${citation.occurrence + 1} times` : ''}; quote it verbatim.`, {
      field: 'citation.excerpt',
    });
  }
}
