import { insertReleaseFixtures } from './helpers/facts-fixtures.ts';
import { insertSyntheticCatalog } from './helpers/factory.ts';
import { codes, useApi } from './helpers/graphql.ts';

const api = useApi(async (db) => {
  await insertSyntheticCatalog(db.prisma, { films: 40, releasesPerFilm: 4 });
  await insertReleaseFixtures(db.prisma);
});

interface Choice {
  matchedCountry: boolean;
  rule: string;
  release: { country: string; date: string; type: string };
}

async function releaseFor(slug: string, args: string): Promise<Choice | null> {
  const result = await api.client.query(
    `{ film(slug: "${slug}") { releaseFor(${args}) { matchedCountry rule release { country date type } } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.film.releaseFor;
}

const chosen = (country: string, date: string, type: string, matchedCountry = true): Choice => ({
  matchedCountry,
  rule: matchedCountry ? 'COUNTRY_PRECEDENCE' : 'EARLIEST_ELSEWHERE',
  release: { country, date, type },
});

describe('Film.releaseFor', () => {
  test('Her opens in the US on 2014-01-10 and in GB on 2014-02-14 (theatrical, from the seed)', async () => {
    expect(await releaseFor('her', 'country: "US"')).toEqual(chosen('US', '2014-01-10', 'THEATRICAL'));
    expect(await releaseFor('her', 'country: "GB"')).toEqual(chosen('GB', '2014-02-14', 'THEATRICAL'));
  });

  test('a country without a release of Her falls back to its earliest release anywhere, flagged as not matched', async () => {
    expect(await releaseFor('her', 'country: "FR"')).toEqual(chosen('US', '2014-01-10', 'THEATRICAL', false));
  });

  test('country codes are case-insensitive', async () => {
    expect(await releaseFor('her', 'country: "gb"')).toEqual(chosen('GB', '2014-02-14', 'THEATRICAL'));
  });

  test('in the country, theatrical beats an earlier limited run and premiere; of two theatrical dates the earliest wins', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US"')).toEqual(chosen('US', '2020-02-20', 'THEATRICAL'));
  });

  test('in the country, type precedence beats date: digital (May) over an earlier physical release (April)', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "GB"')).toEqual(chosen('GB', '2020-05-01', 'DIGITAL'));
  });

  test('the fallback takes the earliest date; a tie goes to the better type, then the lower country code', async () => {
    // 2019-12-01 has DE and JP premieres, a FR digital and a FR TV release.
    expect(await releaseFor('facts-release-rules', 'country: "IT"')).toEqual(chosen('DE', '2019-12-01', 'PREMIERE', false));
  });

  test('`types` restricts the candidates in the country', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [PREMIERE, LIMITED]')).toEqual(
      chosen('US', '2020-02-01', 'LIMITED'),
    );
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [PREMIERE]')).toEqual(chosen('US', '2020-01-01', 'PREMIERE'));
  });

  test('`types` restricts the fallback too: no US TV release → the earliest TV release anywhere', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [TV]')).toEqual(chosen('FR', '2019-12-01', 'TV', false));
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [TV, DIGITAL]')).toEqual(
      chosen('US', '2020-06-01', 'DIGITAL'),
    );
  });

  test('null when the film has no release (of the requested types)', async () => {
    expect(await releaseFor('facts-no-releases', 'country: "US"')).toBeNull();
    expect(await releaseFor('her', 'country: "US", types: [DIGITAL, TV]')).toBeNull();
  });

  test('selecting only the rule still applies the precedence (the columns it needs are always loaded)', async () => {
    const result = await api.client.query('{ film(slug: "facts-release-rules") { us: releaseFor(country: "US") { rule } it: releaseFor(country: "IT") { matchedCountry } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.film).toEqual({ us: { rule: 'COUNTRY_PRECEDENCE' }, it: { matchedCountry: false } });
  });

  test('the chosen release is a full Release with its citations', async () => {
    const result = await api.client.query('{ film(slug: "her") { releaseFor(country: "GB") { release { id citations { excerpt } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.film.releaseFor.release.citations.map((c: { excerpt: string }) => c.excerpt)).toEqual([
      'will be released',
      'the 14th February in the UK',
      'the 14th February',
    ]);
  });

  test.each([
    ['an empty `types` list', '{ film(slug: "her") { releaseFor(country: "US", types: []) { rule } } }', 'BAD_USER_INPUT'],
    ['an unknown country literal', '{ film(slug: "her") { releaseFor(country: "XX") { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a missing country', '{ film(slug: "her") { releaseFor { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown release type', '{ film(slug: "her") { releaseFor(country: "US", types: [CINEMA]) { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s is a coded error', async (_name, query, code) => {
    const result = await api.client.query(query);
    expect(codes(result)).toEqual([code]);
  });

  test('an unknown country in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($c: CountryCode!) { film(slug: "her") { releaseFor(country: $c) { rule } } }', { c: 'ZZ' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

interface ReleasePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: { id: string; country: string; date: string; type: string; film: { slug: string } }[];
}

async function releases(args: string): Promise<ReleasePage> {
  const result = await api.client.query(
    `{ releases(${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { id country date type film { slug } } } }`,
  );
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
    expect(page.nodes.map((n) => `${n.country} ${n.type}`)).toEqual(
      expect.arrayContaining(['DE PREMIERE', 'FR DIGITAL', 'FR TV', 'JP PREMIERE']),
    );
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
