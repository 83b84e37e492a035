/** Record citations and the imported facts of each entity type, shared by the importer (src/import) and conflict resolution. */
import type { Prisma } from '../../generated/prisma/client.ts';
import { FILM_FACTS } from '../film/facts.ts';
import type { CitationTarget } from '../write/cite.ts';

/** The record of a dataset snapshot that states a fact: the snapshot (a DATASET source), the file, the record's key and fields. */
export interface RecordRef {
  sourceId: number;
  file: string;
  key: string;
  fields: string[];
}

/** One Citation row naming a record (no excerpt, no offsets: the migration's Citation_locator CHECK). */
export function recordCitation(target: CitationTarget, field: string | null, record: RecordRef): Prisma.CitationCreateManyInput {
  return {
    ...target,
    sourceId: record.sourceId,
    kind: 'STATED',
    field,
    recordFile: record.file,
    recordKey: record.key,
    recordFields: record.fields,
  };
}

/**
 * The facts an import sets, per entity type, and the Citation column of that type. A Film's and a
 * Person's are cited one row per fact (`field` set); the other types' records are cited as a whole (`field` null).
 */
export const IMPORTED_FACTS = {
  Film: { target: 'filmId', facts: [...FILM_FACTS, 'titleType'] as string[], perField: true },
  Person: { target: 'personId', facts: ['name'], perField: true },
  Rating: { target: 'ratingId', facts: ['value', 'scale', 'votes'], perField: false },
  FilmMoney: { target: 'filmMoneyId', facts: ['amount', 'currency'], perField: false },
} as const satisfies Record<string, { target: keyof CitationTarget; facts: string[]; perField: boolean }>;

export type ImportedType = keyof typeof IMPORTED_FACTS;

/** JSON of a value as conflicts and revisions store it (BigInt money as a number). */
export const toJson = (value: unknown): Prisma.InputJsonValue | null =>
  value === null || value === undefined ? null : typeof value === 'bigint' ? Number(value) : (value as Prisma.InputJsonValue);
