import { parse } from 'graphql';
import { actualCost } from '../../../src/plugins/cost/actual.ts';
import { priceCacheStats, requestedCost } from '../../../src/plugins/cost/cost.ts';
import { schema } from '../../../src/schema/index.ts';
import { createClient, useApi } from '../../helpers/graphql.ts';

const api = useApi();
const cost = (result: { extensions?: unknown }) => (result.extensions as { cost?: unknown } | undefined)?.cost;

describe('query cost', () => {
  test('a single film with a scalar costs 1', async () => {
    const result = await api.client.query('{ film(slug: "her") { title } }');
    expect(cost(result)).toEqual({ requested: 1, actual: 1, limit: 5000 });
  });

  test('a page multiplies its selection by `first`; a full page costs what was requested', async () => {
    const result = await api.client.query('{ films(first: 2) { totalCount nodes { title credits(first: 1) { nodes { person { name } } } } } }');
    expect(result.data!['films'].nodes.map((f: { credits: { nodes: unknown[] } }) => f.credits.nodes.length)).toEqual([1, 1]);
    // films 1 + 2 × (nodes 1 + credits (1 + 1 × (nodes 1 + person 1)))
    expect(cost(result)).toEqual({ requested: 9, actual: 9, limit: 5000 });
  });

  test('without `first` a page is priced at the default 20 items; actual counts the items returned', async () => {
    const result = await api.client.query('{ films { nodes { title } } }');
    const returned = result.data!['films'].nodes.length;
    expect(returned).toBeLessThan(20);
    expect(cost(result)).toEqual({ requested: 21, actual: 1 + returned, limit: 5000 });
  });

  test('a repeated operation is priced by the variables the price depends on, whatever the others are', async () => {
    // The price of an operation is kept per parsed document and the values of the variables it
    // reads (`first` here), so each request must still get the price of its own variables.
    const query =
      'query F($slug: String!, $first: Int, $cast: Int) { film(slug: $slug) { title credits(first: $first) { nodes { person { name } } } reviews(first: $cast) { nodes { normalizedScore } } } }';
    const requested = async (variables: Record<string, unknown>) => (cost(await api.client.query(query, variables)) as { requested: number }).requested;
    // film 1 + credits 1 + first × (node 1 + person 1) + reviews 1 + cast × 1
    expect(await requested({ slug: 'her', first: 2, cast: 1 })).toBe(1 + 1 + 2 * 2 + 1 + 1);
    expect(await requested({ slug: 'gladiator', first: 2, cast: 1 })).toBe(8);
    expect(await requested({ slug: 'her', first: 5, cast: 1 })).toBe(1 + 1 + 5 * 2 + 1 + 1);
    expect(await requested({ slug: 'her', first: 2, cast: 3 })).toBe(1 + 1 + 2 * 2 + 1 + 3);
    // Absent and null both mean the default page of 20, priced the same as before the cache.
    expect(await requested({ slug: 'her', cast: 1 })).toBe(1 + 1 + 20 * 2 + 1 + 1);
    expect(await requested({ slug: 'her', first: null, cast: 1 })).toBe(1 + 1 + 20 * 2 + 1 + 1);
    expect(await requested({ slug: 'her', first: 2, cast: 1 })).toBe(8);
    // Invalid variables are still refused before pricing (requested 0), cached price or not.
    expect(cost(await api.client.query(query, { slug: 'her', first: 'two', cast: 1 }))).toMatchObject({ requested: 0, limit: 5000 });
  });

  test('the film detail with a different slug each time is priced once: one cache entry, then hits', async () => {
    const query = 'query FilmDetail($slug: String!, $first: Int) { film(slug: $slug) { title credits(first: $first) { nodes { person { name } } } } }';
    const before = priceCacheStats();
    const slugs = ['her', 'gladiator', ...Array.from({ length: 18 }, (_, i) => `no-such-film-${i}`)];
    for (const slug of slugs) {
      // film 1 + credits (1 + 3 × (nodes 1 + person 1))
      expect(cost(await api.client.query(query, { slug, first: 3 }))).toMatchObject({ requested: 8 });
    }
    const after = priceCacheStats();
    expect({ entries: after.entries - before.entries, misses: after.misses - before.misses, hits: after.hits - before.hits }).toEqual({
      entries: 1,
      misses: 1,
      hits: 19,
    });
  });

  test('two slugs share one price-cache entry; two page sizes do not', () => {
    const document = parse('query FilmPage($slug: String!, $first: Int) { film(slug: $slug) { credits(first: $first) { nodes { job } } } }');
    const run = (variables: Record<string, unknown>) => {
      const before = priceCacheStats();
      const price = requestedCost(schema, document, variables, undefined, {});
      const after = priceCacheStats();
      return { price, added: after.entries - before.entries, hit: after.hits - before.hits === 1 };
    };
    // film 1 + credits (1 + first × nodes 1)
    expect(run({ slug: 'her', first: 3 })).toEqual({ price: 5, added: 1, hit: false });
    expect(run({ slug: 'gladiator', first: 3 })).toEqual({ price: 5, added: 0, hit: true });
    expect(run({ slug: 'gladiator', first: 7 })).toEqual({ price: 9, added: 1, hit: false });
    expect(run({ slug: 'her', first: 7 })).toEqual({ price: 9, added: 0, hit: true });
  });

  test('the price cache keys ids by their number and stays bounded whatever ids, slugs and documents clients send', () => {
    const document = parse('query ($slug: String!, $ids: [ID!]!) { film(slug: $slug) { title } nodes(ids: $ids) { id } }');
    const before = priceCacheStats();
    for (let i = 0; i < 10_000; i++) {
      const ids = Array.from({ length: (i % 50) + 1 }, (_, j) => Buffer.from(`Film:${i * 100 + j + 1}`).toString('base64'));
      // film 1 + nodes (1 + one per id)
      expect(requestedCost(schema, document, { slug: `slug-${i}`, ids }, undefined, {})).toBe(2 + ids.length);
    }
    // One entry per list length (1–50), however many distinct ids and slugs.
    expect(priceCacheStats().entries - before.entries).toBe(50);
    // A salted operation name makes every document new; the cache is shared and capped.
    for (let i = 0; i < 12_000; i++) {
      expect(requestedCost(schema, parse(`query Salt${i} { films(first: 2) { nodes { title } } }`), {}, undefined, {})).toBe(3);
    }
    expect(priceCacheStats()).toMatchObject({ entries: 10_000, max: 10_000 });
  });

  test('edges { node } and nodes cost the same', async () => {
    const edges = await api.client.query('{ films(first: 3) { edges { cursor node { title } } pageInfo { hasNextPage } } }');
    const nodes = await api.client.query('{ films(first: 3) { nodes { title } } }');
    expect(cost(edges)).toEqual({ requested: 4, actual: 4, limit: 5000 });
    expect(cost(nodes)).toEqual(cost(edges));
  });

  test('plain lists are priced at 10 items and actual follows the data', async () => {
    const result = await api.client.query(
      '{ film(slug: "her") { title cast { character person { name } } reviews(first: 5) { nodes { publication { name } } } releases { country } } }',
    );
    const film = result.data!['film'];
    // film 1 + cast (1 + 10 × person 1) + reviews (1 + 5 × (node 1 + publication 1)) + releases (1 + 10 × at least 1)
    const actual = 1 + (1 + film.cast.length) + (1 + 2 * film.reviews.nodes.length) + (1 + film.releases.length);
    expect(cost(result)).toEqual({ requested: 34, actual, limit: 5000 });
  });

  test('a list costs at least its length even when its items select only scalars', async () => {
    const price = async (query: string, variables?: Record<string, unknown>) => cost(await api.client.query(query, variables));
    // A page of 50 loads 50 rows even if only totalCount is read: films 1 + 50 × at least 1; no item returned.
    expect(await price('{ films(first: 50) { totalCount } }')).toEqual({ requested: 51, actual: 1, limit: 5000 });
    // A list of scalars: film 1 + genres 10 estimated; actual 1 + the genres returned.
    const her = await api.client.query('{ film(slug: "her") { genres directors { name } } }');
    const { genres, directors } = her.data!['film'];
    expect(genres.length).toBeGreaterThan(0);
    // film 1 + genres 10 + directors (1 + 10 × at least 1)
    expect(cost(her)).toEqual({ requested: 22, actual: 1 + genres.length + 1 + directors.length, limit: 5000 });
    // nodes(ids:) costs 1 + one per id, whatever each node selects.
    const ids = (await api.client.query('{ films(first: 5) { nodes { id } } }')).data!['films'].nodes.map((f: { id: string }) => f.id);
    expect(ids).toHaveLength(5);
    expect(await price('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids })).toEqual({ requested: 6, actual: 6, limit: 5000 });
    expect(await price('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', { ids: [...ids, ...ids, ...ids] })).toEqual({
      requested: 16,
      actual: 16,
      limit: 5000,
    });
  });

  test('6,000 ids are priced at 6,001 and refused with COST_LIMIT_EXCEEDED before any SQL runs', async () => {
    const film = await api.client.query('{ film(slug: "her") { id } }');
    api.db.resetStatements();
    const result = await api.client.query('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: Array.from({ length: 6_000 }, () => film.data!['film'].id),
    });
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(cost(result)).toEqual({ requested: 6001, limit: 5000 });
    expect(api.db.statements).toEqual([]);
  });

  test("README's film example costs 264 requested and 34 actual on the seed data", async () => {
    const result = await api.client.query(`{
      film(slug: "her") {
        id slug title synopsis genres
        directors { slug name }
        writers { slug name }
        cast { character voice billingOrder person { name } }
        crew { department job person { name } }
        credits(first: 10, filter: { kind: CREW, job: "director" }) { totalCount nodes { job person { name } } }
        releases(country: "US") { country date type citations { kind field excerpt start end note } }
        reviews(first: 5) { totalCount nodes { publication { name } quote quotes { position text } } }
        citations { kind field excerpt start end }
      }
    }`);
    expect(result.errors).toBeUndefined();
    // film 1 + genres 10 + directors, writers, cast, crew, citations 11 each + credits 1 + 10 × 2
    // + releases (1 + 10 × citations 11) + reviews (1 + 5 × (node 1 + publication 1 + quotes 11))
    expect(cost(result)).toEqual({ requested: 264, actual: 34, limit: 5000 });
  });

  test('variables and fragments are priced like literals and inline selections', async () => {
    const inline = await api.client.query('{ people(first: 7) { nodes { name credits(first: 2) { nodes { film { title } } } } } }');
    const viaVariables = await api.client.query(
      'query ($n: Int, $m: Int) { people(first: $n) { nodes { ...P } } } fragment P on Person { name credits(first: $m) { nodes { film { title } } } }',
      { n: 7, m: 2 },
    );
    // people 1 + 7 × (nodes 1 + credits (1 + 2 × (nodes 1 + film 1)))
    expect((cost(inline) as { requested: number }).requested).toBe(43);
    expect(cost(viaVariables)).toEqual(cost(inline));
  });

  test('an abstract field priced through its fragments, and nodes(ids:) by the number of ids', async () => {
    const film = await api.client.query('{ film(slug: "her") { id } }');
    const id = film.data!['film'].id;
    const node = await api.client.query('query ($id: ID!) { node(id: $id) { ... on Film { title directors { name } } } }', { id });
    // node 1 + directors (1 + 10 × at least 1); Her has one director
    expect(node.data!['node'].directors).toHaveLength(1);
    expect(cost(node)).toEqual({ requested: 12, actual: 3, limit: 5000 });
    const nodes = await api.client.query('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Film { directors { name } } } }', { ids: [id, id, id] });
    // nodes 1 + 3 × directors (1 + 10); actual 1 + 3 × (1 + 1)
    expect(cost(nodes)).toEqual({ requested: 34, actual: 7, limit: 5000 });
  });

  test.each([
    ['__typename alone is free', '{ __typename }', { requested: 0, actual: 0 }],
    ['introspection costs 1 to request and nothing from the database', '{ __schema { queryType { name } } }', { requested: 1, actual: 0 }],
    [
      'an inline fragment without a type condition is priced as its parent',
      '{ film(slug: "her") { ... { title directors { name } } } }',
      // film 1 + directors (1 + 10 × at least 1); Her has one director
      { requested: 12, actual: 3 },
    ],
    ['`last` sizes the page like `first`', '{ films(last: 3) { nodes { title } } }', { requested: 4, actual: 4 }],
    ['a null object costs only itself', '{ film(slug: "no-such-film") { title directors { name } } }', { requested: 12, actual: 1 }],
    // films 1 + 2 × (facets (1 + genres (1 + 10 × at least 1)) + a node at least 1): per-page
    // fields count once per page item. Actual: 1 + 2 × facets (1 + genres (1 + 1 genre)) + 2 nodes.
    [
      'a connection’s own object fields count once per page item',
      '{ films(first: 2) { facets { genres { value } } nodes { title } } }',
      { requested: 27, actual: 9 },
    ],
    [
      'an empty page costs the field alone',
      '{ films(first: 2, after: "__LAST__") { facets { genres { value } } nodes { title } } }',
      { requested: 27, actual: 1 },
    ],
  ])('%s', async (_name, query, expected) => {
    let text = query;
    if (text.includes('__LAST__')) {
      const last = await api.client.query('{ films(first: 100) { pageInfo { endCursor } } }');
      text = text.replace('__LAST__', last.data!['films'].pageInfo.endCursor);
    }
    const result = await api.client.query(text);
    expect(result.errors).toBeUndefined();
    expect(cost(result)).toEqual({ ...expected, limit: 5000 });
  });

  test('fields left out by @include/@skip cost nothing, requested or actual', async () => {
    const result = await api.client.query(
      '{ film(slug: "her") { title directors @include(if: false) { name } credits(first: 2) { pageInfo @skip(if: true) { hasNextPage } nodes { job } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!['film']).not.toHaveProperty('directors');
    // film 1 + credits (1 + 2 × a node at least 1) = 4, requested and actual; directors would add 1 + 10
    expect(cost(result)).toEqual({ requested: 4, actual: 4, limit: 5000 });
    const query = 'query ($d: Boolean!) { film(slug: "her") { title directors @include(if: $d) { name } credits(first: 2) { nodes { job } } } }';
    const requested = async (d: boolean) => (cost(await api.client.query(query, { d })) as { requested: number }).requested;
    expect([await requested(true), await requested(false), await requested(true)]).toEqual([15, 4, 15]);
  });

  test('a null item in a list costs nothing actual', async () => {
    const film = await api.client.query('{ film(slug: "her") { id } }');
    const missing = Buffer.from('Film:999999').toString('base64');
    const result = await api.client.query('query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Film { directors { name } } } }', {
      ids: [film.data!['film'].id, missing],
    });
    expect(result.data!['nodes']).toEqual([{ directors: [{ name: 'Spike Jonze' }] }, null]);
    // nodes 1 + 2 × directors (1 + 10) requested; actual nodes 1 + directors (1 + 1): the null item adds nothing.
    expect(cost(result)).toEqual({ requested: 23, actual: 3, limit: 5000 });
  });

  test('the operation named by operationName is the one priced', async () => {
    const document = 'query A { film(slug: "her") { title } } query B { films(first: 3) { nodes { title } } }';
    const b = await api.client.yoga.fetch('http://cinegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document, operationName: 'B' }),
    });
    expect(((await b.json()) as { extensions: { cost: unknown } }).extensions.cost).toEqual({ requested: 4, actual: 4, limit: 5000 });
    // Without operationName the operation is ambiguous: refused before pricing.
    const none = await api.client.query(document);
    expect(none.errors?.map((e) => e.message)).toEqual(['Could not determine what operation to execute.']);
    expect(cost(none)).toEqual({ requested: 0, limit: 5000 });
  });

  test('a negative page size is refused by the field and priced as an empty page', async () => {
    const result = await api.client.query('{ films(first: -1) { nodes { title } } }');
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
    expect(cost(result)).toEqual({ requested: 1, actual: 0, limit: 5000 });
  });

  test('a page size above the maximum is priced at the maximum and refused by the field itself', async () => {
    const result = await api.client.query('{ films(first: 1000) { nodes { title } } }');
    expect(result.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect((cost(result) as { requested: number }).requested).toBe(101);
  });

  test('an operation above the limit is refused with COST_LIMIT_EXCEEDED before any SQL runs', async () => {
    api.db.resetStatements();
    const result = await api.client.query('{ films(first: 100) { nodes { credits(first: 100) { nodes { person { name } } } } } }');
    expect(result.status).toBe(400);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: "The operation's estimated cost 20201 exceeds the limit of 5000. Ask for smaller pages (first/last) or fewer nested lists.",
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost: { requested: 20201, limit: 5000 } },
      }),
    ]);
    expect(result.data).toBeUndefined();
    expect(cost(result)).toEqual({ requested: 20201, limit: 5000 });
    expect(api.db.statements).toEqual([]);
  });

  test('an invalid argument elsewhere in the operation does not leave the rest unpriced', async () => {
    api.db.resetStatements();
    const result = await api.client.query(
      '{ bad: film(id: "not-an-id") { title } films(first: 100) { nodes { credits(first: 100) { nodes { person { name } } } } } }',
    );
    expect(result.errors?.map((e) => e.extensions?.['code'])).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(api.db.statements).toEqual([]);
  });

  test('MAX_COST sets the limit', async () => {
    const client = createClient(api.db, { guard: { MAX_COST: 20 } });
    const over = await client.query('{ films(first: 20) { nodes { title } } }');
    expect(over.errors?.[0]?.extensions?.['code']).toBe('COST_LIMIT_EXCEEDED');
    const at = await client.query('{ films(first: 19) { nodes { title } } }');
    expect(at.errors).toBeUndefined();
    expect(cost(at)).toEqual({ requested: 20, actual: expect.any(Number), limit: 20 });
  });

  test('a request that fails before it is priced still reports cost, with requested 0', async () => {
    const parse = await api.client.query('{ films {');
    expect(parse.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_PARSE_FAILED');
    expect(cost(parse)).toEqual({ requested: 0, limit: 5000 });
    const invalid = await api.client.query('{ films { nope } }');
    expect(cost(invalid)).toEqual({ requested: 0, limit: 5000 });
  });
});

