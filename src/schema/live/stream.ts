/** One live subscription's stream: backlog from the change feed after a cursor, then live revisions from the hub, with no gap and no duplicate. */
import type { Context } from '../../context.ts';
import type { Prisma, Revision } from '../../generated/prisma/client.ts';
import { requestState } from '../../plugins/request-state.ts';
import { changeCursor } from '../write/changes.ts';

/** What each subscription yields: a revision and the feed cursor to resume after it. */
export interface LiveEvent {
  cursor: string;
  revision: Revision;
}

export interface LiveStreamOptions {
  /** The revisions this subscription wants, as a feed query (backlog) and as a test on each live revision. */
  where: Prisma.RevisionWhereInput;
  wants: (revision: Revision) => boolean;
  /** Replay the feed after this revision id first (the `after` cursor or Last-Event-ID); undefined: live events only. */
  afterId: number | undefined;
}

/** Backlog rows per feed query. */
const PAGE = 200;

/**
 * Opens the subscription eagerly (at subscribe time, so a refusal is the subscription's error,
 * not a broken stream): claims a slot (LiveHub.admit), then listens to the hub BEFORE reading
 * the backlog, buffering what arrives meanwhile. The backlog is the feed after `afterId` in id
 * (= commit) order; then the buffer and the live revisions follow, each delivered only if its
 * id is above the last one delivered. Every revision committed after the listener was added
 * reaches the buffer, every one committed before it is in the backlog (read afterwards), so
 * nothing falls between them, and the id check drops the overlap.
 */
export async function openLiveStream(ctx: Context, options: LiveStreamOptions): Promise<AsyncIterableIterator<LiveEvent>> {
  const state = requestState(ctx.request);
  const release = ctx.live.admit(state.client);
  const buffer: Revision[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const end = () => {
    ended = true;
    wake?.();
  };
  let unlisten: () => void;
  try {
    unlisten = await ctx.live.listen((revision) => {
      if (!options.wants(revision)) return;
      buffer.push(revision);
      wake?.();
    }, end);
  } catch (error) {
    release();
    throw error;
  }
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    end();
    unlisten();
    release();
  };
  const event = (revision: Revision): LiveEvent => {
    const cursor = changeCursor(ctx.cursors, revision.id);
    state.liveCursor = cursor;
    // A copy per subscription: the hub hands the same row to all of them.
    return { cursor, revision: { ...revision } };
  };

  async function* events(): AsyncGenerator<LiveEvent> {
    let last = options.afterId ?? 0;
    try {
      if (options.afterId !== undefined) {
        for (;;) {
          const rows = await ctx.prisma.revision.findMany({ where: { ...options.where, id: { gt: last } }, orderBy: { id: 'asc' }, take: PAGE });
          for (const row of rows) {
            if (ended) return;
            last = row.id;
            yield event(row);
          }
          if (rows.length < PAGE) break;
        }
      }
      for (;;) {
        const next = buffer.shift();
        if (next) {
          if (next.id > last) {
            last = next.id;
            yield event(next);
          }
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      cleanup();
    }
  }

  const generator = events();
  // return() must also work before the first next() (a client gone at once) and while the
  // generator waits for a revision: a bare async generator would queue it behind that wait.
  const iterator: AsyncIterableIterator<LiveEvent> = {
    next: () => generator.next(),
    return: async () => {
      cleanup();
      await generator.return(undefined);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
