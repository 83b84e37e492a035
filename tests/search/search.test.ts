import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { codes, useApi } from '../helpers/graphql.ts';

// The seeded "Her" article plus films that compete with it for short and stop-word queries,
// a film known by an original title, a film, person and outlet named "Synth…", and 60 synthetic films, 30 people and 5 outlets with tied scores.
// The statement-count query below asks for a 98-item page with nested lists on purpose, past the
// production cost limit (MAX_COST 5000); the limit itself is tested in tests/plugins/cost/cost.test.ts.
const api = useApi(
  async (db) => {
    await db.prisma.film.createMany({
      data: [
        { slug: 'her-smell', title: 'Her Smell' },
        { slug: 'where-her-heart-is', title: 'Where Her Heart Is' },
        { slug: 'hero', title: 'Hero' },
        { slug: 'amelie', title: 'Amélie', originalTitle: "Le Fabuleux Destin d'Amélie Poulain" },
        { slug: 'synth', title: 'Synth' },
        { slug: 'tokyo-story', title: '東京物語', originalTitle: 'Tōkyō Monogatari' },
      ],
    });
    await db.prisma.person.create({ data: { slug: 'synth-wave', name: 'Synth Wave' } });
    await db.prisma.publication.create({ data: { slug: 'synth-weekly', name: 'Synth Weekly' } });
    await insertSyntheticCatalog(db.prisma, { films: 60, people: 30, creditsPerFilm: 3, reviewsPerFilm: 1, releasesPerFilm: 1 });
  },
  { guard: { MAX_COST: 50_000 } },
);

const SEARCH = `query ($q: String!, $types: [SearchType!], $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $q, types: $types, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    totalCountIsExact
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor score matchedField node { __typename ... on Film { slug } ... on Person { slug } ... on Publication { slug } } }
  }
}`;

interface Edge {
  cursor: string;
  score: number;
  matchedField: string;
  node: { __typename: string; slug: string };
}

