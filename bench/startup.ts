/**
 * npm run bench:startup [-- --rounds 3 --variants dist,tsx --load-seconds 10 --no-cold]
 * Start-up time and memory of the server against PGlite's own floor, each figure a ratio of
 * processes started in the same round (rounds interleave the systems, so a busy host weighs on
 * them alike):
 * - warm: an embedded start on an existing, seeded folder until /ready answers 200, against a
 *   bare PGlite reopen of a copy of the same folder (node + import + PGlite.create + SELECT 1),
 *   once with PGlite's defaults (the goal's floor) and once with the buffer cache the server
 *   gives PGlite (src/db/client.ts PGLITE_SHARED_BUFFERS_MB: what the server adds, settings aside);
 * - cold: a start on an empty folder until /ready (a built server unpacks the seeded archive its
 *   build wrote, src/db/template.ts; from the sources: initdb, migrate, seed), against a bare
 *   PGlite initdb with the same extensions;
 * - RSS after the warm start, against the bare reopen's;
 * - what /ready alone would hide (work a start leaves to the first request that needs it): from
 *   spawn until a first GraphQL answer (a films list: Prisma's query engine, a connection and its
 *   credits), and the RSS then, against the bare reopen's (whose first answer is its SELECT 1);
 * - with DATABASE_URL set (an existing database the server may migrate and seed): RSS on
 *   PostgreSQL after start and its peak while film details are requested for `--load-seconds`
 *   by 8 concurrent clients.
 * Variants name how the server runs: `dist` (node dist/index.js, built first by the npm script),
 * `start` (the same with `npm start`'s node flags: its heap limits), `dist@DIR` / `start@DIR`
 * (another checkout's build: run `node scripts/build.mjs` there first), `tsx` (node --import tsx
 * src/index.ts), `tsx@DIR` (another checkout through tsx), for a before/after in one run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGLITE_SHARED_BUFFERS_MB } from '../src/db/client.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
/** The bare reopen with the buffer cache the server gives PGlite: what the server adds to PGlite, settings aside. */
const BARE_SAME_BUFFERS = `bare PGlite reopen, ${PGLITE_SHARED_BUFFERS_MB} MB buffers`;
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'dist' },
    'load-seconds': { type: 'string', default: '10' },
    'no-cold': { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const loadSeconds = Number(values['load-seconds']);
const databaseUrl = process.env['DATABASE_URL'] || undefined;
const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'DATABASE_URL' && key !== 'DATA_DIR'));
const work = mkdtempSync(path.join(tmpdir(), 'cinegraph-startup-'));

/** `npm start`'s node flags in the checkout at `root` (package.json config.nodeOptions). */
function startNodeOptions(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { config?: { nodeOptions?: string } };
  return (pkg.config?.nodeOptions ?? '').split(/\s+/).filter(Boolean);
}

interface Variant {
  name: string;
  command: (root: string) => { file: string; args: string[]; cwd: string };
  root: string;
}
const variants: Variant[] = values.variants.split(',').map((spec) => {
  const [kind, dir] = spec.split('@') as [string, string | undefined];
  const root = dir ? path.resolve(dir) : ROOT;
  if (kind === 'dist') return { name: spec, root, command: (r) => ({ file: process.execPath, args: [path.join(r, 'dist/index.js')], cwd: r }) };
  // What `npm start` runs: the build with the package's heap limits (config.nodeOptions).
  if (kind === 'start')
    return { name: spec, root, command: (r) => ({ file: process.execPath, args: [...startNodeOptions(r), path.join(r, 'dist/index.js')], cwd: r }) };
  if (kind === 'tsx') return { name: spec, root, command: (r) => ({ file: process.execPath, args: ['--import', 'tsx', 'src/index.ts'], cwd: r }) };
  throw new Error(`unknown variant ${spec}: dist, dist@DIR, start, start@DIR, tsx or tsx@DIR`);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
const children = new Set<ChildProcess>();
async function stop(child: ChildProcess) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000).then(() => child.kill('SIGKILL'))]);
  }
  children.delete(child);
}
process.once('exit', () => children.forEach((c) => c.kill('SIGKILL')));

