import { insertReviewFixtures } from '../helpers/facts-fixtures.ts';
import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { useApi } from '../helpers/graphql.ts';

const CRITICS = 60;
// The statement-count queries below ask for 50-item pages with nested lists on purpose, past the
// production cost limit (MAX_COST 5000); the limit itself is tested in tests/plugins/cost/cost.test.ts.
const api = useApi(
  async (db) => {
    await insertSyntheticCatalog(db.prisma, { films: 60, reviewsPerFilm: 4, releasesPerFilm: 3 });
    await insertReviewFixtures(db.prisma, { critics: CRITICS });
  },
  { guard: { MAX_COST: 50_000 } },
);

interface Score {
  average: number | null;
  count: number;
  scoredCount: number;
  positiveShare: number | null;
}

async function statementsFor(query: string, variables: Record<string, unknown> = {}) {
  api.db.resetStatements();
  const result = await api.client.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data! };
}

async function criticScore(slug: string): Promise<Score> {
  const result = await api.client.query(`{ film(slug: "${slug}") { criticScore { average count scoredCount positiveShare } } }`);
  expect(result.errors).toBeUndefined();
  return result.data!.film.criticScore;
}

/** The definitions of README "Critic score", applied to the scores the API lists. */
function recompute(scores: (number | null)[]): Score {
  const scored = scores.filter((s): s is number => s !== null);
  return {
    count: scores.length,
    scoredCount: scored.length,
    average: scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null,
    positiveShare: scored.length ? scored.filter((s) => s >= 60).length / scored.length : null,
  };
}

describe('Film.criticScore', () => {
  test('mixed reviews: the unscored one counts in `count` only; 60 is positive, 59 is not', async () => {
    const score = await criticScore('facts-mixed-scores');
    // 80, 60, 59, unscored, and 60 critics' reviews of 70
    const expected = recompute([80, 60, 59, null, ...Array<number>(CRITICS).fill(70)]);
    expect(score.count).toBe(4 + CRITICS);
    expect(score.scoredCount).toBe(3 + CRITICS);
    expect(score.average).toBeCloseTo(expected.average!, 10);
    expect(score.positiveShare).toBeCloseTo((2 + CRITICS) / (3 + CRITICS), 10);
  });

  test('only unscored reviews: a count, but no average and no positive share', async () => {
    expect(await criticScore('facts-unscored')).toEqual({ average: null, count: 2 + CRITICS, scoredCount: 0, positiveShare: null });
  });

  test('no reviews at all: zero counts and nulls', async () => {
    expect(await criticScore('facts-unreviewed')).toEqual({ average: null, count: 0, scoredCount: 0, positiveShare: null });
  });

  test("Her's two seeded reviews are unscored", async () => {
    expect(await criticScore('her')).toEqual({ average: null, count: 2, scoredCount: 0, positiveShare: null });
  });

  test('for a page of films, criticScore equals what the reviews the API returns recompute to', async () => {
    const { data } = await statementsFor(`{
      films(first: 100) { nodes { slug criticScore { average count scoredCount positiveShare } reviews(first: 100) { totalCount nodes { normalizedScore } } } }
    }`);
    const films = data.films.nodes as { slug: string; criticScore: Score; reviews: { totalCount: number; nodes: { normalizedScore: number | null }[] } }[];
    expect(films.length).toBe(68); // 5 seeded, 60 synthetic, 3 fixtures
    for (const film of films) {
      expect(film.reviews.nodes.length).toBe(film.reviews.totalCount); // the page holds every review
      const expected = recompute(film.reviews.nodes.map((n) => n.normalizedScore));
      expect({ slug: film.slug, count: film.criticScore.count, scoredCount: film.criticScore.scoredCount }).toEqual({
        slug: film.slug,
        count: expected.count,
        scoredCount: expected.scoredCount,
      });
      for (const key of ['average', 'positiveShare'] as const) {
        if (expected[key] === null) expect(film.criticScore[key]).toBeNull();
        else expect(film.criticScore[key]).toBeCloseTo(expected[key], 10);
      }
    }
    expect(films.filter((f) => f.criticScore.scoredCount > 0).length).toBeGreaterThanOrEqual(61);
  });
});

const FILMS_FACTS = `query ($first: Int!) {
  films(first: $first) { nodes {
    title
    criticScore { average count scoredCount positiveShare }
    releaseFor(country: "US") { matchedCountry rule release { date type country citations { excerpt } } }
    gb: releaseFor(country: "GB", types: [LIMITED, THEATRICAL]) { release { date } }
    reviews(first: 5) { totalCount nodes { normalizedScore publishedOn publication { name } critic { name } } }
  } }
}`;

