import type { PrismaClient } from '../generated/prisma/client.ts';
import { directQuery } from './direct.ts';
import type { Logger } from '../logger.ts';

// One row (or none) from each of the app's tables. `SELECT 1` only proves a connection: a
// database whose tables cannot be read (a corrupt page, a missing relation, lost privileges)
// answers it while every API query fails. LIMIT 1 reads the first page of each table: cheap
// enough for a probe, and the page every scan of that table starts with.
const TABLES = [
  'Film',
  'Person',
  'PersonAlias',
  'Credit',
  'Publication',
  'Critic',
  'CriticPublication',
  'Review',
  'ReviewQuote',
  'Release',
  'Source',
  'Citation',
];
const PROBE_SQL = `SELECT ${TABLES.map((t, i) => `(SELECT 1 FROM "${t}" LIMIT 1) AS t${i}`).join(', ')}`;

export interface ReadinessOptions {
  /** A probe slower than this counts as not ready (PGlite cannot cancel it, so it is abandoned). */
  timeoutMs?: number;
  /** A success is reused this long, so /ready under load costs one query a second. */
  cacheMs?: number;
}

/** `() => ready?` for /ready: whether the database answers a read of each of the app's tables. */
export function databaseReadiness(prisma: PrismaClient, logger: Logger, options: ReadinessOptions = {}): () => Promise<boolean> {
  const { timeoutMs = 2_000, cacheMs = 1_000 } = options;
  // On the client's own connections but not through Prisma's query engine, which a start then
  // need not load before /ready answers (it loads on the first query that uses it).
  const query = directQuery(prisma);
  // `result` is undefined while the probe runs.
  let last: { at: number; ready: Promise<boolean>; result?: boolean } | undefined;
  const probe = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the readiness query took longer than ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([query(PROBE_SQL, []), timeout]);
      return true;
    } catch (error) {
      // The database's reason is the message's last line (Prisma's, when a client has no direct
      // query, opens with lines about the invocation).
      const reason = String((error as Error).message)
        .trim()
        .split('\n')
        .at(-1);
      logger.warn({ err: error }, `not ready: the database cannot answer a read of the app's tables: ${reason}`);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
  return () => {
    const now = performance.now();
    // A probe under way is shared; a success is reused for `cacheMs`; a failure is not, so
    // recovery shows at the next probe.
    if (last && (last.result === undefined || (last.result && now - last.at < cacheMs))) return last.ready;
    const entry: { at: number; ready: Promise<boolean>; result?: boolean } = { at: now, ready: probe() };
    void entry.ready.then((ready) => (entry.result = ready));
    last = entry;
    return entry.ready;
  };
}
