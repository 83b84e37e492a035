/**
 * npm run bench [-- --films 100000,1000000 --rounds 3 --scenarios film,films --systems cinegraph,bare
 *                   --connections 1,8,32 --duration 10 --warmup 3 --no-at-70 --env KEY=VALUE]
 * Loads (once) the bench database of each size, then for each size and system counts statements
 * per request through a counting proxy and validates every scenario; then, round after round,
 * times each scenario with autocannon on every size and system (the systems rotated a place each
 * round, bench/rounds.ts). Writes bench/results/<date>.{json,md} and an .svg per size.
 * docs/benchmarks.md describes the method.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import { withClient } from './db.ts';
import { ensureBenchData } from './load.ts';
import { load, Rotation, type LoadResult } from './loadgen.ts';
import { paced } from './paced.ts';
import { mixedPool, requestPool, sampleParams } from './params.ts';
import { startCountingProxy, viaProxy } from './pg-proxy.ts';
import { renderSvg } from './plot.ts';
import { statementsPerRequest, validate } from './probe.ts';
import { renderMarkdown, type Results, type SystemResult } from './report.ts';
import { renderSizes, roundOrder } from './rounds.ts';
import { SCENARIO_NAMES, SCENARIOS, MIXED_WEIGHTS, type Request, type ScenarioName } from './scenarios.ts';
import { cacheCounters, DEFAULT_SYSTEMS, preparePeer, ROOT, SYSTEMS, startSystem, versions, type SystemSpec } from './systems.ts';

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '100000,1000000' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    scenarios: { type: 'string', default: SCENARIO_NAMES.join(',') },
    systems: { type: 'string', default: DEFAULT_SYSTEMS.join(',') },
    connections: { type: 'string', default: '1,8,32' },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    pool: { type: 'string', default: '20000' },
    'no-at-70': { type: 'boolean', default: false },
    env: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: path.join(ROOT, 'bench/results') },
    label: { type: 'string', default: '' },
  },
});

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const sizes = list(values.films).map(Number);
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const scenarios = list(values.scenarios) as ScenarioName[];
const systems = list(values.systems).map(
  (id) => SYSTEMS.find((s) => s.id === id) ?? fail(`unknown system ${id} (known: ${SYSTEMS.map((s) => s.id).join(', ')})`),
);
const connections = list(values.connections).map(Number);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const extraEnv = Object.fromEntries(values.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
for (const s of scenarios) if (!SCENARIO_NAMES.includes(s)) fail(`unknown scenario ${s} (known: ${SCENARIO_NAMES.join(', ')})`);
if (![...sizes, rounds, seed, duration, warmup, ...connections].every(Number.isFinite)) fail('numeric options must be numbers');
if (sizes.length === 0 || rounds < 1) fail('--films needs at least one size and --rounds at least 1');

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
const log = (line: string) => console.error(line);

/** One data size: its database, its parameter sets, and the request rotations that carry on across rounds. */
interface Size {
  films: number;
  data: Awaited<ReturnType<typeof ensureBenchData>>;
  params: Awaited<ReturnType<typeof sampleParams>>;
  rotations: Map<string, Rotation>;
  results: Results;
}
const prepared: Omit<Size, 'results'>[] = [];
for (const films of sizes) {
  const data = await ensureBenchData({ films, seed, log });
  const params = await withClient(data.url, (c) => sampleParams(async (sql, p) => (await c.query(sql, p)).rows, films, Number(values.pool), seed));
  log(`${films.toLocaleString('en')} films: rotating over ${params.length} parameter sets (film slugs, year windows, genres, prefixes)`);
  prepared.push({ films, data, params, rotations: new Map() });
}
if (systems.some((s) => s.kind === 'postgraphile')) {
  try {
    preparePeer(log);
  } catch (error) {
    log((error as Error).message);
  }
}

/**
 * Let PostgreSQL settle between runs: when a run ends, requests still in flight (a slow search)
 * keep their queries running and would slow the next run. Waits up to 5 s, then cancels what is
 * left — only in the bench database, which only the servers this harness started use.
 */
