import { planCacheStats } from '../../../src/plugins/compiled/plan-cache.ts';
import { createClient, useApi, type Client } from '../../helpers/graphql.ts';
import { FILM_DETAIL, FILMS_DEEP, FILMS_LISTED, PEOPLE_DEEP, PEOPLE_LISTED, seedStatementCatalog } from '../../helpers/statement-documents.ts';

// The plan cache (src/plugins/compiled/plan-cache.ts): a later request of a document reuses the
// Prisma plugin's plan of each field, on both execution paths, with the statements and the answer
// of a request planned anew; a variable used beneath a field is part of the key.
const api = useApi(seedStatementCatalog, { guard: { MAX_COST: 50_000 } });
const guard = { MAX_COST: 50_000, RATE_LIMIT_ENABLED: false };

type Path = 'graphql-js' | 'compiled';
let cached: Record<Path, Client>;
let planned: Record<Path, Client>;
let slugs: string[];
beforeAll(async () => {
  cached = { 'graphql-js': createClient(api.db, { jit: false, guard }), compiled: createClient(api.db, { jit: true, jitAfter: 1, sql: false, guard }) };
  planned = {
    'graphql-js': createClient(api.db, { jit: false, guard, planCache: false }),
    compiled: createClient(api.db, { jit: true, jitAfter: 1, sql: false, guard, planCache: false }),
  };
  // Films with at least four cast credits, so every page size below is filled.
  const films = await api.db.prisma.film.findMany({
    orderBy: [{ credits: { _count: 'desc' } }, { id: 'asc' }],
    take: 3,
    select: { slug: true, _count: { select: { credits: { where: { kind: 'CAST' } } } } },
  });
  expect(films.every((f) => f._count.credits >= 4)).toBe(true);
  slugs = films.map((f) => f.slug);
});

async function run(client: Client, query: string, variables: Record<string, unknown>) {
  api.db.resetStatements();
  const before = planCacheStats();
  const result = await client.query(query, variables);
  expect(result.errors).toBeUndefined();
  const after = planCacheStats();
  return { data: result.data, statements: api.db.statements.length, hits: after.hits - before.hits, misses: after.misses - before.misses };
}

describe.each(['graphql-js', 'compiled'] as const)('%s execution', (path) => {
  test('a film detail of another film reuses the first one’s plan: one statement and that film’s own answer', async () => {
    const query = `${FILM_DETAIL} # ${path} detail`;
    const first = await run(cached[path], query, { slug: slugs[0] });
    expect(first).toMatchObject({ statements: 1, hits: 0, misses: 1 });
    for (const slug of slugs.slice(1)) {
      const again = await run(cached[path], query, { slug });
      expect(again).toMatchObject({ statements: 1, hits: 1, misses: 0 });
      const fresh = await run(planned[path], query, { slug });
      expect(fresh).toMatchObject({ statements: 1, hits: 0, misses: 0 });
      expect(again.data).toEqual(fresh.data);
      expect(again.data).not.toEqual(first.data);
    }
  });

  test('a variable used beneath the field is part of the key: credits(first: $first) answers each page size', async () => {
    const query = `query ($slug: String!, $first: Int!) { film(slug: $slug) { credits(first: $first) { edges { node { character } } } } } # ${path} first`;
    const edges = (r: { data: unknown }) => (r.data as { film: { credits: { edges: unknown[] } } }).film.credits.edges.length;
    const two = await run(cached[path], query, { slug: slugs[0], first: 2 });
    expect([edges(two), two.misses]).toEqual([2, 1]);
    const four = await run(cached[path], query, { slug: slugs[0], first: 4 });
    expect([edges(four), four.hits, four.misses]).toEqual([4, 0, 1]);
    const twoAgain = await run(cached[path], query, { slug: slugs[1], first: 2 });
    expect([edges(twoAgain), twoAgain.hits, twoAgain.statements]).toEqual([2, 1, 1]);
  });

  test('an @include condition beneath the field is part of the key', async () => {
    const query = `query ($slug: String!, $withCast: Boolean!) { film(slug: $slug) { title cast @include(if: $withCast) { character } } } # ${path} include`;
    const withCast = await run(cached[path], query, { slug: slugs[0], withCast: true });
    const without = await run(cached[path], query, { slug: slugs[0], withCast: false });
    expect(without).toMatchObject({ hits: 0, misses: 1, statements: 1 });
    expect(without.data).toEqual({ film: { title: (withCast.data as { film: { title: string } }).film.title } });
    const again = await run(cached[path], query, { slug: slugs[0], withCast: true });
    expect(again).toMatchObject({ hits: 1, statements: 1 });
    expect(again.data).toEqual(withCast.data);
  });

  test('a field merged from two nodes keys on the variables beneath both, even when its first node was planned alone before', async () => {
    // Operation A selects the fragment's `film` alone; B merges it with a second `film` whose
    // reviews page size is a variable of its own.
    const document = `fragment F on Query { film(slug: $slug) { cast: credits(first: $a) { edges { node { character } } } } }
      query A($slug: String!, $a: Int!) { ...F }
      query B($slug: String!, $a: Int!, $b: Int!) { ...F film(slug: $slug) { reviews(first: $b) { edges { node { id } } } } } # ${path} merged`;
    const post = async (operationName: string, variables: Record<string, unknown>) => {
      const response = await cached[path].yoga.fetch('http://cinegraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document, operationName, variables }),
      });
      const body = (await response.json()) as { data?: { film: { reviews?: { edges: unknown[] } } }; errors?: unknown };
      expect(body.errors).toBeUndefined();
      return body.data!.film;
    };
    const reviewed = await api.db.prisma.film.findFirstOrThrow({ where: { reviews: { some: {} } }, orderBy: [{ reviews: { _count: 'desc' } }, { id: 'asc' }] });
    const total = await api.db.prisma.review.count({ where: { filmId: reviewed.id } });
    expect(total).toBeGreaterThanOrEqual(2);
    await post('A', { slug: reviewed.slug, a: 2 });
    expect((await post('B', { slug: reviewed.slug, a: 2, b: 1 })).reviews!.edges).toHaveLength(1);
    expect((await post('B', { slug: reviewed.slug, a: 2, b: 2 })).reviews!.edges).toHaveLength(2);
  });

  test.each([
    ['films deep', FILMS_DEEP, { first: 20 }],
    ['people deep', PEOPLE_DEEP, { first: 20 }],
    ['filtered films', FILMS_LISTED, { first: 20, facets: true }],
    ['filtered people', PEOPLE_LISTED, { first: 20 }],
  ])('%s: a cached plan answers exactly what a fresh plan answers, with as many statements', async (_name, query, variables) => {
    const text = `${query} # ${path}`;
    const fresh = await run(planned[path], text, variables);
    await run(cached[path], text, variables);
    const again = await run(cached[path], text, variables);
    expect(again.hits).toBeGreaterThan(0);
    expect({ data: again.data, statements: again.statements }).toEqual({ data: fresh.data, statements: fresh.statements });
  });
});

test('with planCache: false nothing is cached or reused', async () => {
  const before = planCacheStats();
  for (const slug of slugs) await run(planned['graphql-js'], FILM_DETAIL, { slug });
  const after = planCacheStats();
  expect([after.hits - before.hits, after.misses - before.misses]).toEqual([0, 0]);
});
