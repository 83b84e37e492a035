/** Field-level diffs of revisions: values as JSON, before → after, only the fields that changed. */
import type { RevisionAction } from '../../generated/prisma/enums.ts';

/** A value as a revision stores it (JSON). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A revision's diff: each changed field's value before and after the write. */
export type FieldDiff = Record<string, { before: Json; after: Json }>;

/** A revision a write has recorded and its transaction will insert (the API's Writer and the import's). */
export interface PendingRevision {
  entityType: string;
  entityId: number;
  action: RevisionAction;
  diff: FieldDiff;
  citationIds: number[];
  revertOfId: number | null;
}

/**
 * The JSON form of a column value: dates as ISO 8601 strings (an entity whose revert writes one
 * back turns it into a Date again), everything else as it is.
 */
export function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value as Json;
}

/** Equal as stored: same JSON (arrays compare in order, as genres are ordered). */
export const sameValue = (a: unknown, b: unknown) => JSON.stringify(toJson(a)) === JSON.stringify(toJson(b));

/**
 * The field-level diff between two states of a record over `fields` (a CREATE has no `before`, a
 * DELETE no `after`: those sides read as null). Only fields whose value differs appear.
 */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null, fields: readonly string[]): FieldDiff {
  const diff: FieldDiff = {};
  for (const field of fields) {
    const from = toJson(before?.[field]);
    const to = toJson(after?.[field]);
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = { before: from, after: to };
  }
  return diff;
}

/** The fields of `input` that are present (not undefined) and differ from `current`. */
export function changedFields<K extends string>(current: Record<K, unknown>, input: Partial<Record<K, unknown>>, fields: readonly K[]): K[] {
  return fields.filter((field) => input[field] !== undefined && !sameValue(current[field], input[field]));
}

/** A revision's `before` values to write back, restricted to `fields`, with `dates` turned back into Dates from ISO strings. */
export function restoredValues(values: Record<string, Json>, fields: readonly string[], dates: readonly string[] = []): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([f]) => fields.includes(f))
      .map(([f, v]) => [f, dates.includes(f) && typeof v === 'string' ? new Date(v) : v]),
  );
}
