import pg from 'pg';

/**
 * Reads on PostgreSQL streaming replicas (DATABASE_REPLICA_URLS). Prisma's read-replicas
 * extension (@prisma/extension-read-replicas 0.5, Prisma 7) routes each call by its kind alone:
 * it cannot keep a client's reads on the primary after that client wrote, nor take a lagging
 * or failed replica out of rotation. So the routing is ours, in two parts:
 *
 * - per request (src/plugins/read-replicas.ts): a query runs on the replica client, a mutation
 *   or subscription on the primary one, and so do the queries of a client (API key) that wrote
 *   in the last `readAfterWriteMs` (`ReadRouting`);
 * - per statement, under the replica client's Prisma adapter (`ReplicaPool`): each statement
 *   or transaction goes to the next replica in rotation, or to the primary when none is in
 *   rotation; a statement that fails on a replica for want of a connection is marked down and
 *   run on the primary, so a replica that dies fails no request.
 *
 * A monitor checks every replica each `checkMs`: it must answer, be in recovery (a promoted
 * replica is another primary) and be caught up, or behind with a replay no older than
 * `maxLagMs` (pg_wal_lsn_diff against the primary's current WAL position, and
 * pg_last_xact_replay_timestamp). A replica that fails the check leaves the rotation and comes
 * back at the first check it passes.
 */
export interface ReplicaOptions {
  urls: string[];
  maxLagMs: number;
  checkMs: number;
  /** Called when a replica leaves or rejoins the rotation (logging). */
  onChange?: (change: { replica: string; inRotation: boolean; reason: string }) => void;
  /** The pool settings of each replica (those of the primary's). */
  poolConfig: pg.PoolConfig;
}

export interface ReplicaState {
  /** The URL without its password. */
  replica: string;
  inRotation: boolean;
  reason: string;
}

interface Replica {
  label: string;
  pool: pg.Pool;
  inRotation: boolean;
  reason: string;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** A failure of the connection rather than of the statement: the same statement may succeed on the primary. */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03')) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error/i.test(message ?? '');
}

const redact = (url: string) => {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
};

const CHECK_SQL = `SELECT pg_is_in_recovery() AS recovery,
  COALESCE(pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn()), 0)::float8 AS behind_bytes,
  (EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS replay_age_ms`;

/**
 * The pool under the replica client's Prisma adapter. @prisma/adapter-pg takes a pg.Pool (it
 * checks `instanceof`) and uses only query() and connect(), which this one hands to a replica
 * or the primary; its own pool never opens a connection.
 */
export class ReplicaPool extends pg.Pool {
  readonly replicas: Replica[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly primary: pg.Pool,
    private readonly settings: ReplicaOptions,
  ) {
    super({ max: 1 });
    this.replicas = settings.urls.map((url) => {
      const pool = new pg.Pool({ ...settings.poolConfig, connectionString: url });
      // An idle connection lost to a replica restart: the pool drops it; the monitor sees the rest.
      pool.on('error', () => undefined);
      return { label: redact(url), pool, inRotation: false, reason: 'not checked yet' };
    });
    const route = <T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> => {
      const replica = this.pick();
      if (!replica) return run(this.primary);
      return run(replica.pool).catch((error: unknown) => {
        if (!isConnectionError(error)) throw error;
        this.set(replica, false, `failed: ${(error as Error).message}`);
        return run(this.primary);
      });
    };
    // Instance properties rather than overrides: pg.Pool's overloads (callbacks, submittables)
    // are not what the adapter calls, and each call must be routed whole.
    Object.assign(this, {
      query: (config: pg.QueryConfig) => route((pool) => pool.query(config)),
      connect: () => route((pool) => pool.connect()),
    });
  }

  /** Checks every replica now, then every `checkMs`. */
  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkMs);
    this.timer.unref();
  }

  state(): ReplicaState[] {
    return this.replicas.map(({ label, inRotation, reason }) => ({ replica: label, inRotation, reason }));
  }

  inRotation(): number {
    return this.replicas.filter((r) => r.inRotation).length;
  }

  override async end(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replicas.map((r) => r.pool.end().catch(() => undefined)));
  }

  private pick(): Replica | undefined {
    for (let i = 0; i < this.replicas.length; i++) {
      const replica = this.replicas[(this.next + i) % this.replicas.length]!;
      if (replica.inRotation) {
        this.next = (this.next + i + 1) % this.replicas.length;
        return replica;
      }
    }
    return undefined;
  }

  private set(replica: Replica, inRotation: boolean, reason: string) {
    const changed = replica.inRotation !== inRotation;
    replica.inRotation = inRotation;
    replica.reason = reason;
    if (changed) this.settings.onChange?.({ replica: replica.label, inRotation, reason });
  }

  /** One round of checks: the primary's WAL position, then each replica against it. */
  async check(): Promise<void> {
    let primaryLsn: string;
    try {
      primaryLsn = (await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
    } catch {
      // Without the primary's position lag cannot be judged; the rotation stays as it was
      // (reads on replicas keep working through a primary outage).
      return;
    }
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const row = (await replica.pool.query<{ recovery: boolean; behind_bytes: number; replay_age_ms: number | null }>(CHECK_SQL, [primaryLsn])).rows[0]!;
          if (!row.recovery) return this.set(replica, false, 'not in recovery: not a replica of the primary (promoted?)');
          const behind = row.behind_bytes > 0;
          const age = row.replay_age_ms ?? Infinity;
          if (behind && age > this.settings.maxLagMs) {
            return this.set(replica, false, `lagging: ${row.behind_bytes} bytes behind, last replay ${Math.round(age)} ms ago`);
          }
          this.set(replica, true, behind ? `${row.behind_bytes} bytes behind, last replay ${Math.round(age)} ms ago` : 'caught up');
        } catch (error) {
          this.set(replica, false, `failed: ${(error as Error).message}`);
        }
      }),
    );
  }
}

/**
 * Which client serves a request: the primary for writes, and for the reads of a client that
 * wrote in the last `readAfterWriteMs` (so it reads its own writes); the replica client for
 * the other reads. Writers are remembered per process (an API key id); behind a load balancer
 * without sticky sessions another instance may serve the next read from a replica.
 */
export class ReadRouting<Client> {
  private readonly writes = new Map<string, number>();

  constructor(
    readonly primary: Client,
    readonly replica: Client,
    private readonly readAfterWriteMs: number,
  ) {}

  /** The client for an operation of `kind` by `writer` (undefined: anonymous, who cannot write). */
  clientFor(kind: 'query' | 'mutation' | 'subscription', writer: string | undefined): Client {
    if (kind !== 'query') return this.primary;
    if (writer === undefined) return this.replica;
    const wrote = this.writes.get(writer);
    if (wrote === undefined) return this.replica;
    if (performance.now() - wrote < this.readAfterWriteMs) return this.primary;
    this.writes.delete(writer);
    return this.replica;
  }

  /** Called when a mutation by `writer` starts and when it ends: the window runs from the end. */
  wrote(writer: string): void {
    this.writes.delete(writer);
    this.writes.set(writer, performance.now());
    // Oldest first (Map order): drop the expired ones so the map stays bounded by recent writers.
    for (const [key, at] of this.writes) {
      if (performance.now() - at < this.readAfterWriteMs) break;
      this.writes.delete(key);
    }
  }
}
