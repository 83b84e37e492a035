/**
 * Citation: the excerpt of a source that backs a fact, and the `citations` ordering every cited type shares.
 * Siblings: source.ts (Source, `source` / `sources`) · locate.ts (excerpt offsets, shared with the
 * seed and with writes, whose CitationInput lives in write/cite.ts).
 */
import { builder } from '../../builder.ts';
import { CitationKindEnum } from '../enums.ts';

export const CitationRef = builder.prismaNode('Citation', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'The excerpt of a source that backs a fact, with its position in the source text.',
  fields: (t) => ({
    source: t.relation('source', { description: 'The source the excerpt is taken from.' }),
    excerpt: t.exposeString('excerpt', { description: 'The passage, verbatim.' }),
    start: t.exposeInt('start', {
      description: 'Offset of the excerpt in `Source.text` (UTF-16 code units, inclusive).',
    }),
    end: t.exposeInt('end', { description: 'End offset (exclusive): `text.slice(start, end) === excerpt`.' }),
    kind: t.expose('kind', { type: CitationKindEnum, description: 'Whether the excerpt states the fact or it is inferred from it.' }),
    field: t.exposeString('field', {
      nullable: true,
      description: 'The attribute this citation backs (e.g. `date`); null when it backs the whole record.',
    }),
    note: t.exposeString('note', {
      nullable: true,
      description: 'Editorial context: why an INFERRED fact follows from the excerpt, or how a STATED one is read (e.g. a misspelling).',
    }),
  }),
});

/** The `citations` field every cited type shares, in reading order of the source. */
export const citationsQuery = { orderBy: [{ sourceId: 'asc' as const }, { start: 'asc' as const }, { id: 'asc' as const }] };
