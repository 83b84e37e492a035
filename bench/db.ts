import { readFileSync } from 'node:fs';
import pg from 'pg';

/** utime + stime a process has used so far, in ms (/proc: same host only; its threads included). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU ms the PostgreSQL backends connected to database `name` have used so far (same host:
 * /proc), a load-independent measure of the database's work. Backends that ended are not
 * counted, so measure over a warm pool.
 */
export async function backendsCpuMs(adminUrl: string, name: string): Promise<number> {
  const pids = await withClient(adminUrl, async (c) => (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows);
  let total = 0;
  for (const { pid } of pids) {
    try {
      total += processCpuMs(pid);
    } catch {
      // the backend has ended
    }
  }
  return total;
}

/**
 * The bench database for one (films, seed): `<base>_<films>_s<seed>` on the server
 * BENCH_DATABASE_URL points at (default database name cinegraph_bench). A marker in the
 * database's COMMENT records that this harness created it, the load state and the load
 * figures, so a loaded size is reused and only databases this harness created are dropped.
 */
export const DEFAULT_BENCH_URL = 'postgres://postgres@127.0.0.1:5432/cinegraph_bench';
const PREFIX = 'cinegraph_bench';

export interface Marker {
  cinegraphBench: 1;
  films: number;
  seed: number;
  state: 'loading' | 'ready';
  load?: LoadReport;
}

export interface LoadReport {
  rows: Record<string, number>;
  totalRows: number;
  /** Generate + COPY (primary keys only), seconds and rows/s. */
  loadSeconds: number;
  loadRowsPerSecond: number;
  /** COPY FROM STDIN of the same rows, read back from TSV files, into scratch tables. */
  rawCopySeconds: number;
  rawCopyRowsPerSecond: number;
  indexSeconds: number;
  totalSeconds: number;
  foreignKeyChecks: 'deferred-to-data-guarantee' | 'checked';
  loadedAt: string;
}

export function benchDatabase(films: number, seed: number, baseUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL) {
  const url = new URL(baseUrl);
  const base = decodeURIComponent(url.pathname.slice(1)) || PREFIX;
  // A shared server may require its own prefix (`<team>_bench`): a name ending in `_bench` is accepted too.
  if (!base.startsWith(PREFIX) && !base.endsWith('_bench')) {
    throw new Error(
      `BENCH_DATABASE_URL must name a database starting with "${PREFIX}" or ending in "_bench" (got "${base}"): the harness only creates and drops such databases`,
    );
  }
  const name = `${base}_${films}_s${seed}`;
  url.pathname = `/${name}`;
  const admin = new URL(baseUrl);
  admin.pathname = '/postgres';
  return { name, url: url.toString(), adminUrl: admin.toString() };
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The marker of `name`; undefined when the database is missing, null when it is not ours. */
export async function readMarker(adminUrl: string, name: string): Promise<Marker | null | undefined> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ comment: string | null }>(`SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`, [
      name,
    ]);
    if (rows.length === 0) return undefined;
    try {
      const marker = JSON.parse(rows[0]!.comment ?? '') as Marker;
      return marker.cinegraphBench === 1 ? marker : null;
    } catch {
      return null;
    }
  });
}

export async function writeMarker(adminUrl: string, name: string, marker: Marker): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS ${pg.escapeLiteral(JSON.stringify(marker))}`));
}

/** Create the database, marked as ours and loading; drops a previous one only if ours. */
export async function recreateDatabase(adminUrl: string, name: string, marker: Marker): Promise<void> {
  const existing = await readMarker(adminUrl, name);
  if (existing === null) {
    throw new Error(`database ${name} exists but was not created by the bench harness; refusing to touch it`);
  }
  await withClient(adminUrl, async (c) => {
    if (existing) await c.query(`DROP DATABASE ${quoteIdent(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${quoteIdent(name)}`);
  });
  await writeMarker(adminUrl, name, marker);
}
