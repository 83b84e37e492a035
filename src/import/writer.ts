/**
 * What an import batch writes through: its transaction, the revisions it appends (run.ts inserts
 * them in one statement with the batch's change set), the revisions it inserted itself (new rows'
 * CREATE revisions, bulk.ts `insertCreated`) and the types it touched. The API's Writer
 * (schema/write/run.ts) does the same for a mutation, but loading it loads graphql-yoga and the
 * GraphQL builder — most of `npm run import`'s start-up (docs/importing.md#speed) — for user
 * errors and input rules an import never uses. An import names types only: run.ts keeps type-wide
 * invalidations, never a million entities' ids.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { RevisionAction } from '../generated/prisma/enums.ts';
import type { CommittedRevision } from '../events.ts';
import { diffFields, type FieldDiff, type PendingRevision } from '../schema/write/diff.ts';

export type Change = { before: Record<string, unknown> | null; after: Record<string, unknown> | null; fields: readonly string[] };

export class ImportWriter {
  readonly revisions: PendingRevision[] = [];
  /** Revisions already inserted by the batch (in id order), published with the others when it commits */
  readonly inserted: CommittedRevision[] = [];
  readonly #touched = new Set<string>();

  /**
   * `changeSet` takes the change feed's lock (schema/write/sql.ts: held until the batch commits,
   * so revision ids follow commit order) and returns the run's change set, created with the
   * first revision: called before any revision is inserted.
   */
  constructor(
    readonly tx: Prisma.TransactionClient,
    readonly changeSet: () => Promise<number>,
  ) {}

  /** A revision of `entityType`: the diff of `fields` between `before` and `after`, as the API's Writer records it. */
  revise(entityType: string, entityId: number, action: RevisionAction, change: Change, citationIds: number[] = []): FieldDiff {
    const diff = diffFields(change.before, change.after, change.fields);
    this.revisions.push({ entityType, entityId, action, diff, citationIds, revertOfId: null });
    this.touched(entityType);
    return diff;
  }

  /** Cached reads of any entity of this type are stale once the batch commits. */
  touched(typename: string): void {
    this.#touched.add(typename);
  }

  get touchedTypes(): string[] {
    return [...this.#touched];
  }
}
