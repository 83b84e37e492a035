/** The conflict write: resolveConflict (keep the current value, or take the incoming one as a normal revision citing its record), and its zod schema. */
import * as z from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import { checkVersion, EDITABLE_TYPES, updateVersioned } from '../write/entities.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { IMPORTED_FACTS, recordCitation, toJson, type ImportedType } from './record.ts';

export const resolveConflictSchema = z.object({
  id: globalId('Conflict'),
  version: versionSchema,
  resolution: z.enum(['KEEP_CURRENT', 'ACCEPT_INCOMING']),
  note: noteSchema,
});

const CONFLICT_FIELDS = ['status', 'resolvedBy'] as const;

interface EntityDelegate {
  findUnique(args: { where: { id: number }; select: Record<string, true> }): Promise<Record<string, unknown> | null>;
}

/**
 * Resolve an open conflict. KEEP_CURRENT records the decision; ACCEPT_INCOMING sets the field to
 * the incoming value under the entity's version check, cites the record, and appends the
 * entity's UPDATE revision, like any mutation. Either way the conflict gets its own revision.
 */
export async function resolveConflict(w: Writer, input: z.output<typeof resolveConflictSchema>): Promise<{ conflict: number }> {
  const conflict = checkVersion(w, 'Conflict', await w.tx.conflict.findUnique({ where: { id: input.id } }), input.version);
  if (conflict.status !== 'OPEN') w.fail('NOT_OPEN', `The conflict was already resolved (${conflict.status}).`, ['input', 'id']);
  const status = input.resolution === 'KEEP_CURRENT' ? 'KEPT_CURRENT' : 'ACCEPTED_INCOMING';
  let citationIds: number[] = [];
  if (status === 'ACCEPTED_INCOMING') {
    const spec = IMPORTED_FACTS[conflict.entityType as ImportedType];
    if (!spec || !(spec.facts as readonly string[]).includes(conflict.field)) {
      w.fail('INVALID', `${conflict.entityType}.${conflict.field} cannot be set from an import.`, ['input', 'id']);
    }
    const type = conflict.entityType as ImportedType;
    const delegate = w.tx[EDITABLE_TYPES[type]] as unknown as EntityDelegate;
    const row = await delegate.findUnique({ where: { id: conflict.entityId }, select: { id: true, version: true, [conflict.field]: true } });
    if (!row) w.fail('NOT_FOUND', `The ${type} of this conflict no longer exists.`, ['input', 'id']);
    const incoming = conflict.field === 'amount' ? BigInt(conflict.incomingValue as number) : conflict.incomingValue;
    await updateVersioned(w, type, conflict.entityId, row.version as number, { [conflict.field]: incoming });
    const record = { sourceId: conflict.sourceId, file: conflict.recordFile, key: conflict.recordKey, fields: conflict.recordFields };
    const created = await w.tx.citation.createManyAndReturn({
      data: [recordCitation({ [spec.target]: conflict.entityId }, spec.perField ? conflict.field : null, record)],
      select: { id: true },
    });
    citationIds = created.map((c) => c.id);
    const before = { [conflict.field]: toJson(row[conflict.field]) };
    w.revise(type, conflict.entityId, 'UPDATE', { before, after: { [conflict.field]: conflict.incomingValue }, fields: [conflict.field] }, citationIds);
    w.touched('Source', conflict.sourceId);
  }
  const resolvedBy = w.ctx.identity.name ?? 'anonymous';
  const data: Prisma.ConflictUpdateInput = { status, resolvedBy, resolvedAt: new Date() };
  await updateVersioned(w, 'Conflict', conflict.id, conflict.version, data);
  w.revise('Conflict', conflict.id, 'UPDATE', { before: conflict, after: { ...conflict, status, resolvedBy }, fields: CONFLICT_FIELDS }, citationIds);
  return { conflict: conflict.id };
}
