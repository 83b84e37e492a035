/** The merge domain's raw SQL: row locks (Prisma has no SELECT … FOR UPDATE). */
import { Prisma } from '../../generated/prisma/client.ts';

/**
 * Locks both records of a merge, in id order (two merges of the same pair, either way round,
 * queue instead of deadlocking), before their versions are checked: until the merge commits, no
 * other write can change either record or attach a new credit, citation… to the loser (a child's
 * foreign-key check waits for this lock), so nothing is left behind for the loser's delete to
 * cascade away. A write that got there first makes the merge wait, then fail its version check.
 */
export async function lockForMerge(tx: Prisma.TransactionClient, table: 'Film' | 'Person', ids: [number, number]): Promise<void> {
  const sorted = [...ids].sort((a, b) => a - b);
  await tx.$queryRaw`SELECT id FROM ${Prisma.raw(`"${table}"`)} WHERE id IN (${Prisma.join(sorted)}) ORDER BY id FOR UPDATE`;
}
