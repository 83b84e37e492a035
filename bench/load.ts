import { createReadStream, createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPostgresSession } from '../src/db/sql.ts';
import { migrate } from '../src/db/migrate.ts';
import { benchDatabase, readMarker, recreateDatabase, withClient, writeMarker, type LoadReport, type Marker } from './db.ts';
import { COLUMNS, filmRows, peopleRows, publicationRows, TABLES, tsvLine, type Row, type TableName, type DatasetOptions } from './generate.ts';
import { Progress } from './progress.ts';

const CHUNK = 256 * 1024;

/** Buffers COPY text for one table and writes it to PostgreSQL and a TSV file, honouring backpressure. */
class TableSink {
  private buffer = '';
  rows = 0;
  private readonly copy: Writable;
  private readonly file: WriteStream;
  private readonly done: Promise<unknown>;
  constructor(
    client: pg.Client,
    readonly table: TableName,
    filePath: string,
  ) {
    this.copy = client.query(copyFrom(`COPY "${table}" (${COLUMNS[table].map((c) => `"${c}"`).join(', ')}) FROM STDIN`));
    this.done = once(this.copy, 'finish');
    this.file = createWriteStream(filePath);
  }
  async add(row: Row): Promise<void> {
    this.buffer += tsvLine(row);
    this.rows++;
    if (this.buffer.length >= CHUNK) await this.flush();
  }
  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    const okCopy = this.copy.write(chunk);
    const okFile = this.file.write(chunk);
    await Promise.all([okCopy ? undefined : once(this.copy, 'drain'), okFile ? undefined : once(this.file, 'drain')]);
  }
  async end(): Promise<void> {
    await this.flush();
    this.copy.end();
    this.file.end();
    await Promise.all([this.done, once(this.file, 'close')]);
  }
}

async function connect(url: string, replica: boolean): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Generated rows reference only ids generated before them, so per-row FK trigger checks add
  // nothing but time; replica mode skips them (superuser only; otherwise they just run).
  if (replica) await client.query(`SET session_replication_role = replica`);
  return client;
}

interface IndexDef {
  indexname: string;
  indexdef: string;
}

/** Secondary indexes of the loaded tables (everything not backing a constraint such as a primary key). */
async function secondaryIndexes(client: pg.Client): Promise<IndexDef[]> {
  const { rows } = await client.query<IndexDef>(
    `SELECT indexname, indexdef FROM pg_indexes i
      WHERE schemaname = 'public' AND tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [TABLES],
  );
  return rows;
}

/** Run `jobs` on `n` connections at once. */
async function parallel<T>(url: string, n: number, jobs: T[], fn: (c: pg.Client, job: T) => Promise<void>): Promise<void> {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: n }, () =>
      withClient(url, async (c) => {
        await c.query(`SET maintenance_work_mem = '256MB'`);
        for (let job = queue.shift(); job !== undefined; job = queue.shift()) await fn(c, job);
      }),
    ),
  );
}

async function isSuperuser(url: string): Promise<boolean> {
  return withClient(
    url,
    async (c) => (await c.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`)).rows[0]?.rolsuper ?? false,
  );
}

/** Loaded tables that carry user triggers (the derived-column triggers on Review and Release). */
async function tablesWithUserTriggers(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ relname: string }>(
      `SELECT DISTINCT r.relname FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND r.relname = ANY($1) ORDER BY 1`,
      [TABLES],
    );
    return rows.map((r) => r.relname);
  });
}

/**
 * Turn the user triggers of `tables` off (true) or on (false). They only maintain Film's derived
 * columns, which the generator writes itself (bench/generate.ts); left on, each COPY would end
 * in a per-film correlated aggregate over a table whose indexes are dropped for the load.
 */
async function setUserTriggers(url: string, tables: string[], off: boolean): Promise<void> {
  await withClient(url, async (c) => {
    for (const t of tables) await c.query(`ALTER TABLE "${t}" ${off ? 'DISABLE' : 'ENABLE'} TRIGGER USER`);
  });
}

