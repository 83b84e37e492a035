import fc from 'fast-check';
import { insertCatalog } from '../helpers/factory.ts';
import { loadOracle, matches, sortFilms, type OracleFilm, type OracleFilter, type OracleOrder } from '../helpers/film-oracle.ts';
import { useApi } from '../helpers/graphql.ts';

// Property: for any filter, ordering and page size, paging forwards (first/after) and backwards
// (last/before) visits exactly the filtered films, each once, in the order the README defines.
// KEYSET_PROPERTY_QUICK=1 (set by the mutation runs, where this file runs once per mutant): 10
// runs over a catalog of 500 films, and the first failure ends the run without shrinking it.
const QUICK = process.env['KEYSET_PROPERTY_QUICK'] === '1';
const NUM_RUNS = QUICK ? 10 : 30;
const api = useApi((db) => insertCatalog(db.prisma, { films: QUICK ? 500 : 1500, seed: 11 }));
let films: OracleFilm[];
beforeAll(async () => {
  films = await loadOracle(api.db.prisma);
});

const GENRES = ['Drama', 'Comedy', 'Thriller', 'Romance', 'Horror', 'Documentary', 'Animation', 'Action', 'Science Fiction', 'Crime', 'Family', 'War'];

// Each filter narrows the list to tens or a few hundred films so a run pages through it in
// reasonable time; most keep films without a year, release or score in play (NULL keys).
const narrowing: fc.Arbitrary<OracleFilter> = fc.oneof(
  fc.constantFrom(...GENRES).map((g) => ({ genres: [g] })),
  fc.uniqueArray(fc.constantFrom(...GENRES), { minLength: 2, maxLength: 2 }).map((genres) => ({ genres })),
  fc.tuple(fc.integer({ min: 1930, max: 2025 }), fc.integer({ min: 0, max: 8 })).map(([from, width]) => ({ yearFrom: from, yearTo: from + width })),
  fc.constantFrom(...GENRES).map((g) => ({ genres: [g], hasReviews: false })),
);
// Extra parts narrow further; each appears in about one run in four.
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const extra: fc.Arbitrary<OracleFilter> = fc.record({
  releasedIn: sometimes(fc.record({ country: fc.constantFrom('US', 'FR', 'JP') })),
  minCriticScore: sometimes(fc.integer({ min: 0, max: 100 })),
});
const filterArb = fc.tuple(narrowing, extra).map(([a, b]) => JSON.parse(JSON.stringify({ ...a, ...b })) as OracleFilter);
// Mostly pages of a handful to fifty; sometimes 1–2, where every row is a page boundary.
const sizeArb = fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) }, { weight: 5, arbitrary: fc.integer({ min: 3, max: 50 }) });
const orderArb: fc.Arbitrary<OracleOrder[]> = fc.uniqueArray(
  fc.record({
    field: fc.constantFrom('TITLE' as const, 'YEAR' as const, 'RELEASE_DATE' as const, 'CRITIC_SCORE' as const, 'CREATED_AT' as const),
    direction: fc.constantFrom('ASC' as const, 'DESC' as const),
  }),
  { minLength: 0, maxLength: 3, selector: (t) => t.field },
);

const QUERY = `query ($filter: FilmFilter, $orderBy: [FilmOrder!], $first: Int, $after: String, $last: Int, $before: String) {
  films(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug } }
  }
}`;

interface Page {
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { cursor: string; node: { slug: string } }[];
}

const stats = { pages: 0, rows: 0, maxRows: 0 };

