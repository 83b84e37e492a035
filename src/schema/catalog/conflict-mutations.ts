/** The conflict mutation's schema: resolveConflict (scope `write`). */
import { builder } from '../../builder.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type Payload } from '../write/write.ts';
import { resolveConflict, resolveConflictSchema } from './conflict-edit.ts';
import { ConflictRef } from './conflict.ts';

const ConflictResolutionEnum = builder.enumType('ConflictResolution', {
  description: 'How an editor resolves a conflict.',
  values: {
    KEEP_CURRENT: { description: 'Keep the current value (and its citations); the incoming value is dropped.' },
    ACCEPT_INCOMING: { description: 'Set the incoming value, citing its record: a normal revision of the entity.' },
  } as const,
});

const ResolveConflictInput = builder.inputType('ResolveConflictInput', {
  description: 'The conflict, at the version read, and the decision.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The conflict (global ID).' }),
    version: t.int({ required: true, description: 'The `version` you read; a stale one is refused with CONFLICT.' }),
    resolution: t.field({ type: ConflictResolutionEnum, required: true, description: 'Keep the current value or take the incoming one.' }),
    note: t.string({ description: 'Why (stored on the change set).' }),
  }),
});

const ResolveConflictPayload = builder.objectRef<Payload<{ conflict: number }>>('ResolveConflictPayload').implement({
  description: 'The resolved conflict, or why it was not resolved.',
  fields: (t) => ({
    conflict: t.prismaField({
      type: ConflictRef,
      nullable: true,
      description: 'The conflict after the write; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.conflict, (args) => ctx.prisma.conflict.findUnique(args)),
    }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  resolveConflict: t.field({
    type: ResolveConflictPayload,
    authScopes: { write: true },
    description:
      'Resolve an OPEN conflict raised by an import: keep the current value, or accept the incoming one (a revision of the entity citing the dataset record). ' +
      'Scope `write`. docs/importing.md#conflicts.',
    args: { input: t.arg({ type: ResolveConflictInput, required: true, description: 'The conflict and the decision.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'resolveConflict', input, schema: resolveConflictSchema }, resolveConflict),
  }),
}));
