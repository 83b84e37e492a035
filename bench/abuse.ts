/**
 * npm run bench:abuse [-- --duration 30 --connections 4 --attacks fanout,chunked,lists,labels,nul --rate-limit]
 *
 * What each attack class of the "holes found when the server was attacked" report does to the
 * real server process (src/index.ts; PGlite in a temporary folder, or PostgreSQL when
 * DATABASE_URL is set). For each class, a fresh server is started, the attack is sent for
 * `--duration` seconds from `--connections` concurrent loops, and the script reports:
 * - the server's event-loop delay p99 and max over the attack (prom-client's
 *   nodejs_eventloop_lag_* on /metrics, whose histogram restarts at each scrape: one scrape
 *   just before, one just after);
 * - its RSS before and after (process_resident_memory_bytes on /metrics);
 * - /ready latency sampled every 250 ms during the attack (p50, max, and whether every sample
 *   answered 200 within 1 s): what a load balancer would see.
 * It measures whatever the build does; it asserts nothing. The rate limit is off (one client
 * address sends everything) unless `--rate-limit` is given.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from './stats.ts';
import { CINEGRAPH_ENV, startSystem, type RunningSystem } from './systems.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '4' },
    attacks: { type: 'string', default: 'fanout,chunked,lists,labels,nul' },
    'rate-limit': { type: 'boolean', default: false },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const CONNECTIONS = Number(values.connections);
const REQUEST_TIMEOUT_MS = 60_000;

/** One request of an attack; resolves with its outcome: HTTP status and first error code, or "failed". */
type Send = (base: string) => Promise<string>;

async function postJson(base: string, body: unknown): Promise<string> {
  try {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let code: unknown;
    try {
      code = (JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] }).errors?.[0]?.extensions?.code;
    } catch {
      code = undefined;
    }
    return typeof code === 'string' ? `${response.status} ${code}` : String(response.status);
  } catch {
    return 'failed';
  }
}

const salt = () => randomUUID().replace(/-/g, '');

/** `{ ...F15 }` with F1 … F15 each spreading the previous fragment twice: 2^15 fields from ~600 bytes. */
function doublingChain(levels: number): string {
  let fragments = 'fragment F0 on Query { __typename }';
  for (let i = 1; i <= levels; i++) fragments += ` fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`;
  return `query Q_${salt()} { ...F${levels} } ${fragments}`;
}

/** A 10 MB body sent with Transfer-Encoding: chunked (no Content-Length to refuse it by). */
function chunkedPost(base: string, totalBytes: number): Promise<string> {
  return new Promise<number>((resolve) => {
    const url = new URL(`${base}/graphql`);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < totalBytes) {
        const piece = sent === 0 ? Buffer.concat([Buffer.from('{"query":"{ __typename }","x":"'), chunk]) : chunk;
        sent += piece.length;
        if (req.destroyed) return;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end('"}');
    };
    write();
  }).then((status) => (status === 0 ? 'failed' : String(status)));
}

const ids = Array.from({ length: 6_000 }, (_, i) => Buffer.from(`Film:${i + 1}`).toString('base64'));

const ATTACKS: Record<string, { title: string; send: Send }> = {
  fanout: { title: 'fragment fan-out (15-level doubling chain, salted operation name)', send: (base) => postJson(base, { query: doublingChain(15) }) },
  chunked: { title: 'chunked oversize body (10 MB, Transfer-Encoding: chunked)', send: (base) => chunkedPost(base, 10 * 1024 * 1024) },
  lists: {
    title: 'long list (nodes with 6,000 ids)',
    send: (base) => postJson(base, { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } }),
  },
  labels: {
    title: 'operationName label flood (a new name each request)',
    send: (base) => {
      const name = `Op_${salt()}`;
      return postJson(base, { query: `query ${name} { __typename }`, operationName: name });
    },
  },
  nul: { title: 'NUL byte in a string argument (film(slug: "a\\u0000b"))', send: (base) => postJson(base, { query: '{ film(slug: "a\\u0000b") { title } }' }) },
};

/** The metrics read from /metrics (null when the build does not expose one). */
async function scrape(base: string): Promise<{ lagP99: number | null; lagMax: number | null; rss: number | null }> {
  try {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).text();
    const value = (name: string) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text);
      return match ? Number(match[1]) : null;
    };
    return {
      lagP99: value('nodejs_eventloop_lag_p99_seconds'),
      lagMax: value('nodejs_eventloop_lag_max_seconds'),
      rss: value('process_resident_memory_bytes'),
    };
  } catch {
    return { lagP99: null, lagMax: null, rss: null };
  }
}