async function page(variables: Record<string, unknown>): Promise<Page> {
  stats.pages++;
  const result = await api.client.query<{ films: Page }>(QUERY, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.films;
}

/** Pages through the list; `rows` (the expected length) bounds the pages, so a list that never ends fails at once. */
async function walk(filter: OracleFilter, orderBy: OracleOrder[], size: number, backward: boolean, rows: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let n = 0; n <= Math.ceil(rows / size); n++) {
    const p: Page = await page(backward ? { filter, orderBy, last: size, before: cursor } : { filter, orderBy, first: size, after: cursor });
    const slugs = p.edges.map((e) => e.node.slug);
    if (backward) seen.unshift(...slugs);
    else seen.push(...slugs);
    // the page on the side we came from exists exactly when a cursor was given
    expect(backward ? p.pageInfo.hasNextPage : p.pageInfo.hasPreviousPage).toBe(cursor !== null && seen.length > slugs.length);
    const more = backward ? p.pageInfo.hasPreviousPage : p.pageInfo.hasNextPage;
    if (!more) return seen;
    expect(slugs).toHaveLength(size);
    cursor = backward ? p.pageInfo.startCursor : p.pageInfo.endCursor;
  }
  throw new Error(`paging did not end after ${Math.ceil(rows / size) + 1} pages of ${size} for ${rows} rows`);
}

test(`paging visits every filtered film exactly once in the defined order, forwards and backwards (${NUM_RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(filterArb, orderArb, sizeArb, async (filter, orderBy, size) => {
      const expected = sortFilms(
        films.filter((f) => matches(f, filter)),
        orderBy,
        filter.releasedIn?.country,
      ).map((f) => f.slug);
      stats.rows += expected.length;
      stats.maxRows = Math.max(stats.maxRows, expected.length);
      expect(await walk(filter, orderBy, size, false, expected.length)).toEqual(expected);
      expect(await walk(filter, orderBy, size, true, expected.length)).toEqual(expected);
    }),
    { numRuns: NUM_RUNS, seed: 20261128, endOnFailure: QUICK },
  );
  console.info(`keyset property: ${NUM_RUNS} runs, ${stats.pages} pages, ${stats.rows} expected rows (largest list ${stats.maxRows}), each walked both ways`);
});

// Fixed cases beside the random ones, so every run (and every mutant of the keyset code) pages
// across the boundary between the values of a nullable key and its NULLs, in both directions,
// on the leading key and on a second key under ties of the first.
test.each([
  ['YEAR ASC, pages of 3', { genres: ['Drama'] }, [{ field: 'YEAR', direction: 'ASC' }], 3, (f: OracleFilm) => f.year],
  ['YEAR DESC, pages of 2', { genres: ['Comedy'] }, [{ field: 'YEAR', direction: 'DESC' }], 2, (f: OracleFilm) => f.year],
  ['CRITIC_SCORE DESC, pages of 4', { genres: ['Thriller'] }, [{ field: 'CRITIC_SCORE', direction: 'DESC' }], 4, (f: OracleFilm) => f.score],
  [
    'YEAR ASC then CRITIC_SCORE DESC, pages of 2',
    { genres: ['Drama'] },
    [
      { field: 'YEAR', direction: 'ASC' },
      { field: 'CRITIC_SCORE', direction: 'DESC' },
    ],
    2,
    // the second key's NULLs and values within one year
    (f: OracleFilm, all: OracleFilm[]) => (all.some((g) => g.year === f.year && g !== f && (g.score == null) !== (f.score == null)) ? f.score : undefined),
  ],
] as [string, OracleFilter, OracleOrder[], number, (f: OracleFilm, all: OracleFilm[]) => unknown][])(
  'paging by %s crosses from values to NULLs and back',
  async (_name, filter, orderBy, size, key) => {
    const expected = sortFilms(
      films.filter((f) => matches(f, filter)),
      orderBy,
    );
    // the case means something only if the list holds both NULL and non-NULL keys
    expect(expected.some((f) => key(f, expected) === null) && expected.some((f) => key(f, expected) != null)).toBe(true);
    const slugs = expected.map((f) => f.slug);
    expect(await walk(filter, orderBy, size, false, slugs.length)).toEqual(slugs);
    expect(await walk(filter, orderBy, size, true, slugs.length)).toEqual(slugs);
  },
);
