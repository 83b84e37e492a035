// The response cache never answers with data older than an acknowledged write: each read below
// is cached (RESPONSE_CACHE_ADMIT_AFTER=1, so its first request stores it), then a mutation over
// HTTP changes what it shows, and the very next read must show the change. Lists whose
// membership changes, reads that were null and empty feed pages included.
import type { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { createTestRedis, redisSkipReason } from '../helpers/redis.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Columbus (2017) runs 104 minutes; a drama about architecture.';

describe.each(redisSkipReason ? (['memory'] as const) : (['memory', 'redis'] as const))('read after write through the %s response cache', (store) => {
  let db: TestDatabase;
  let http: HttpServer;
  let write: Headers;
  let cleanupRedis: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertSource(db.prisma, 'columbus', TEXT);
    let redis: Redis | undefined;
    if (store === 'redis') ({ redis, cleanup: cleanupRedis } = await createTestRedis());
    http = await startHttpServer(db, { responseCache: { ttlMs: 60_000, admitAfter: 1, ...(redis ? { redis } : {}) } });
    write = (await testKeys(db.prisma)).write.headers;
  });
  afterAll(async () => {
    await http?.close();
    await cleanupRedis?.();
    await db?.close();
  });

  /** A read through the cache; a second identical read proves it was stored (it is a hit). */
  const read = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await post(http.url, { query, variables });
    expect(response.body.errors).toBeUndefined();
    return response.body.data;
  };
  const mutate = async (query: string, input: Record<string, unknown>) => {
    const response = await post(http.url, { query, variables: { input } }, write);
    const payload = Object.values(response.body.data as Record<string, { userErrors: unknown[] }>)[0]!;
    expect(payload.userErrors).toEqual([]);
    return payload as Record<string, any>;
  };
  const cite = [{ sourceSlug: 'columbus', excerpt: 'Columbus (2017) runs 104 minutes' }];
  const CREATE = 'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { id version } userErrors { code } } }';
  const UPDATE = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { id version } userErrors { code } } }';
  const DELETE = 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { deletedIds userErrors { code } } }';
  const BY_SLUG = 'query ($slug: String!) { film(slug: $slug) { title year runtimeMinutes revisions(first: 1) { nodes { action } } } }';
  const LIST = '{ films(first: 100, filter: { yearFrom: 2017, yearTo: 2017 }) { totalCount nodes { slug } } }';
  const FEED = 'query ($after: String) { changes(after: $after) { nodes { action } pageInfo { endCursor } } }';

  let film: { id: string; version: number };

  test('a read that was null shows the film the next moment it is created, and a filtered list gains it', async () => {
    const slug = `columbus-${store}`;
    expect(await read(BY_SLUG, { slug })).toEqual({ film: null });
    expect(await read(BY_SLUG, { slug })).toEqual({ film: null });
    const before = (await read(LIST)).films;
    await read(LIST);
    film = (await mutate(CREATE, { title: 'Columbus', slug, year: 2017, citations: cite })).film;
    expect(await read(BY_SLUG, { slug })).toEqual({
      film: { title: 'Columbus', year: 2017, runtimeMinutes: null, revisions: { nodes: [{ action: 'CREATE' }] } },
    });
    const after = (await read(LIST)).films;
    expect(after.totalCount).toBe(before.totalCount + 1);
    expect(after.nodes.map((n: { slug: string }) => n.slug)).toContain(slug);
  });

  test('an update shows in the film, its revisions, and in a list the change moves it out of', async () => {
    const slug = `columbus-${store}`;
    await read(BY_SLUG, { slug });
    await read(LIST);
    film = (await mutate(UPDATE, { id: film.id, version: film.version, runtimeMinutes: 104, year: 2016, citations: cite, note: 'premiered in 2016' })).film;
    expect(await read(BY_SLUG, { slug })).toEqual({
      film: { title: 'Columbus', year: 2016, runtimeMinutes: 104, revisions: { nodes: [{ action: 'UPDATE' }] } },
    });
    expect((await read(LIST)).films.nodes.map((n: { slug: string }) => n.slug)).not.toContain(slug);
  });

  test('an empty page of the change feed, cached, shows the next revision', async () => {
    let cursor: string | null = null;
    for (;;) {
      const page: { nodes: unknown[]; pageInfo: { endCursor: string } } = (await read(FEED, { after: cursor })).changes;
      if (page.nodes.length === 0) break;
      cursor = page.pageInfo.endCursor;
    }
    expect((await read(FEED, { after: cursor })).changes.nodes).toEqual([]);
    await mutate(UPDATE, {
      id: film.id,
      version: film.version,
      runtimeMinutes: 105,
      citations: [{ sourceSlug: 'columbus', excerpt: 'Columbus' }],
      note: 'director’s cut',
    });
    film.version++;
    expect((await read(FEED, { after: cursor })).changes.nodes).toEqual([{ action: 'UPDATE' }]);
  });

  test('a deleted film is gone from every cached read at once', async () => {
    const slug = `columbus-${store}`;
    await read(BY_SLUG, { slug });
    await read(`{ node(id: "${film.id}") { id } }`);
    await mutate(DELETE, { id: film.id, version: film.version });
    expect(await read(BY_SLUG, { slug })).toEqual({ film: null });
    expect(await read(`{ node(id: "${film.id}") { id } }`)).toEqual({ node: null });
  });
});
