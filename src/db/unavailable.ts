// What "the database is unreachable or did not answer in time" looks like from each layer:
// Prisma's connectivity error codes, the driver adapter's error kinds, pg/Node socket codes
// and PostgreSQL SQLSTATEs (class 08 connection exception, 57P0x shutdown, 57014 timeout).
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseUnavailable']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const SQLSTATE = /^(08...|57P0[1-3]|57014|53300)$/;
// pg reports these without a code.
const PG_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i;

/** True when `error` (or anything in its cause chain) says the database is unavailable, not that the query is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, message, cause, meta, originalCode, originalError } = e as Record<string, unknown>;
    if (typeof code === 'string' && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code))) return true;
    if (typeof originalCode === 'string' && SQLSTATE.test(originalCode)) return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    if (typeof message === 'string' && PG_MESSAGES.test(message)) return true;
    queue.push(cause, originalError, (meta as Record<string, unknown> | undefined)?.['driverAdapterError']);
  }
  return false;
}
