import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createRateLimitStore, type RateLimitStore } from '../../src/plugins/rate-limit.ts';
import type { RateLimitStatus } from '../../src/plugins/request-state.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';
import { freePort } from '../helpers/private-postgres.ts';
import { redisSkipReason, TEST_REDIS_URL, testRedis } from '../helpers/redis.ts';

// Costs 5: films 1 + 4 × nodes 1 (the seed has 5 films, so the page is full and actual = requested).
const FIVE_POINTS = '{ films(first: 4) { totalCount nodes { title } } }';
const REDIS_URL = TEST_REDIS_URL;
const silent = pino({ level: 'silent' });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.close());

async function withServer<T>(options: Parameters<typeof startHttpServer>[1], run: (http: HttpServer) => Promise<T>): Promise<T> {
  const http = await startHttpServer(db, options);
  try {
    return await run(http);
  } finally {
    await http.close();
  }
}

describe('rate limit in memory', () => {
  test('a request priced at 0 is charged the 1 point of its admission, not refunded one', async () => {
    await withServer({ guard: { RATE_LIMIT_POINTS: 12 } }, async (http) => {
      const free = await post(http.url, { query: '{ __typename }' });
      expect(free.body.extensions?.cost).toMatchObject({ requested: 0 });
      expect(free.headers.get('ratelimit-remaining')).toBe('11');
      expect((await post(http.url, { query: '{ __typename }' })).headers.get('ratelimit-remaining')).toBe('10');
    });
  });

  test('charges each request its cost, reports what is left, and answers 429 RATE_LIMITED when spent', async () => {
    await withServer({ guard: { RATE_LIMIT_POINTS: 12 } }, async (http) => {
      const first = await post(http.url, { query: FIVE_POINTS });
      expect(first.status).toBe(200);
      expect(first.body.extensions?.cost).toEqual({ requested: 5, actual: 5, limit: 5000 });
      expect(first.body.extensions?.rateLimit).toEqual({ limit: 12, remaining: 7, resetAt: expect.any(String) });
      const resetAt = Date.parse(first.body.extensions!.rateLimit.resetAt);
      expect(resetAt - Date.now()).toBeGreaterThan(55_000);
      expect(resetAt - Date.now()).toBeLessThanOrEqual(60_000);
      expect(first.headers.get('ratelimit-limit')).toBe('12');
      expect(first.headers.get('ratelimit-remaining')).toBe('7');
      expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(55);
      expect(first.headers.get('ratelimit-policy')).toBe('12;w=60');
      expect(first.headers.get('retry-after')).toBeNull();

      expect((await post(http.url, { query: FIVE_POINTS })).headers.get('ratelimit-remaining')).toBe('2');

      db.resetStatements();
      const refused = await post(http.url, { query: FIVE_POINTS });
      expect(refused.status).toBe(429);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/^Rate limit exceeded: 12 cost points per 60 s\. Retry after \d+ s\.$/),
          extensions: { code: 'RATE_LIMITED' },
        }),
      ]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(55);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(refused.body.extensions?.rateLimit).toMatchObject({ limit: 12, remaining: 0 });
      expect(db.statements).toEqual([]);

      // Even a request that would cost nothing is refused at the door now.
      const atTheDoor = await post(http.url, { query: '{ __typename }' });
      expect(atTheDoor.status).toBe(429);
      expect(atTheDoor.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });
  });

  test('X-Forwarded-For is ignored unless TRUST_PROXY is set; with it each forwarded client has its own budget', async () => {
    await withServer({ guard: { RATE_LIMIT_POINTS: 6 } }, async (http) => {
      await post(http.url, { query: FIVE_POINTS }, { 'x-forwarded-for': '203.0.113.1' });
      const spoofed = await post(http.url, { query: FIVE_POINTS }, { 'x-forwarded-for': '203.0.113.2' });
      expect(spoofed.status).toBe(429);
    });
    await withServer({ guard: { RATE_LIMIT_POINTS: 6, TRUST_PROXY: 1 } }, async (http) => {
      expect((await post(http.url, { query: FIVE_POINTS }, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
      const other = await post(http.url, { query: FIVE_POINTS }, { 'x-forwarded-for': '203.0.113.2' });
      expect(other.status).toBe(200);
      expect(other.headers.get('ratelimit-remaining')).toBe('1');
      expect((await post(http.url, { query: FIVE_POINTS }, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    });
  });

  test('RATE_LIMIT_ENABLED=false turns the limiter off (no headers, no rateLimit extension)', async () => {
    await withServer({ guard: { RATE_LIMIT_ENABLED: false, RATE_LIMIT_POINTS: 1 } }, async (http) => {
      for (let i = 0; i < 3; i++) {
        const response = await post(http.url, { query: FIVE_POINTS });
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-limit')).toBeNull();
        expect(response.body.extensions?.rateLimit).toBeUndefined();
      }
    });
  });
});

describe('what a refusal tells the client', () => {
  /** A store that answers every charge with `status` (the interface the server charges through). */
  const answering = (status: Partial<RateLimitStatus>): RateLimitStore => ({
    points: 10,
    windowSeconds: 60,
    backend: 'memory',
    charge: () => Promise.resolve({ limit: 10, remaining: 0, resetMs: 0, windowSeconds: 60, allowed: false, ...status }),
    ready: () => Promise.resolve(true),
    close: () => Promise.resolve(),
  });

  test.each([
    ['1.5 s', 1_500, '2', '2'],
    ['0.2 s', 200, '1', '1'],
    // Retry-After is at least 1 s even when the window has just ended; RateLimit-Reset says 0.
    ['0 s', 0, '1', '0'],
  ])('with %s left in the window, Retry-After and RateLimit-Reset are whole seconds rounded up', async (_name, resetMs, retryAfter, reset) => {
    await withServer({ rateLimitStore: answering({ resetMs }) }, async (http) => {
      const refused = await post(http.url, { query: '{ __typename }' });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe(retryAfter);
      expect(refused.headers.get('ratelimit-reset')).toBe(reset);
      expect(refused.body.errors?.[0]?.message).toBe(`Rate limit exceeded: 10 cost points per 60 s. Retry after ${retryAfter} s.`);
    });
  });
});

describe('rate limit in Redis', () => {
  const prefix = `cinegraph-test:${process.pid}-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    if (redisSkipReason) return;
    // Delete only this run's keys.
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  testRedis('two instances share one budget through Redis, and charge() serves other operation kinds too', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const a = createRateLimitStore({ points: 10, windowSeconds: 60, keyPrefix: prefix, redisUrl: REDIS_URL, logger });
    const b = createRateLimitStore({ points: 10, windowSeconds: 60, keyPrefix: prefix, redisUrl: REDIS_URL, logger: silent });
    try {
      expect(a.backend).toBe('redis');
      expect(await a.ready()).toBe(true);
      expect(await b.ready()).toBe(true);
      await withServer({ rateLimitStore: a }, async (http) => {
        const response = await post(http.url, { query: FIVE_POINTS });
        expect(response.status).toBe(200);
        expect(response.headers.get('ratelimit-remaining')).toBe('5');
      });
      // Another instance (e.g. a mutation charging a fixed price) sees the same budget.
      expect(await b.charge('ip:127.0.0.1', 4)).toMatchObject({ allowed: true, remaining: 1, limit: 10 });
      expect(await b.charge('ip:127.0.0.1', 2)).toMatchObject({ allowed: false, remaining: 0 });
      const redis = new Redis(REDIS_URL);
      expect(Number(await redis.get(`${prefix}:ip:127.0.0.1`))).toBe(11);
      expect(await redis.pttl(`${prefix}:ip:127.0.0.1`)).toBeGreaterThan(50_000);
      await redis.quit();
      // Redis answered every charge: no warning.
      expect(lines).toEqual([]);
    } finally {
      await a.close();
      await b.close();
    }
    // Closed: the connection ends (an event after close() returns), so the store no longer reports Redis ready.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await a.ready(100)).toBe(false);
  });

  testRedis('a charge made before the first connection is up waits for it and charges Redis, without a warning', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const store = createRateLimitStore({ points: 10, windowSeconds: 60, keyPrefix: prefix, redisUrl: REDIS_URL, logger });
    try {
      // No ready() first: ioredis is still being imported and the connection opened.
      expect(await store.charge('ip:10.7.7.7', 4)).toMatchObject({ allowed: true, remaining: 6 });
      const redis = new Redis(REDIS_URL);
      expect(Number(await redis.get(`${prefix}:ip:10.7.7.7`))).toBe(4);
      await redis.quit();
      expect(lines).toEqual([]);
    } finally {
      await store.close();
    }
  });

  test('with Redis unreachable, requests are still served and limited per process, and a warning is logged', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const store = createRateLimitStore({ points: 12, windowSeconds: 60, keyPrefix: prefix, redisUrl: 'redis://127.0.0.1:1', logger });
    try {
      expect(await store.ready(300)).toBe(false);
      // The refused connection alone is reported, before any request is charged.
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['rate-limit store (Redis) unavailable: limiting per process in memory until it is back']);
      await withServer({ rateLimitStore: store }, async (http) => {
        const started = performance.now();
        const first = await post(http.url, { query: FIVE_POINTS });
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(first.status).toBe(200);
        expect(first.headers.get('ratelimit-remaining')).toBe('7');
        await post(http.url, { query: FIVE_POINTS });
        expect((await post(http.url, { query: FIVE_POINTS })).status).toBe(429);
      });
      const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40);
      // At most one warning per 30 s, however many charges found Redis down.
      expect(warnings).toHaveLength(1);
      expect(warnings[0].msg).toBe('rate-limit store (Redis) unavailable: limiting per process in memory until it is back');
    } finally {
      await store.close();
    }
  });

  testRedis('reconnects once Redis is reachable again, and charges the shared budget again', async () => {
    // Redis behind a port of the test's own: nothing listens there at first, then a proxy to the test Redis does.
    const port = await freePort();
    const store = createRateLimitStore({ points: 10, windowSeconds: 60, keyPrefix: prefix, redisUrl: `redis://127.0.0.1:${port}`, logger: silent });
    const upstream = new URL(REDIS_URL);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const server = connect(Number(upstream.port || 6379), upstream.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => sockets.delete(socket));
      }
      client.pipe(server).pipe(client);
    });
    try {
      expect(await store.ready(300)).toBe(false);
      // Meanwhile the memory fallback charges.
      expect(await store.charge('ip:10.9.9.9', 4)).toMatchObject({ allowed: true, remaining: 6 });
      await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
      expect(await store.ready(10_000)).toBe(true);
      // Once connected it says so at once (readiness probes ask again and again), without waiting for another event.
      expect(await store.ready(1)).toBe(true);
      expect(await store.charge('ip:10.9.9.9', 3)).toMatchObject({ allowed: true, remaining: 7 });
      const redis = new Redis(REDIS_URL);
      expect(Number(await redis.get(`${prefix}:ip:10.9.9.9`))).toBe(3);
      await redis.quit();
    } finally {
      await store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
