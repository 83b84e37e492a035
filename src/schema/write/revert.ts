/** `revertRevision`: a revision's inverse applied as a new revision, under the version check (docs/writing.md#reverting). */
import * as z from 'zod';
import { builder } from '../../builder.ts';
import type { Json } from './diff.ts';
import { editableEntity } from './entities.ts';
import { globalId, noteSchema, versionSchema } from './input.ts';
import { RevisionRef } from './revision.ts';
import { runWrite } from './run.ts';
import { loadEntity, userErrorsField, type Payload } from './write.ts';

const RevertRevisionInput = builder.inputType('RevertRevisionInput', {
  description: 'The revision to undo, and the current version of its entity.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The revision (global ID).' }),
    version: t.int({ required: true, description: "The entity's current `version` (as for an update); a stale one is refused with CONFLICT." }),
    note: t.string({ description: 'Why it is reverted (stored on the change set).' }),
  }),
});

const revertSchema = z.object({ id: globalId('Revision'), version: versionSchema, note: noteSchema });

const RevertRevisionPayload = builder.objectRef<Payload<{ revertOf: number }>>('RevertRevisionPayload').implement({
  description: 'The revision that undid it, or why it was not undone.',
  fields: (t) => ({
    revision: t.prismaField({
      type: RevisionRef,
      nullable: true,
      description: 'The new revision (REVERT, or DELETE for a reverted CREATE); null on failure, or when the entity already held the old values.',
      resolve: (query, payload, _args, ctx) =>
        loadEntity(query, payload.revertOf, ({ where, ...args }) =>
          ctx.prisma.revision.findFirst({ ...args, where: { revertOfId: where.id }, orderBy: { id: 'desc' } }),
        ),
    }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  revertRevision: t.field({
    type: RevertRevisionPayload,
    authScopes: { write: true },
    description:
      'Undo a revision by applying its inverse as a new revision: an UPDATE (or REVERT) sets its fields back to their `before` values; a CREATE deletes the entity ' +
      '(with what its delete takes). DELETE and MERGE revisions are NOT_REVERTIBLE. Scope `write`. docs/writing.md#reverting.',
    args: { input: t.arg({ type: RevertRevisionInput, required: true, description: "The revision and its entity's current version." }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'revertRevision', input, schema: revertSchema }, async (w, { id, version }) => {
        const revision = await w.tx.revision.findUnique({ where: { id }, select: { id: true, entityType: true, entityId: true, action: true, diff: true } });
        if (!revision) return w.fail('NOT_FOUND', 'No revision with that id.', ['input', 'id']);
        const entity = editableEntity(revision.entityType);
        if (revision.action === 'DELETE' || revision.action === 'MERGE') {
          return w.fail(
            'NOT_REVERTIBLE',
            `A ${revision.action} cannot be reverted: the record is gone, with what it took along (and ids point elsewhere after a merge). Create it again instead.`,
            ['input', 'id'],
          );
        }
        if (!entity) return w.fail('NOT_REVERTIBLE', `Revisions of ${revision.entityType} cannot be reverted yet.`, ['input', 'id']);
        if (revision.action === 'CREATE') {
          await entity.remove(w, revision.entityId, version, revision.id);
        } else {
          const diff = revision.diff as Record<string, { before: Json; after: Json }>;
          await entity.restore(w, revision.entityId, version, Object.fromEntries(Object.entries(diff).map(([f, d]) => [f, d.before])), revision.id);
        }
        return { revertOf: revision.id };
      }),
  }),
}));