/** Generate and COPY every table; returns row counts. Child tables stream concurrently on their own connections. */
async function copyAll(url: string, opts: DatasetOptions, dir: string, replica: boolean, progress: Progress): Promise<Record<string, number>> {
  const sinks = new Map<TableName, TableSink>();
  const clients: pg.Client[] = [];
  for (const table of TABLES) {
    const client = await connect(url, replica);
    clients.push(client);
    sinks.set(table, new TableSink(client, table, path.join(dir, `${table}.tsv`)));
  }
  const sink = (t: TableName) => sinks.get(t)!;
  try {
    for (const row of peopleRows(opts)) await sink('Person').add(row);
    for (const row of publicationRows()) await sink('Publication').add(row);
    let n = 0;
    for (const f of filmRows(opts)) {
      await sink('Film').add(f.film);
      for (const row of f.credits) await sink('Credit').add(row);
      for (const row of f.reviews) await sink('Review').add(row);
      for (const row of f.releases) await sink('Release').add(row);
      if (++n % 2000 === 0)
        progress.update(
          n,
          [...sinks.values()].reduce((s, x) => s + x.rows, 0),
        );
    }
    for (const s of sinks.values()) await s.end();
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return Object.fromEntries([...sinks].map(([t, s]) => [t, s.rows]));
}

/** COPY the same TSV files into scratch tables shaped like the real ones (same primary key), then drop them. */
async function rawCopy(url: string, dir: string): Promise<number> {
  const scratch = (t: TableName) => `"bench_raw_${t}"`;
  await withClient(url, async (c) => {
    for (const t of TABLES) {
      await c.query(`DROP TABLE IF EXISTS ${scratch(t)}`);
      await c.query(`CREATE TABLE ${scratch(t)} (LIKE "${t}" INCLUDING DEFAULTS)`);
      await c.query(`ALTER TABLE ${scratch(t)} ADD PRIMARY KEY (id)`);
    }
  });
  const started = performance.now();
  await Promise.all(
    TABLES.map((t) =>
      withClient(url, (c) =>
        pipeline(
          createReadStream(path.join(dir, `${t}.tsv`)),
          c.query(copyFrom(`COPY ${scratch(t)} (${COLUMNS[t].map((col) => `"${col}"`).join(', ')}) FROM STDIN`)),
        ),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await withClient(url, async (c) => {
    for (const t of TABLES) await c.query(`DROP TABLE ${scratch(t)}`);
  });
  return seconds;
}

export interface EnsureOptions extends DatasetOptions {
  force?: boolean;
  log?: (line: string) => void;
}

/**
 * The bench database for (films, seed), loaded once and reused: returns its URL and load report.
 * Pending migrations are applied on every call, so a database loaded before a merge gains new indexes.
 */
export async function ensureBenchData(opts: EnsureOptions): Promise<{ url: string; name: string; load: LoadReport }> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const db = benchDatabase(opts.films, opts.seed);
  const marker = await readMarker(db.adminUrl, db.name);
  if (marker && marker.state === 'ready' && marker.load && !opts.force) {
    try {
      await migrateBench(db.url, log);
      log(`bench data: ${db.name} already loaded (${marker.load.totalRows.toLocaleString('en')} rows); --force reloads it`);
      return { url: db.url, name: db.name, load: marker.load };
    } catch (error) {
      // e.g. a migration edited after this database applied it: the data is ours, so reload it.
      log(`bench data: ${db.name} cannot be migrated (${(error as Error).message}); reloading it`);
    }
  }
  const base: Marker = { cinegraphBench: 1, films: opts.films, seed: opts.seed, state: 'loading' };
  await recreateDatabase(db.adminUrl, db.name, base);
  await migrateBench(db.url, log);

  const dir = path.join(os.tmpdir(), `${db.name}-tsv-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const t0 = performance.now();
    const indexes = await withClient(db.url, secondaryIndexes);
    await withClient(db.url, async (c) => {
      for (const i of indexes) await c.query(`DROP INDEX "${i.indexname}"`);
    });
    // Replica mode (superuser only) also skips the per-row foreign-key checks; otherwise they run.
    const replica = await isSuperuser(db.url);
    const triggered = await tablesWithUserTriggers(db.url);
    await setUserTriggers(db.url, triggered, true);
    const progress = new Progress(opts.films, 'films');
    const loadStart = performance.now();
    let rows: Record<string, number>;
    try {
      rows = await copyAll(db.url, opts, dir, replica, progress);
    } finally {
      await setUserTriggers(db.url, triggered, false);
    }
    const loadSeconds = (performance.now() - loadStart) / 1000;
    progress.done();
    const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
    log(
      `loaded ${totalRows.toLocaleString('en')} rows in ${loadSeconds.toFixed(1)} s (${Math.round(totalRows / loadSeconds).toLocaleString('en')} rows/s, generation included)`,
    );

    const indexStart = performance.now();
    await parallel(db.url, 2, indexes, async (c, i) => void (await c.query(i.indexdef)));
    await withClient(db.url, async (c) => {
      for (const t of TABLES) await c.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), (SELECT max(id) FROM "${t}"))`);
      await c.query('VACUUM (ANALYZE)'); // visibility map and statistics, as a settled production database has them
    });
    const indexSeconds = (performance.now() - indexStart) / 1000;
    log(`rebuilt ${indexes.length} secondary indexes and analyzed in ${indexSeconds.toFixed(1)} s`);
    const totalSeconds = (performance.now() - t0) / 1000;

    log('timing a raw COPY FROM STDIN of the same rows (TSV files) into scratch tables …');
    const rawCopySeconds = await rawCopy(db.url, dir);
    const load: LoadReport = {
      rows,
      totalRows,
      loadSeconds: round(loadSeconds),
      loadRowsPerSecond: Math.round(totalRows / loadSeconds),
      rawCopySeconds: round(rawCopySeconds),
      rawCopyRowsPerSecond: Math.round(totalRows / rawCopySeconds),
      indexSeconds: round(indexSeconds),
      totalSeconds: round(totalSeconds),
      foreignKeyChecks: replica ? 'deferred-to-data-guarantee' : 'checked',
      loadedAt: new Date().toISOString(),
    };
    log(
      `raw COPY: ${load.rawCopyRowsPerSecond.toLocaleString('en')} rows/s; generator+COPY reached ${Math.round((100 * load.loadRowsPerSecond) / load.rawCopyRowsPerSecond)}% of it`,
    );
    await writeMarker(db.adminUrl, db.name, { ...base, state: 'ready', load });
    return { url: db.url, name: db.name, load };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function migrateBench(url: string, log: (line: string) => void): Promise<void> {
  const session = await openPostgresSession(url);
  try {
    const report = await migrate(session, { log });
    if (report.applied.length) log(`applied ${report.applied.length} migration(s) to the bench database`);
  } finally {
    await session.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