test('films(first: 5) and films(first: 50) selecting criticScore, releaseFor and reviews issue the same number of statements', async () => {
  const small = await statementsFor(FILMS_FACTS, { first: 5 });
  const large = await statementsFor(FILMS_FACTS, { first: 50 });
  expect(large.data.films.nodes).toHaveLength(50);
  expect(large.data.films.nodes.filter((f: any) => f.releaseFor?.matchedCountry).length).toBeGreaterThanOrEqual(45);
  expect(large.count).toBe(small.count);
  // 1 keyset statement for the page's ids, 1 loading those films (releases and reviews joined in),
  // 1 for the critic scores of the whole page, 1 for the aliased `gb` releaseFor (other
  // `releases` filter, batched for the page).
  expect(large.count).toBe(4);
  console.info(`statements: films(first: 5) facts = ${small.count}, films(first: 50) facts = ${large.count}`);
});

describe('Publication.reviews and Critic.reviews', () => {
  const order = (nodes: { id: string; publishedOn: string | null }[]) => nodes.map((n) => n.publishedOn);

  test('are newest first, undated last, and page across the dated/undated boundary without gaps or repeats', async () => {
    const all = await api.client.query('{ publication(slug: "facts-outlet") { reviews(first: 100) { totalCount nodes { id publishedOn } } } }');
    expect(all.errors).toBeUndefined();
    const every = all.data!.publication.reviews.nodes as { id: string; publishedOn: string | null }[];
    expect(all.data!.publication.reviews.totalCount).toBe(6 + 2 * CRITICS);
    const dates = order(every);
    const dated = dates.filter((d) => d !== null) as string[];
    expect(dates.slice(0, dated.length)).toEqual([...dated].sort().reverse()); // dated first, newest first
    expect(dates.slice(dated.length).every((d) => d === null)).toBe(true);

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await api.client.query(
        `query ($after: String) { publication(slug: "facts-outlet") { reviews(first: 9, after: $after) { pageInfo { hasNextPage endCursor } nodes { id publishedOn } } } }`,
        { after },
      );
      expect(page.errors).toBeUndefined();
      seen.push(...page.data.publication.reviews.nodes.map((n: { id: string }) => n.id));
      if (!page.data.publication.reviews.pageInfo.hasNextPage) break;
      after = page.data.publication.reviews.pageInfo.endCursor;
    }
    const expected = await api.db.prisma.review.findMany({
      where: { publication: { slug: 'facts-outlet' } },
      orderBy: [{ publishedOn: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }],
      select: { id: true },
    });
    expect(seen).toHaveLength(6 + 2 * CRITICS);
    expect(seen).toEqual(expected.map((r) => Buffer.from(`Review:${r.id}`).toString('base64')));
    expect(seen.slice(0, 100)).toEqual(every.map((n) => n.id));
  });

  test('ties on publishedOn are ordered by id', async () => {
    const result = await api.client.query('{ film(slug: "facts-mixed-scores") { reviews(first: 2) { nodes { id normalizedScore publishedOn } } } }');
    // 80 and 59 share 2021-03-01; 80 was inserted first.
    expect(result.data!.film.reviews.nodes.map((n: { normalizedScore: number }) => n.normalizedScore)).toEqual([80, 59]);
  });

  test("a critic's reviews: the dated one first, then the undated one", async () => {
    const result = await api.client.query('{ critic(slug: "facts-critic-3") { reviews { totalCount nodes { publishedOn film { slug } } } } }');
    expect(result.data!.critic.reviews).toEqual({
      totalCount: 2,
      nodes: [
        { publishedOn: '2022-01-04', film: { slug: 'facts-unscored' } },
        { publishedOn: null, film: { slug: 'facts-mixed-scores' } },
      ],
    });
  });

  test('critics(first: 5) and critics(first: 50) with their reviews issue the same number of statements', async () => {
    const query = `query ($first: Int!) { critics(first: $first) { nodes { name publications { name } reviews(first: 5) { totalCount nodes { publishedOn film { title } publication { name } } } } } }`;
    const small = await statementsFor(query, { first: 5 });
    const large = await statementsFor(query, { first: 50 });
    expect(large.data.critics.nodes).toHaveLength(50);
    expect(large.data.critics.nodes.every((c: any) => c.reviews.nodes.length === 2)).toBe(true);
    expect(large.count).toBe(small.count);
    console.info(`statements: critics(first: 5) reviews = ${small.count}, critics(first: 50) reviews = ${large.count}`);
  });

  test('publications(first: 2) and publications(first: 8) with their reviews issue the same number of statements', async () => {
    const query = `query ($first: Int!) { publications(first: $first) { nodes { name reviews(first: 10) { totalCount nodes { publishedOn film { title } critic { name } } } } } }`;
    const small = await statementsFor(query, { first: 2 });
    const large = await statementsFor(query, { first: 8 });
    expect(large.data.publications.nodes).toHaveLength(8); // 2 seeded, 5 synthetic, 1 fixture
    expect(large.count).toBe(small.count);
    console.info(`statements: publications(first: 2) reviews = ${small.count}, publications(first: 8) reviews = ${large.count}`);
  });
});
