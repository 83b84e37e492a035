// After a merge, the response cache never answers with the loser: reads of the loser's slug and
// id (cached while it lived) show the survivor, marked as redirected, the very next moment; so do
// lists that held the loser, and reads after a chained merge. Over HTTP, memory and Redis stores.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { createTestRedis, redisSkipReason } from '../helpers/redis.ts';

describe.each(redisSkipReason ? (['memory'] as const) : (['memory', 'redis'] as const))('read after a merge through the %s response cache', (store) => {
  let db: TestDatabase;
  let http: HttpServer;
  let admin: Headers;
  let cleanupRedis: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    let redis: Redis | undefined;
    if (store === 'redis') ({ redis, cleanup: cleanupRedis } = await createTestRedis());
    http = await startHttpServer(db, { responseCache: { ttlMs: 60_000, admitAfter: 1, ...(redis ? { redis } : {}) } });
    admin = (await testKeys(db.prisma)).admin.headers;
  });
  afterAll(async () => {
    await http?.close();
    await cleanupRedis?.();
    await db?.close();
  });

  /** A read through the cache, made twice so that the second is served from it. */
  const read = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await post(http.url, { query, variables });
    expect(response.body.errors).toBeUndefined();
    await post(http.url, { query, variables });
    return response.body.data;
  };
  const fresh = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await post(http.url, { query, variables });
    expect(response.body.errors).toBeUndefined();
    return response.body.data;
  };
  const merge = async (mutation: 'mergeFilms' | 'mergePeople', input: Record<string, unknown>) => {
    const type = mutation === 'mergeFilms' ? 'MergeFilmsInput' : 'MergePeopleInput';
    const response = await post(
      http.url,
      { query: `mutation ($input: ${type}!) { ${mutation}(input: $input) { userErrors { code } } }`, variables: { input } },
      admin,
    );
    expect(response.body.data[mutation].userErrors).toEqual([]);
  };

  const FILM = 'query ($slug: String!) { film(slug: $slug) { id title redirectedFrom } }';
  const NODE = 'query ($id: ID!) { node(id: $id) { id ... on Film { title redirectedFrom } ... on Person { name redirectedFrom } } }';
  const LIST = '{ films(first: 100, filter: { yearFrom: 1901, yearTo: 1901 }) { totalCount nodes { slug } } }';

  test('the loser’s slug, id and lists show the survivor right after mergeFilms, and the next survivor after a chained merge', async () => {
    const film = (name: string) => db.prisma.film.create({ data: { slug: `${name}-${store}`, title: `The ${name}`, year: 1901 } });
    const [loser, survivor, last] = [await film('loser'), await film('survivor'), await film('last')];
    const id = (f: { id: number }) => encodeGlobalID('Film', f.id);
    expect(await read(FILM, { slug: loser.slug })).toEqual({ film: { id: id(loser), title: 'The loser', redirectedFrom: null } });
    expect(await read(NODE, { id: id(loser) })).toEqual({ node: { id: id(loser), title: 'The loser', redirectedFrom: null } });
    expect((await read(LIST)).films.totalCount).toBe(3);

    await merge('mergeFilms', { from: id(loser), into: id(survivor), fromVersion: 1, intoVersion: 1 });
    expect(await fresh(FILM, { slug: loser.slug })).toEqual({ film: { id: id(survivor), title: 'The survivor', redirectedFrom: id(loser) } });
    expect(await fresh(NODE, { id: id(loser) })).toEqual({ node: { id: id(survivor), title: 'The survivor', redirectedFrom: id(loser) } });
    expect((await fresh(LIST)).films).toEqual({ totalCount: 2, nodes: expect.not.arrayContaining([{ slug: loser.slug }]) });

    // Cached again, then the survivor is merged on: both old ids now lead to the last film.
    await read(FILM, { slug: loser.slug });
    await read(NODE, { id: id(survivor) });
    await merge('mergeFilms', { from: id(survivor), into: id(last), fromVersion: 2, intoVersion: 1 });
    expect(await fresh(FILM, { slug: loser.slug })).toEqual({ film: { id: id(last), title: 'The last', redirectedFrom: id(loser) } });
    expect(await fresh(NODE, { id: id(survivor) })).toEqual({ node: { id: id(last), title: 'The last', redirectedFrom: id(survivor) } });
  });

  test('the loser’s slug and id show the survivor right after mergePeople', async () => {
    const person = (name: string, i: number) => db.prisma.person.create({ data: { slug: `person-${i}-${store}`, name } });
    const [loser, survivor] = [await person('Old Name', 0), await person('New Name', 1)];
    const id = (p: { id: number }) => encodeGlobalID('Person', p.id);
    const PERSON = 'query ($slug: String!) { person(slug: $slug) { id name aliases { name } redirectedFrom } }';
    expect(await read(PERSON, { slug: loser.slug })).toEqual({ person: { id: id(loser), name: 'Old Name', aliases: [], redirectedFrom: null } });
    expect(await read(NODE, { id: id(loser) })).toEqual({ node: { id: id(loser), name: 'Old Name', redirectedFrom: null } });
    await merge('mergePeople', { from: id(loser), into: id(survivor), fromVersion: 1, intoVersion: 1 });
    expect(await fresh(PERSON, { slug: loser.slug })).toEqual({
      person: { id: id(survivor), name: 'New Name', aliases: [{ name: 'Old Name' }], redirectedFrom: id(loser) },
    });
    expect(await fresh(NODE, { id: id(loser) })).toEqual({ node: { id: id(survivor), name: 'New Name', redirectedFrom: id(loser) } });
  });
});