describe('pricing functions on their own', () => {
  const doc = (source: string) => parse(source);

  test('no operation to run (ambiguous, or none named so) or invalid variables: no price', () => {
    const two = doc('query A { film(slug: "her") { title } } query B { films { nodes { title } } }');
    expect(requestedCost(schema, two, {}, undefined, {})).toBeUndefined();
    expect(requestedCost(schema, two, {}, 'C', {})).toBeUndefined();
    expect(requestedCost(schema, two, {}, 'B', {})).toBe(21);
    const typed = doc('query ($n: Int) { films(first: $n) { nodes { title } } }');
    expect(requestedCost(schema, typed, { n: 'two' }, undefined, {})).toBeUndefined();
    expect(requestedCost(schema, typed, { n: 2 }, undefined, {})).toBe(3);
  });

  test('a spread of a fragment the document does not define is skipped, not a crash (validation reports it)', () => {
    // film 1 + directors (1 + 10 × at least 1)
    expect(requestedCost(schema, doc('{ film(slug: "her") { ...Missing directors { name } } }'), {}, undefined, {})).toBe(12);
  });

  test('actual cost is 0 without data or without the operation', () => {
    const film = doc('{ film(slug: "her") { directors { name } } }');
    expect(actualCost(schema, film, undefined, null)).toBe(0);
    expect(actualCost(schema, film, undefined, undefined)).toBe(0);
    expect(actualCost(schema, film, 'Nope', { film: { directors: [] } })).toBe(0);
    // film 1 + directors (1 + one director at least 1)
    expect(actualCost(schema, film, undefined, { film: { directors: [{ name: 'x' }] } })).toBe(3);
  });
});
