/**
 * npm run bench:memory [-- --films 100000 --variants limits,nolimit --rounds 3 --duration 60
 *                         --connections 8 --responses 1000]
 * Where the server's memory goes, and what the heap limits `npm start` sets cost (issue 19).
 * 1. What cached responses weigh: `--responses` real responses of the mixed workload, fetched
 *    from a Cinegraph server without a response cache, are put into the in-memory store (their
 *    parsed objects, indexed as the cache indexes them) in this process; the V8 heap they hold
 *    after a full collection, per response and per character of their JSON (the unit of
 *    RESPONSE_CACHE_MAX_BYTES).
 * 2. Variants under the mixed workload, interleaved round by round (each round starts each
 *    variant afresh): requests/s and its ratio to the first variant of the same round, RSS, and
 *    process.memoryUsage() read from /metrics every 5 s (cinegraph_process_memory_bytes), split
 *    into the V8 heap, memory outside it and the rest ("native": code, Prisma's WebAssembly query
 *    compiler, allocator slack). A variant is a system id of bench/systems.ts, or
 *    `name=SETTINGS`: the default Cinegraph with other node flags and environment, where SETTINGS
 *    is NODE_OPTIONS and NAME=VALUE words are environment variables (e.g.
 *    `old96="--max-old-space-size=96"`, `arena2="MALLOC_ARENA_MAX=2 --max-old-space-size=128"`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { createMemoryCache } from '../src/plugins/response-cache/memory-store.ts';
import { withClient } from './db.ts';
import { ensureBenchData } from './load.ts';
import { load, Rotation } from './loadgen.ts';
import { mixedPool, sampleParams } from './params.ts';
import { send } from './probe.ts';
import { CINEGRAPH_ENV, SYSTEMS, startSystem, type SystemSpec } from './systems.ts';

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    variants: { type: 'string', default: 'cinegraph,cinegraph-nolimit' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    responses: { type: 'string', default: '1000' },
  },
});
const films = Number(values.films);
const log = (line: string) => console.error(line);
const MiB = (bytes: number) => Math.round(bytes / 1_048_576);

/** `id` of a system, or `name=SETTINGS` for the default Cinegraph with other node flags (and NAME=VALUE environment words). */
function parseVariant(text: string): SystemSpec {
  const eq = text.indexOf('=');
  if (eq === -1) {
    const spec = SYSTEMS.find((s) => s.id === text && s.kind === 'cinegraph');
    if (!spec)
      throw new Error(
        `unknown Cinegraph variant ${text} (known: ${SYSTEMS.filter((s) => s.kind === 'cinegraph')
          .map((s) => s.id)
          .join(', ')}, or name=SETTINGS)`,
      );
    return spec;
  }
  const words = text
    .slice(eq + 1)
    .replace(/^"|"$/g, '')
    .split(/\s+/)
    .filter(Boolean);
  const isEnv = (word: string) => /^[A-Z_][A-Z0-9_]*=/.test(word);
  const options = words.filter((w) => !isEnv(w)).join(' ');
  const env = Object.fromEntries(words.filter(isEnv).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  const description = `Cinegraph, ${Object.entries(env)
    .map(([k, v]) => `${k}=${v} `)
    .join('')}NODE_OPTIONS=${options}`;
  return { id: text.slice(0, eq), kind: 'cinegraph', description, env: { ...CINEGRAPH_ENV, ...env, NODE_OPTIONS: options } };
}

/** Type:id pairs of every object in a response that has an id, as the cache indexes them. */
function entities(value: unknown, out: { typename: string; id: string }[] = []): { typename: string; id: string }[] {
  if (Array.isArray(value)) for (const item of value) entities(item, out);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['id'] === 'string') out.push({ typename: typeof record['__typename'] === 'string' ? record['__typename'] : 'Node', id: record['id'] });
    for (const child of Object.values(record)) entities(child, out);
  }
  return out;
}

const data = await ensureBenchData({ films, seed: Number(values.seed), log });
const params = await withClient(data.url, (c) => sampleParams(async (sql, p) => (await c.query(sql, p)).rows, films, 20_000, Number(values.seed)));
const members = ['film', 'films', 'search', 'typename'] as const;

