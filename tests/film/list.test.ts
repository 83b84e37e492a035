import { insertCatalog } from '../helpers/factory.ts';
import { loadOracle, matches, releaseDate, sortFilms, type OracleFilm, type OracleFilter, type OracleOrder } from '../helpers/film-oracle.ts';
import { useApi } from '../helpers/graphql.ts';

// The seed's five films beside a 3 000-film synthetic catalog.
const api = useApi((db) => insertCatalog(db.prisma, { films: 3000, seed: 3 }));
let films: OracleFilm[];
beforeAll(async () => {
  films = await loadOracle(api.db.prisma);
});

const LIST = `query ($filter: FilmFilter, $orderBy: [FilmOrder!], $first: Int, $last: Int) {
  films(filter: $filter, orderBy: $orderBy, first: $first, last: $last) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage }
    nodes { slug }
  }
}`;

async function list(filter: OracleFilter | null, orderBy: OracleOrder[] = [], page: { first?: number; last?: number } = { first: 100 }) {
  const result = await api.client.query(LIST, { filter, orderBy, ...page });
  expect(result.errors).toBeUndefined();
  const data = result.data!.films;
  return { total: data.totalCount as number, slugs: (data.nodes as { slug: string }[]).map((n) => n.slug), pageInfo: data.pageInfo };
}

function expected(filter: OracleFilter, orderBy: OracleOrder[] = []) {
  return sortFilms(
    films.filter((f) => matches(f, filter)),
    orderBy,
    filter.releasedIn?.country,
  ).map((f) => f.slug);
}

describe('each filter keeps exactly the films it describes', () => {
  const star = 'cat-person-0';
  test.each<[string, OracleFilter]>([
    ['genres: every listed genre', { genres: ['Drama', 'Crime'] }],
    ['yearFrom/yearTo: inclusive, films without a year excluded', { yearFrom: 1999, yearTo: 2001 }],
    ['yearFrom alone', { yearFrom: 2024 }],
    ['personSlug: any credit by that person', { personSlug: star }],
    ['personSlug + creditJob: a credit by that person in that job', { personSlug: star, creditJob: 'Actor' }],
    ['creditJob alone, case-insensitive', { creditJob: 'original music COMPOSER' }],
    [
      'releasedIn: one release matching country, dates and types together',
      { releasedIn: { country: 'JP', from: '2010-01-01', to: '2015-12-31', types: ['THEATRICAL', 'DIGITAL'] } },
    ],
    ['releasedIn with only a date range', { releasedIn: { from: '2020-06-01', to: '2020-06-01' } }],
    ['hasReviews: false', { hasReviews: false }],
    ['hasReviews: true with a genre', { hasReviews: true, genres: ['War'] }],
    ['minCriticScore: average of scored reviews at least', { minCriticScore: 85 }],
    ['everything at once', { genres: ['Drama'], yearFrom: 1990, creditJob: 'director', releasedIn: { country: 'US' }, hasReviews: true, minCriticScore: 50 }],
  ])('%s', async (_name, filter) => {
    const want = expected(filter);
    expect(want.length).toBeGreaterThan(0);
    const got = await list(filter);
    expect(got.total).toBe(want.length);
    expect(got.slugs).toEqual(want.slice(0, 100));
  });

  test('a filter no film meets gives an empty page and a zero count', async () => {
    expect(await list({ personSlug: 'nobody-at-all' })).toEqual({ total: 0, slugs: [], pageInfo: { hasNextPage: false, hasPreviousPage: false } });
  });
});

