/**
 * The publication and critic writes: create / update / delete of each, a critic's affiliations
 * (CriticPublication), their zod schemas, and the revert hooks of Publication and Critic.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { CITATION_FIELDS } from '../citation/edit.ts';
import { slugify } from '../film/facts.ts';
import { citationsSchema, citeFacts } from '../write/cite.ts';
import { changedFields, restoredValues } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { globalId, httpUrl, noteSchema, slugSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText } from '../write/write.ts';
import { deleteReview } from './edit.ts';

export const PUBLICATION_FACTS = ['name', 'url'] as const;
/** What a Publication revision diffs: its facts and its slug (a URL key, never cited). */
export const PUBLICATION_FIELDS = [...PUBLICATION_FACTS, 'slug'] as const;
/** A critic's facts: the name, and the outlets the critic writes for (publication ids, ascending). */
export const CRITIC_FACTS = ['name', 'publicationIds'] as const;
export const CRITIC_FIELDS = [...CRITIC_FACTS, 'slug'] as const;
type PublicationField = (typeof PUBLICATION_FIELDS)[number];
type CriticField = (typeof CRITIC_FIELDS)[number];

const PUBLICATION_SELECT = { id: true, version: true, name: true, url: true, slug: true } as const;
const CRITIC_SELECT = { id: true, version: true, name: true, slug: true, publications: { select: { publicationId: true } } } as const;

/** An outlet or a critic can name up to this many affiliations. */
const MAX_AFFILIATIONS = 50;

const publicationIds = z
  .array(globalId('Publication'))
  .max(MAX_AFFILIATIONS, `at most ${MAX_AFFILIATIONS} publications`)
  .refine((ids) => new Set(ids).size === ids.length, 'publicationIds must not repeat a publication');
const ascending = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

const facts = {
  name: userText('name', 1, 300),
  url: httpUrl.nullable(),
  slug: slugSchema,
  publicationIds,
};

const common = { citations: citationsSchema, note: noteSchema };

export const createPublicationSchema = z.object({
  name: facts.name,
  url: facts.url.optional(),
  slug: facts.slug.nullish(),
  ...common,
  idempotencyKey: z.string().nullish(),
});
export const updatePublicationSchema = z
  .object({
    id: globalId('Publication'),
    version: versionSchema,
    name: facts.name.optional(),
    url: facts.url.optional(),
    slug: facts.slug.optional(),
    ...common,
  })
  .refine((i) => PUBLICATION_FIELDS.some((f) => i[f] !== undefined), { message: `give at least one of: ${PUBLICATION_FIELDS.join(', ')}` });

export const createCriticSchema = z.object({
  name: facts.name,
  slug: facts.slug.nullish(),
  publicationIds: facts.publicationIds.nullish(),
  ...common,
  idempotencyKey: z.string().nullish(),
});
export const updateCriticSchema = z
  .object({
    id: globalId('Critic'),
    version: versionSchema,
    name: facts.name.optional(),
    slug: facts.slug.optional(),
    publicationIds: facts.publicationIds.optional(),
    ...common,
  })
  .refine((i) => CRITIC_FIELDS.some((f) => i[f] !== undefined), { message: `give at least one of: ${CRITIC_FIELDS.join(', ')}` });

export const deleteWithCascadeSchema = (typename: string) =>
  z.object({ id: globalId(typename), version: versionSchema, cascade: z.boolean().nullish(), note: noteSchema });

// --- Publications ---

export async function createPublication(w: Writer, input: z.output<typeof createPublicationSchema>): Promise<{ publication: number }> {
  const values = { name: input.name, url: input.url ?? null, slug: input.slug ?? slugify(input.name) };
  const publication = await w.tx.publication.create({ data: values, select: { id: true } });
  const set = PUBLICATION_FACTS.filter((f) => values[f] !== null);
  const citationIds = await citeFacts(w, input.citations, PUBLICATION_FACTS, set, { publicationId: publication.id });
  w.revise('Publication', publication.id, 'CREATE', { before: null, after: values, fields: PUBLICATION_FIELDS }, citationIds);
  return { publication: publication.id };
}

export async function updatePublication(w: Writer, input: z.output<typeof updatePublicationSchema>): Promise<{ publication: number }> {
  const row = checkVersion(w, 'Publication', await w.tx.publication.findUnique({ where: { id: input.id }, select: PUBLICATION_SELECT }), input.version);
  const changed = changedFields(row, input, PUBLICATION_FIELDS);
  const citationIds = await citeFacts(
    w,
    input.citations,
    PUBLICATION_FACTS,
    changed.filter((f) => f !== 'slug'),
    { publicationId: row.id },
  );
  if (changed.length === 0) return { publication: row.id };
  const data = Object.fromEntries(changed.map((f) => [f, input[f]])) as Partial<Record<PublicationField, unknown>>;
  await updateVersioned(w, 'Publication', row.id, input.version, data);
  w.revise('Publication', row.id, 'UPDATE', { before: row, after: { ...row, ...data }, fields: PUBLICATION_FIELDS }, citationIds);
  return { publication: row.id };
}

