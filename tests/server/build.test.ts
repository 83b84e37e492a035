// The production build (scripts/build.mjs → what `npm start` runs): the compiled server starts,
// migrates, seeds and answers, without tsx; and on PostgreSQL it never loads PGlite, which it
// imports only when the embedded database is used. The compiled import CLI (what `npm run import`
// runs) imports and re-imports a dataset, without tsx or the GraphQL layer. What a process loaded is recorded by a
// module-loading hook registered with --import (every ESM module it loads, packages included).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'cinegraph-build-'));
// Inside the project, so the bundle finds its packages in node_modules as dist/ does.
const outdir = path.join(ROOT, 'node_modules/.cache', `cinegraph-build-test-${process.pid}`);

/** Appends the URL of every module the process loads to `data.file`. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, next) { appendFileSync(file, url + '\\n'); return next(url, context); }
`;
const recorder = (file: string) =>
  `data:text/javascript,${encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { file: ${JSON.stringify(file)} } });`,
  )}`;

interface Started {
  child: ChildProcess;
  base: string;
  /** URLs of the modules the process has loaded. */
  modules(): string[];
  /** What it has logged so far. */
  output(): string;
}
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

/** `node <build>/index.js` on a free port, its module loads recorded; resolves once it listens. */
async function startBuilt(name: string, env: Record<string, string>): Promise<Started> {
  const modulesFile = path.join(work, `${name}.modules`);
  const child = spawn(process.execPath, ['--import', recorder(modulesFile), path.join(outdir, 'index.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const match = /"url":"http:\/\/localhost:(\d+)\/graphql"/.exec(output);
    if (match) {
      return {
        child,
        base: `http://127.0.0.1:${match[1]}`,
        modules: () => readFileSync(modulesFile, 'utf8').trim().split('\n'),
        output: () => output,
      };
    }
    if (child.exitCode !== null) throw new Error(`the built server exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the built server did not start:\n${output}`);
}

const loaded = (modules: string[], pkg: string) => modules.some((url) => url.includes(`/node_modules/${pkg}/`));

async function filmTitle(base: string): Promise<unknown> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ film(slug: "her") { title directors { name } } }' }),
  });
  return ((await response.json()) as { data?: unknown }).data;
}

// What an earlier build left behind: a chunk of another content hash and its source map.
const staleChunk = path.join(outdir, 'chunk-STALE000.js');

beforeAll(() => {
  mkdirSync(outdir, { recursive: true });
  writeFileSync(staleChunk, 'export {};\n');
  writeFileSync(`${staleChunk}.map`, '{}');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
}, 120_000);

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(outdir, { recursive: true, force: true });
});

test('a build deletes the chunks an earlier build wrote and it did not, and keeps its own', () => {
  expect(existsSync(staleChunk)).toBe(false);
  expect(existsSync(`${staleChunk}.map`)).toBe(false);
  const files = readdirSync(outdir);
  expect(files).toContain('index.js');
  expect(files.filter((f) => /^chunk-.*\.js$/.test(f)).length).toBeGreaterThan(0);
});

test('every output file is ASCII, so V8 holds its source as a one-byte string', () => {
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(path.join(outdir, file), 'utf8');
    // eslint-disable-next-line no-control-regex
    expect([file, text.match(/[^\x00-\x7f]/g)]).toEqual([file, null]);
  }
  // Our sources do hold such characters (the ingest's quote and name patterns), escaped in the bundle.
  expect(readFileSync(path.join(ROOT, 'src/ingest/attribution.ts'), 'utf8')).toMatch(/[\u2018\u2019\u201c\u201d]/);
});

