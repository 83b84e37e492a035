/**
 * Citation: the excerpt of a source (or the record of a dataset snapshot) that backs a fact, and
 * the `citations` ordering every cited type shares.
 * Siblings: source.ts (Source, `source` / `sources`) · locate.ts (excerpt offsets, shared with the
 * seed and with writes, whose CitationInput lives in write/cite.ts).
 */
import { builder } from '../../builder.ts';
import { CitationKindEnum } from '../enums.ts';

interface TextLocator {
  excerpt: string;
  start: number;
  end: number;
}

interface RecordLocator {
  file: string;
  key: string;
  fields: string[];
}

const TextLocatorRef = builder.objectRef<TextLocator>('TextLocator').implement({
  description: "Where a text citation's excerpt is: the passage and its offsets in `Source.text`.",
  fields: (t) => ({
    excerpt: t.exposeString('excerpt', { description: 'The passage, verbatim.' }),
    start: t.exposeInt('start', { description: 'Offset of the excerpt in `Source.text` (UTF-16 code units, inclusive).' }),
    end: t.exposeInt('end', { description: 'End offset (exclusive): `text.slice(start, end) === excerpt`.' }),
  }),
});

const RecordLocatorRef = builder.objectRef<RecordLocator>('RecordLocator').implement({
  description: "Which record of a dataset snapshot (the citation's `source`) states the fact, e.g. `title.principals` `tt0109830/3` `category`.",
  fields: (t) => ({
    file: t.exposeString('file', { description: 'The dataset file or table, e.g. "title.basics" or "movies.json".' }),
    key: t.exposeString('key', { description: 'The record\'s key within the file, e.g. "tt0109830" or "tt0109830/3" (title and ordering).' }),
    fields: t.exposeStringList('fields', { description: "The record's fields (columns, as the file names them) that state the fact." }),
  }),
});

const CitationLocatorUnion = builder.unionType('CitationLocator', {
  description: 'Where in its source a citation points: an excerpt of a text (TextLocator) or a record of a dataset (RecordLocator).',
  types: [TextLocatorRef, RecordLocatorRef],
  resolveType: (locator) => ('excerpt' in locator ? TextLocatorRef : RecordLocatorRef),
});

export const CitationRef = builder.prismaNode('Citation', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'What backs a fact: an excerpt of a source text with its position, or a record of a dataset snapshot (`locator` says which).',
  fields: (t) => ({
    source: t.relation('source', { description: 'The source the excerpt (or the record) is taken from.' }),
    locator: t.field({
      type: CitationLocatorUnion,
      description: 'Where in the source: the excerpt and its offsets, or the dataset record (file, key, fields).',
      select: { excerpt: true, start: true, end: true, recordFile: true, recordKey: true, recordFields: true },
      resolve: (c) =>
        c.excerpt !== null
          ? { excerpt: c.excerpt, start: c.start ?? 0, end: c.end ?? 0 }
          : { file: c.recordFile ?? '', key: c.recordKey ?? '', fields: c.recordFields },
    }),
    excerpt: t.exposeString('excerpt', { nullable: true, description: 'The passage, verbatim; null for a record citation (see `locator`).' }),
    start: t.exposeInt('start', {
      nullable: true,
      description: 'Offset of the excerpt in `Source.text` (UTF-16 code units, inclusive); null for a record citation.',
    }),
    end: t.exposeInt('end', { nullable: true, description: 'End offset (exclusive): `text.slice(start, end) === excerpt`; null for a record citation.' }),
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
