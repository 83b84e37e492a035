import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { Rotation } from '../../bench/loadgen.ts';
import { paced } from '../../bench/paced.ts';
import type { Request } from '../../bench/scenarios.ts';

// The fixed-rate load of the "p99 at 70% of max rps" figure, against a real HTTP server whose
// timing the test controls: arrivals must be evenly spaced (autocannon's overallRate sends each
// second's quota at once), and latency must count from when a request was due, so a stall shows
// in every request that waited for it (no coordinated omission).

let server: Server;
let base: string;
let arrivals: number[] = [];
let bodies: string[] = [];
let stall: { at: number; ms: number } | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const n = arrivals.push(performance.now());
    const delay = stall && n === stall.at ? stall.ms : 1;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      // A server that dies mid-response: headers and half a body, then the connection drops.
      if (body === 'drop') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"data":');
        setTimeout(() => res.destroy(), 5);
      }
    });
    req.on('end', () => body !== 'drop' && setTimeout(() => res.end('{"data":{}}'), delay));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  arrivals = [];
  bodies = [];
  stall = undefined;
});

const pool: Request[] = [{ method: 'POST', path: '/graphql', body: '{"query":"{ __typename }"}' }];

it('spaces arrivals evenly over the run instead of sending each second at once', async () => {
  // Checked against the clock rather than by counting arrivals per time slice: on a loaded host a
  // stalled event loop delays requests (a slice then gets 1 and the next 40), but it can never make
  // one arrive before it was due. Bursting — autocannon's overallRate sends each second's quota at
  // once — does exactly that: request 150 of a 100/s run arrives at ~1 s instead of ≥ 1.5 s.
  const rate = 100;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const result = await paced({ baseUrl: base, pool, rate, connections: 16, durationSeconds: 2 });
  delay.disable();
  expect(result.requests).toBe(200);
  expect(arrivals).toHaveLength(200);
  expect(result.errors + result.non2xx).toBe(0);
  // The k-th arrival (in time order) is no earlier than request k's due time: at least k + 1
  // requests had arrived by then, and one of them was due at t0 + k / rate or later.
  const sorted = [...arrivals].sort((a, b) => a - b);
  const early = sorted.map((t, k) => t0 + (k * 1000) / rate - t).filter((ms) => ms > 1);
  expect(early).toEqual([]);
  // ... and the pacer keeps up: the last request arrives within its due time plus whatever the
  // event loop lost to other work (measured: the sum of its sampled delays), plus 500 ms — a
  // pacer at half the rate would be 2 s late.
  const stalledMs = (delay.mean * delay.count) / 1e6;
  expect(sorted.at(-1)! - (t0 + (199 * 1000) / rate)).toBeLessThan(500 + stalledMs);
});

it('counts the time a request waited behind a stall, from when it was due', async () => {
  // One connection; the 20th request takes 400 ms, and ~40 requests fall due behind it.
  stall = { at: 20, ms: 400 };
  const result = await paced({ baseUrl: base, pool, rate: 100, connections: 1, durationSeconds: 1.5 });
  expect(result.errors + result.non2xx).toBe(0);
  // From the socket's point of view only the stalled request was slow ...
  expect(result.serviceMs.p50).toBeLessThan(50);
  // ... but the requests queued behind it were late by up to the stall: a tenth of them by over 100 ms.
  expect(result.latencyMs.p95).toBeGreaterThan(100);
  expect(result.latencyMs.max).toBeGreaterThanOrEqual(390);
});

it('continues a rotation across runs instead of replaying the warm-up', async () => {
  const three: Request[] = ['a', 'b', 'c'].map((q) => ({ method: 'POST', path: '/graphql', body: q }));
  const rotation = new Rotation(three);
  await paced({ baseUrl: base, pool: rotation, rate: 50, connections: 1, durationSeconds: 0.1 }); // 5 requests: a b c a b
  await paced({ baseUrl: base, pool: rotation, rate: 50, connections: 1, durationSeconds: 0.1 }); // then c a b c a
  expect(bodies).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a']);
  // A plain array starts from its first request every time.
  bodies = [];
  await paced({ baseUrl: base, pool: three, rate: 50, connections: 1, durationSeconds: 0.04 });
  await paced({ baseUrl: base, pool: three, rate: 50, connections: 1, durationSeconds: 0.04 });
  expect(bodies).toEqual(['a', 'b', 'a', 'b']);
});

it('counts a response cut off mid-body as an error and still finishes the run', async () => {
  const pool: Request[] = [
    { method: 'POST', path: '/graphql', body: 'drop' },
    { method: 'POST', path: '/graphql', body: 'ok' },
  ];
  const result = await paced({ baseUrl: base, pool, rate: 40, connections: 2, durationSeconds: 0.5 });
  expect(result.requests).toBe(20);
  expect(result.errors).toBe(10);
  expect(result.latencyMs.p50).toBeLessThan(100);
});
