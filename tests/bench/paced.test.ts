import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
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
  const result = await paced({ baseUrl: base, pool, rate: 100, connections: 16, durationSeconds: 2 });
  expect(result.requests).toBe(200);
  expect(arrivals).toHaveLength(200);
  expect(result.errors + result.non2xx).toBe(0);
  // Each 250 ms quarter of the run gets its share (25), not the first quarter all of them.
  const start = arrivals[0]!;
  const quarters = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const t of arrivals) quarters[Math.min(7, Math.floor((t - start) / 250))]!++;
  for (const q of quarters) expect(q).toBeGreaterThanOrEqual(10);
  for (const q of quarters) expect(q).toBeLessThanOrEqual(40);
  expect(result.achievedRps).toBeGreaterThan(80);
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