test("Prisma's query compiler is a WebAssembly file beside the bundle, not a base64 module", () => {
  const wasm = readdirSync(outdir).filter((f) => f.endsWith('.wasm'));
  expect(wasm).toEqual([expect.stringMatching(/^query_compiler_\w+_bg\.postgresql\.wasm$/)]);
  // A WebAssembly binary (its magic number), decoded from the base64 the generated client imports.
  expect(readFileSync(path.join(outdir, wasm[0]!)).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  const bundle = readdirSync(outdir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(path.join(outdir, f), 'utf8'))
    .join('\n');
  expect(bundle).not.toContain('wasm-base64');
  expect(bundle).toContain(`new URL("./${wasm[0]}", import.meta.url)`);
});

(onPostgres ? test.skip : test)(
  'the built server creates, seeds and serves the embedded database, loading PGlite and neither tsx nor node-postgres nor ioredis',
  async () => {
    const server = await startBuilt('pglite', { DATA_DIR: path.join(work, 'data') });
    expect((await fetch(`${server.base}/ready`)).status).toBe(200);
    expect(await filmTitle(server.base)).toEqual({ film: { title: 'Her', directors: [{ name: 'Spike Jonze' }] } });
    const modules = server.modules();
    expect(loaded(modules, '@electric-sql/pglite')).toBe(true);
    expect(loaded(modules, 'tsx')).toBe(false);
    // Prisma's query compiler came from the .wasm file beside the bundle (one query has run).
    expect(modules.filter((url) => url.includes('wasm-base64'))).toEqual([]);
    // Nor what only PostgreSQL or Redis need (no REDIS_URL here): node-postgres, its adapter, LISTEN, ioredis.
    for (const pkg of ['pg', '@prisma/adapter-pg', 'pg-listen', 'ioredis', '@graphql-yoga/redis-event-target'])
      expect([pkg, loaded(modules, pkg)]).toEqual([pkg, false]);
    // Our own code comes from the bundle, not from the TypeScript sources.
    expect(modules.filter((url) => url.startsWith(`file://${ROOT}/src/`))).toEqual([]);
  },
  180_000,
);

(onPostgres ? test.skip : test)(
  'a start on a new folder unpacks the seeded database the build wrote, unless it would not seed; the folder is then an ordinary one',
  async () => {
    expect(readdirSync(outdir)).toEqual(expect.arrayContaining(['pglite-template.tar.gz', 'pglite-template.json']));
    const env = { DATA_DIR: path.join(work, 'unpacked') };
    const first = await startBuilt('pglite-unpacked', env);
    expect((await fetch(`${first.base}/ready`)).status).toBe(200);
    expect(first.output()).toMatch(/"dataDirState":"fresh","unpacked":true/);
    // Neither initdb's migrations nor the seed ran: the archive holds both.
    expect(first.output()).not.toMatch(/applied migration|seeded empty database/);
    expect(first.output()).toMatch(/"applied":0,"alreadyApplied":\d+/);
    expect(await filmTitle(first.base)).toEqual({ film: { title: 'Her', directors: [{ name: 'Spike Jonze' }] } });
    // Marked as set up: a restart opens it as any initialised folder, with the same catalogue.
    const slugs = async (base: string) => {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ films(first: 50) { edges { node { slug } } } }' }),
      });
      return ((await response.json()) as { data: { films: { edges: { node: { slug: string } }[] } } }).data.films.edges.map((e) => e.node.slug);
    };
    const before = await slugs(first.base);
    expect(before).toContain('her');
    first.child.kill('SIGTERM');
    await once(first.child, 'exit');
    const again = await startBuilt('pglite-unpacked-again', env);
    expect(again.output()).toMatch(/"dataDirState":"initialized"/);
    expect(again.output()).not.toMatch(/"unpacked"/);
    expect(await slugs(again.base)).toEqual(before);

    // A start that would not seed initialises the folder empty, as from the sources.
    const empty = await startBuilt('pglite-no-seed', { DATA_DIR: path.join(work, 'no-seed'), SEED_ON_START: 'false' });
    expect(empty.output()).not.toMatch(/"unpacked"/);
    expect(empty.output()).toMatch(/applied migration/);
    expect(await filmTitle(empty.base)).toEqual({ film: null });
  },
  180_000,
);