async function search(variables: { q: string; types?: string[]; first?: number; after?: string; last?: number; before?: string }) {
  const result = await api.client.query(SEARCH, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.search as { totalCount: number; totalCountIsExact: boolean; pageInfo: Record<string, unknown>; edges: Edge[] };
}

const top = (edges: Edge[]) => edges[0] && { type: edges[0].node.__typename, slug: edges[0].node.slug, field: edges[0].matchedField };

describe('relevance', () => {
  test('"Her" returns the film Her first, though English full-text search drops "her" as a stop word', async () => {
    const { edges } = await search({ q: 'Her' });
    expect(edges.slice(0, 3).map((e) => [e.node.slug, e.score, e.matchedField])).toEqual([
      ['her', 3, 'TITLE'], // exact title: full-text 1 + similarity 1 + exact 1
      ['her-smell', 2.5, 'TITLE'], // title starting with the query: 1 + 1 + prefix 0.5
      ['where-her-heart-is', 2, 'TITLE'], // the word elsewhere in the title: 1 + 1
    ]);
    // "Hero" matches as a type-ahead prefix, below every film with the whole word: 1 + 0.75
    expect(edges[3]).toMatchObject({ node: { slug: 'hero' }, score: 1.75, matchedField: 'TITLE' });
  });

  test.each(['Amélie', 'amelie', 'AMÉLIE'])('"%s" is an exact title match for "Amélie" (score 3): the query is accent-folded like the titles', async (q) => {
    const { edges } = await search({ q });
    expect(edges.slice(0, 1).map((e) => [e.node.slug, e.score, e.matchedField])).toEqual([['amelie', 3, 'TITLE']]);
  });

  test.each([
    ['Joaquin Pheonix', 'joaquin-phoenix', 'NAME'],
    ['Scarlet Johanson', 'scarlett-johansson', 'NAME'],
    ['jonze', 'spike-jonze', 'NAME'],
    ['Joaquín', 'joaquin-phoenix', 'NAME'],
    ['SPIKE', 'spike-jonze', 'NAME'],
    ['Jon', 'spike-jonze', 'NAME'],
    ['Johannson', 'scarlett-johansson', 'ALIAS'],
  ])('"%s" finds the person %s first (matched on %s)', async (q, slug, field) => {
    const { edges } = await search({ q });
    expect(top(edges)).toEqual({ type: 'Person', slug, field });
  });

  test.each([
    ['Gladiatr', 'gladiator', 'TITLE'],
    ['amelie', 'amelie', 'TITLE'],
    ['fabuleux destin', 'amelie', 'ORIGINAL_TITLE'],
    ['lonely man falling in love', 'her', 'SYNOPSIS'],
    ['Synthetic Film 42', 'synthetic-film-42', 'TITLE'],
    ['東京物語', 'tokyo-story', 'TITLE'],
    ['tokyo monogatari', 'tokyo-story', 'ORIGINAL_TITLE'],
    ['🎬 Gladiator!!', 'gladiator', 'TITLE'],
  ])('"%s" finds the film %s first (matched on %s)', async (q, slug, field) => {
    const { edges } = await search({ q });
    expect(top(edges)).toEqual({ type: 'Film', slug, field });
  });

  test('publications are found by name', async () => {
    const { edges } = await search({ q: 'verge' });
    expect(edges.map((e) => [e.node.__typename, e.node.slug, e.matchedField])).toEqual([['Publication', 'the-verge', 'NAME']]);
  });

  test('a query matching nothing returns an empty page', async () => {
    expect(await search({ q: 'zzyzx qwv' })).toEqual({
      totalCount: 0,
      totalCountIsExact: true,
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });

  test('types narrows the search to the types named', async () => {
    const people = await search({ q: 'Her', types: ['PERSON'] });
    expect(people.edges).toEqual([]);
    const mixed = await search({ q: 'synthetic 1', types: ['PERSON', 'PUBLICATION'], first: 100 });
    expect(new Set(mixed.edges.map((e) => e.node.__typename))).toEqual(new Set(['Person', 'Publication']));
    const all = await search({ q: 'synthetic 1', first: 100 });
    expect(new Set(all.edges.map((e) => e.node.__typename))).toEqual(new Set(['Film', 'Person', 'Publication']));
  });

  test('results are ordered by score, then type (films, people, publications), then id', async () => {
    const { edges } = await search({ q: 'Synth', first: 100 });
    const keys = edges.map((e) => ({ score: e.score, type: ['Film', 'Person', 'Publication'].indexOf(e.node.__typename) }));
    const sorted = [...keys].sort((a, b) => b.score - a.score || a.type - b.type);
    expect(keys).toEqual(sorted);
    // films before people on equal scores, so the first result is a synthetic film
    expect(edges[0]!.node.__typename).toBe('Film');
  });
});

describe('paging', () => {
  test('walking pages of 7 over 98 results, most of them tied, visits every result once, in the order of one big page', async () => {
    const whole = await search({ q: 'Synth', first: 100 });
    // Synth, Synth Wave, Synth Weekly, then 60 films, 30 people and 5 outlets named "Synthetic …"
    expect(whole.totalCount).toBe(98);
    // 98 matches fill no candidate branch (200 each), so the count is every match
    expect(whole.totalCountIsExact).toBe(true);
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await search({ q: 'Synth', first: 7, ...(after ? { after } : {}) });
      expect(result.totalCount).toBe(98);
      expect(result.pageInfo.hasPreviousPage).toBe(page > 0);
      seen.push(...result.edges.map((e) => `${e.node.__typename}:${e.node.slug}`));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor as string;
    }
    expect(seen).toHaveLength(98);
    expect(new Set(seen).size).toBe(98);
    expect(seen).toEqual(whole.edges.map((e) => `${e.node.__typename}:${e.node.slug}`));
  });

  test('an edge cursor continues right after that edge', async () => {
    const first = await search({ q: 'Synth', first: 10 });
    const next = await search({ q: 'Synth', first: 3, after: first.edges[4]!.cursor });
    expect(next.edges.map((e) => e.node.slug)).toEqual(first.edges.slice(5, 8).map((e) => e.node.slug));
  });

  test('walking backwards with last/before from the end visits every result once, in reverse', async () => {
    const whole = (await search({ q: 'Synth', first: 100 })).edges.map((e) => `${e.node.__typename}:${e.node.slug}`);
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await search({ q: 'Synth', last: 7, ...(before ? { before } : {}) });
      expect(result.totalCount).toBe(98);
      // Backwards: "next" is the side the cursor came from; "previous" the results still ahead.
      expect(result.pageInfo.hasNextPage).toBe(page > 0);
      seen.unshift(...result.edges.map((e) => `${e.node.__typename}:${e.node.slug}`));
      if (!result.pageInfo.hasPreviousPage) break;
      before = result.pageInfo.startCursor as string;
    }
    expect(seen).toEqual(whole);
  });

  test('last/before gives the results right before a cursor, and a page between after and before is the slice', async () => {
    const ten = await search({ q: 'Synth', first: 10 });
    const slugs = (edges: Edge[]) => edges.map((e) => e.node.slug);
    const back = await search({ q: 'Synth', last: 3, before: ten.edges[6]!.cursor });
    expect(slugs(back.edges)).toEqual(slugs(ten.edges.slice(3, 6)));
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true, startCursor: ten.edges[3]!.cursor, endCursor: ten.edges[5]!.cursor });
    const between = await search({ q: 'Synth', after: ten.edges[1]!.cursor, before: ten.edges[5]!.cursor });
    expect(slugs(between.edges)).toEqual(slugs(ten.edges.slice(2, 5)));
    const start = await search({ q: 'Synth', last: 5, before: ten.edges[2]!.cursor });
    expect(slugs(start.edges)).toEqual(slugs(ten.edges.slice(0, 2)));
    expect(start.pageInfo.hasPreviousPage).toBe(false);
  });

  test('first: 0 returns no edges but says whether there are results', async () => {
    const result = await search({ q: 'Her', first: 0 });
    expect(result.edges).toEqual([]);
    expect(result.pageInfo.hasNextPage).toBe(true);
    expect(result.totalCount).toBeGreaterThan(0);
  });
});

