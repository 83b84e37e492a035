import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { codes, useApi } from '../helpers/graphql.ts';

const TOTAL_FILMS = 5 + 45; // the article's 5 films plus synthetic ones
const api = useApi((db) => insertSyntheticCatalog(db.prisma, { films: 45, creditsPerFilm: 3, reviewsPerFilm: 1, releasesPerFilm: 1 }));

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { slug: string } }[];
  nodes: { slug: string }[];
}

async function films(args: string): Promise<Page> {
  const result = await api.client.query<{ films: Page }>(
    `{ films${args ? `(${args})` : ''} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } } nodes { slug } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.films;
}

test('without first/last a page holds the default 20 items and says more follow', async () => {
  const page = await films('');
  expect(page.edges).toHaveLength(20);
  expect(page.totalCount).toBe(TOTAL_FILMS);
  expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  expect(page.nodes.map((n) => n.slug)).toEqual(page.edges.map((e) => e.node.slug));
});

test('first: 100 is allowed and returns every film when fewer exist', async () => {
  const page = await films('first: 100');
  expect(page.edges).toHaveLength(TOTAL_FILMS);
  expect(page.pageInfo.hasNextPage).toBe(false);
});

test('a page holding exactly the remaining films says none follow, in either direction', async () => {
  const forward = await films(`first: ${TOTAL_FILMS}`);
  expect(forward.edges).toHaveLength(TOTAL_FILMS);
  expect(forward.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  const rest = await films(`first: 10, after: "${forward.edges[TOTAL_FILMS - 11]!.cursor}"`);
  expect(rest.edges).toHaveLength(10);
  expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  const backward = await films(`last: ${TOTAL_FILMS}`);
  expect(backward.edges).toHaveLength(TOTAL_FILMS);
  expect(backward.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
});

test('first: 0 returns no edges but the exact totalCount', async () => {
  const page = await films('first: 0');
  expect(page.edges).toEqual([]);
  expect(page.totalCount).toBe(TOTAL_FILMS);
});

test('paging forwards with first/after visits every film exactly once, in a stable order', async () => {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page: Page = await films(after ? `first: 7, after: "${after}"` : 'first: 7');
    seen.push(...page.edges.map((e) => e.node.slug));
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toHaveLength(TOTAL_FILMS);
  expect(new Set(seen).size).toBe(TOTAL_FILMS);
  expect(seen.slice(0, 5)).toEqual(['her', 'where-the-wild-things-are', 'being-john-malkovich', 'gladiator', 'walk-the-line']);
});

test('paging backwards with last/before visits the same films in the same order', async () => {
  const forward = (await films('first: 100')).edges.map((e) => e.node.slug);
  const seen: string[] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page: Page = await films(before ? `last: 6, before: "${before}"` : 'last: 6');
    seen.unshift(...page.edges.map((e) => e.node.slug));
    if (!page.pageInfo.hasPreviousPage) break;
    before = page.pageInfo.startCursor;
  }
  expect(seen).toEqual(forward);
});

test('the last page reports no next page, and a page after it is empty', async () => {
  const all = await films('first: 100');
  const lastCursor = all.pageInfo.endCursor!;
  const after = await films(`first: 5, after: "${lastCursor}"`);
  expect(after.edges).toEqual([]);
  expect(after.pageInfo.hasNextPage).toBe(false);
});

test('nested connections page independently per parent', async () => {
  const result = await api.client.query(`{
    film(slug: "her") {
      first: credits(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { job character } } }
      cast: credits(filter: { kind: CAST }) { totalCount }
      directing: credits(filter: { department: DIRECTING }) { totalCount edges { node { job person { name } } } }
      byJob: credits(filter: { job: "WRITER" }) { totalCount edges { node { job } } }
    }
  }`);
  expect(result.errors).toBeUndefined();
  const film = result.data!.film;
  expect(film.first.totalCount).toBe(4);
  expect(film.first.edges).toEqual([{ node: { job: 'Actor', character: 'Theodore' } }, { node: { job: 'Actor', character: 'Samantha' } }]);
  expect(film.first.pageInfo.hasNextPage).toBe(true);
  const rest = await api.client.query(
    `{ film(slug: "her") { credits(first: 10, after: "${film.first.pageInfo.endCursor}") { edges { node { job } } pageInfo { hasNextPage } } } }`,
  );
  expect(rest.data!.film.credits.edges.map((e: any) => e.node.job)).toEqual(['Director', 'Writer']);
  expect(rest.data!.film.credits.pageInfo.hasNextPage).toBe(false);
  expect(film.cast.totalCount).toBe(2);
  expect(film.directing).toEqual({ totalCount: 1, edges: [{ node: { job: 'Director', person: { name: 'Spike Jonze' } } }] });
  expect(film.byJob).toEqual({ totalCount: 1, edges: [{ node: { job: 'Writer' } }] });
});

test.each([
  ['a cursor that is not one of ours', '{ films(first: 2, after: "garbage") { totalCount edges { node { slug } } } }'],
  ['a cursor of another encoding', `{ films(first: 2, after: "${Buffer.from('GPC:J:{"x":1}').toString('base64')}") { totalCount } }`],
  ['a garbage cursor on a nested connection', '{ film(slug: "her") { credits(first: 2, before: "garbage") { totalCount } } }'],
  [
    'a cursor of another encoding on a nested connection',
    `{ film(slug: "her") { credits(after: "${Buffer.from('GPC:J:{"x":1}').toString('base64')}") { totalCount } } }`,
  ],
])('%s is an INVALID_CURSOR error', async (_name, query) => {
  const result = await api.client.query(query);
  expect(result.status).toBeLessThan(500);
  expect(codes(result)).toEqual(['INVALID_CURSOR']);
});

test.each([
  ['replaced by AA (one byte)', () => 'AA'],
  ['missing its last byte', (tag: string) => Buffer.from(tag, 'base64url').subarray(0, -1).toString('base64url')],
  ['one byte longer', (tag: string) => Buffer.concat([Buffer.from(tag, 'base64url'), Buffer.from([0])]).toString('base64url')],
  [
    'with one bit flipped',
    (tag: string) => {
      const bytes = Buffer.from(tag, 'base64url');
      bytes.writeUInt8(bytes[0]! ^ 1, 0);
      return bytes.toString('base64url');
    },
  ],
])('a genuine cursor whose tag is %s is an INVALID_CURSOR error, not a page', async (_name, forge) => {
  const cursor = (await films('first: 2')).pageInfo.endCursor!;
  const [payload, tag] = cursor.split('.');
  const result = await api.client.query(`{ films(first: 2, after: "${payload}.${forge(tag!)}") { totalCount edges { node { slug } } } }`);
  expect(codes(result)).toEqual(['INVALID_CURSOR']);
  expect(result.data).toBeNull();
});

test('lists ordered by a non-unique name still page through every row once (id breaks ties)', async () => {
  await api.db.prisma.publication.createMany({
    data: Array.from({ length: 6 }, (_, i) => ({ slug: `same-name-${i}`, name: 'Same Name' })),
  });
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const result: any = await api.client.query(
      `{ publications(first: 2${after ? `, after: "${after}"` : ''}) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }`,
    );
    seen.push(...result.data.publications.nodes.map((n: { slug: string }) => n.slug));
    if (!result.data.publications.pageInfo.hasNextPage) break;
    after = result.data.publications.pageInfo.endCursor;
  }
  const total = await api.db.prisma.publication.count();
  expect(seen).toHaveLength(total);
  expect(new Set(seen).size).toBe(total);
  expect(seen.filter((s) => s.startsWith('same-name-'))).toEqual([0, 1, 2, 3, 4, 5].map((i) => `same-name-${i}`));
});

describe('keyset edges', () => {
  type Edge = { cursor: string; node: { slug: string } };
  type Info = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  const page = async (orderBy: string, args: string) => {
    const result = await api.client.query<{ films: { pageInfo: Info; edges: Edge[] } }>(
      `{ films(orderBy: ${orderBy}, ${args}) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { slug } } } }`,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.films;
  };
  const slugsOf = (p: { edges: Edge[] }) => p.edges.map((e) => e.node.slug);

  /** Films by year (nulls last in both directions), then id: the order the README defines. */
  async function byYear(direction: 'ASC' | 'DESC') {
    const films = await api.db.prisma.film.findMany({ select: { slug: true, year: true, id: true } });
    const sign = direction === 'ASC' ? 1 : -1;
    return films
      .sort((a, b) => (a.year === null ? 1 : 0) - (b.year === null ? 1 : 0) || sign * ((a.year ?? 0) - (b.year ?? 0)) || a.id - b.id)
      .map((f) => f.slug);
  }

  test.each([
    ['ASC', 1, 2],
    ['DESC', 2, 1],
  ] as const)('by YEAR %s, undated films last, pages of %i forwards and %i backwards visit one order', async (direction, forwardSize, backwardSize) => {
    const orderBy = `[{ field: YEAR, direction: ${direction} }]`;
    const expected = await byYear(direction);
    expect(expected.slice(-5).every((slug) => !slug.startsWith('synthetic-'))).toBe(true);
    {
      let size: number = forwardSize;
      const forward: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 60; guard++) {
        const p: { pageInfo: Info; edges: Edge[] } = await page(orderBy, `first: ${size}${after ? `, after: "${after}"` : ''}`);
        forward.push(...slugsOf(p));
        // The cursor's own row lies before this page: hasPreviousPage exactly when a cursor was given.
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forward).toEqual(expected);
      size = backwardSize;
      const backward: string[] = [];
      let before: string | null = null;
      for (let guard = 0; guard < 60; guard++) {
        const p: { pageInfo: Info; edges: Edge[] } = await page(orderBy, `last: ${size}${before ? `, before: "${before}"` : ''}`);
        backward.unshift(...slugsOf(p));
        expect(p.pageInfo.hasNextPage).toBe(before !== null);
        if (!p.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(expected);
    }
  });

  test.each(['[{ field: YEAR }]', '[{ field: YEAR, direction: DESC }]', '[{ field: TITLE }]'])(
    'after and before together give the rows strictly between them, by %s, in either direction',
    async (orderBy) => {
      const all = await page(orderBy, 'first: 100');
      // Cursors around the undated films (the last five) and in the middle.
      for (const [from, to] of [
        [40, 49],
        [10, 15],
        [44, 46],
      ] as const) {
        const between = slugsOf(all).slice(from + 1, to);
        const args = `after: "${all.edges[from]!.cursor}", before: "${all.edges[to]!.cursor}"`;
        const forward = await page(orderBy, `first: 20, ${args}`);
        expect(slugsOf(forward)).toEqual(between);
        expect(forward.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
        const backward = await page(orderBy, `last: 20, ${args}`);
        expect(slugsOf(backward)).toEqual(between);
        expect(backward.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      }
    },
  );

  test('a cursor whose row the filter leaves out: hasPreviousPage counts only rows of this list at or before it', async () => {
    // Two films sharing the first title; the filter keeps only the one with the larger id.
    await api.db.prisma.film.createMany({
      data: [
        { slug: 'aaa-tie-1', title: 'Aaa Tie', year: 2000, genres: ['Tie One'] },
        { slug: 'aaa-tie-2', title: 'Aaa Tie', genres: ['Tie Two'] },
      ],
    });
    const first = await page('[{ field: TITLE }]', 'first: 1');
    expect(slugsOf(first)).toEqual(['aaa-tie-1']);
    const result = await api.client.query(
      `{ films(orderBy: [{ field: TITLE }], filter: { genres: ["Tie Two"] }, first: 5, after: "${first.pageInfo.endCursor}") { pageInfo { hasPreviousPage hasNextPage } nodes { slug } } }`,
    );
    expect(result.data!.films).toEqual({ pageInfo: { hasPreviousPage: false, hasNextPage: false }, nodes: [{ slug: 'aaa-tie-2' }] });
    const before = await api.client.query(
      `{ films(orderBy: [{ field: TITLE }], filter: { genres: ["Tie One"] }, last: 5, before: "${(await page('[{ field: TITLE }]', 'first: 2')).pageInfo.endCursor}") { pageInfo { hasPreviousPage hasNextPage } nodes { slug } } }`,
    );
    expect(before.data!.films).toEqual({ pageInfo: { hasPreviousPage: false, hasNextPage: false }, nodes: [{ slug: 'aaa-tie-1' }] });
    // By title, then year: the undated tie comes after the dated one, so nothing is before the dated one.
    const byTitleYear = '[{ field: TITLE }, { field: YEAR }]';
    const dated = await page(byTitleYear, 'first: 2');
    expect(slugsOf(dated)).toEqual(['aaa-tie-1', 'aaa-tie-2']);
    const beforeDated = await page(byTitleYear, `last: 5, before: "${dated.edges[0]!.cursor}"`);
    expect({ nodes: slugsOf(beforeDated), hasPreviousPage: beforeDated.pageInfo.hasPreviousPage }).toEqual({ nodes: [], hasPreviousPage: false });
    await api.db.prisma.film.deleteMany({ where: { slug: { startsWith: 'aaa-tie-' } } });
  });
});