/** Starts the server; resolves with the ms from spawn to /ready 200, the process and its port. */
async function startServer(variant: Variant, env: Record<string, string>) {
  const { file, args, cwd } = variant.command(variant.root);
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const started = performance.now();
  const child = spawn(file, args, {
    cwd,
    // DATABASE_URL only when given for this start: the embedded runs must not inherit the bench's.
    env: {
      ...inherited,
      NODE_ENV: 'production',
      CURSOR_SECRET: 'bench-startup-cursor-secret-0123456789',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  // The log (warnings and the fatal line of a failed start) is kept for the error message.
  let errors = '';
  child.stdout!.on('data', (d) => (errors += d));
  child.stderr!.on('data', (d) => (errors += d));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${variant.name} exited during start-up:\n${errors}`);
    const status = await fetch(`${base}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { ms: performance.now() - started, started, child, base };
    await sleep(20);
  }
}

/**
 * A bare PGlite on `dataDir` with our extensions, until SELECT 1 answers; resolves with the ms
 * from spawn and the process. With `sharedBuffersMb`, started with that buffer cache, as the
 * server starts its PGlite (src/db/client.ts); without, with PGlite's and the folder's defaults.
 */
async function startBarePglite(dataDir: string, sharedBuffersMb?: number) {
  const startParams = sharedBuffersMb ? `startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=${sharedBuffersMb}MB'],` : '';
  const code = `
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    const db = await PGlite.create({ dataDir: ${JSON.stringify(dataDir)}, extensions: { pg_trgm, unaccent }, ${startParams} });
    await db.query('SELECT 1');
    process.stdout.write('ready\\n');
    process.on('SIGTERM', async () => { await db.close(); process.exit(0); });
    setInterval(() => undefined, 1 << 30);
  `;
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.once('exit', (c) => reject(new Error(`bare PGlite exited with ${c}`)));
  });
  return { ms: performance.now() - started, child };
}

/** 8 clients asking film details for `seconds`; resolves with the peak RSS sampled every 250 ms. */
async function loadPeakRss(child: ChildProcess, base: string, seconds: number) {
  const slugs = ['her', 'being-john-malkovich', 'adaptation', 'where-the-wild-things-are', 'no-such-film'];
  const query =
    'query FilmDetail($slug: String!) { film(slug: $slug) { id title synopsis genres directors { name } cast { character person { name } } reviews(first: 5) { nodes { quote publication { name } } } releases { country date } } }';
  const until = performance.now() + seconds * 1000;
  let peak = rssMiB(child.pid!);
  let requests = 0;
  let failed = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(child.pid!))), 250);
  await Promise.all(
    Array.from({ length: 8 }, async (_, c) => {
      while (performance.now() < until) {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables: { slug: slugs[(requests + c) % slugs.length] } }),
        });
        await response.arrayBuffer();
        // A loaded host can push a request past the pool's timeouts (503): counted, not fatal.
        if (response.status === 200) requests++;
        else failed++;
      }
    }),
  );
  clearInterval(sampler);
  return { peak: Math.max(peak, rssMiB(child.pid!)), requests, failed };
}

