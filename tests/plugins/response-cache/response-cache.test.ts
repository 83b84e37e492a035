import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createPostgresDatabase, onPostgres } from '../../helpers/db.ts';
import { codes, createClient, useApi, type Client } from '../../helpers/graphql.ts';
import { createTestRedis, describeRedis, redisSkipReason, TEST_REDIS_URL } from '../../helpers/redis.ts';
import { startServer } from '../../helpers/server-process.ts';
import { createResponseCache } from '../../../src/plugins/response-cache/response-cache.ts';

const TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${TOKEN}` };
const HER = '{ film(slug: "her") { title synopsis } }';
const FILMS = '{ films(first: 3) { nodes { slug runtimeMinutes } } }';
const SOURCE = '{ source(slug: "her-review") { citations { totalCount } } }';
const UPDATE = 'mutation U($input: UpdateFilmInput!) { updateFilm(input: $input) { film { __typename } userErrors { code } } }';
const CITE = [{ sourceSlug: 'her-review', excerpt: 'Her' }];

describe.each(redisSkipReason ? (['memory'] as const) : (['memory', 'redis'] as const))('the response cache on %s', (store) => {
  const api = useApi();
  let client: Client;
  let server: Server;
  let base: string;
  let herId: string;
  let redisCleanup: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    let redis: Redis | undefined;
    if (store === 'redis') {
      const r = await createTestRedis();
      redis = r.redis;
      redisCleanup = r.cleanup;
    }
    client = createClient(api.db, { adminToken: TOKEN, responseCache: { ttlMs: 60_000, ...(redis ? { redis } : {}) } });
    server = createServer(client.yoga);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    herId = (await client.query('{ film(slug: "her") { id } }', {}, admin)).data!['film'].id;
  });
  afterAll(async () => {
    server?.close();
    await redisCleanup?.();
  });

  /** Change the row behind the API's back: a cached read keeps answering the old value. */
  const setSynopsisDirectly = (synopsis: string) => api.db.prisma.film.update({ where: { slug: 'her' }, data: { synopsis } });
  const synopsis = async (headers: Record<string, string> = {}) => (await client.query(HER, {}, headers)).data!['film'].synopsis;
  const update = async (input: Record<string, unknown>) => {
    const { version } = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
    const result = await client.query(UPDATE, { input: { id: herId, version, citations: CITE, ...input } }, admin);
    expect(result.data!['updateFilm'].userErrors).toEqual([]);
    return result;
  };

  test('serves a repeated anonymous read from the cache, and a mutation of that film makes the next read fresh', async () => {
    await synopsis(); // first sighting: not stored (admission: stored from the second request on)
    const first = await synopsis();
    await setSynopsisDirectly(`${store}: changed behind the cache`);
    expect(await synopsis()).toBe(first);

    const result = await update({ synopsis: `${store}: set by updateFilm` });
    expect(result.errors).toBeUndefined();
    expect(await synopsis()).toBe(`${store}: set by updateFilm`);
  });

  test('a hit reports the cost its result was priced at, not the 0 of an unpriced request', async () => {
    const query = '{ film(slug: "gladiator") { title runtimeMinutes directors { name } } }';
    await client.query(query); // first sighting: not stored
    const stored = await client.query(query);
    expect(stored.extensions?.['cost']).toMatchObject({ requested: expect.any(Number), actual: expect.any(Number) });
    expect((stored.extensions!['cost'] as { requested: number }).requested).toBeGreaterThan(0);
    // Changed behind the cache: the old value back proves the next answer is a hit.
    await api.db.prisma.film.update({ where: { slug: 'gladiator' }, data: { runtimeMinutes: 1 } });
    const hit = await client.query(query);
    expect(hit.data).toEqual(stored.data);
    expect(hit.extensions?.['cost']).toEqual(stored.extensions?.['cost']);
  });

  test('invalidates list reads containing the film and reads of the cited source', async () => {
    // Each read twice, so both are stored (admission: from the second request on) before the update.
    await client.query(FILMS);
    const films = await client.query(FILMS);
    await client.query(SOURCE);
    const citations = (await client.query(SOURCE)).data!['source'].citations.totalCount as number;
    const her = films.data!['films'].nodes.find((f: { slug: string }) => f.slug === 'her');
    expect(her).toBeDefined();

    // Both are served from the cache: changes behind its back do not show.
    const source = await api.db.prisma.source.findUniqueOrThrow({ where: { slug: 'her-review' } });
    const film = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
    await api.db.prisma.film.update({ where: { slug: 'her' }, data: { runtimeMinutes: 7 } });
    const start = source.text.indexOf('Her');
    await api.db.prisma.citation.create({ data: { sourceId: source.id, filmId: film.id, kind: 'STATED', excerpt: 'Her', start, end: start + 3 } });
    expect((await client.query(FILMS)).data!['films'].nodes.find((f: { slug: string }) => f.slug === 'her').runtimeMinutes).toBe(her.runtimeMinutes);
    expect((await client.query(SOURCE)).data!['source'].citations.totalCount).toBe(citations);

    const runtime = (her.runtimeMinutes ?? 100) + 1;
    expect((await update({ runtimeMinutes: runtime })).errors).toBeUndefined();
    const after = await client.query(FILMS);
    expect(after.data!['films'].nodes.find((f: { slug: string }) => f.slug === 'her').runtimeMinutes).toBe(runtime);
    // The one added behind the cache's back and the one updateFilm cited.
    expect((await client.query(SOURCE)).data!['source'].citations.totalCount).toBe(citations + 2);
  });

  test('requests with Authorization or x-api-key neither read nor fill the shared cache', async () => {
    await synopsis(); // cached
    await setSynopsisDirectly(`${store}: seen only without the cache`);
    expect(await synopsis({ 'x-api-key': 'k' })).toBe(`${store}: seen only without the cache`);
    expect(await synopsis({ authorization: 'Bearer whatever' })).toBe(`${store}: seen only without the cache`);
    expect(await synopsis()).not.toBe(`${store}: seen only without the cache`);
    await update({ synopsis: `${store}: reset` });
  });

  test('GET answers with an ETag and Cache-Control, and If-None-Match gets 304 until the data changes', async () => {
    const url = `${base}?query=${encodeURIComponent(HER)}`;
    const first = await fetch(url, { headers: { accept: 'application/json' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60');
    const body = await first.json();

    const again = await fetch(url, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A hit from the cache carries the same validator as the response that filled it.
    expect((await fetch(url, { headers: { accept: 'application/json' } })).headers.get('etag')).toBe(etag);

    await update({ synopsis: `${store}: a new synopsis for the ETag test` });
    const changed = await fetch(url, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const fresh = (await changed.json()) as { data: { film: { synopsis: string } } };
    expect(fresh.data.film.synopsis).toBe(`${store}: a new synopsis for the ETag test`);
    expect(fresh).not.toEqual(body);
  });

  test("GET misses, GET hits, 304s and POST hits are JSON (not text/plain), without the plugin's Last-Modified", async () => {
    const query = '{ film(slug: "her") { title synopsis releases { country } } }';
    const url = `${base}?query=${encodeURIComponent(query)}`;
    const get = (headers: Record<string, string> = {}) => fetch(url, { headers: { accept: 'application/json', ...headers } });
    const json = 'application/json; charset=utf-8';

    const miss = await get(); // stored: GET is admitted on its first request
    expect([miss.status, miss.headers.get('content-type'), miss.headers.get('last-modified')]).toEqual([200, json, null]);
    const stored = (await miss.json()) as { data: { film: { synopsis: string } } };
    await setSynopsisDirectly(`${store}: behind the content-type test`);
    const hit = await get();
    expect([hit.status, hit.headers.get('content-type'), hit.headers.get('last-modified')]).toEqual([200, json, null]);
    expect(((await hit.json()) as typeof stored).data).toEqual(stored.data); // served from the cache
    const notModified = await get({ 'if-none-match': miss.headers.get('etag')! });
    expect([notModified.status, notModified.headers.get('content-type'), notModified.headers.get('content-length')]).toEqual([304, json, null]);

    const postIt = () =>
      fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
    await postIt(); // first sighting of the POST: not stored (admission)
    await postIt();
    const postHit = await postIt();
    expect([postHit.status, postHit.headers.get('content-type')]).toEqual([200, 'application/graphql-response+json; charset=utf-8']);
    expect(((await postHit.json()) as typeof stored).data).toEqual(stored.data);
    await update({ synopsis: `${store}: reset` });
  });

  test('GET with credentials is private and uncached; an error response is not cached', async () => {
    const url = `${base}?query=${encodeURIComponent(HER)}`;
    const withKey = await fetch(url, { headers: { accept: 'application/json', 'x-api-key': 'k' } });
    expect(withKey.headers.get('cache-control')).toBe('private, no-store');
    expect(withKey.headers.get('etag')).toBeNull();
    const failing = await fetch(`${base}?query=${encodeURIComponent('{ films(first: 1000) { totalCount } }')}`, { headers: { accept: 'application/json' } });
    expect(failing.headers.get('cache-control')).toBe('no-store');
    expect(codes((await failing.json()) as never)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('the response cache', () => {
  const api = useApi();

  test('stores an operation from its second request on (RESPONSE_CACHE_ADMIT_AFTER), GET from its first', async () => {
    const client = createClient(api.db, { responseCache: { ttlMs: 60_000 } });
    const query = '{ film(slug: "walk-the-line") { synopsis } }';
    const read = async () => (await client.query(query)).data!['film'].synopsis as string | null;
    const original = await read();
    // The first request was executed without the cache: nothing stored, so a change shows at once.
    await api.db.prisma.film.update({ where: { slug: 'walk-the-line' }, data: { synopsis: 'seen by the second request' } });
    expect(await read()).toBe('seen by the second request');
    // The second request stored its result: the third is served from the cache.
    await api.db.prisma.film.update({ where: { slug: 'walk-the-line' }, data: { synopsis: 'behind the cache' } });
    expect(await read()).toBe('seen by the second request');

    // Another variable set is another operation, counted on its own.
    const other = createClient(api.db, { responseCache: { ttlMs: 60_000, admitAfter: 1 } });
    const otherRead = async () => (await other.query(query)).data!['film'].synopsis as string | null;
    expect(await otherRead()).toBe('behind the cache');
    await api.db.prisma.film.update({ where: { slug: 'walk-the-line' }, data: { synopsis: original } });
    // admitAfter 1: the first request stored it.
    expect(await otherRead()).toBe('behind the cache');

    // GET is stored from its first request (it is how clients ask for HTTP caching).
    const get = await client.yoga.fetch(`http://cinegraph.test/graphql?query=${encodeURIComponent('{ film(slug: "walk-the-line") { title } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(get.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60');
    expect(get.headers.get('etag')).toMatch(/^W\//);
  });

  test('expires entries after RESPONSE_CACHE_TTL_MS', async () => {
    // Long enough that the second read lands inside it even on a loaded CI machine.
    const client = createClient(api.db, { responseCache: { ttlMs: 2_000 } });
    const read = async () => (await client.query('{ film(slug: "gladiator") { synopsis } }')).data!['film'].synopsis;
    await read();
    const before = await read();
    await api.db.prisma.film.update({ where: { slug: 'gladiator' }, data: { synopsis: 'after the TTL' } });
    expect(await read()).toBe(before);
    await new Promise((r) => setTimeout(r, 2_200));
    expect(await read()).toBe('after the TTL');
  });

  test('fails open when Redis is unreachable: reads and mutations still work', async () => {
    const redis = new Redis('redis://127.0.0.1:9', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const client = createClient(api.db, { adminToken: TOKEN, responseCache: { ttlMs: 60_000, redis } });
    const read = await client.query('{ film(slug: "her") { title } }');
    expect(read).toMatchObject({ status: 200, data: { film: { title: 'Her' } } });
    expect(read.errors).toBeUndefined();
    const herId = (await client.query('{ film(slug: "her") { id } }')).data!['film'].id;
    const { version } = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
    const write = await client.query(UPDATE, { input: { id: herId, version, runtimeMinutes: 121, citations: CITE } }, admin);
    expect(write).toMatchObject({ status: 200, data: { updateFilm: { film: { __typename: 'Film' }, userErrors: [] } } });
    expect(write.errors).toBeUndefined();
    redis.disconnect();
  });
});