describe('the seed facts answer alongside the catalog', () => {
  test("Spike Jonze's films as director, by title", async () => {
    const got = await list({ personSlug: 'spike-jonze', creditJob: 'Director' }, [{ field: 'TITLE', direction: 'ASC' }]);
    expect(got.slugs).toEqual(['being-john-malkovich', 'her', 'where-the-wild-things-are']);
  });

  test('Joaquin Phoenix credits in any job', async () => {
    expect((await list({ personSlug: 'joaquin-phoenix' })).slugs).toEqual(['her', 'gladiator', 'walk-the-line']);
  });

  test('Her is released in GB on 14 February 2014', async () => {
    const got = await list({ releasedIn: { country: 'GB', from: '2014-02-14', to: '2014-02-14' } });
    expect(got.slugs).toEqual(['her']);
  });

  test('Her has reviews but no critic score (neither review is scored), so minCriticScore excludes it', async () => {
    expect((await list({ genres: ['Science Fiction'], hasReviews: true })).slugs).toContain('her');
    expect((await list({ genres: ['Science Fiction'], minCriticScore: 0 })).slugs).not.toContain('her');
  });
});

describe('orderings', () => {
  test.each<[string, OracleOrder[]]>([
    ['TITLE ascending, id breaking ties between equal titles', [{ field: 'TITLE', direction: 'ASC' }]],
    ['YEAR descending: films without a year still last', [{ field: 'YEAR', direction: 'DESC' }]],
    [
      'CRITIC_SCORE descending then TITLE',
      [
        { field: 'CRITIC_SCORE', direction: 'DESC' },
        { field: 'TITLE', direction: 'ASC' },
      ],
    ],
    ['RELEASE_DATE ascending: unreleased films last', [{ field: 'RELEASE_DATE', direction: 'ASC' }]],
    [
      'CREATED_AT descending then YEAR',
      [
        { field: 'CREATED_AT', direction: 'DESC' },
        { field: 'YEAR', direction: 'ASC' },
      ],
    ],
  ])('%s: first and last pages match the defined order', async (_name, orderBy) => {
    const want = expected({}, orderBy);
    const head = await list(null, orderBy, { first: 100 });
    const tail = await list(null, orderBy, { last: 100 });
    expect(head.slugs).toEqual(want.slice(0, 100));
    expect(tail.slugs).toEqual(want.slice(-100));
    expect(head.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
    expect(tail.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });

  test('nulls come last in both directions', async () => {
    for (const direction of ['ASC', 'DESC'] as const) {
      const tail = await list(null, [{ field: 'YEAR', direction }], { last: 50 });
      const years = new Map(films.map((f) => [f.slug, f.year]));
      expect(tail.slugs.every((s) => years.get(s) === null)).toBe(true);
    }
  });

  test('RELEASE_DATE uses the earliest release in filter.releasedIn.country when given', async () => {
    const orderBy: OracleOrder[] = [{ field: 'RELEASE_DATE', direction: 'ASC' }];
    const got = await list({ releasedIn: { country: 'FR' } }, orderBy);
    const bySlug = new Map(films.map((f) => [f.slug, f]));
    const frDates = got.slugs.map((s) => releaseDate(bySlug.get(s)!, 'FR')!);
    expect(frDates).toEqual([...frDates].sort());
    expect(got.slugs).toEqual(expected({ releasedIn: { country: 'FR' } }, orderBy).slice(0, 100));
    // somewhere in that page the French date is not the film's earliest release anywhere
    expect(got.slugs.some((s) => releaseDate(bySlug.get(s)!) !== releaseDate(bySlug.get(s)!, 'FR'))).toBe(true);
  });
});

describe('totalCount is counted only when asked for', () => {
  test('a page without totalCount issues one statement fewer than the same page with it', async () => {
    const query = (withCount: boolean) =>
      `{ films(first: 10, filter: { genres: ["Drama"] }, orderBy: [{ field: YEAR }]) { ${withCount ? 'totalCount' : ''} nodes { slug } } }`;
    api.db.resetStatements();
    await api.client.query(query(true));
    const withCount = api.db.statements.length;
    api.db.resetStatements();
    await api.client.query(query(false));
    const without = api.db.statements.length;
    expect(withCount).toBe(3);
    expect(without).toBe(2);
    console.info(`statements: films(first: 10) with totalCount = ${withCount}, without = ${without}`);
  });

  test('only totalCount still answers exactly', async () => {
    const result = await api.client.query('{ films(filter: { hasReviews: false }) { totalCount } }');
    expect(result.data!.films.totalCount).toBe(expected({ hasReviews: false }).length);
  });
});