/** Ms from `started` until a films list (through Prisma, credits and people) answers without errors. */
async function firstAnswer(base: string, started: number) {
  const query = '{ films(first: 10) { edges { node { title credits(first: 3) { edges { node { person { name } } } } } } } }';
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: { films?: { edges: unknown[] } }; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data?.films?.edges.length) throw new Error(`the first answer failed: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

type Figures = Record<string, number[]>;
const figures: Figures = {};
const record = (key: string, value: number) => {
  (figures[key] ??= []).push(value);
  console.error(`  ${key}: ${value.toFixed(0)}`);
};

// A seeded folder for the warm starts: one cold start of the first variant, not measured.
const seeded = path.join(work, 'seeded');
{
  const { child } = await startServer(variants[0]!, { DATA_DIR: seeded });
  await stop(child);
}

for (let round = 1; round <= rounds; round++) {
  console.error(`round ${round}/${rounds}`);
  // Bare PGlite reopens of a copy of the seeded folder (PGlite's defaults, then the server's
  // buffer cache), then each variant's warm start on its own copy.
  for (const [label, buffers] of [
    ['bare PGlite reopen', undefined],
    [BARE_SAME_BUFFERS, PGLITE_SHARED_BUFFERS_MB],
  ] as const) {
    const copy = path.join(work, `bare-${round}`);
    cpSync(path.join(seeded, 'pglite'), copy, { recursive: true });
    const bare = await startBarePglite(copy, buffers);
    record(`warm ms: ${label}`, bare.ms);
    record(`warm RSS MiB: ${label}`, rssMiB(bare.child.pid!));
    await stop(bare.child);
    rmSync(copy, { recursive: true, force: true });
  }
  for (const variant of variants) {
    const copy = path.join(work, `warm-${variant.name.replace(/\W/g, '_')}-${round}`);
    cpSync(seeded, copy, { recursive: true });
    const server = await startServer(variant, { DATA_DIR: copy });
    record(`warm ms: ${variant.name}`, server.ms);
    record(`warm RSS MiB: ${variant.name}`, rssMiB(server.child.pid!));
    record(`warm ms to a first answer: ${variant.name}`, await firstAnswer(server.base, server.started));
    record(`warm RSS MiB after a first answer: ${variant.name}`, rssMiB(server.child.pid!));
    await stop(server.child);
    rmSync(copy, { recursive: true, force: true });
  }
  if (!values['no-cold']) {
    const fresh = path.join(work, `initdb-${round}`);
    const bare = await startBarePglite(fresh);
    record('cold ms: bare PGlite initdb', bare.ms);
    await stop(bare.child);
    rmSync(fresh, { recursive: true, force: true });
    for (const variant of variants) {
      const dir = path.join(work, `cold-${variant.name.replace(/\W/g, '_')}-${round}`);
      const server = await startServer(variant, { DATA_DIR: dir });
      record(`cold ms: ${variant.name}`, server.ms);
      await stop(server.child);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (databaseUrl) {
    for (const variant of variants) {
      const server = await startServer(variant, { DATABASE_URL: databaseUrl });
      record(`PostgreSQL RSS MiB after start: ${variant.name}`, rssMiB(server.child.pid!));
      const load = await loadPeakRss(server.child, server.base, loadSeconds);
      record(`PostgreSQL RSS MiB peak under load: ${variant.name}`, load.peak);
      record(`PostgreSQL film details/s under load: ${variant.name}`, load.requests / loadSeconds);
      record(`PostgreSQL failed requests under load: ${variant.name}`, load.failed);
      await stop(server.child);
    }
  }
}
rmSync(work, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
console.log(
  `\nStart-up and memory, ${rounds} interleaved rounds (load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})\n`,
);
console.log('| figure | per round | median |');
console.log('| --- | --- | --- |');
for (const [key, xs] of Object.entries(figures)) console.log(`| ${key} | ${xs.map((x) => x.toFixed(0)).join(', ')} | ${median(xs).toFixed(0)} |`);
/** Ratios of two figures, round by round (both were measured in the same round). */
const ratios = (a: string, b: string) => figures[a]!.map((x, i) => x / figures[b]![i]!);
console.log('\n| ratio (same round) | per round | median | goal |');
console.log('| --- | --- | --- | --- |');
for (const variant of variants) {
  const rows: [string, string, string, string][] = [
    [`warm start to /ready ÷ bare PGlite reopen (${variant.name})`, `warm ms: ${variant.name}`, 'warm ms: bare PGlite reopen', '≤ 1.5'],
    [`RSS after warm start ÷ bare PGlite reopen (${variant.name})`, `warm RSS MiB: ${variant.name}`, 'warm RSS MiB: bare PGlite reopen', '≤ 1.3'],
    [`warm start to /ready ÷ ${BARE_SAME_BUFFERS} (${variant.name})`, `warm ms: ${variant.name}`, `warm ms: ${BARE_SAME_BUFFERS}`, ''],
    [`RSS after warm start ÷ ${BARE_SAME_BUFFERS} (${variant.name})`, `warm RSS MiB: ${variant.name}`, `warm RSS MiB: ${BARE_SAME_BUFFERS}`, ''],
    [`warm start to a first answer ÷ bare PGlite reopen (${variant.name})`, `warm ms to a first answer: ${variant.name}`, 'warm ms: bare PGlite reopen', ''],
    [
      `RSS after a first answer ÷ bare PGlite reopen (${variant.name})`,
      `warm RSS MiB after a first answer: ${variant.name}`,
      'warm RSS MiB: bare PGlite reopen',
      '',
    ],
  ];
  if (!values['no-cold'])
    rows.push([`cold start to /ready ÷ bare PGlite initdb (${variant.name})`, `cold ms: ${variant.name}`, 'cold ms: bare PGlite initdb', '≤ 1.3']);
  for (const [label, a, b, goal] of rows) {
    const xs = ratios(a, b);
    console.log(`| ${label} | ${xs.map((x) => x.toFixed(2)).join(', ')} | ${median(xs).toFixed(2)} | ${goal} |`);
  }
}
if (databaseUrl) {
  for (const variant of variants) {
    const peak = figures[`PostgreSQL RSS MiB peak under load: ${variant.name}`]!;
    console.log(`| PostgreSQL peak RSS under load (${variant.name}), MiB | ${range(peak)} | ${median(peak).toFixed(0)} | ≤ 250 |`);
  }
} else {
  console.log('\n(PostgreSQL figures skipped: set DATABASE_URL to an existing database the server may migrate and seed.)');
}
