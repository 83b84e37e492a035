/**
 * The source and citation writes: createSource / updateSource / deleteSource, addCitation /
 * removeCitation, their zod schemas, and the revert hooks of Source and Citation.
 */
import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { decodeGlobalID } from '../../builder.ts';
import type { Citation } from '../../generated/prisma/client.ts';
import { citationSchema, citeFacts, type CitationTarget } from '../write/cite.ts';
import { changedFields, restoredValues } from '../write/diff.ts';
import { checkVersion, deleteVersioned, EDITABLE_TYPES, editableEntity, registerEditable, updateVersioned, type EditableType } from '../write/entities.ts';
import { calendarDate, globalId, httpUrl, noteSchema, slugSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { UserErrorException, userText } from '../write/write.ts';

/** The record each Citation target column points at, by GraphQL typename. */
export const CITATION_TARGETS = {
  Film: 'filmId',
  Person: 'personId',
  PersonAlias: 'personAliasId',
  Credit: 'creditId',
  Publication: 'publicationId',
  Critic: 'criticId',
  Review: 'reviewId',
  ReviewQuote: 'reviewQuoteId',
  Release: 'releaseId',
  Rating: 'ratingId',
  FilmTitle: 'filmTitleId',
  Company: 'companyId',
  FilmCompany: 'filmCompanyId',
  FilmMoney: 'filmMoneyId',
} as const satisfies Partial<Record<EditableType, keyof CitationTarget>>;
type CitedType = keyof typeof CITATION_TARGETS;

/** What a Citation revision diffs (a citation is never updated: it is added, or removed). */
export const CITATION_FIELDS = ['sourceId', 'kind', 'field', 'excerpt', 'start', 'end', 'note', ...Object.values(CITATION_TARGETS)] as const;
/** What a Source revision diffs: its columns (none is a cited fact: a source is the evidence itself). */
export const SOURCE_FIELDS = ['slug', 'title', 'url', 'publisher', 'publishedOn', 'text', 'sha256'] as const;
type SourceField = (typeof SOURCE_FIELDS)[number];
const SOURCE_SELECT = Object.fromEntries([...SOURCE_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<SourceField | 'id' | 'version', true>;

/** A source's text: long enough for a feature article or a book chapter. */
export const MAX_SOURCE_TEXT = 1_000_000;

const sourceFacts = {
  slug: slugSchema,
  title: userText('title', 1, 500).nullable(),
  url: httpUrl.nullable(),
  publisher: userText('publisher', 1, 200).nullable(),
  publishedOn: calendarDate('publishedOn').nullable(),
  text: userText('text', 1, MAX_SOURCE_TEXT),
};
const EDITABLE_SOURCE_FIELDS = ['slug', 'title', 'url', 'publisher', 'publishedOn', 'text'] as const;

export const createSourceSchema = z.object({
  slug: sourceFacts.slug,
  title: sourceFacts.title.optional(),
  url: sourceFacts.url.optional(),
  publisher: sourceFacts.publisher.optional(),
  publishedOn: sourceFacts.publishedOn.optional(),
  text: sourceFacts.text,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updateSourceSchema = z
  .object({
    id: globalId('Source'),
    version: versionSchema,
    ...Object.fromEntries(EDITABLE_SOURCE_FIELDS.map((f) => [f, sourceFacts[f].optional()])),
    note: noteSchema,
  })
  .refine((input) => EDITABLE_SOURCE_FIELDS.some((f) => (input as Record<string, unknown>)[f] !== undefined), {
    message: `give at least one of: ${EDITABLE_SOURCE_FIELDS.join(', ')}`,
  }) as z.ZodType<
  { id: number; version: number; note?: string | null } & Partial<{ [F in (typeof EDITABLE_SOURCE_FIELDS)[number]]: z.output<(typeof sourceFacts)[F]> }>
>;

export const deleteSourceSchema = z.object({ id: globalId('Source'), version: versionSchema, cascade: z.boolean().nullish(), note: noteSchema });

/** Any record citations can point at, by global ID. */
const citedId = z.string({ error: 'must be an ID' }).transform((value, ctx) => {
  try {
    const { typename, id } = decodeGlobalID(value);
    if (typename in CITATION_TARGETS) return { type: typename as CitedType, id: Number(id) };
    ctx.addIssue({ code: 'custom', message: `is a ${typename} ID; citations back facts of ${Object.keys(CITATION_TARGETS).join(', ')}` });
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 100)}" is not a valid Cinegraph ID` });
  }
  return z.NEVER;
});

export const addCitationSchema = z.object({
  entityId: citedId,
  field: z.string().min(1, 'field must not be empty').max(100, 'field is at most 100 characters'),
  citation: citationSchema,
  note: noteSchema,
});

export const removeCitationSchema = z.object({ id: globalId('Citation'), version: versionSchema, note: noteSchema });

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export async function createSource(w: Writer, input: z.output<typeof createSourceSchema>): Promise<{ source: number }> {
  const values = {
    slug: input.slug,
    title: input.title ?? null,
    url: input.url ?? null,
    publisher: input.publisher ?? null,
    publishedOn: input.publishedOn ?? null,
    text: input.text,
    sha256: sha256(input.text),
  };
  const source = await w.tx.source.create({ data: values, select: { id: true } });
  w.revise('Source', source.id, 'CREATE', { before: null, after: values, fields: SOURCE_FIELDS });
  return { source: source.id };
}

/**
 * A cited source's text is fixed: citations store offsets into it (`text.slice(start, end) ===
 * excerpt`), and re-locating them could silently move a citation to another occurrence or drop
 * one. Its other columns may change. IN_USE, naming how many citations hold it.
 */
async function refuseTextChangeWhileCited(w: Writer, id: number): Promise<void> {
  const cited = await w.tx.citation.count({ where: { sourceId: id } });
  if (cited > 0) {
    w.fail(
      'IN_USE',
      `The text of a cited source cannot change: ${cited} citation(s) point into it by offset. Create a new source for the new text, cite it, and remove the old citations.`,
      ['input', 'text'],
    );
  }
}

export async function updateSource(w: Writer, input: z.output<typeof updateSourceSchema>): Promise<{ source: number }> {
  const source = checkVersion(w, 'Source', await w.tx.source.findUnique({ where: { id: input.id }, select: SOURCE_SELECT }), input.version);
  const changed = changedFields(source, input, EDITABLE_SOURCE_FIELDS);
  if (changed.length === 0) return { source: source.id };
  const data: Partial<Record<SourceField, unknown>> = Object.fromEntries(changed.map((f) => [f, input[f]]));
  if (changed.includes('text')) {
    await refuseTextChangeWhileCited(w, source.id);
    data.sha256 = sha256(input.text!);
  }
  await updateVersioned(w, 'Source', source.id, input.version, data);
  w.revise('Source', source.id, 'UPDATE', { before: source, after: { ...source, ...data }, fields: SOURCE_FIELDS });
  return { source: source.id };
}

/** The record a citation backs, as a type and id. */
function targetOf(citation: Citation): { type: CitedType; id: number } {
  for (const [type, column] of Object.entries(CITATION_TARGETS) as [CitedType, keyof CitationTarget][]) {
    const id = citation[column];
    if (id != null) return { type, id };
  }
  throw new Error(`Citation ${citation.id} has no target`);
}

/** A fact that lost its last citation. */
export interface UnbackedFact {
  entityType: CitedType;
  entityId: number;
  field: string | null;
}

/** Of the facts `removed` backed, those no other citation (outside `removed`) backs; a citation without `field` backs its whole record. */
async function unbackedBy(w: Writer, removed: Citation[]): Promise<UnbackedFact[]> {
  if (removed.length === 0) return [];
  const ids = removed.map((c) => c.id);
  const targets = removed.map(targetOf);
  const remaining = await w.tx.citation.findMany({
    where: { id: { notIn: ids }, OR: targets.map((t) => ({ [CITATION_TARGETS[t.type]]: t.id })) },
  });
  const facts = new Map<string, UnbackedFact>();
  for (const c of removed) {
    const target = targetOf(c);
    const backed = remaining.some((r) => {
      const other = targetOf(r);
      return other.type === target.type && other.id === target.id && (r.field === null || c.field === null || r.field === c.field);
    });
    if (!backed) facts.set(`${target.type}:${target.id}:${c.field}`, { entityType: target.type, entityId: target.id, field: c.field });
  }
  return [...facts.values()];
}

/** Revisions and invalidation for citations a write removed (a cascade, or removeCitation). */
function reviseRemovedCitations(w: Writer, citations: Citation[], revertOfId: number | null = null): void {
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', { before: c, after: null, fields: CITATION_FIELDS }, [], revertOfId);
    const target = targetOf(c);
    w.touched(target.type, target.id);
  }
}

/**
 * Deletes a source. With citations it is IN_USE unless `cascade`, which removes them too (DELETE
 * revisions) and reports the facts left without any citation, for an editor to cite again.
 */
export async function deleteSource(
  w: Writer,
  input: { id: number; version: number; cascade?: boolean | null | undefined },
  revertOfId: number | null = null,
): Promise<{ deletedIds: string[]; unbackedFacts: UnbackedFact[] }> {
  const source = checkVersion(w, 'Source', await w.tx.source.findUnique({ where: { id: input.id }, select: SOURCE_SELECT }), input.version);
  const citations = await w.tx.citation.findMany({ where: { sourceId: source.id }, orderBy: { id: 'asc' } });
  if (citations.length > 0 && !input.cascade) {
    w.fail('IN_USE', `The source backs ${citations.length} citation(s); send cascade: true to delete them with it.`, ['input', 'cascade']);
  }
  const unbackedFacts = await unbackedBy(w, citations);
  if (citations.length > 0) await w.tx.citation.deleteMany({ where: { sourceId: source.id } });
  await deleteVersioned(w, 'Source', source.id, input.version);
  w.revise('Source', source.id, 'DELETE', { before: source, after: null, fields: SOURCE_FIELDS }, [], revertOfId);
  reviseRemovedCitations(w, citations);
  return { deletedIds: [encodeGlobalID('Source', source.id), ...citations.map((c) => encodeGlobalID('Citation', c.id))], unbackedFacts };
}

/** The facts of a type a citation may back. */
function citedFacts(type: CitedType): readonly string[] | undefined {
  const entity = editableEntity(type);
  return entity && (entity.cited ?? entity.facts.filter((f) => f !== 'slug'));
}

/** Whether the record has a value for the fact (a citation backs something); undefined when the record does not exist. */
async function factIsSet(w: Writer, type: CitedType, id: number, field: string | null): Promise<boolean | undefined> {
  const delegate = w.tx[EDITABLE_TYPES[type]] as unknown as { findUnique(args: { where: { id: number } }): Promise<Record<string, unknown> | null> };
  const row = await delegate.findUnique({ where: { id } });
  if (!row) return undefined;
  if (field === null) return true;
  // A critic's affiliations are rows of their own.
  if (type === 'Critic' && field === 'publicationIds') return (await w.tx.criticPublication.count({ where: { criticId: id } })) > 0;
  const value = row[field];
  return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/** Rewrites citeFacts' paths for a single `citation` input (it reports them as items of a `citations` list). */
async function citeOne(w: Writer, input: z.output<typeof addCitationSchema>, facts: readonly string[], target: CitationTarget): Promise<number[]> {
  try {
    return await citeFacts(w, [{ ...input.citation, fields: null }], facts, [input.field], target, ['input', 'citation']);
  } catch (error) {
    if (!(error instanceof UserErrorException)) throw error;
    w.failAll(
      error.errors.map((e) => ({
        ...e,
        field: e.field && e.field[1] === 'citation' && e.field[2] === '0' ? ['input', 'citation', ...e.field.slice(3)] : e.field,
      })),
    );
  }
}

/** Cites an existing, set fact of any cited type: one Citation row, a CREATE revision. */
export async function addCitation(w: Writer, input: z.output<typeof addCitationSchema>): Promise<{ citation: number }> {
  const { type, id } = input.entityId;
  const facts = citedFacts(type);
  if (!facts) return w.fail('INVALID', `Citations of ${type} facts cannot be added through the API yet.`, ['input', 'entityId']);
  if (!facts.includes(input.field)) w.fail('INVALID', `field must be a cited fact of ${type}: ${facts.join(', ')}.`, ['input', 'field']);
  const set = await factIsSet(w, type, id, input.field);
  if (set === undefined) w.fail('NOT_FOUND', `No ${type} with that id.`, ['input', 'entityId']);
  if (!set) w.fail('INVALID', `${type}.${input.field} is not set: there is no fact to cite.`, ['input', 'field']);
  const [citationId] = await citeOne(w, input, facts, { [CITATION_TARGETS[type]]: id });
  const citation = await w.tx.citation.findUniqueOrThrow({ where: { id: citationId! } });
  w.revise('Citation', citation.id, 'CREATE', { before: null, after: citation, fields: CITATION_FIELDS }, [citation.id]);
  w.touched(type, id);
  return { citation: citation.id };
}

/**
 * Removes a citation. The last one backing a fact that is set is refused (CITATION_REQUIRED)
 * unless the caller may write uncited (admin and a note): every fact keeps its evidence.
 */
export async function removeCitation(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<{ deletedIds: string[] }> {
  const citation = checkVersion(w, 'Citation', await w.tx.citation.findUnique({ where: { id } }), version);
  const target = targetOf(citation);
  const [unbacked] = await unbackedBy(w, [citation]);
  if (unbacked && !w.mayWriteUncited && (await factIsSet(w, target.type, target.id, citation.field))) {
    w.fail(
      'CITATION_REQUIRED',
      `This is the last citation of ${target.type}.${citation.field ?? '(record)'}: add another first, or (with the admin scope) state a note.`,
      ['input', 'id'],
    );
  }
  await deleteVersioned(w, 'Citation', id, version);
  reviseRemovedCitations(w, [citation], revertOfId);
  w.touched('Source', citation.sourceId);
  return { deletedIds: [encodeGlobalID('Citation', id)] };
}

registerEditable({
  typename: 'Source',
  facts: SOURCE_FIELDS,
  cited: [],
  async restore(w, id, version, values, revertOfId) {
    const source = checkVersion(w, 'Source', await w.tx.source.findUnique({ where: { id }, select: SOURCE_SELECT }), version);
    const restored = restoredValues(values, EDITABLE_SOURCE_FIELDS, ['publishedOn']);
    const changed = changedFields(source, restored, EDITABLE_SOURCE_FIELDS);
    if (changed.length === 0) return;
    const data: Record<string, unknown> = Object.fromEntries(changed.map((f) => [f, restored[f]]));
    if (changed.includes('text')) {
      await refuseTextChangeWhileCited(w, id);
      data['sha256'] = sha256(restored['text'] as string);
    }
    await updateVersioned(w, 'Source', id, version, data);
    w.revise('Source', id, 'REVERT', { before: source, after: { ...source, ...data }, fields: SOURCE_FIELDS }, [], revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deleteSource(w, { id, version }, revertOfId);
  },
});

registerEditable({
  typename: 'Citation',
  facts: CITATION_FIELDS,
  cited: [],
  restore(w) {
    // Citations are added and removed, never updated: no UPDATE revision of one exists to undo.
    return w.fail('NOT_REVERTIBLE', 'A citation is never updated; remove it or add another instead.', ['input', 'id']);
  },
  async remove(w, id, version, revertOfId) {
    await removeCitation(w, id, version, revertOfId);
  },
});
