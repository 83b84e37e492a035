/**
 * Read-only SQL sent beside Prisma, on the same connections, for statements that build their
 * own JSON (plugins/compiled/sql): Prisma's `$queryRawUnsafe` serialises the parameters, runs
 * them through its query interpreter and maps every column of the result, which for a statement
 * answering one text column cost about as much CPU again as the statement's round trip (0.32–0.40
 * against 0.17–0.22 ms per film detail, December 3). Each Prisma client the database opens
 * registers how to reach its connections directly: the pool (the same `pg.Pool` its adapter uses,
 * with the same prepared-statement names, and the replica pool for the replica client) or PGlite.
 * A client with nothing registered is queried through Prisma.
 */
export type DirectQuery = (sql: string, values: readonly unknown[]) => Promise<Record<string, unknown>[]>;

interface Entry {
  query: DirectQuery;
  /** Who wants to hear of each statement (tests and benchmarks count them, as they count Prisma's `query` events). */
  listeners: Set<(sql: string) => void>;
}

const entries = new WeakMap<object, Entry>();

export function registerDirectQuery(client: object, query: DirectQuery): void {
  entries.set(client, { query, listeners: new Set() });
}

/** The direct query of a client, or one through Prisma's `$queryRawUnsafe` when it has none. */
export function directQuery(client: { $queryRawUnsafe: (sql: string, ...values: unknown[]) => Promise<unknown> }): DirectQuery {
  const entry = entries.get(client);
  if (!entry) return async (sql, values) => (await client.$queryRawUnsafe(sql, ...values)) as Record<string, unknown>[];
  return (sql, values) => {
    for (const listener of entry.listeners) listener(sql);
    return entry.query(sql, values);
  };
}

/** Hear of every statement sent directly for `client`; returns the unsubscribe. */
export function onDirectStatement(client: object, listener: (sql: string) => void): () => void {
  const entry = entries.get(client);
  if (!entry) return () => undefined;
  entry.listeners.add(listener);
  return () => entry.listeners.delete(listener);
}