async function waitForQuiet({ data }: Pick<Size, 'data'>): Promise<void> {
  await withClient(data.url, async (c) => {
    const active = async () =>
      (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`, [data.name]))
        .rows;
    for (let i = 0; i < 40; i++) {
      const rows = await active();
      if (rows.length === 0) return;
      if (i === 20) await c.query('SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid', [rows.map((r) => r.pid)]);
      await new Promise((r) => setTimeout(r, 250));
    }
  });
}

const probeNames = SCENARIOS.map((s) => s.name).filter((n) => scenarios.includes(n) || (scenarios.includes('mixed') && MIXED_WEIGHTS[n] > 0));

async function probe({ data, params }: Size, spec: SystemSpec, result: SystemResult): Promise<void> {
  const pgTarget = new URL(data.url);
  const proxy = await startCountingProxy({ host: pgTarget.hostname, port: Number(pgTarget.port || 5432) });
  const sys = await startSystem(spec, viaProxy(data.url, proxy), { extraEnv: spec.kind === 'cinegraph' ? extraEnv : {} });
  try {
    for (const name of probeNames) {
      const scenario = SCENARIOS.find((s) => s.name === name)!;
      const build = scenario.request[spec.kind];
      if ('unavailable' in build) {
        result.scenarios[name] = { status: 'n/a', error: build.unavailable, runs: [] };
        continue;
      }
      const sample = params.slice(0, 3);
      const started = performance.now();
      const error = await validate(scenario, spec.kind, sys.baseUrl, requestPool(scenario, spec.kind, sample));
      // A slow scenario (seconds per request) is counted on fewer requests so the probe stays short.
      const n = (performance.now() - started) / sample.length > 2000 ? 2 : 5;
      if (error) {
        result.scenarios[name] = { status: 'failed', error, runs: [] };
        log(`  ${spec.id} ${name}: FAILED validation: ${error}`);
        continue;
      }
      // Parameter sets 10–20 were not used by validation, so a response cache starts cold on them.
      // Few requests: counts are per query shape, and a slow scenario (search on 1M films) must not stall the probe.
      const statements = await statementsPerRequest(proxy, sys.baseUrl, requestPool(scenario, spec.kind, params.slice(10, 10 + n)));
      const small =
        scenario.defaultPageSize > 3
          ? await statementsPerRequest(proxy, sys.baseUrl, requestPool(scenario, spec.kind, params.slice(20, 20 + n), 3))
          : statements;
      result.scenarios[name] = { status: 'ok', statementsPerRequest: statements, statementsAtPageSize3: small, budget: scenario.depth + 1, runs: [] };
      log(`  ${spec.id} ${name}: valid; ${statements} statements/request (page size ${scenario.defaultPageSize}), ${small} at page size 3`);
    }
  } finally {
    await sys.stop();
    await proxy.close();
  }
}

async function time(size: Size, spec: SystemSpec, result: SystemResult, round: number): Promise<void> {
  const { data, params } = size;
  const sys = await startSystem(spec, data.url, { extraEnv: spec.kind === 'cinegraph' ? extraEnv : {} });
  try {
    for (const name of scenarios) {
      let pool: Request[];
      if (name === 'mixed') {
        const ok = probeNames.filter((n) => result.scenarios[n]?.status === 'ok');
        if (ok.length === 0) {
          result.scenarios.mixed = { status: 'failed', error: 'no member scenario passed validation', runs: [] };
          continue;
        }
        const mixed = mixedPool(spec.kind, params, ok);
        pool = mixed.pool;
        result.scenarios.mixed ??= { status: 'ok', weights: mixed.weights, runs: [] };
      } else {
        if (result.scenarios[name]?.status !== 'ok') continue;
        pool = requestPool(
          SCENARIOS.find((s) => s.name === name)!,
          spec.kind,
          params,
        );
      }
      const entry = result.scenarios[name]!;
      // One rotation per system and scenario for the whole run: a later round continues where the
      // previous one stopped, so a restarted server's response cache is not handed repeats.
      const key = `${spec.id}/${name}`;
      if (!size.rotations.has(key)) size.rotations.set(key, new Rotation(pool));
      const rotation = size.rotations.get(key)!;
      for (const c of connections) {
        await waitForQuiet(size);
        if (warmup > 0) await load({ baseUrl: sys.baseUrl, pool: rotation, connections: c, durationSeconds: warmup });
        const before = spec.kind === 'cinegraph' ? await cacheCounters(sys.baseUrl) : null;
        const run: LoadResult & { cacheHitRatio?: number; round?: number } = await load({
          baseUrl: sys.baseUrl,
          pool: rotation,
          connections: c,
          durationSeconds: duration,
          pid: sys.pid,
        });
        const after = before ? await cacheCounters(sys.baseUrl) : null;
        if (before && after) {
          const hits = after.hit - before.hit;
          const lookups = hits + after.miss - before.miss;
          if (lookups > 0) run.cacheHitRatio = Math.round((hits / lookups) * 1000) / 1000;
        }
        run.round = round;
        entry.runs.push(run);
        log(
          `  [${size.films.toLocaleString('en')} films, round ${round}] ${spec.id} ${name} c=${c}: ${run.rps} rps, p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, errors ${run.errors + run.non2xx}, RSS ${run.rss?.startMiB}→${run.rss?.endMiB} MiB`,
        );
      }
      // The latency step once per size and system (first round), from that round's best rate.
      if (name === 'film' && round === 1 && !values['no-at-70'] && entry.runs.length) {
        const best = entry.runs.reduce((a, b) => (b.rps > a.rps ? b : a));
        const rate = best.rps * 0.7;
        await waitForQuiet(size);
        // The target's figure: evenly spaced arrivals, latency from each request's due time.
        const run = await paced({
          baseUrl: sys.baseUrl,
          pool: rotation,
          rate,
          connections: best.connections,
          durationSeconds: Math.max(duration, 10),
          pid: sys.pid,
        });
        // For comparison with earlier rounds: autocannon's per-second quota (bursts; see bench/paced.ts).
        await waitForQuiet(size);
        const burst = await load({
          baseUrl: sys.baseUrl,
          pool: rotation,
          connections: best.connections,
          durationSeconds: duration,
          overallRate: rate,
          pid: sys.pid,
        });
        entry.at70 = {
          method: 'paced',
          maxRps: best.rps,
          targetRps: Math.round(rate),
          achievedRps: run.achievedRps,
          connections: best.connections,
          latencyMs: run.latencyMs,
          serviceMs: run.serviceMs,
          errors: run.errors + run.non2xx,
          burst: { achievedRps: burst.rps, latencyMs: burst.latencyMs, errors: burst.errors + burst.non2xx },
        };
        log(
          `  ${spec.id} film at 70% of max (${Math.round(rate)} rps, c≤${best.connections}): p99 ${run.latencyMs.p99} ms paced (autocannon per-second bursts: p99 ${burst.latencyMs.p99} ms)`,
        );
      }
    }
  } finally {
    await sys.stop();
  }
}

const machine = {
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  os: `${os.type()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
};
const date = new Date().toISOString();
const commonVersions = { ...versions(), commit: gitCommit() };
const all: Size[] = [];
for (const size of prepared) {
  const results: Results = {
    label: values.label || `${size.films.toLocaleString('en')} films, seed ${seed}`,
    date,
    machine,
    versions: {
      ...commonVersions,
      postgres: await withClient(size.data.url, async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v),
    },
    options: {
      films: size.films,
      seed,
      rounds,
      scenarios,
      systems: systems.map((s) => s.id),
      connections,
      durationSeconds: duration,
      warmupSeconds: warmup,
      poolSize: size.params.length,
      at70: !values['no-at-70'],
      extraEnv,
      mixedWeights: MIXED_WEIGHTS,
    },
    data: { database: size.data.name, ...size.data.load },
    systems: systems.map((spec) => ({
      id: spec.id,
      kind: spec.kind,
      description: spec.description,
      env: { ...spec.env, ...(spec.kind === 'cinegraph' ? extraEnv : {}) },
      scenarios: {},
    })),
  };
  all.push({ ...size, results });
}
const resultOf = (size: Size, spec: SystemSpec) => size.results.systems.find((s) => s.id === spec.id)!;

// Validation and statement counts: once per size and system.
for (const size of all) {
  for (const spec of systems) {
    log(`== ${size.films.toLocaleString('en')} films, ${spec.id}: ${spec.description}`);
    try {
      await probe(size, spec, resultOf(size, spec));
    } catch (error) {
      resultOf(size, spec).error = (error as Error).message;
      log(`  ${spec.id} FAILED: ${(error as Error).message}`);
    }
  }
}
// Timing: every round visits every size and system, so a round's figures share the host's load.
for (let round = 1; round <= rounds; round++) {
  for (const size of all) {
    for (const spec of roundOrder(systems, round - 1)) {
      const result = resultOf(size, spec);
      if (result.error) continue;
      log(`== round ${round}/${rounds}, ${size.films.toLocaleString('en')} films: ${spec.id} (load average ${os.loadavg()[0]!.toFixed(1)})`);
      try {
        await time(size, spec, result, round);
      } catch (error) {
        result.error = `round ${round}: ${(error as Error).message}`;
        log(`  ${spec.id} FAILED: ${result.error}`);
      }
    }
  }
}
const loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

mkdirSync(values.out, { recursive: true });
const stamp = date.replace(/[:]/g, '-').replace(/\..+/, '');
const base = path.join(values.out, stamp);
writeFileSync(`${base}.json`, JSON.stringify({ date, rounds, loadAverageAtEnd, sizes: all.map((s) => s.results) }, null, 2) + '\n');
const sections = all.map((size) => {
  const svg = all.length === 1 ? `${path.basename(base)}.svg` : `${path.basename(base)}-${size.films}.svg`;
  writeFileSync(path.join(values.out, svg), renderSvg(size.results));
  // One size's report, its headings a level down under the run's own.
  return renderMarkdown(size.results, svg).replace(/^(#+) /gm, '#$1 ');
});
const markdown = [
  `# Cinegraph benchmark: ${sizes.map((f) => f.toLocaleString('en')).join(' and ')} films, ${rounds} round${rounds === 1 ? '' : 's'}`,
  '',
  `${date}; load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${loadAverageAtEnd.join(' ')}.`,
  '',
  renderSizes(
    all.map((s) => s.results),
    rounds,
  ),
  ...sections,
].join('\n');
writeFileSync(`${base}.md`, markdown);
console.log(markdown);
log(`wrote ${base}.json, .md and .svg`);

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
