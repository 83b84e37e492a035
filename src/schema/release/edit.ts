/** The release writes: createRelease, updateRelease and deleteRelease on a Writer, their zod schemas, and Release's revert hooks. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { CountryCodeResolver } from 'graphql-scalars';
import * as z from 'zod';
import { ReleaseType } from '../../generated/prisma/enums.ts';
import { citationsSchema, citeFacts } from '../write/cite.ts';
import { changedFields, type Json } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText } from '../write/write.ts';

/** What a release's edits may change (columns); its film is fixed once created. */
const RELEASE_EDITABLE = ['country', 'date', 'type', 'certification', 'note'] as const;
type Editable = (typeof RELEASE_EDITABLE)[number];
/** What a Release revision diffs. */
const RELEASE_FIELDS = ['filmId', ...RELEASE_EDITABLE] as const;
/**
 * The facts as input fields, each cited when set. The release's own `note` column is the input's
 * `releaseNote`: a mutation's `note` is, by convention, the change set's (runWrite).
 */
export const RELEASE_FACTS = ['filmId', 'country', 'date', 'type', 'certification', 'releaseNote'] as const;
const inputName = (column: string) => (column === 'note' ? 'releaseNote' : column);

const RELEASE_SELECT = Object.fromEntries([...RELEASE_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<
  (typeof RELEASE_FIELDS)[number] | 'id' | 'version',
  true
>;

/** ISO 3166-1 alpha-2, checked as the CountryCode scalar checks it (also for writes that do not come through GraphQL), stored upper case. */
const country = z
  .string({ error: 'country must be a string' })
  .refine((value) => {
    try {
      CountryCodeResolver.parseValue(value);
      return true;
    } catch {
      return false;
    }
  }, 'country must be an ISO 3166-1 alpha-2 code, e.g. "US"')
  .transform((value) => value.toUpperCase());

const facts = {
  country,
  date: z
    .date({ error: 'date must be a date (YYYY-MM-DD)' })
    .refine((d) => d.getUTCFullYear() >= 1870 && d.getUTCFullYear() <= 2200, 'date must be between 1870 and 2200'),
  type: z.enum(ReleaseType, { error: 'not a ReleaseType' }),
  certification: userText('certification', 1, 20).nullable(),
  releaseNote: userText('releaseNote', 1, 1_000).nullable(),
};

export const createReleaseSchema = z.object({
  filmId: globalId('Film'),
  country: facts.country,
  date: facts.date,
  type: facts.type,
  certification: facts.certification.optional(),
  releaseNote: facts.releaseNote.optional(),
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updateReleaseSchema = z
  .object({
    id: globalId('Release'),
    version: versionSchema,
    country: facts.country.optional(),
    date: facts.date.optional(),
    type: facts.type.optional(),
    certification: facts.certification.optional(),
    releaseNote: facts.releaseNote.optional(),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => RELEASE_EDITABLE.some((f) => input[inputName(f) as keyof typeof input] !== undefined), {
    message: `give at least one of: ${RELEASE_EDITABLE.map(inputName).join(', ')}`,
  });

export const deleteReleaseSchema = z.object({ id: globalId('Release'), version: versionSchema, note: noteSchema });

const duplicateMessage = 'This film already has a release of this type in this country on this date.';

/**
 * A new release. Inserted with ON CONFLICT DO NOTHING on the unique (film, country, type, date):
 * a duplicate, also one a concurrent write is committing, inserts nothing and is TAKEN; a film
 * that does not exist is NOT_FOUND at `filmId`.
 */
export async function createRelease(w: Writer, input: z.output<typeof createReleaseSchema>): Promise<{ release: number }> {
  const film = await w.tx.film.findUnique({ where: { id: input.filmId }, select: { id: true } });
  if (!film) w.fail('NOT_FOUND', 'No Film with that id.', ['input', 'filmId']);
  const values = {
    filmId: input.filmId,
    country: input.country,
    date: input.date,
    type: input.type,
    certification: input.certification ?? null,
    note: input.releaseNote ?? null,
  };
  const [release] = await w.tx.release.createManyAndReturn({ data: [values], skipDuplicates: true, select: { id: true } });
  if (!release) w.fail('TAKEN', duplicateMessage, null);
  const set = RELEASE_FIELDS.filter((f) => values[f] !== null).map(inputName);
  const citationIds = await citeFacts(w, input.citations, RELEASE_FACTS, set, { releaseId: release.id });
  w.revise('Release', release.id, 'CREATE', { before: null, after: values, fields: RELEASE_FIELDS }, citationIds);
  w.touched('Film', film.id);
  return { release: release.id };
}

/** Sets the given facts (omitted ones stay; unchanged ones are neither cited nor revised). */
export async function updateRelease(w: Writer, input: z.output<typeof updateReleaseSchema>): Promise<{ release: number }> {
  const release = checkVersion(w, 'Release', await w.tx.release.findUnique({ where: { id: input.id }, select: RELEASE_SELECT }), input.version);
  const given = { country: input.country, date: input.date, type: input.type, certification: input.certification, note: input.releaseNote };
  const changed = changedFields(release, given, RELEASE_EDITABLE);
  const citationIds = await citeFacts(w, input.citations, RELEASE_FACTS, changed.map(inputName), { releaseId: release.id });
  if (changed.length === 0) return { release: release.id };
  await setRelease(w, release, input.version, Object.fromEntries(changed.map((f) => [f, given[f]])), citationIds, 'UPDATE', null);
  return { release: release.id };
}

type ReleaseRow = {
  id: number;
  version: number;
  filmId: number;
  country: string;
  date: Date;
  type: ReleaseType;
  certification: string | null;
  note: string | null;
};

/** Writes `data` (columns) on a release read as `release`; a change that would duplicate another release of the film is TAKEN. */
async function setRelease(
  w: Writer,
  release: ReleaseRow,
  version: number,
  data: Partial<Record<Editable, unknown>>,
  citationIds: number[],
  action: 'UPDATE' | 'REVERT',
  revertOfId: number | null,
): Promise<void> {
  const after = { ...release, ...data } as ReleaseRow;
  if ('country' in data || 'date' in data || 'type' in data) {
    // Read first for a clear answer; the unique index decides races (TAKEN too, through runWrite).
    const clash = await w.tx.release.findFirst({
      where: { filmId: release.filmId, country: after.country, type: after.type, date: after.date, id: { not: release.id } },
      select: { id: true },
    });
    if (clash) w.fail('TAKEN', duplicateMessage, null);
  }
  await updateVersioned(w, 'Release', release.id, version, data);
  w.revise('Release', release.id, action, { before: release, after, fields: RELEASE_FIELDS }, citationIds, revertOfId);
  w.touched('Film', release.filmId);
}

/** Deletes a release with its citations (database cascade), each with a DELETE revision. Returns the global ids deleted. */
export async function deleteRelease(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const row = checkVersion(w, 'Release', await w.tx.release.findUnique({ where: { id }, select: { ...RELEASE_SELECT, citations: true } }), version);
  const { citations, ...release } = row;
  await deleteVersioned(w, 'Release', id, version);
  w.revise('Release', id, 'DELETE', { before: release, after: null, fields: RELEASE_FIELDS }, [], revertOfId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', { before: c, after: null, fields: Object.keys(c).filter((k) => !['id', 'createdAt', 'version'].includes(k)) });
    w.touched('Source', c.sourceId);
  }
  w.touched('Film', release.filmId);
  return [encodeGlobalID('Release', id), ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

registerEditable({
  typename: 'Release',
  facts: RELEASE_FIELDS,
  async restore(w, id, version, values, revertOfId) {
    const release = checkVersion(w, 'Release', await w.tx.release.findUnique({ where: { id }, select: RELEASE_SELECT }), version);
    // Revisions hold dates as ISO strings: back to a Date for the column.
    const restored = Object.fromEntries(
      Object.entries(values)
        .filter(([f]) => (RELEASE_EDITABLE as readonly string[]).includes(f))
        .map(([f, v]) => [f, f === 'date' && typeof v === 'string' ? new Date(v) : v]),
    ) as Record<Editable, Json | Date>;
    const changed = changedFields(release, restored, RELEASE_EDITABLE);
    if (changed.length === 0) return;
    await setRelease(w, release, version, Object.fromEntries(changed.map((f) => [f, restored[f]])), [], 'REVERT', revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deleteRelease(w, id, version, revertOfId);
  },
});