describe('the response cache store failing', () => {
  test('each failed get, set and invalidate is reported by name, a get answers a miss, and none throws', async () => {
    const redis = new Redis('redis://127.0.0.1:9', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    redis.on('error', () => undefined);
    const failures: string[] = [];
    const { cache, store } = createResponseCache({ ttlMs: 60_000, redis, onStoreError: (_error, operation) => failures.push(operation) });
    try {
      expect(store).toBe('redis');
      expect(await cache.get('response-1')).toBeUndefined();
      await expect(cache.set('response-1', { data: { n: 1 } }, [{ typename: 'Film', id: 'F1' }], 60_000)).resolves.toBeUndefined();
      await expect(cache.invalidate([{ typename: 'Film', id: 'F1' }])).resolves.toBeUndefined();
      expect(failures).toEqual(['get', 'set', 'invalidate']);
    } finally {
      redis.disconnect();
    }
  });

  test('a working store passes get, set and invalidate through', async () => {
    const failures: string[] = [];
    const { cache, store } = createResponseCache({ ttlMs: 60_000, onStoreError: (_error, operation) => failures.push(operation) });
    expect(store).toBe('memory');
    await cache.set('response-1', { data: { n: 1 } }, [{ typename: 'Film', id: 'F1' }], 60_000);
    expect(await cache.get('response-1')).toEqual({ data: { n: 1 } });
    await cache.invalidate([{ typename: 'Film', id: 'F1' }]);
    expect(await cache.get('response-1')).toBeUndefined();
    expect(failures).toEqual([]);
  });
});

describeRedis('the Redis store under a key prefix', () => {
  test('a type-wide invalidation removes the entries and every tag key, leaving nothing behind', async () => {
    const { redis, prefix, cleanup } = await createTestRedis();
    try {
      const { cache } = createResponseCache({ ttlMs: 60_000, redis });
      await cache.set('response-1', { data: { film: { title: 'Her' } } }, [{ typename: 'Film', id: 'RmlsbTox' }], 60_000);
      expect(await cache.get('response-1')).toEqual({ data: { film: { title: 'Her' } } });
      // (ioredis does not prefix KEYS patterns.)
      expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(1);
      await cache.invalidate([{ typename: 'Film' }]);
      expect(await cache.get('response-1')).toBeUndefined();
      // KEYS answers with prefixed names; fed back unstripped, the Film:<id> tag would survive.
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    } finally {
      await cleanup();
    }
  });
});

describeRedis('the Redis store keeps nothing forever', () => {
  test('every key it writes expires, and once the responses expire nothing is left', async () => {
    const { redis, prefix, cleanup } = await createTestRedis();
    try {
      const { cache } = createResponseCache({ ttlMs: 60_000, redis });
      const tags = (film: number) => [
        { typename: 'Film', id: `F${film}` },
        { typename: 'Person', id: 'P1' },
        { typename: 'Person', id: `P${film + 1}` },
      ];
      await cache.set('long', { data: { n: 1 } }, tags(1), 60_000);
      await cache.set('short', { data: { n: 2 } }, tags(2), 300);
      const keys = await redis.keys(`${prefix}*`);
      // 2 responses, 2 tag lists, Film, Person, Film:F1, Film:F2, Person:P1, Person:P2, Person:P3.
      expect(keys).toHaveLength(11);
      for (const key of keys) {
        const ttl = await redis.pttl(key.slice(prefix.length));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
      // A tag shared with a longer-lived response lives as long as that one.
      expect(await redis.pttl('Person:P1')).toBeGreaterThan(1_000);
      expect(await redis.pttl('Film:F2')).toBeLessThanOrEqual(300);

      await new Promise((r) => setTimeout(r, 400));
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toEqual({ data: { n: 1 } });
      // What only the short-lived response used is gone with it.
      expect((await redis.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort()).toEqual(
        ['Film', 'Film:F1', 'Person', 'Person:P1', 'Person:P2', 'long', 'operations:long'].sort(),
      );

      // Invalidating one person removes the responses that contain it, their tag lists and their
      // ids from every tag. Left: the tags the long-lived response had extended, still listing the
      // expired one (harmless: deleting a missing key is a no-op), until their own expiry.
      await cache.invalidate([{ typename: 'Person', id: 'P2' }]);
      expect(await cache.get('long')).toBeUndefined();
      const left = (await redis.keys(`${prefix}*`)).map((k) => k.slice(prefix.length)).sort();
      expect(left).toEqual(['Film', 'Person', 'Person:P1']);
      for (const key of left) {
        expect(await redis.smembers(key)).toEqual(['short']);
        expect(await redis.pttl(key)).toBeGreaterThan(0);
      }
    } finally {
      await cleanup();
    }
  });
});

describeRedis('npm start with REDIS_URL and ADMIN_TOKEN', () => {
  test('serves reads from Redis and a mutation over HTTP makes the next read fresh', async () => {
    const pgDb = onPostgres ? await createPostgresDatabase() : undefined;
    const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-redis-start-'));
    const keys = await createTestRedis();
    const server = await startServer({
      ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dir, DATABASE_URL: '' }),
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keys.prefix,
      ADMIN_TOKEN: TOKEN,
    });
    try {
      const call = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
        (await fetch(`${server.base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables }),
        }).then((r) => r.json())) as { data: Record<string, any>; errors?: unknown };
      expect(server.logs().find((l) => l['msg'] === 'Cinegraph listening')).toMatchObject({ responseCache: 'redis', adminToken: 'set' });
      const { id, version } = (await call('{ film(slug: "her") { id version } }')).data['film'];
      await call(HER);
      await call(HER); // stored from the second request on
      // The entry is in Redis under this test's prefix.
      expect((await keys.redis.keys(`${keys.prefix}*`)).length).toBeGreaterThan(0);
      const write = await call(UPDATE, { input: { id, version, synopsis: 'set over HTTP', citations: CITE } }, admin);
      expect(write.errors).toBeUndefined();
      expect(write.data['updateFilm'].userErrors).toEqual([]);
      expect((await call(HER)).data['film'].synopsis).toBe('set over HTTP');
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
      await keys.cleanup();
      await pgDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
