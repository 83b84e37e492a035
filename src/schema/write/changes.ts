/** The `changes` root field: every revision in commit order, paged forward by a signed cursor (docs/writing.md#the-change-feed). */
import { queryFromInfo } from '@pothos/plugin-prisma';
import * as z from 'zod';
import { builder } from '../../builder.ts';
import type { Prisma, Revision } from '../../generated/prisma/client.ts';
import type { CursorCodec } from '../../pagination/cursor.ts';
import { DEFAULT_PAGE_SIZE, pageSizeArg } from '../../pagination/page-size.ts';
import type { EditableType } from './entities.ts';
import { ChangeEntityTypeEnum, RevisionRef } from './revision.ts';

// Cursors pin a revision id only: the same cursor continues with other `types` or `since`.
const ORDERING = 'Changes|id';

/** The feed cursor of revision `id`: what `changes` edges carry and live events (schema/live) send as their SSE id. */
export const changeCursor = (cursors: CursorCodec, id: number): string => cursors.encode({ ordering: ORDERING, keys: [], id });

/** The revision id a feed cursor names; INVALID_CURSOR when it is not one. */
export const changeCursorId = (cursors: CursorCodec, cursor: string): number => cursors.decode(cursor, ORDERING, 'after', []).id;

const ChangeConnection = builder.connectionObject(
  {
    type: RevisionRef,
    name: 'ChangeConnection',
    description: 'A page of the change feed, in commit order.',
  },
  { name: 'ChangeEdge', description: 'A revision and the cursor to resume after it.' },
);

builder.queryFields((t) => ({
  changes: t.field({
    type: ChangeConnection,
    description:
      'Every revision ever committed, oldest first in commit order, complete (no revision commits below one already seen), paged forward by a signed cursor. ' +
      'Poll with `after: pageInfo.endCursor` to resume exactly where you stopped; an empty page keeps the cursor you sent. See docs/writing.md#the-change-feed.',
    args: {
      after: t.arg.string({ description: 'Resume after this cursor (`pageInfo.endCursor` or an edge cursor of an earlier page).' }),
      first: t.arg.int({ description: `Revisions per page (0–100, default ${DEFAULT_PAGE_SIZE}).`, validate: pageSizeArg('first') }),
      types: t.arg({
        type: [ChangeEntityTypeEnum],
        description: 'Only revisions of these types (default: all).',
        validate: z.array(z.string()).min(1, '`types` must list at least one ChangeEntityType; omit it for every type.').nullish(),
      }),
      since: t.arg({ type: 'DateTime', description: 'Only revisions committed at or after this time.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const afterId = args.after == null ? 0 : changeCursorId(ctx.cursors, args.after);
      const first = args.first ?? DEFAULT_PAGE_SIZE;
      const where: Prisma.RevisionWhereInput = {
        id: { gt: afterId },
        ...(args.types ? { entityType: { in: args.types as EditableType[] } } : {}),
        ...(args.since ? { createdAt: { gte: args.since } } : {}),
      };
      const query = queryFromInfo({ context: ctx, info, typeName: 'Revision', select: { id: true }, paths: [['nodes'], ['edges', 'node']] });
      const rows = first === 0 ? [] : ((await ctx.prisma.revision.findMany({ ...query, where, orderBy: { id: 'asc' }, take: first + 1 })) as Revision[]);
      const page = rows.slice(0, first);
      const edges = page.map((node) => ({ cursor: changeCursor(ctx.cursors, node.id), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: afterId > 0,
          startCursor: edges[0]?.cursor ?? null,
          // A poller keeps its place on an empty page.
          endCursor: edges.at(-1)?.cursor ?? args.after ?? null,
        },
      };
    },
  }),
}));
