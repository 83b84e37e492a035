import { insertReleaseFixtures } from './helpers/facts-fixtures.ts';
import { insertSyntheticCatalog } from './helpers/factory.ts';
import { codes, useApi } from './helpers/graphql.ts';

const api = useApi(async (db) => {
  await insertSyntheticCatalog(db.prisma, { films: 40, releasesPerFilm: 4 });
  await insertReleaseFixtures(db.prisma);
});

interface ReleasePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string; country: string; date: string; type: string; film: { slug: string } }[];
}

async function releases(args: string): Promise<ReleasePage> {
  const result = await api.client.query(`{ releases(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { id country date type film { slug } } } }`);
  expect(result.errors).toBeUndefined();
  return result.data!.releases;
}

describe('Query.releases', () => {
  test('what opens in GB in February 2014: Her on the 14th', async () => {
    const page = await releases('country: "GB", from: "2014-02-01", to: "2014-02-28"');
    expect(page.totalCount).toBe(1);
    expect(page.nodes).toEqual([expect.objectContaining({ country: 'GB', date: '2014-02-14', type: 'THEATRICAL', film: { slug: 'her' } })]);
  });

  test('from and to are inclusive, and from == to is a one-day range', async () => {
    const page = await releases('from: "2019-12-01", to: "2019-12-01"');
    expect(page.nodes.map((n) => `${n.country} ${n.type}`)).toEqual(expect.arrayContaining(['DE PREMIERE', 'FR DIGITAL', 'FR TV', 'JP PREMIERE']));
    expect(page.nodes.every((n) => n.date === '2019-12-01')).toBe(true);
  });

  test('a date tie is ordered by country, then id', async () => {
    const page = await releases('from: "2019-12-01", to: "2019-12-01", country: "FR"');
    expect(page.nodes.map((n) => n.type)).toEqual(['DIGITAL', 'TV']); // inserted in this order: ids ascend
    const all = await releases('from: "2019-12-01", to: "2019-12-01"');
    const countries = all.nodes.map((n) => n.country);
    expect(countries).toEqual([...countries].sort());
  });

  test('paging with first/after walks every matching release once, in date, country, id order, matching the database', async () => {
    const expected = await api.db.prisma.release.findMany({
      where: { type: { in: ['PREMIERE', 'THEATRICAL'] } },
      orderBy: [{ date: 'asc' }, { country: 'asc' }, { id: 'asc' }],
      select: { date: true, country: true, type: true },
    });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: ReleasePage = await releases(`types: [PREMIERE, THEATRICAL], first: 7${after ? `, after: "${after}"` : ''}`);
      expect(page.totalCount).toBe(expected.length);
      seen.push(...page.nodes.map((n) => `${n.date} ${n.country} ${n.type}`));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((r) => `${r.date.toISOString().slice(0, 10)} ${r.country} ${r.type}`));
    expect(pages).toBe(Math.ceil(expected.length / 7));
  });

  test('filters combine: a country and only a lower bound', async () => {
    const expected = await api.db.prisma.release.count({ where: { country: 'US', date: { gte: new Date('2005-01-01') } } });
    const page = await releases('country: "US", from: "2005-01-01", first: 100');
    expect(page.totalCount).toBe(expected);
    expect(page.nodes.every((n) => n.country === 'US' && n.date >= '2005-01-01')).toBe(true);
  });

  test.each([
    ['an inverted range', '{ releases(from: "2014-03-01", to: "2014-02-01") { totalCount } }', 'BAD_USER_INPUT'],
    ['an empty `types` list', '{ releases(types: []) { totalCount } }', 'BAD_USER_INPUT'],
    ['an unknown country literal', '{ releases(country: "UK") { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an invalid date literal', '{ releases(from: "2014-02-30") { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a forged cursor', '{ releases(after: "bm9wZQ==") { totalCount } }', 'INVALID_CURSOR'],
    ['first above 100', '{ releases(first: 101) { totalCount } }', 'BAD_USER_INPUT'],
  ])('%s is a coded error', async (_name, query, code) => {
    const result = await api.client.query(query);
    expect(result.status).toBeLessThan(500);
    expect(codes(result)).toEqual([code]);
  });

  test('the inverted-range error says which argument is wrong', async () => {
    const result = await api.client.query('{ releases(from: "2014-03-01", to: "2014-02-01") { totalCount } }');
    expect(result.errors![0]!.message).toBe('`from` must be on or before `to`.');
    expect(result.errors![0]!.extensions!['issues']).toEqual([{ message: '`from` must be on or before `to`.', path: ['from'] }]);
  });

  test('an unknown country in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($c: CountryCode) { releases(country: $c) { totalCount } }', { c: 'UK' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
