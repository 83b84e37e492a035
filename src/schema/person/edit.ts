/** The person writes: create/update/delete of people and of their aliases on a Writer, their zod schemas, and the revert hooks of Person and PersonAlias. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import { EXTERNAL_ID_FORMATS, INT4_MAX, MAX_ID_LENGTH } from '../external-id.ts';
import { slugify } from '../film/facts.ts';
import { creditView } from '../credit/edit.ts';
import { citationsSchema, citeFacts } from '../write/cite.ts';
import { changedFields, type Json } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText } from '../write/write.ts';

/** The facts of a person a mutation sets; each change is backed by a citation (write/cite.ts). */
export const PERSON_FACTS = ['name', 'imdbId', 'tmdbId', 'wikidataId'] as const;
/** What a Person revision diffs: the facts, and the slug (a URL key, never cited). */
export const PERSON_FIELDS = [...PERSON_FACTS, 'slug'] as const;
type PersonField = (typeof PERSON_FIELDS)[number];
/** An alias has one fact, its spelling; `personId` is in its revisions so the feed says whose it is (it never changes). */
export const ALIAS_FACTS = ['name'] as const;
const ALIAS_FIELDS = ['personId', 'name'] as const;

const PERSON_SELECT = Object.fromEntries([...PERSON_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<PersonField | 'id' | 'version', true>;
const ALIAS_SELECT = { id: true, personId: true, name: true, version: true } as const;

const externalId = (source: 'IMDB' | 'WIKIDATA') => {
  const { pattern, example } = EXTERNAL_ID_FORMATS.person[source];
  return z.string().max(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters`).regex(pattern, `not a valid ${source} person id (expected e.g. "${example}")`);
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const facts = {
  name: userText('name', 1, 300),
  slug: z.string().max(100, 'slug is at most 100 characters').regex(SLUG, 'slug is lower-case letters and digits in words joined by single hyphens'),
  imdbId: externalId('IMDB').nullable(),
  tmdbId: z.number().int().min(1, 'tmdbId must be a positive integer').max(INT4_MAX, `tmdbId is at most ${INT4_MAX}`).nullable(),
  wikidataId: externalId('WIKIDATA').nullable(),
};
type PersonValues = { [F in PersonField]: z.output<(typeof facts)[F]> };

export const createPersonSchema = z.object({
  name: facts.name,
  slug: facts.slug.nullish(),
  imdbId: facts.imdbId.optional(),
  tmdbId: facts.tmdbId.optional(),
  wikidataId: facts.wikidataId.optional(),
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updatePersonSchema = z
  .object({
    id: globalId('Person'),
    version: versionSchema,
    ...Object.fromEntries(PERSON_FIELDS.map((f) => [f, facts[f].optional()])),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => PERSON_FIELDS.some((f) => (input as Record<string, unknown>)[f] !== undefined), {
    message: `give at least one of: ${PERSON_FIELDS.join(', ')}`,
  }) as z.ZodType<{ id: number; version: number; citations: z.output<typeof citationsSchema>; note?: string | null } & Partial<PersonValues>>;

export const deletePersonSchema = z.object({ id: globalId('Person'), version: versionSchema, cascade: z.boolean().nullish(), note: noteSchema });

const aliasName = userText('name', 1, 300).refine((s) => s.trim() === s, 'name must not start or end with spaces');

export const createPersonAliasSchema = z.object({
  personId: globalId('Person'),
  name: aliasName,
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updatePersonAliasSchema = z.object({
  id: globalId('PersonAlias'),
  version: versionSchema,
  name: aliasName,
  citations: citationsSchema,
  note: noteSchema,
});

export const deletePersonAliasSchema = z.object({ id: globalId('PersonAlias'), version: versionSchema, note: noteSchema });

/** The slug of a new person without one: the name's, else numbered (one statement). */
async function freeSlug(w: Writer, name: string): Promise<string> {
  const base = slugify(name, 'person');
  const taken = new Set((await w.tx.person.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((p) => p.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

export async function createPerson(w: Writer, input: z.output<typeof createPersonSchema>): Promise<{ person: number }> {
  const values: PersonValues = {
    name: input.name,
    imdbId: input.imdbId ?? null,
    tmdbId: input.tmdbId ?? null,
    wikidataId: input.wikidataId ?? null,
    slug: input.slug ?? (await freeSlug(w, input.name)),
  };
  const person = await w.tx.person.create({ data: values, select: { id: true } });
  const set = PERSON_FACTS.filter((f) => values[f] !== null);
  const citationIds = await citeFacts(w, input.citations, PERSON_FACTS, set, { personId: person.id });
  w.revise('Person', person.id, 'CREATE', { before: null, after: values, fields: PERSON_FIELDS }, citationIds);
  return { person: person.id };
}

/** Sets the given facts (omitted ones stay; unchanged ones are neither cited nor revised). */
export async function updatePerson(w: Writer, input: z.output<typeof updatePersonSchema>): Promise<{ person: number }> {
  const person = checkVersion(w, 'Person', await w.tx.person.findUnique({ where: { id: input.id }, select: PERSON_SELECT }), input.version);
  const changed = changedFields(person, input, PERSON_FIELDS);
  const citationIds = await citeFacts(
    w,
    input.citations,
    PERSON_FACTS,
    changed.filter((f) => f !== 'slug'),
    { personId: person.id },
  );
  if (changed.length === 0) return { person: person.id };
  const data = Object.fromEntries(changed.map((f) => [f, input[f]])) as Partial<PersonValues>;
  await updateVersioned(w, 'Person', person.id, input.version, data);
  w.revise('Person', person.id, 'UPDATE', { before: person, after: { ...person, ...data }, fields: PERSON_FIELDS }, citationIds);
  return { person: person.id };
}

/** A DELETE revision of a row taken along: its columns minus bookkeeping and the generated crewFilmId (credit/edit.ts). */
export const deletedSnapshot = (row: Record<string, unknown>) => ({
  before: row,
  after: null,
  fields: Object.keys(row).filter((k) => !['id', 'createdAt', 'updatedAt', 'version', 'crewFilmId'].includes(k)),
});

/**
 * Deletes a person at `version`. A person with credits is refused (IN_USE) unless `cascade`:
 * then the credits go first (Credit → Person is ON DELETE RESTRICT, so filmographies never
 * vanish by accident), and the aliases and every citation of the person, its aliases and its
 * credits go with it (database cascades). Each record gets a DELETE revision; the films that lost
 * credits and the sources that lost citations are invalidated. Returns the global ids deleted.
 */
export async function deletePerson(w: Writer, id: number, version: number, cascade: boolean, revertOfId: number | null = null): Promise<string[]> {
  const person = checkVersion(
    w,
    'Person',
    await w.tx.person.findUnique({ where: { id }, select: { ...PERSON_SELECT, credits: true, aliases: true } }),
    version,
  );
  const { credits, aliases } = person;
  if (credits.length > 0 && !cascade) {
    w.fail(
      'IN_USE',
      `This person has ${credits.length} credit${credits.length === 1 ? '' : 's'}; delete them first, or pass cascade: true to delete them with the person.`,
      ['input', 'cascade'],
    );
  }
  const citations = await w.tx.citation.findMany({
    where: { OR: [{ personId: id }, { personAliasId: { in: aliases.map((a) => a.id) } }, { creditId: { in: credits.map((c) => c.id) } }] },
  });
  if (credits.length > 0) await w.tx.credit.deleteMany({ where: { personId: id } });
  await deleteVersioned(w, 'Person', id, version);
  w.revise('Person', id, 'DELETE', { before: person, after: null, fields: PERSON_FIELDS }, [], revertOfId);
  const children: [string, Record<string, unknown> & { id: number }][] = [
    ...aliases.map((a) => ['PersonAlias', a] as [string, typeof a]),
    ...credits.map((c) => ['Credit', creditView(c)] as [string, ReturnType<typeof creditView<typeof c>>]),
    ...citations.map((c) => ['Citation', c] as [string, typeof c]),
  ];
  for (const [type, row] of children) w.revise(type, row.id, 'DELETE', deletedSnapshot(row));
  for (const c of credits) w.touched('Film', c.filmId);
  for (const c of citations) w.touched('Source', c.sourceId);
  return [['Person', id] as const, ...children.map(([type, row]) => [type, row.id] as const)].map(([type, rowId]) => encodeGlobalID(type, rowId));
}

/**
 * A new alias of a person. Inserted with ON CONFLICT DO NOTHING: an alias the person already has
 * (also one a concurrent write is committing: PostgreSQL waits for it) inserts nothing and is
 * TAKEN at `name`, without aborting the transaction on a unique violation.
 */
export async function createPersonAlias(w: Writer, input: z.output<typeof createPersonAliasSchema>): Promise<{ personAlias: number; person: number }> {
  const person = await w.tx.person.findUnique({ where: { id: input.personId }, select: { id: true } });
  if (!person) w.fail('NOT_FOUND', 'No Person with that id.', ['input', 'personId']);
  const [alias] = await w.tx.personAlias.createManyAndReturn({ data: [{ personId: person.id, name: input.name }], skipDuplicates: true, select: ALIAS_SELECT });
  if (!alias) w.fail('TAKEN', `This person already has the alias "${input.name}".`, ['input', 'name']);
  const citationIds = await citeFacts(w, input.citations, ALIAS_FACTS, ALIAS_FACTS, { personAliasId: alias.id });
  w.revise('PersonAlias', alias.id, 'CREATE', { before: null, after: alias, fields: ALIAS_FIELDS }, citationIds);
  w.touched('Person', person.id);
  return { personAlias: alias.id, person: person.id };
}

/** Respells an alias (a name the person already has elsewhere is TAKEN, from the unique index). */
export async function updatePersonAlias(w: Writer, input: z.output<typeof updatePersonAliasSchema>): Promise<{ personAlias: number; person: number }> {
  const alias = checkVersion(w, 'PersonAlias', await w.tx.personAlias.findUnique({ where: { id: input.id }, select: ALIAS_SELECT }), input.version);
  const changed = changedFields(alias, input, ALIAS_FACTS);
  const citationIds = await citeFacts(w, input.citations, ALIAS_FACTS, changed, { personAliasId: alias.id });
  if (changed.length === 0) return { personAlias: alias.id, person: alias.personId };
  await setAlias(w, alias, input.version, input.name, citationIds, 'UPDATE', null);
  return { personAlias: alias.id, person: alias.personId };
}

async function setAlias(
  w: Writer,
  alias: { id: number; personId: number; name: string; version: number },
  version: number,
  name: string,
  citationIds: number[],
  action: 'UPDATE' | 'REVERT',
  revertOfId: number | null,
) {
  const clash = await w.tx.personAlias.findFirst({ where: { personId: alias.personId, name, id: { not: alias.id } }, select: { id: true } });
  if (clash) w.fail('TAKEN', `This person already has the alias "${name}".`, ['input', 'name']);
  await updateVersioned(w, 'PersonAlias', alias.id, version, { name });
  w.revise('PersonAlias', alias.id, action, { before: alias, after: { ...alias, name }, fields: ALIAS_FIELDS }, citationIds, revertOfId);
  w.touched('Person', alias.personId);
}

/** Deletes an alias with its citations (database cascade), each with a DELETE revision. */
export async function deletePersonAlias(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const alias = checkVersion(w, 'PersonAlias', await w.tx.personAlias.findUnique({ where: { id }, include: { citations: true } }), version);
  const { citations, ...row } = alias;
  await deleteVersioned(w, 'PersonAlias', id, version);
  w.revise('PersonAlias', id, 'DELETE', { before: row, after: null, fields: ALIAS_FIELDS }, [], revertOfId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', deletedSnapshot(c));
    w.touched('Source', c.sourceId);
  }
  w.touched('Person', alias.personId);
  return [encodeGlobalID('PersonAlias', id), ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

registerEditable({
  typename: 'Person',
  facts: PERSON_FIELDS,
  async restore(w, id, version, values, revertOfId) {
    const person = checkVersion(w, 'Person', await w.tx.person.findUnique({ where: { id }, select: PERSON_SELECT }), version);
    const restored = Object.fromEntries(Object.entries(values).filter(([f]) => (PERSON_FIELDS as readonly string[]).includes(f))) as Record<PersonField, Json>;
    const changed = changedFields(person, restored, PERSON_FIELDS);
    if (changed.length === 0) return;
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]])) as Prisma.PersonUpdateInput;
    await updateVersioned(w, 'Person', id, version, data);
    w.revise('Person', id, 'REVERT', { before: person, after: { ...person, ...data }, fields: PERSON_FIELDS }, [], revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    // Reverting a creation never takes credits along: a person who has credits since is IN_USE.
    await deletePerson(w, id, version, false, revertOfId);
  },
});

registerEditable({
  typename: 'PersonAlias',
  facts: ALIAS_FIELDS,
  async restore(w, id, version, values, revertOfId) {
    const alias = checkVersion(w, 'PersonAlias', await w.tx.personAlias.findUnique({ where: { id }, select: ALIAS_SELECT }), version);
    const name = values['name'];
    if (typeof name !== 'string' || name === alias.name) return;
    await setAlias(w, alias, version, name, [], 'REVERT', revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deletePersonAlias(w, id, version, revertOfId);
  },
});
