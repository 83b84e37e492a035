/**
 * Merges and redirects (docs/writing.md#merges): `mergeFilms` and `mergePeople` move everything
 * of one record (the loser, `from`) to another (the survivor, `into`) in one transaction, delete
 * the loser and leave its global id and slug redirecting to the survivor.
 * Siblings: mutations.ts (inputs, payloads, fields) · films.ts and people.ts (the writes) ·
 * follow.ts (reads that follow redirects) · redirect.ts (`redirectedFrom` fields) · sql.ts (row locks).
 * This file: what both merges share.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import type { RedirectedType } from './follow.ts';
import { lockForMerge } from './sql.ts';

/** Both merges' input: the loser, the survivor, each at the version read. */
export const mergeSchema = (typename: RedirectedType) =>
  z.object({
    from: globalId(typename),
    into: globalId(typename),
    fromVersion: versionSchema,
    intoVersion: versionSchema,
    note: noteSchema,
    idempotencyKey: z.string().nullish(),
  });

export type MergeInput = z.output<ReturnType<typeof mergeSchema>>;

/** What a merge's payload resolves from. */
export interface MergeResult {
  /** the survivor */
  into: number;
  /** global ids of the records the merge deleted: the loser and the duplicates it collapsed */
  deletedIds: string[];
  /** global ids of the records it moved to the survivor (or to a duplicate's survivor) */
  movedIds: string[];
}

/**
 * SAME_ENTITY, then both records locked and read (`read`), then NOT_FOUND / CONFLICT for each
 * side at its own input field.
 */
export async function openMerge<R extends { id: number; version: number }>(
  w: Writer,
  typename: RedirectedType,
  input: MergeInput,
  read: (ids: [number, number]) => Promise<R[]>,
): Promise<{ loser: R; survivor: R }> {
  if (input.from === input.into) w.fail('SAME_ENTITY', `from and into are the same ${typename}; a merge needs two records.`, ['input', 'into']);
  await lockForMerge(w.tx, typename, [input.from, input.into]);
  const rows = await read([input.from, input.into]);
  const side = (id: number, version: number, field: 'from' | 'into'): R => {
    const row = rows.find((r) => r.id === id);
    if (!row) return w.fail('NOT_FOUND', `No ${typename} with that id (${field}).`, ['input', field]);
    if (row.version !== version) {
      w.fail(
        'CONFLICT',
        `${typename} (${field}) is at version ${row.version}, not ${version}: it changed since you read it. Read it again and retry.`,
        ['input', `${field}Version`],
        { currentVersion: row.version },
      );
    }
    return row;
  };
  return { loser: side(input.from, input.fromVersion, 'from'), survivor: side(input.into, input.intoVersion, 'into') };
}

/**
 * The survivor's values win; a fact or external id it lacks (null, or no genres) is taken from
 * the loser. Returns only the fields that change.
 */
export function fillGaps<F extends string>(survivor: Record<F, unknown>, loser: Record<F, unknown>, fields: readonly F[]): Partial<Record<F, unknown>> {
  const empty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
  return Object.fromEntries(fields.filter((f) => empty(survivor[f]) && !empty(loser[f])).map((f) => [f, loser[f]])) as Partial<Record<F, unknown>>;
}

/**
 * The loser's id and slug redirect to the survivor. Redirects that pointed at the loser now point
 * at the survivor (chains collapse: A→B then B→C leaves A→C and B→C), and an older redirect of
 * the same slug (a slug reused after an earlier merge) gives way to this one.
 */
export async function redirect(w: Writer, typename: RedirectedType, loser: { id: number; slug: string }, into: number): Promise<void> {
  const column = typename === 'Film' ? 'filmId' : 'personId';
  await w.tx.redirect.updateMany({ where: { [column]: loser.id }, data: { [column]: into } });
  await w.tx.redirect.deleteMany({ where: { entityType: typename, fromSlug: loser.slug } });
  await w.tx.redirect.create({ data: { entityType: typename, fromId: loser.id, fromSlug: loser.slug, [column]: into } });
}

/** A row moved to another parent: a MERGE revision of the foreign key (and of the version it bumped). */
export function reviseMoved(w: Writer, typename: string, rows: { id: number; version: number }[], column: string, from: number, to: number): string[] {
  for (const row of rows) {
    w.revise(typename, row.id, 'MERGE', {
      before: { [column]: from, version: row.version },
      after: { [column]: to, version: row.version + 1 },
      fields: [column],
    });
  }
  return rows.map((r) => encodeGlobalID(typename, r.id));
}

/** Columns of a row a revision keeps: its scalars, minus bookkeeping. */
export const scalars = (row: Record<string, unknown>) => Object.keys(row).filter((k) => !['id', 'createdAt', 'updatedAt', 'version'].includes(k));

/**
 * A record the merge deleted: a MERGE revision with its values before, null after, and
 * `mergedInto`, the global id of the record that took its place.
 */
export function reviseMergedAway(w: Writer, typename: string, row: Record<string, unknown> & { id: number }, fields: readonly string[], into: string): string {
  w.revise(typename, row.id, 'MERGE', { before: { ...row, mergedInto: null }, after: { mergedInto: into }, fields: [...fields, 'mergedInto'] });
  return encodeGlobalID(typename, row.id);
}

/**
 * Citations of the duplicates a merge collapses move to the row kept in their place; `pairs` maps
 * each duplicate's id to the kept row's. One UPDATE per duplicate, each with a MERGE revision.
 */
export async function moveCitations(
  w: Writer,
  column: 'creditId' | 'releaseId' | 'personAliasId',
  pairs: Map<number, number>,
): Promise<{ moved: string[]; sources: number[] }> {
  if (pairs.size === 0) return { moved: [], sources: [] };
  const citations = await w.tx.citation.findMany({
    where: { [column]: { in: [...pairs.keys()] } },
    select: { id: true, version: true, sourceId: true, creditId: true, releaseId: true, personAliasId: true },
  });
  const moved: string[] = [];
  for (const [duplicate, kept] of pairs) {
    const rows = citations.filter((c) => c[column] === duplicate);
    if (rows.length === 0) continue;
    await w.tx.citation.updateMany({ where: { id: { in: rows.map((c) => c.id) } }, data: { [column]: kept, version: { increment: 1 } } });
    moved.push(...reviseMoved(w, 'Citation', rows, column, duplicate, kept));
  }
  return { moved, sources: citations.map((c) => c.sourceId) };
}