/**
 * Deletes a publication. While reviews or critics' affiliations reference it, IN_USE unless
 * `cascade`: then its reviews go (with their quotes and citations, as deleteReview) and the
 * critics lose the affiliation (an UPDATE revision of each; the critics stay).
 */
export async function deletePublication(
  w: Writer,
  input: { id: number; version: number; cascade?: boolean | null | undefined },
  revertOfId: number | null = null,
): Promise<string[]> {
  const row = checkVersion(
    w,
    'Publication',
    await w.tx.publication.findUnique({
      where: { id: input.id },
      select: {
        ...PUBLICATION_SELECT,
        reviews: { select: { id: true, version: true }, orderBy: { id: 'asc' } },
        critics: { select: { critic: { select: CRITIC_SELECT } } },
      },
    }),
    input.version,
  );
  const { reviews, critics } = row;
  if ((reviews.length > 0 || critics.length > 0) && !input.cascade) {
    w.fail(
      'IN_USE',
      `The publication has ${reviews.length} review(s) and ${critics.length} critic affiliation(s); send cascade: true to delete the reviews and end the affiliations with it.`,
      ['input', 'cascade'],
    );
  }
  const deletedIds: string[] = [];
  for (const review of reviews) deletedIds.push(...(await deleteReview(w, review.id, review.version)));
  for (const { critic } of critics) {
    const before = criticValues(critic);
    await updateVersioned(w, 'Critic', critic.id, critic.version, {});
    w.revise('Critic', critic.id, 'UPDATE', {
      before,
      after: { ...before, publicationIds: before.publicationIds.filter((p) => p !== row.id) },
      fields: CRITIC_FIELDS,
    });
  }
  const citations = await w.tx.citation.findMany({ where: { publicationId: row.id } });
  await deleteVersioned(w, 'Publication', row.id, input.version);
  w.revise('Publication', row.id, 'DELETE', { before: row, after: null, fields: PUBLICATION_FIELDS }, [], revertOfId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', { before: c, after: null, fields: CITATION_FIELDS });
    w.touched('Source', c.sourceId);
  }
  return [encodeGlobalID('Publication', row.id), ...deletedIds, ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

// --- Critics ---

/** A critic as its revisions diff it: affiliations as ascending publication ids. */
function criticValues(critic: { name: string; slug: string; publications: { publicationId: number }[] }) {
  return { name: critic.name, slug: critic.slug, publicationIds: critic.publications.map((p) => p.publicationId).sort((a, b) => a - b) };
}

/** Every named publication exists (one statement): NOT_FOUND at each missing one's position in the input. */
async function checkPublications(w: Writer, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set((await w.tx.publication.findMany({ where: { id: { in: [...ids] } }, select: { id: true } })).map((p) => p.id));
  const missing = ids.flatMap((id, i) => (found.has(id) ? [] : [i]));
  if (missing.length > 0) {
    w.failAll(missing.map((i) => ({ field: ['input', 'publicationIds', String(i)], code: 'NOT_FOUND' as const, message: 'No Publication with that id.' })));
  }
}

/** Replace a critic's affiliations (only the difference is written). */
async function setAffiliations(w: Writer, criticId: number, before: readonly number[], after: readonly number[]): Promise<void> {
  const removed = before.filter((p) => !after.includes(p));
  const added = after.filter((p) => !before.includes(p));
  if (removed.length > 0) await w.tx.criticPublication.deleteMany({ where: { criticId, publicationId: { in: removed } } });
  if (added.length > 0) await w.tx.criticPublication.createMany({ data: added.map((publicationId) => ({ criticId, publicationId })) });
  for (const p of [...removed, ...added]) w.touched('Publication', p);
}

export async function createCritic(w: Writer, input: z.output<typeof createCriticSchema>): Promise<{ critic: number }> {
  const values = { name: input.name, slug: input.slug ?? slugify(input.name), publicationIds: ascending(input.publicationIds ?? []) };
  await checkPublications(w, input.publicationIds ?? []);
  const critic = await w.tx.critic.create({ data: { name: values.name, slug: values.slug }, select: { id: true } });
  await setAffiliations(w, critic.id, [], values.publicationIds);
  const set = CRITIC_FACTS.filter((f) => f === 'name' || values.publicationIds.length > 0);
  const citationIds = await citeFacts(w, input.citations, CRITIC_FACTS, set, { criticId: critic.id });
  w.revise('Critic', critic.id, 'CREATE', { before: null, after: values, fields: CRITIC_FIELDS }, citationIds);
  return { critic: critic.id };
}

export async function updateCritic(w: Writer, input: z.output<typeof updateCriticSchema>): Promise<{ critic: number }> {
  const row = checkVersion(w, 'Critic', await w.tx.critic.findUnique({ where: { id: input.id }, select: CRITIC_SELECT }), input.version);
  const before = criticValues(row);
  const wanted = { ...input, publicationIds: input.publicationIds && ascending(input.publicationIds) };
  const changed = changedFields(before, wanted, CRITIC_FIELDS);
  const citationIds = await citeFacts(
    w,
    input.citations,
    CRITIC_FACTS,
    changed.filter((f) => f !== 'slug'),
    { criticId: row.id },
  );
  if (changed.length === 0) return { critic: row.id };
  const after = { ...before, ...Object.fromEntries(changed.map((f) => [f, wanted[f]])) } as typeof before;
  if (changed.includes('publicationIds')) await checkPublications(w, input.publicationIds!);
  await writeCritic(w, row.id, input.version, before, after);
  w.revise('Critic', row.id, 'UPDATE', { before, after, fields: CRITIC_FIELDS }, citationIds);
  return { critic: row.id };
}

/** Writes a critic's changed values under the version check (its row, then the affiliations that differ). */
async function writeCritic(w: Writer, id: number, version: number, before: ReturnType<typeof criticValues>, after: ReturnType<typeof criticValues>) {
  const changed = changedFields(before, after, CRITIC_FIELDS);
  const data = Object.fromEntries(changed.filter((f) => f !== 'publicationIds').map((f) => [f, after[f]])) as Partial<Record<CriticField, unknown>>;
  await updateVersioned(w, 'Critic', id, version, data);
  if (changed.includes('publicationIds')) await setAffiliations(w, id, before.publicationIds, after.publicationIds);
}

/**
 * Deletes a critic with the critic's citations and affiliations. While reviews name the critic,
 * IN_USE unless `cascade`: then the reviews stay, attributed to their outlet only (criticId set
 * to null, an UPDATE revision of each), as the database's ON DELETE SET NULL would leave them.
 */
export async function deleteCritic(
  w: Writer,
  input: { id: number; version: number; cascade?: boolean | null | undefined },
  revertOfId: number | null = null,
): Promise<string[]> {
  const row = checkVersion(
    w,
    'Critic',
    await w.tx.critic.findUnique({
      where: { id: input.id },
      select: { ...CRITIC_SELECT, reviews: { select: { id: true, version: true, filmId: true }, orderBy: { id: 'asc' } } },
    }),
    input.version,
  );
  if (row.reviews.length > 0 && !input.cascade) {
    w.fail('IN_USE', `The critic signed ${row.reviews.length} review(s); send cascade: true to keep them, attributed to their publication only.`, [
      'input',
      'cascade',
    ]);
  }
  for (const review of row.reviews) {
    await updateVersioned(w, 'Review', review.id, review.version, { criticId: null });
    w.revise('Review', review.id, 'UPDATE', { before: { criticId: row.id }, after: { criticId: null }, fields: ['criticId'] });
    w.touched('Film', review.filmId);
  }
  const citations = await w.tx.citation.findMany({ where: { criticId: row.id } });
  await deleteVersioned(w, 'Critic', row.id, input.version);
  w.revise('Critic', row.id, 'DELETE', { before: criticValues(row), after: null, fields: CRITIC_FIELDS }, [], revertOfId);
  for (const p of row.publications) w.touched('Publication', p.publicationId);
  for (const c of citations) {
    w.revise('Citation', c.id, 'DELETE', { before: c, after: null, fields: CITATION_FIELDS });
    w.touched('Source', c.sourceId);
  }
  return [encodeGlobalID('Critic', row.id), ...citations.map((c) => encodeGlobalID('Citation', c.id))];
}

registerEditable({
  typename: 'Publication',
  facts: PUBLICATION_FIELDS,
  cited: PUBLICATION_FACTS,
  async restore(w, id, version, values, revertOfId) {
    const row = checkVersion(w, 'Publication', await w.tx.publication.findUnique({ where: { id }, select: PUBLICATION_SELECT }), version);
    const restored = restoredValues(values, PUBLICATION_FIELDS);
    const changed = changedFields(row, restored, PUBLICATION_FIELDS);
    if (changed.length === 0) return;
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]]));
    await updateVersioned(w, 'Publication', id, version, data);
    w.revise('Publication', id, 'REVERT', { before: row, after: { ...row, ...data }, fields: PUBLICATION_FIELDS }, [], revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deletePublication(w, { id, version }, revertOfId);
  },
});

registerEditable({
  typename: 'Critic',
  facts: CRITIC_FIELDS,
  cited: CRITIC_FACTS,
  async restore(w, id, version, values, revertOfId) {
    const row = checkVersion(w, 'Critic', await w.tx.critic.findUnique({ where: { id }, select: CRITIC_SELECT }), version);
    const before = criticValues(row);
    const after = { ...before, ...restoredValues(values, CRITIC_FIELDS) } as typeof before;
    if (changedFields(before, after, CRITIC_FIELDS).length === 0) return;
    await writeCritic(w, id, version, before, after);
    w.revise('Critic', id, 'REVERT', { before, after, fields: CRITIC_FIELDS }, [], revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deleteCritic(w, { id, version }, revertOfId);
  },
});