(onPostgres ? test.skip : test)(
  "a warm start answers /ready before Prisma's query engine loads; the first query that needs it loads it",
  async () => {
    const env = { DATA_DIR: path.join(work, 'warm') };
    const first = await startBuilt('pglite-first', env);
    expect((await fetch(`${first.base}/ready`)).status).toBe(200);
    first.child.kill('SIGTERM');
    await new Promise((r) => first.child.once('exit', r));

    const server = await startBuilt('pglite-warm', env);
    const engine = (modules: string[]) => modules.filter((url) => /query_compiler_\w+_bg\.postgresql\.m?js$/.test(url));
    expect((await fetch(`${server.base}/ready`)).status).toBe(200);
    expect(engine(server.modules())).toEqual([]);
    // A list goes through Prisma (a film by slug may be answered by one direct statement).
    const response = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ films(first: 2) { edges { node { title } } } }' }),
    });
    expect(((await response.json()) as { data: { films: { edges: unknown[] } } }).data.films.edges).toHaveLength(2);
    expect(engine(server.modules())).toHaveLength(1);
  },
  180_000,
);

(onPostgres ? test : test.skip)(
  'on PostgreSQL the built server serves without ever loading PGlite or its Prisma adapter',
  async () => {
    const db = await createPostgresDatabase();
    cleanups.push(db.drop);
    const server = await startBuilt('postgres', { DATABASE_URL: db.url });
    expect((await fetch(`${server.base}/ready`)).status).toBe(200);
    expect(await filmTitle(server.base)).toEqual({ film: { title: 'Her', directors: [{ name: 'Spike Jonze' }] } });
    const modules = server.modules();
    expect(loaded(modules, '@prisma/adapter-pg')).toBe(true);
    expect(loaded(modules, '@electric-sql/pglite')).toBe(false);
    expect(loaded(modules, 'pglite-prisma-adapter')).toBe(false);
    expect(loaded(modules, 'tsx')).toBe(false);
    expect(modules.filter((url) => url.includes('wasm-base64'))).toEqual([]);
  },
  180_000,
);

test('the built import CLI imports an IMDb folder, then skips it unchanged, loading neither tsx nor the GraphQL layer', async () => {
  const postgres = onPostgres ? await createPostgresDatabase() : undefined;
  if (postgres) cleanups.push(postgres.drop);
  const target = postgres ? { DATABASE_URL: postgres.url } : { DATABASE_URL: '', DATA_DIR: path.join(work, 'import-data') };
  const fixture = path.join(ROOT, 'tests/import/fixtures/imdb');
  const run = async (name: string) => {
    const modulesFile = path.join(work, `${name}.modules`);
    const child = spawn(
      process.execPath,
      [
        '--import',
        recorder(modulesFile),
        path.join(outdir, 'import.js'),
        'imdb',
        fixture,
        '--snapshot',
        '2026-01-01',
        '--max-rejects',
        '7',
        '--rejects',
        path.join(work, `${name}-rejects.jsonl`),
      ],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', NODE_OPTIONS: '', ...target }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    // 'close', not 'exit': its output may still be arriving when it exits.
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr, modules: readFileSync(modulesFile, 'utf8').trim().split('\n') };
  };
  const first = await run('import-first');
  expect({ code: first.code, stderr: first.code === 0 ? '' : first.stderr }).toEqual({ code: 0, stderr: '' });
  expect(first.stdout).toMatch(/[1-9]\d* entities created/);
  for (const pkg of ['tsx', 'graphql-yoga', '@pothos/core', '@graphql-yoga/plugin-response-cache'])
    expect([pkg, loaded(first.modules, pkg)]).toEqual([pkg, false]);
  expect(first.modules.filter((url) => url.startsWith(`file://${ROOT}/src/`))).toEqual([]);
  expect(first.modules.some((url) => url.startsWith(`file://${outdir}/import.js`))).toBe(true);
  const again = await run('import-again');
  expect({ code: again.code, stderr: again.code === 0 ? '' : again.stderr }).toEqual({ code: 0, stderr: '' });
  expect(again.stdout).toContain(' 0 entities created, 0 updated');
}, 180_000);
