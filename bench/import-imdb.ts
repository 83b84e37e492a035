/**
 * `npm run bench:import -- --titles 20000`: the IMDb importer against PostgreSQL's raw COPY, in one
 * run on one server. Generates IMDb-format files (bench/imdb-generate.ts), imports them into a fresh
 * database cg_imdb_bench_<titles> (`npm run import -- imdb`, a child process whose peak RSS is read
 * from /proc), re-imports the unchanged snapshot, then COPYs the same files into bare text tables of
 * the same database and reports rows/s of each, the ratios and peak RSS. Drops only its database.
 *
 * Options: --titles N (default 20000), --database <name> (default cg_imdb_bench_<titles>), --keep (keep the
 * database), BENCH_PG_URL (default the local server).
 */
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { from as copyFrom } from 'pg-copy-streams';
import { withClient } from './db.ts';
import { generateImdb } from './imdb-generate.ts';

const { values } = parseArgs({ options: { titles: { type: 'string', default: '20000' }, database: { type: 'string' }, keep: { type: 'boolean' } } });
const titles = Number(values.titles);
const server = new URL(process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const name = values.database ?? `cg_imdb_bench_${titles}`;
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`--database ${name}: lower-case letters, digits and _ only`);
const dbUrl = new URL(server);
dbUrl.pathname = `/${name}`;
const folder = path.join(tmpdir(), name);

/** Runs the importer; wall seconds and peak RSS (VmHWM, polled: it only grows). */
function runImport(snapshot: string): Promise<{ seconds: number; peakRssMb: number; summary: string }> {
  const started = performance.now();
  // What `npm run import` runs (package.json): the built CLI, with a 160 MB heap that keeps V8 from growing lazily to ~480 MB RSS.
  const child = spawn(
    process.execPath,
    ['--max-old-space-size=160', 'dist/import.js', 'imdb', folder, '--snapshot', snapshot, '--rejects', path.join(folder, 'rejects.jsonl')],
    {
      env: { ...process.env, DATABASE_URL: dbUrl.toString() },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let peak = 0;
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // the process has ended
    }
  }, 100);
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`import exited ${code}: ${out}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakRssMb: Math.round(peak), summary: out.trim() });
    }),
  );
}

const HEADERS: Record<string, string[]> = {};
async function rawCopy(): Promise<number> {
  return withClient(dbUrl.toString(), async (client) => {
    const started = performance.now();
    for (const file of ['name.basics', 'title.basics', 'title.akas', 'title.ratings', 'title.crew', 'title.principals']) {
      const table = `raw_${file.replace('.', '_')}`;
      const columns = HEADERS[file]!;
      await client.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (${columns.map((c) => `"${c}" text`).join(', ')})`);
      // IMDb's files are COPY's text format already: tab-separated, \N for null; HEADER skips the first line.
      const copy = client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT text, HEADER true)`));
      await pipeline(createReadStream(path.join(folder, `${file}.tsv.gz`)), createGunzip(), copy);
    }
    return (performance.now() - started) / 1000;
  });
}

await withClient(server.toString(), async (c) => {
  await c.query(`DROP DATABASE IF EXISTS ${name}`);
  await c.query(`CREATE DATABASE ${name}`);
});
try {
  const generated = performance.now();
  const rows = await generateImdb({ titles, out: folder });
  const generateSeconds = (performance.now() - generated) / 1000;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  for (const file of Object.keys(rows)) {
    const { createInterface } = await import('node:readline');
    const lines = createInterface({ input: createReadStream(path.join(folder, `${file}.tsv.gz`)).pipe(createGunzip()) });
    for await (const line of lines) {
      HEADERS[file] = line.split('\t');
      lines.close();
      break;
    }
  }
  const first = await runImport('1');
  const again = await runImport('1');
  const copySeconds = await rawCopy();
  const rate = (s: number) => Math.round(total / s);
  const report = {
    titles,
    rows,
    totalRows: total,
    generateSeconds: Number(generateSeconds.toFixed(1)),
    firstImport: { seconds: Number(first.seconds.toFixed(1)), rowsPerSecond: rate(first.seconds), peakRssMb: first.peakRssMb, summary: first.summary },
    reImport: { seconds: Number(again.seconds.toFixed(1)), rowsPerSecond: rate(again.seconds), peakRssMb: again.peakRssMb, summary: again.summary },
    rawCopy: { seconds: Number(copySeconds.toFixed(2)), rowsPerSecond: rate(copySeconds) },
    firstImportVsRawCopy: Number((copySeconds / first.seconds).toFixed(3)),
    reImportSpeedup: Number((first.seconds / again.seconds).toFixed(2)),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  if (!values.keep) {
    await withClient(server.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    rmSync(folder, { recursive: true, force: true });
  }
}