describe('bad arguments get a coded error, never a 500', () => {
  const synthCursor = async () => (await search({ q: 'Synth', first: 1 })).pageInfo.endCursor as string;
  const filmsCursor = async () => (await api.client.query('{ films(first: 1) { pageInfo { endCursor } } }')).data!.films.pageInfo.endCursor;

  test.each([
    ['an empty query', { q: '' }, 'BAD_USER_INPUT', '`query` must not be empty or whitespace only'],
    ['a whitespace-only query', { q: ' \t\n ' }, 'BAD_USER_INPUT', '`query` must not be empty or whitespace only'],
    ['a query with no letter or digit', { q: '!?*&' }, 'BAD_USER_INPUT', '`query` must contain at least one letter or digit'],
    ['a 10 kB query', { q: 'a'.repeat(10_240) }, 'BAD_USER_INPUT', '`query` must be at most 200 characters'],
    ['201 characters', { q: 'b'.repeat(201) }, 'BAD_USER_INPUT', '`query` must be at most 200 characters'],
    ['an empty types list', { q: 'Her', types: [] }, 'BAD_USER_INPUT', '`types` must name at least one type (omit it to search every type)'],
    ['an unknown type in variables', { q: 'Her', types: ['CRITIC'] }, 'BAD_USER_INPUT', null],
    ['first: -1', { q: 'Her', first: -1 }, 'BAD_USER_INPUT', '`first` must be between 0 and 100'],
    ['first: 101', { q: 'Her', first: 101 }, 'BAD_USER_INPUT', '`first` must be between 0 and 100'],
    ['a cursor that is not base64 of a search position', { q: 'Her', after: 'bm90LWEtY3Vyc29y' }, 'INVALID_CURSOR', null],
    ['garbage as a cursor', { q: 'Her', after: '%%%' }, 'INVALID_CURSOR', null],
    ['garbage as a before cursor', { q: 'Her', last: 2, before: '%%%' }, 'INVALID_CURSOR', null],
    ['last: 101', { q: 'Her', last: 101 }, 'BAD_USER_INPUT', '`last` must be between 0 and 100'],
    ['first and last together', { q: 'Her', first: 2, last: 2 }, 'BAD_USER_INPUT', 'Pass either `first` (with `after`) or `last` (with `before`), not both.'],
  ])('%s', async (_name, variables, code, message) => {
    const result = await api.client.query(SEARCH, variables);
    expect(result.status).toBeLessThan(500);
    expect(codes(result)).toEqual([code]);
    if (message) expect(result.errors![0]!.message).toBe(message);
  });

  test('200 characters is accepted', async () => {
    expect((await search({ q: 'c'.repeat(200) })).edges).toEqual([]);
  });

  test('an unknown type written in the query document is a validation error', async () => {
    const result = await api.client.query('{ search(query: "Her", types: [CRITIC]) { totalCount } }');
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test('a cursor from another search, or from another connection, is INVALID_CURSOR', async () => {
    const other = await api.client.query(SEARCH, { q: 'Her', after: await synthCursor() });
    expect(codes(other)).toEqual(['INVALID_CURSOR']);
    expect(other.errors![0]!.message).toMatch(/another `query` or `types`/);
    const narrowed = await api.client.query(SEARCH, { q: 'Synth', types: ['FILM'], after: await synthCursor() });
    expect(codes(narrowed)).toEqual(['INVALID_CURSOR']);
    const foreign = await api.client.query(SEARCH, { q: 'Synth', after: await filmsCursor() });
    expect(codes(foreign)).toEqual(['INVALID_CURSOR']);
    expect(foreign.errors![0]!.message).toMatch(/not a search cursor/);
  });

  test('a tampered cursor (score edited) is INVALID_CURSOR', async () => {
    // A signed position (src/pagination/cursor.ts): edit the score in the payload, keep the tag.
    const [payload, tag] = (await synthCursor()).split('.') as [string, string];
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [number, string, string[], number];
    position[2][0] = '999999.0000';
    const tampered = `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${tag}`;
    expect(codes(await api.client.query(SEARCH, { q: 'Synth', after: tampered }))).toEqual(['INVALID_CURSOR']);
  });
});

describe('statement count', () => {
  const DEEP = `query ($first: Int!) {
    search(query: "Synth", first: $first) {
      totalCount
      edges { score node { __typename
        ... on Film { title directors { name } credits(first: 5) { edges { node { person { name } } } } }
        ... on Person { name aliases { name } credits(first: 5) { edges { node { film { title year } } } } }
        ... on Publication { name reviews(first: 3) { edges { node { film { title } } } } }
      } }
      nodes { ... on Film { slug } ... on Person { slug } }
    }
  }`;

  async function count(first: number) {
    api.db.resetStatements();
    const result = await api.client.query(DEEP, { first });
    expect(result.errors).toBeUndefined();
    return { statements: api.db.statements.length, edges: result.data!.search.edges as any[] };
  }

  test('search(first: 5) and search(first: 98) with nested relations issue the same statements', async () => {
    const small = await count(5);
    // Synth, Synth Wave and Synth Weekly rank first, so even the small page holds every type
    expect(small.edges.slice(0, 3).map((e) => e.node.__typename)).toEqual(['Film', 'Person', 'Publication']);
    const large = await count(98);
    expect(small.edges).toHaveLength(5);
    expect(large.edges).toHaveLength(98);
    // the large page really spans every type and carries nested data
    expect(new Set(large.edges.map((e) => e.node.__typename))).toEqual(new Set(['Film', 'Person', 'Publication']));
    expect(large.edges.filter((e) => e.node.__typename === 'Film' && e.node.credits.edges.length > 0).length).toBeGreaterThan(50);
    expect(large.statements).toBe(small.statements);
    // the ranking, then one findMany per type with every nested relation joined in (Film.directors
    // reads the crew-only relation, so it joins in beside credits(first:))
    expect(large.statements).toBe(4);
    console.info(`statements: search(first: 5) deep = ${small.statements}, search(first: 98) deep = ${large.statements}`);
  });
});
