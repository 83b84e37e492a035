/**
 * The import rule (docs/importing.md#provenance-and-updates), shared by every importer: whether an
 * incoming value may replace the current one given the citations backing it, and the Conflict an
 * import records when it may not.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { toJson, type RecordRef } from '../schema/catalog/record.ts';

export interface ApplyOptions {
  dataset: string;
  snapshot: string;
  sourceId: number;
  preferIncoming: boolean;
  changeSetId: () => number | null;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  stale: number;
  rejected: number;
}

export const emptyCounts = (): Counts => ({ created: 0, updated: 0, unchanged: 0, conflicts: 0, stale: 0, rejected: 0 });

/** Snapshots of one dataset sort as versions or ISO dates do ("3.2.1" < "3.10.0", "2026-01-31" < "2026-11-30"). */
export const compareSnapshots = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

export type Backing = { id: number; field: string | null; source: { dataset: string | null; snapshot: string | null } };

export const CITATION_BACKING = { id: true, field: true, source: { select: { dataset: true, snapshot: true } } } as const;

export const same = (a: unknown, b: unknown) => JSON.stringify(toJson(a)) === JSON.stringify(toJson(b));
/** A row as a revision diffs it (BigInt money as a number: revisions are JSON). */
export const jsonRow = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJson(v)]));
const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);

export type Decision = 'same' | 'set' | 'replace' | 'conflict' | 'stale';

/**
 * Whether an incoming value may replace the current one, given the citations backing it: equal
 * values write nothing; an unset value is set; one backed only by this dataset's
 * snapshots up to this one is replaced; one backed by a newer snapshot is left (stale input);
 * anything else (an article, an editor's uncited write, another dataset) is a conflict.
 */
export function decide(o: ApplyOptions, current: unknown, incoming: unknown, backing: Backing[]): Decision {
  if (same(current, incoming)) return 'same';
  // An unset value holds no claim to keep, whatever backs the rest of the record.
  if (isEmpty(current)) return 'set';
  const ours = backing.length > 0 && backing.every((c) => c.source.dataset === o.dataset);
  if (ours && backing.some((c) => compareSnapshots(c.source.snapshot ?? '', o.snapshot) > 0)) return 'stale';
  if (ours) return 'replace';
  return o.preferIncoming ? 'replace' : 'conflict';
}

/** Records (or refreshes) the conflict; false when the same incoming value already had one (a re-import raises nothing new). */
export async function recordConflict(
  tx: Prisma.TransactionClient,
  o: ApplyOptions,
  target: { entityType: string; entityId: number; field: string },
  current: unknown,
  backing: Backing[],
  incoming: unknown,
  ref: RecordRef,
): Promise<boolean> {
  const key = { entityType_entityId_field_sourceId: { ...target, sourceId: ref.sourceId } };
  const existing = await tx.conflict.findUnique({ where: key, select: { incomingValue: true } });
  if (existing && same(existing.incomingValue, incoming)) return false;
  const data = {
    currentValue: toJson(current) ?? undefined,
    currentCitationIds: backing.map((c) => c.id),
    incomingValue: toJson(incoming)!,
    recordFile: ref.file,
    recordKey: ref.key,
    recordFields: ref.fields,
    changeSetId: o.changeSetId(),
  };
  await tx.conflict.upsert({
    where: key,
    create: { ...target, sourceId: ref.sourceId, ...data },
    update: { ...data, status: 'OPEN', resolvedBy: null, resolvedAt: null, version: { increment: 1 } },
  });
  return true;
}

/** Drop this dataset's citations among `backing` (replaced by the new snapshot's). */
export async function dropOurs(tx: Prisma.TransactionClient, o: ApplyOptions, backing: Backing[]) {
  const ids = backing.filter((c) => c.source.dataset === o.dataset).map((c) => c.id);
  if (ids.length) await tx.citation.deleteMany({ where: { id: { in: ids } } });
}
