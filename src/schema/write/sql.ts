/** The feed lock: revisions get their ids in commit order (the write domain's only raw SQL). */
import type { Prisma } from '../../generated/prisma/client.ts';

// Arbitrary constant, distinct from the migration lock (src/db/migrate.ts): "CGFEED".
const FEED_LOCK_KEY = 0x434746454544n;

/**
 * Commit order = id order for the change feed. Every write takes this transaction-scoped lock
 * just before it inserts its change set and revisions, and holds it until it commits (or rolls
 * back), so ids are drawn from the sequences in the order the writes commit: a reader that has
 * seen revision n has seen every committed revision below n, and paging by id never skips one
 * that commits later. Only that tail of each write is serialised (a few inserts); the work
 * before it runs concurrently. PGlite runs one transaction at a time anyway. Rolled-back writes
 * leave gaps in the ids that never fill, which the feed does not care about.
 */
export async function lockFeed(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FEED_LOCK_KEY})`;
}
