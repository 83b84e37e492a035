/** WriteEvents: the post-commit hook of every write ("these revisions committed"), for live updates. */
import type { ChangeSetKind, RevisionAction } from './generated/prisma/enums.ts';

/** One revision a write appended, as published once its transaction committed. */
export interface CommittedRevision {
  id: number;
  /** GraphQL typename of the entity. */
  entityType: string;
  entityId: number;
  action: RevisionAction;
}

/** One committed write: its change set and revisions, in id (= commit) order. */
export interface CommittedChange {
  changeSetId: number;
  kind: ChangeSetKind;
  actor: string;
  operationName: string | null;
  revisions: CommittedRevision[];
}

export type WriteListener = (change: CommittedChange) => void;

/**
 * The post-commit hook of every write (schema/write/run.ts publishes after the transaction has
 * committed, never before, so a listener never sees a change that rolls back). Live updates
 * (subscriptions) and any other consumer subscribe here; one instance per server, shared by its
 * requests through the context. In-process only: consumers on other instances read the change
 * feed (`changes`), which is complete and in commit order.
 */
export class WriteEvents {
  readonly #listeners = new Set<WriteListener>();
  readonly #onError: (error: unknown) => void;

  constructor(options: { onError?: (error: unknown) => void } = {}) {
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Calls `listener` after each committed write; returns the function that unsubscribes it. */
  subscribe(listener: WriteListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A listener's failure is reported and does not reach the writer or the other listeners. */
  publish(change: CommittedChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
