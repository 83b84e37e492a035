import { insertCatalog } from '../helpers/factory.ts';
import { insertFacetFixtures } from '../helpers/facts-fixtures.ts';
import { loadOracle, matches, type OracleFilm, type OracleFilter } from '../helpers/film-oracle.ts';
import { useApi } from '../helpers/graphql.ts';

const api = useApi(async (db) => {
  await insertCatalog(db.prisma, { films: 2500, seed: 5 });
  await insertFacetFixtures(db.prisma);
});
let films: OracleFilm[];
beforeAll(async () => {
  films = await loadOracle(api.db.prisma);
});

const FACETS = `query ($filter: FilmFilter) {
  films(filter: $filter, first: 3) {
    totalCount
    nodes { slug }
    facets { genres { value count } years { value count } countries { value count } }
  }
}`;

type Facet<V> = { value: V; count: number };

/** Facet counts as the README defines them, from the oracle's films. */
function expectedFacets(filter: OracleFilter) {
  const kept = films.filter((f) => matches(f, filter));
  const tally = <V>(values: V[]) => {
    const counts = new Map<V, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].map(([value, count]) => ({ value, count }));
  };
  const byCount = (a: Facet<string>, b: Facet<string>) => b.count - a.count || (a.value < b.value ? -1 : 1);
  return {
    genres: tally(kept.flatMap((f) => [...new Set(f.genres)])).sort(byCount),
    years: tally(kept.map((f) => f.year)).sort((a, b) => (a.value ?? Infinity) - (b.value ?? Infinity)),
    countries: tally(kept.flatMap((f) => [...new Set(f.releases.map((r) => r.country))])).sort(byCount),
  };
}

test.each<[string, OracleFilter | null]>([
  ['no filter: every film, the seed ones included', null],
  ['a genre', { genres: ['Comedy'] }],
  ['a year range and reviews', { yearFrom: 2000, yearTo: 2010, hasReviews: true }],
  ['a release country (the countries facet still counts every country those films reached)', { releasedIn: { country: 'KR' } }],
  ['a person', { personSlug: 'cat-person-3' }],
  ['a critic score', { minCriticScore: 70, genres: ['Drama'] }],
])('facets honour the filter: %s', async (_name, filter) => {
  const result = await api.client.query(FACETS, { filter });
  expect(result.errors).toBeUndefined();
  const want = expectedFacets(filter ?? {});
  expect(result.data!.films.facets).toEqual(want);
  const total = result.data!.films.totalCount;
  // every film has a year (or the null year), so the years facet sums to the total
  expect(want.years.reduce((sum, y) => sum + y.count, 0)).toBe(total);
});

test('the seed facts show in the unfiltered facets: Her is the one Science Fiction film with releases in US and GB', async () => {
  const result = await api.client.query(FACETS, { filter: { personSlug: 'spike-jonze' } });
  expect(result.data!.films.facets).toEqual({
    genres: [{ value: 'Science Fiction', count: 1 }],
    years: [{ value: null, count: 3 }],
    countries: [
      { value: 'GB', count: 1 },
      { value: 'US', count: 1 },
    ],
  });
});

test('a film released twice in one country counts once in that country', async () => {
  // The 1905 fixtures: one film with two French releases and a US one, another with one French release.
  const result = await api.client.query(FACETS, { filter: { yearFrom: 1905, yearTo: 1905 } });
  expect(result.errors).toBeUndefined();
  expect(result.data!.films.totalCount).toBe(2);
  expect(result.data!.films.facets.countries).toEqual([
    { value: 'FR', count: 2 },
    { value: 'US', count: 1 },
  ]);
});

test('facets cost one statement, and none when not selected', async () => {
  const run = async (selection: string) => {
    api.db.resetStatements();
    const result = await api.client.query(`{ films(first: 5, filter: { genres: ["Drama"] }) { ${selection} } }`);
    expect(result.errors).toBeUndefined();
    return api.db.statements.length;
  };
  const plain = await run('nodes { slug }');
  const withFacets = await run('nodes { slug } facets { genres { value count } years { value count } countries { value count } }');
  const twice = await run('nodes { slug } a: facets { genres { value } } b: facets { countries { value } }');
  expect(plain).toBe(2);
  expect(withFacets).toBe(3);
  expect(twice).toBe(3);
  console.info(`statements: films(first: 5) = ${plain}, with facets = ${withFacets}, facets under two aliases = ${twice}`);
});