// 1. What a cached response weighs.
{
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const count = Number(values.responses);
  const pool = mixedPool('cinegraph', params, [...members]).pool.slice(0, count);
  const server = await startSystem(
    SYSTEMS.find((s) => s.id === 'cinegraph-nocache')!,
    data.url,
  );
  const texts: string[] = [];
  try {
    for (const request of pool) texts.push(JSON.stringify(await send(server.baseUrl, request)));
  } finally {
    await server.stop();
  }
  const chars = texts.reduce((sum, t) => sum + t.length, 0);
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = createMemoryCache({ max: count, maxBytes: 2 ** 40 });
  texts.forEach((text, i) => {
    const result = JSON.parse(text) as { data?: Record<string, unknown> };
    store.set(`response-${i}`, result, entities(result.data), 600_000);
  });
  gc();
  const after = process.memoryUsage().heapUsed;
  const lengths = texts.map((t) => t.length).sort((a, b) => a - b);
  console.log(`## What ${count} cached responses weigh (mixed workload, ${films.toLocaleString('en')} films)\n`);
  console.log('| responses | JSON characters (budget units) | median / largest response | V8 heap held | heap bytes per JSON character | heap per response |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${store.size().responses} | ${chars.toLocaleString('en')} (${MiB(store.bytes())} MiB) | ${lengths[lengths.length >> 1]} / ${lengths[lengths.length - 1]} | ${MiB(after - before)} MiB | ${((after - before) / chars).toFixed(2)} | ${Math.round((after - before) / count / 1024)} KiB |\n`,
  );
}

// 2. Variants under the mixed workload.
const variants = values.variants.split(',').map(parseVariant);
const rounds = Number(values.rounds);
const duration = Number(values.duration);
const connections = Number(values.connections);

/** One reading of cinegraph_process_memory_bytes and the cache's size from /metrics. */
async function memory(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^cinegraph_process_memory_bytes\{kind="(\w+)"\} (\S+)$/gm)) out[m[1]!] = Number(m[2]);
  const cache = /^cinegraph_response_cache_bytes (\S+)$/m.exec(text);
  if (cache) out['cache'] = Number(cache[1]);
  return out;
}

interface Row {
  round: number;
  variant: string;
  rps: number;
  errors: number;
  rssPeak: number;
  /** Means over the second half of the run (settled), MiB. */
  settled: Record<string, number>;
}
const rows: Row[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const spec of variants) {
    const system = await startSystem(spec, data.url);
    const samples: Record<string, number>[] = [];
    const timer = setInterval(
      () =>
        void memory(system.baseUrl).then(
          (m) => samples.push(m),
          () => undefined,
        ),
      5_000,
    );
    try {
      const pool = new Rotation(mixedPool('cinegraph', params.slice((round - 1) * 997), [...members]).pool);
      const run = await load({ baseUrl: system.baseUrl, pool, connections, durationSeconds: duration, pid: system.pid });
      clearInterval(timer);
      const late = samples.slice(samples.length >> 1);
      const mean = (key: string) => MiB(late.reduce((sum, s) => sum + (s[key] ?? 0), 0) / Math.max(1, late.length));
      const settled = Object.fromEntries(['rss', 'heap_total', 'heap_used', 'external', 'array_buffers', 'cache'].map((k) => [k, mean(k)]));
      settled['native'] = settled['rss']! - settled['heap_total']! - settled['external']!;
      rows.push({ round, variant: spec.id, rps: run.rps, errors: run.errors + run.non2xx, rssPeak: Math.round(Math.max(...run.rssSamples)), settled });
      log(`round ${round} ${spec.id}: ${run.rps} rps, RSS peak ${Math.round(Math.max(...run.rssSamples))} MiB, settled ${JSON.stringify(settled)}`);
    } finally {
      clearInterval(timer);
      await system.stop();
    }
  }
}

console.log(`## Variants under the mixed workload (${connections} connections, ${duration} s per run, ${rounds} rounds interleaved)\n`);
for (const spec of variants) console.log(`- \`${spec.id}\`: ${spec.description}`);
console.log(
  '\n| round | variant | rps | ÷ first variant | errors | RSS peak MiB | settled MiB: RSS | heap total | heap used | external | array buffers | native (RSS − heap − external) | cache JSON |',
);
console.log('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const first = rows.find((r) => r.round === row.round)!;
  const s = row.settled;
  console.log(
    `| ${row.round} | ${row.variant} | ${row.rps} | ${(row.rps / first.rps).toFixed(2)} | ${row.errors} | ${row.rssPeak} | ${s['rss']} | ${s['heap_total']} | ${s['heap_used']} | ${s['external']} | ${s['array_buffers']} | ${s['native']} | ${s['cache']} |`,
  );
}
