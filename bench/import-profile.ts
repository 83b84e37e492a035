/**
 * Where an IMDb import's time goes: imports generated files (bench/imdb-generate.ts) into a fresh
 * PostgreSQL database in this process with Prisma's query events on, and reports per file the wall
 * time, the batches, and per statement kind its count and summed duration; then re-imports the
 * same snapshot and reports the same.
 *
 *   tsx bench/import-profile.ts --titles 5000 [--database cg_x] [--batch-size N] [--keep]
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { IMDB_DATASET, imdbApplier, imdbStreams } from '../src/import/imdb/imdb.ts';
import { importContext, runImport, type ImportOptions } from '../src/import/run.ts';
import { backendsCpuMs, withClient } from './db.ts';
import { generateImdb } from './imdb-generate.ts';

const { values } = parseArgs({
  options: {
    titles: { type: 'string', default: '5000' },
    database: { type: 'string' },
    'batch-size': { type: 'string' },
    keep: { type: 'boolean' },
    again: { type: 'boolean' },
    quiet: { type: 'boolean' },
    template: { type: 'string' },
  },
});
const titles = Number(values.titles);
const server = new URL(process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const name = values.database ?? `cg_imdb_profile_${titles}`;
const dbUrl = new URL(server);
dbUrl.pathname = `/${name}`;
const folder = path.join(tmpdir(), name);

// --again: only re-import what an earlier --keep run left.
if (!values.again) {
  await withClient(server.toString(), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name}${values.template ? ` TEMPLATE ${values.template}` : ''}`);
  });
  if (!existsSync(folder)) await generateImdb({ titles, out: folder });
}
const db = await openDatabase({ databaseUrl: dbUrl.toString(), logQueries: !values.quiet, pool: { statementTimeoutMs: 600_000 } });
const session = await db.openSession();
await migrate(session).finally(() => session.close());

type Stat = { n: number; ms: number };
let stream = '(setup)';
const stats = new Map<string, Map<string, Stat>>();
const kindOf = (sql: string) => {
  const s = sql.replace(/\s+/g, ' ').trim();
  const insert = /^INSERT INTO "(?:public"\.")?(\w+)"/.exec(s);
  if (insert) return `INSERT ${insert[1]}`;
  const update = /^UPDATE "(?:public"\.")?(\w+)"/.exec(s);
  if (update) return `UPDATE ${update[1]}`;
  const del = /^DELETE FROM "(?:public"\.")?(\w+)"/.exec(s);
  if (del) return `DELETE ${del[1]}`;
  const select = /^SELECT .*? FROM "(?:public"\.")?(\w+)"/.exec(s);
  if (select) return `SELECT ${select[1]}`;
  return s.slice(0, 40);
};
// --quiet: no query events (their logging costs the client time of its own).
if (!values.quiet)
  (db.prisma as unknown as { $on(e: 'query', fn: (e: { query: string; duration: number }) => void): void }).$on('query', (e) => {
    const per = stats.get(stream) ?? new Map<string, Stat>();
    stats.set(stream, per);
    const k = kindOf(e.query);
    const s = per.get(k) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += e.duration;
    per.set(k, s);
  });

/** CPU seconds the server's backends for this database have used (bench/db.ts). */
const backendCpu = async () => (await backendsCpuMs(server.toString(), name)) / 1000;
const backendsAtStart = new Map<string, number>();

async function once(label: string) {
  backendsAtStart.set(label, await backendCpu());
  stats.clear();
  const { streams, total } = await imdbStreams(folder, 2030);
  const wall = new Map<string, number>();
  const batches = new Map<string, number>();
  let last = performance.now();
  const timed = streams.map((s) => ({
    name: s.name,
    rows: async function* () {
      const started = performance.now();
      for await (const row of s.rows()) yield row;
      wall.set(s.name, started);
    },
  }));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runImport(importContext(db.prisma), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot: '1' },
    streams: timed,
    // The file of the batch in its transaction (the next batch is read meanwhile): statements are counted against it.
    applier: (w: Parameters<typeof imdbApplier>[0], o: Parameters<typeof imdbApplier>[1], name: string) => {
      stream = name;
      return imdbApplier(w, o, name);
    },
    total,
    rejectsFile: null,
    batchSize: values['batch-size'] ? Number(values['batch-size']) : 5000,
    onProgress: () => {
      batches.set(stream, (batches.get(stream) ?? 0) + 1);
      const now = performance.now();
      wall.set(`${stream}#`, (wall.get(`${stream}#`) ?? 0) + now - last);
      last = now;
    },
  } as ImportOptions<unknown>);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const dbCpu = (await backendCpu()) - backendsAtStart.get(label)!;
  // Wall time moves with the machine's load (this process runs at nice 19); its own CPU time much less.
  console.log(
    `\n== ${label}: ${seconds.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU of this process, ${dbCpu.toFixed(1)} s CPU of the database's backends, ${total} rows, ${JSON.stringify(result.counts)}`,
  );
  for (const [file, per] of stats) {
    const sum = [...per.values()].reduce((a, s) => ({ n: a.n + s.n, ms: a.ms + s.ms }), { n: 0, ms: 0 });
    console.log(
      `${file}: wall ${((wall.get(`${file}#`) ?? 0) / 1000).toFixed(2)} s, ${batches.get(file) ?? 0} batches, ${sum.n} statements, ${(sum.ms / 1000).toFixed(2)} s in SQL`,
    );
    for (const [k, s] of [...per].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
      console.log(`   ${String(s.n).padStart(6)} × ${k.padEnd(44)} ${(s.ms / 1000).toFixed(2)} s`);
  }
}

try {
  if (!values.again) await once('first import');
  await once('re-import');
} finally {
  await db.close();
  if (!values.keep) {
    await withClient(server.toString(), (c) => c.query(`DROP DATABASE IF EXISTS ${name}`));
    rmSync(folder, { recursive: true, force: true });
  }
}
