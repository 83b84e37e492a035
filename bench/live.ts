/**
 * npm run bench:live [-- --subscribers 1000 --writes 5]
 * Live updates on one server process (`npm start`'s program, embedded database in a temporary
 * folder, a child process so its RSS is its own): `subscribers` SSE subscriptions to
 * `filmChanged` over real HTTP connections from this process, then `writes` updateFilm one
 * after another; for each, the delay from sending the mutation to each subscriber's receiving
 * the event (p50/p99/max over all subscribers and writes), and the server's RSS before and after
 * the subscriptions opened (the cost per idle subscriber).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from './stats.ts';

const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '1000' }, writes: { type: 'string', default: '5' } } });
const SUBSCRIBERS = Number(values.subscribers);
const WRITES = Number(values.writes);
const ADMIN_TOKEN = 'bench-live-admin-token-0123456789';
const ROOT = path.resolve(import.meta.dirname, '..');

// Node's fetch opens as many connections per origin as asked (undici's default): one per stream.
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(dataDir: string) {
  // One process: the tsx command relays signals to a second one and SIGKILLs it when it is slow to acknowledge.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      CURSOR_SECRET: 'bench-live-cursor-secret-0123456789',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      RATE_LIMIT_ENABLED: 'false',
      RESPONSE_CACHE: 'false',
      LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: String(SUBSCRIBERS + 10),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  for (let waited = 0; waited < 480_000; waited += 200) {
    const line = output.split('\n').find((l) => l.includes('"Cinegraph listening"'));
    if (line) {
      const url = new URL(String((JSON.parse(line) as { url: string }).url).replace('localhost', '127.0.0.1'));
      // The tsx launcher spawns node: the server's RSS is that grandchild's, found by its parent.
      const pid = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0] || child.pid);
      return { child, pid, base: url.origin };
    }
    await sleep(200);
  }
  // SIGTERM: the tsx launcher passes it on to the server (SIGKILL would orphan it).
  child.kill('SIGTERM');
  throw new Error(`server did not start:\n${output}`);
}

async function graphql(base: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: Record<string, { nodes: { id: string; version: number }[]; film: { version: number } }> };
}

/** One SSE subscriber: calls `onEvent` with the arrival time of each `next` event. */
async function subscribe(base: string, filmId: string, onEvent: (at: number) => void) {
  const controller = new AbortController();
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: 'subscription ($id: ID!) { filmChanged(id: $id) { cursor revision { action } } }', variables: { id: filmId } }),
    signal: controller.signal,
  });
  if (response.status !== 200) throw new Error(`subscribe: HTTP ${response.status}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          if (buffered.slice(0, end).includes('event: next')) onEvent(performance.now());
          buffered = buffered.slice(end + 2);
        }
      }
    } catch {
      // aborted
    }
  })();
  return () => controller.abort();
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-bench-live-'));
const server = await startServer(dataDir);
try {
  const film = (await graphql(server.base, 'query { films(first: 1) { nodes { id version } } }')).data['films']!.nodes[0]!;
  // Warm up: one subscription and one write, so the first measured one pays no lazy start.
  const warm = await subscribe(server.base, film.id, () => undefined);
  film.version = (
    await graphql(server.base, 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { version } } }', {
      input: { id: film.id, version: film.version, runtimeMinutes: 100, note: 'bench' },
    })
  ).data['updateFilm']!.film.version;
  warm();
  await sleep(2_000);
  const rssBefore = rssMb(server.pid);

  let received: number[] = [];
  const closers: (() => void)[] = [];
  const opened = performance.now();
  for (let i = 0; i < SUBSCRIBERS; i += 100) {
    closers.push(
      ...(await Promise.all(Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, () => subscribe(server.base, film.id, (at) => received.push(at))))),
    );
  }
  const openMs = performance.now() - opened;
  await sleep(3_000);
  const rssAfter = rssMb(server.pid);

  const latencies: number[] = [];
  const writeMs: number[] = [];
  for (let w = 0; w < WRITES; w++) {
    received = [];
    const sent = performance.now();
    const result = await graphql(server.base, 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { version } } }', {
      input: { id: film.id, version: film.version, runtimeMinutes: 101 + w, note: 'bench' },
    });
    writeMs.push(performance.now() - sent);
    film.version = result.data['updateFilm']!.film.version;
    for (let waited = 0; received.length < SUBSCRIBERS && waited < 30_000; waited += 5) await sleep(5);
    if (received.length < SUBSCRIBERS) throw new Error(`write ${w}: only ${received.length} of ${SUBSCRIBERS} subscribers got the event`);
    latencies.push(...received.map((at) => at - sent));
    await sleep(500);
  }
  const delivery = summarize(latencies);
  const write = summarize(writeMs);
  console.log(
    JSON.stringify(
      {
        subscribers: SUBSCRIBERS,
        writes: WRITES,
        openAllMs: Math.round(openMs),
        writeRoundTripMs: { p50: write.p50, p99: write.p99 },
        deliveryMs: { p50: delivery.p50, p99: delivery.p99, max: delivery.max },
        rssMb: { before: Math.round(rssBefore), after: Math.round(rssAfter) },
        rssKbPerIdleSubscriber: Math.round(((rssAfter - rssBefore) * 1024) / SUBSCRIBERS),
      },
      null,
      2,
    ),
  );
  for (const close of closers) close();
} finally {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
