/**
 * The live domain: the Subscription root fields `changes`, `nodeChanged` and `filmChanged`
 * (SSE, docs/live.md) and their event type; stream.ts opens each subscription's resumable
 * stream, src/live/hub.ts feeds it.
 */
import * as z from 'zod';
import { builder, decodeGlobalID } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { invalidIdError } from '../../errors.ts';
import { changeCursorId } from '../write/changes.ts';
import { EDITABLE_TYPES, type EditableType } from '../write/entities.ts';
import { ChangeEntityTypeEnum, RevisionRef } from '../write/revision.ts';
import { openLiveStream, type LiveEvent } from './stream.ts';

/**
 * Priced once, at subscribe time, with the selection (plugins/cost): an open stream holds a
 * connection and a slot however little it selects, so it costs as much as a small page of reads.
 */
const SUBSCRIPTION_COST = 10;

const RevisionEventRef = builder.objectRef<LiveEvent>('RevisionEvent').implement({
  description: 'A revision as it commits (or replayed from the change feed on resume), with the feed cursor to resume after it.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', {
      description:
        'The change-feed cursor of this revision (also the SSE event id): resume with `after:` or the Last-Event-ID header, or page `changes(after:)`.',
    }),
    revision: t.field({ type: RevisionRef, description: 'The revision: entity, action, diff, change set.', resolve: (event) => event.revision }),
  }),
});

/** Where to resume: the later of `after` and the SSE Last-Event-ID header (an EventSource reconnecting resends its URL, `after` included, with the newer header). */
function resumeAfter(ctx: Context, after: string | null | undefined): number | undefined {
  const header = ctx.request.headers.get('last-event-id');
  const ids = [after, header || undefined].filter((c): c is string => typeof c === 'string').map((cursor) => changeCursorId(ctx.cursors, cursor));
  return ids.length ? Math.max(...ids) : undefined;
}

const afterArg = {
  description: 'Replay every matching revision committed after this feed cursor first (a `cursor` of an earlier event, or a `changes` cursor), then live ones.',
};

builder.subscriptionFields((t) => ({
  changes: t.field({
    type: RevisionEventRef,
    complexity: SUBSCRIPTION_COST,
    description:
      'The change feed as a stream: every revision as it commits, in commit order. With `after` (or Last-Event-ID), first every revision after that cursor, then live ones, with no gap and no duplicate. See docs/live.md.',
    args: {
      types: t.arg({
        type: [ChangeEntityTypeEnum],
        description: 'Only revisions of these types (default: all).',
        validate: z.array(z.string()).min(1, '`types` must list at least one ChangeEntityType; omit it for every type.').nullish(),
      }),
      after: t.arg.string(afterArg),
    },
    subscribe: (_root, args, ctx) => {
      const types = args.types ? new Set<string>(args.types) : undefined;
      return openLiveStream(ctx, {
        where: types ? { entityType: { in: [...types] } } : {},
        wants: (revision) => !types || types.has(revision.entityType),
        afterId: resumeAfter(ctx, args.after),
      });
    },
    resolve: (event) => event,
  }),
  nodeChanged: t.field({
    type: RevisionEventRef,
    complexity: SUBSCRIPTION_COST,
    description:
      'Every revision of one entity (any editable type, by global ID) as it commits: updates, its delete, merges, reverts. Resumable like `changes`. See docs/live.md.',
    args: { id: t.arg.id({ required: true, description: 'The global ID of the entity (a Film, Person, Credit…).' }), after: t.arg.string(afterArg) },
    subscribe: (_root, args, ctx) => entityStream(ctx, String(args.id), args.after, undefined),
    resolve: (event) => event,
  }),
  filmChanged: t.field({
    type: RevisionEventRef,
    complexity: SUBSCRIPTION_COST,
    description:
      'Every revision of one film as it commits (its own fields, its delete, merges, reverts; `revision.entity` is the film now). Resumable like `changes`.',
    args: { id: t.arg.id({ required: true, description: 'The global ID of the film.' }), after: t.arg.string(afterArg) },
    subscribe: (_root, args, ctx) => entityStream(ctx, String(args.id), args.after, 'Film'),
    resolve: (event) => event,
  }),
}));

function entityStream(ctx: Context, globalId: string, after: string | null | undefined, only: EditableType | undefined) {
  const { typename, id } = decodeGlobalID(globalId);
  if (only ? typename !== only : !Object.hasOwn(EDITABLE_TYPES, typename)) {
    throw invalidIdError(only ? `"${globalId.slice(0, 100)}" is not a ${only} ID.` : `"${globalId.slice(0, 100)}" is not the ID of an entity with revisions.`);
  }
  const entityId = Number(id);
  return openLiveStream(ctx, {
    where: { entityType: typename, entityId },
    wants: (revision) => revision.entityType === typename && revision.entityId === entityId,
    afterId: resumeAfter(ctx, after),
  });
}