/** GET /ready every 250 ms until stopped; each sample's latency, Infinity when it failed or was not 200. */
function sampleReady(base: string) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const ok = await fetch(`${base}/ready`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then(
        async (r) => (await r.arrayBuffer(), r.status === 200),
        () => false,
      );
      samples.push(ok ? performance.now() - started : Infinity);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return samples;
  };
}

interface Row {
  title: string;
  requests: number;
  statuses: Record<string, number>;
  perSecond: number;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
  rssBeforeMiB: number | null;
  rssAfterMiB: number | null;
  ready: { p50: number; max: number; failed: number; samples: number };
}

async function run(id: string, server: RunningSystem): Promise<Row> {
  const attack = ATTACKS[id]!;
  const before = await scrape(server.baseUrl);
  const stopReady = sampleReady(server.baseUrl);
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + DURATION_MS;
  let requests = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const outcome = await attack.send(server.baseUrl);
        requests++;
        statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const ready = await stopReady();
  const after = await scrape(server.baseUrl);
  const answered = ready.filter(Number.isFinite);
  const summary = summarize(answered.length ? answered : [Number.NaN]);
  const mib = (bytes: number | null) => (bytes === null ? null : Math.round(bytes / 1024 / 1024));
  return {
    title: attack.title,
    requests,
    statuses,
    perSecond: requests / seconds,
    lagP99Ms: after.lagP99 === null ? null : after.lagP99 * 1000,
    lagMaxMs: after.lagMax === null ? null : after.lagMax * 1000,
    rssBeforeMiB: mib(before.rss),
    rssAfterMiB: mib(after.rss),
    ready: { p50: summary.p50, max: ready.length ? Math.max(...ready) : Number.NaN, failed: ready.length - answered.length, samples: ready.length },
  };
}

const fmt = (n: number | null, digits = 0) => (n === null || Number.isNaN(n) ? 'n/a' : n === Infinity ? '∞' : n.toFixed(digits));

function table(rows: Row[]): string {
  const lines = [
    '| attack | requests (req/s) | answers (status, first error code) | event-loop delay p99 / max (ms) | RSS before → after (MiB) | /ready p50 / max (ms) | /ready always < 1 s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const statuses = Object.entries(r.statuses)
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    const readyOk = r.ready.failed === 0 && r.ready.max < 1000;
    const ready = `${fmt(r.ready.p50)} / ${fmt(r.ready.max)}${r.ready.failed ? ` (${r.ready.failed} of ${r.ready.samples} failed)` : ''}`;
    lines.push(
      `| ${r.title} | ${r.requests} (${fmt(r.perSecond, 1)}) | ${statuses} | ${fmt(r.lagP99Ms)} / ${fmt(r.lagMaxMs)} | ${fmt(r.rssBeforeMiB)} → ${fmt(r.rssAfterMiB)} | ${ready} | ${readyOk ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

const chosen = values.attacks
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = chosen.filter((id) => !ATTACKS[id]);
if (unknown.length) {
  console.error(`unknown attack(s): ${unknown.join(', ')}; known: ${Object.keys(ATTACKS).join(', ')}`);
  process.exit(2);
}

const databaseUrl = process.env.DATABASE_URL ?? '';
const dataDir = databaseUrl ? undefined : mkdtempSync(path.join(tmpdir(), 'cinegraph-abuse-'));
const env: Record<string, string> = {
  ...CINEGRAPH_ENV,
  // The server migrates and seeds its own database (PGlite folder, or the given PostgreSQL one).
  MIGRATE_ON_START: 'true',
  SEED_ON_START: 'true',
  RESPONSE_CACHE: 'true',
  ...(values['rate-limit'] ? { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_POINTS: '50000' } : {}),
  ...(dataDir ? { DATA_DIR: dataDir } : {}),
};
const spec = { id: 'cinegraph', kind: 'cinegraph' as const, description: 'Cinegraph under attack', env };

console.log(
  `bench:abuse on ${databaseUrl ? 'PostgreSQL (DATABASE_URL)' : 'PGlite'}: ${chosen.length} attack class(es), ${DURATION_MS / 1000} s each, ${CONNECTIONS} connections, rate limit ${values['rate-limit'] ? 'on' : 'off'}; a fresh server per class\n`,
);
const rows: Row[] = [];
try {
  for (const id of chosen) {
    // A fresh process per class, so memory and a stuck event loop do not carry over.
    const server = await startSystem(spec, databaseUrl, { timeoutMs: 180_000 });
    try {
      process.stdout.write(`${ATTACKS[id]!.title} …`);
      const row = await run(id, server);
      rows.push(row);
      console.log(` ${row.requests} requests`);
    } finally {
      await server.stop();
    }
  }
} finally {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\n${table(rows)}`);
