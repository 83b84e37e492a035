/** The credit writes: createCredit, updateCredit and deleteCredit on a Writer, their zod schemas, the cast/crew rules, and Credit's revert hooks. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { CreditKind, Department } from '../../generated/prisma/enums.ts';
import { citationsSchema, citeFacts } from '../write/cite.ts';
import { changedFields, type Json } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText, type UserError } from '../write/write.ts';

/** What a credit's edits may change; its film, person and kind are fixed once created (delete and create another instead). */
export const CREDIT_EDITABLE = ['department', 'job', 'character', 'billingOrder', 'voice'] as const;
/** The facts of a credit, as input fields: each set or changed one is backed by a citation. */
export const CREDIT_FACTS = ['filmId', 'personId', 'kind', ...CREDIT_EDITABLE] as const;
/** What a Credit revision diffs (never the generated crewFilmId: PostgreSQL computes it from kind and filmId). */
const CREDIT_FIELDS = CREDIT_FACTS;
type Editable = (typeof CREDIT_EDITABLE)[number];

const CREDIT_SELECT = Object.fromEntries([...CREDIT_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<
  (typeof CREDIT_FIELDS)[number] | 'id' | 'version',
  true
>;

/** A credit as the API shows it: `character` is stored as '' when unknown (so the unique key covers it), shown and diffed as null. */
export function creditView<R extends { character: string }>(row: R): Omit<R, 'character'> & { character: string | null } {
  return { ...row, character: row.character === '' ? null : row.character };
}

/** Cast credits are department ACTING with job "Actor" (as the seed stores them); that job is the default. */
const CAST_JOB = 'Actor';

const facts = {
  kind: z.enum(CreditKind, { error: 'kind must be CAST or CREW' }),
  department: z.enum(Department, { error: 'not a Department' }),
  job: userText('job', 1, 100).refine((s) => s.trim() === s, 'job must not start or end with spaces'),
  character: userText('character', 1, 300).nullable(),
  billingOrder: z.number().int().min(0, 'billingOrder must be between 0 and 32767').max(32_767, 'billingOrder must be between 0 and 32767').nullable(),
  voice: z.boolean(),
};

export const createCreditSchema = z.object({
  filmId: globalId('Film'),
  personId: globalId('Person'),
  kind: facts.kind,
  department: facts.department.nullish(),
  job: facts.job.nullish(),
  character: facts.character.optional(),
  billingOrder: facts.billingOrder.optional(),
  voice: facts.voice.nullish(),
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updateCreditSchema = z
  .object({
    id: globalId('Credit'),
    version: versionSchema,
    department: facts.department.optional(),
    job: facts.job.optional(),
    character: facts.character.optional(),
    billingOrder: facts.billingOrder.optional(),
    voice: facts.voice.optional(),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => CREDIT_EDITABLE.some((f) => input[f] !== undefined), { message: `give at least one of: ${CREDIT_EDITABLE.join(', ')}` });

export const deleteCreditSchema = z.object({ id: globalId('Credit'), version: versionSchema, note: noteSchema });

/** A credit as read for a write, in its API form (character null for none). */
type CreditRow = {
  id: number;
  version: number;
  filmId: number;
  personId: number;
  kind: CreditKind;
  department: Department;
  job: string;
  character: string | null;
  billingOrder: number | null;
  voice: boolean;
};
type CreditState = Omit<CreditRow, 'id' | 'version' | 'filmId' | 'personId'>;

/**
 * Cast and crew carry different facts: a CAST credit is department ACTING (job "Actor" unless
 * stated) and may name a character, a billing position and a voice role; a CREW credit has a
 * department other than ACTING and a job, and none of the cast facts. Checked on the state a
 * write would leave, so an update cannot make a credit inconsistent either.
 */
function castCrewErrors(state: CreditState): UserError[] {
  const invalid = (field: string, message: string): UserError => ({ field: ['input', field], code: 'INVALID', message });
  if (state.kind === 'CAST') return state.department === 'ACTING' ? [] : [invalid('department', 'a CAST credit is in the ACTING department')];
  return [
    ...(state.department === 'ACTING' ? [invalid('department', 'a CREW credit needs a department other than ACTING')] : []),
    ...(state.character !== null ? [invalid('character', 'only CAST credits name a character')] : []),
    ...(state.billingOrder !== null ? [invalid('billingOrder', 'only CAST credits have a billing order')] : []),
    ...(state.voice === true ? [invalid('voice', 'only CAST credits are voice roles')] : []),
  ];
}

const duplicateMessage = 'This person already has this credit on this film (same kind, job and character).';

/**
 * A new credit. The film and the person are read first (NOT_FOUND at their input field); the row
 * is inserted with ON CONFLICT DO NOTHING on the unique (film, person, kind, job, character):
 * a duplicate, also one a concurrent write is committing (PostgreSQL makes the insert wait for
 * it), inserts nothing and is TAKEN, without aborting the transaction on a unique violation.
 */
export async function createCredit(w: Writer, input: z.output<typeof createCreditSchema>): Promise<{ credit: number }> {
  const cast = input.kind === 'CAST';
  if (!cast && (input.department == null || input.job == null)) {
    w.failAll(
      (['department', 'job'] as const)
        .filter((f) => input[f] == null)
        .map((f) => ({ field: ['input', f], code: 'INVALID' as const, message: `a CREW credit needs a ${f}` })),
    );
  }
  const values = {
    filmId: input.filmId,
    personId: input.personId,
    kind: input.kind,
    department: input.department ?? 'ACTING',
    job: input.job ?? CAST_JOB,
    character: input.character ?? null,
    billingOrder: input.billingOrder ?? null,
    voice: input.voice ?? false,
  };
  const errors = castCrewErrors(values);
  if (errors.length > 0) w.failAll(errors);
  const [film, person] = [
    await w.tx.film.findUnique({ where: { id: input.filmId }, select: { id: true } }),
    await w.tx.person.findUnique({ where: { id: input.personId }, select: { id: true } }),
  ];
  if (!film || !person) {
    w.failAll([
      ...(film ? [] : [{ field: ['input', 'filmId'], code: 'NOT_FOUND' as const, message: 'No Film with that id.' }]),
      ...(person ? [] : [{ field: ['input', 'personId'], code: 'NOT_FOUND' as const, message: 'No Person with that id.' }]),
    ]);
  }
  const [credit] = await w.tx.credit.createManyAndReturn({
    data: [{ ...values, character: values.character ?? '' }],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!credit) w.fail('TAKEN', duplicateMessage, null);
  // Cited: what the input states (defaults such as a cast credit's department and job are not claims of the caller).
  const stated = { ...values, department: input.department ?? null, job: input.job ?? null, voice: input.voice === true ? true : null };
  const set = CREDIT_FACTS.filter((f) => stated[f] !== null);
  const citationIds = await citeFacts(w, input.citations, CREDIT_FACTS, set, { creditId: credit.id });
  w.revise('Credit', credit.id, 'CREATE', { before: null, after: values, fields: CREDIT_FIELDS }, citationIds);
  w.touched('Film', values.filmId);
  w.touched('Person', values.personId);
  return { credit: credit.id };
}

/** Sets the given facts (omitted ones stay; unchanged ones are neither cited nor revised). */
export async function updateCredit(w: Writer, input: z.output<typeof updateCreditSchema>): Promise<{ credit: number }> {
  const row = checkVersion(w, 'Credit', await w.tx.credit.findUnique({ where: { id: input.id }, select: CREDIT_SELECT }), input.version);
  const credit = creditView(row);
  const changed = changedFields(credit, input, CREDIT_EDITABLE);
  const data = Object.fromEntries(changed.map((f) => [f, input[f]])) as Partial<Record<Editable, unknown>>;
  await setCredit(w, credit, input.version, data, 'UPDATE', null, async () => citeFacts(w, input.citations, CREDIT_FACTS, changed, { creditId: credit.id }));
  return { credit: credit.id };
}

/**
 * Writes `data` (API values: character null for none) on a credit read as `credit`, after the
 * cast/crew rules and the citations (`cite`); a change to job or character that would duplicate
 * another credit is TAKEN (read first for a clear answer; the unique index decides races).
 */
async function setCredit(
  w: Writer,
  credit: CreditRow,
  version: number,
  data: Partial<Record<Editable, unknown>>,
  action: 'UPDATE' | 'REVERT',
  revertOfId: number | null,
  cite: () => Promise<number[]>,
): Promise<void> {
  const after = { ...credit, ...data } as CreditRow;
  const errors = castCrewErrors(after);
  if (errors.length > 0) w.failAll(errors);
  const citationIds = await cite();
  if (Object.keys(data).length === 0) return;
  if ('job' in data || 'character' in data) {
    const clash = await w.tx.credit.findFirst({
      where: {
        filmId: credit.filmId,
        personId: credit.personId,
        kind: credit.kind,
        job: after.job,
        character: after.character ?? '',
        id: { not: credit.id },
      },
      select: { id: true },
    });
    if (clash) w.fail('TAKEN', duplicateMessage, null);
  }
  const stored = 'character' in data ? { ...data, character: (data['character'] as string | null) ?? '' } : data;
  await updateVersioned(w, 'Credit', credit.id, version, stored);
  w.revise('Credit', credit.id, action, { before: credit, after, fields: CREDIT_FIELDS }, citationIds, revertOfId);
  w.touched('Film', credit.filmId);
  w.touched('Person', credit.personId);
}

/** Deletes a credit with its citations (database cascade), each with a DELETE revision. Returns the global ids deleted. */
export async function deleteCredit(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const row = checkVersion(w, 'Credit', await w.tx.credit.findUnique({ where: { id }, select: { ...CREDIT_SELECT, citations: true } }), version);
  const { citations, ...credit } = row;
  await deleteVersioned(w, 'Credit', id, version);
  w.revise('Credit', id, 'DELETE', { before: creditView(credit), after: null, fields: CREDIT_FIELDS }, [], revertOfId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', {
      before: c,
      after: null,
      fields: Object.keys(c).filter((k) => !['id', 'createdAt', 'version'].includes(k)),
    });
    w.touched('Source', c.sourceId);
  }
  w.touched('Film', credit.filmId);
  w.touched('Person', credit.personId);
  return [encodeGlobalID('Credit', id), ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

registerEditable({
  typename: 'Credit',
  facts: CREDIT_FIELDS,
  async restore(w, id, version, values, revertOfId) {
    const credit = creditView(checkVersion(w, 'Credit', await w.tx.credit.findUnique({ where: { id }, select: CREDIT_SELECT }), version));
    const restored = Object.fromEntries(Object.entries(values).filter(([f]) => (CREDIT_EDITABLE as readonly string[]).includes(f))) as Record<Editable, Json>;
    const changed = changedFields(credit, restored, CREDIT_EDITABLE);
    if (changed.length === 0) return;
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]]));
    await setCredit(w, credit, version, data, 'REVERT', revertOfId, () => Promise.resolve([]));
  },
  async remove(w, id, version, revertOfId) {
    await deleteCredit(w, id, version, revertOfId);
  },
});
