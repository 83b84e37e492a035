import { insertSyntheticCatalog } from './helpers/factory.ts';
import { useApi } from './helpers/graphql.ts';

// Statement counts must not grow with page size: every relation below is loaded by Prisma
// (relationJoins: LATERAL joins in the page's own statement), never once per parent row.
const api = useApi((db) =>
  insertSyntheticCatalog(db.prisma, { films: 60, creditsPerFilm: 6, reviewsPerFilm: 3, releasesPerFilm: 2 }),
);

const FILMS_DEEP = `query ($first: Int!) {
  films(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      title
      credits(first: 10) { totalCount edges { node { kind job character person { name slug } } } }
      cast { character person { name } }
      directors { name }
      reviews(first: 5) { edges { node { normalizedScore quote publication { name } } } }
      releases { country date type }
      citations { excerpt source { slug } }
    } }
  }
}`;

async function statementsFor(query: string, variables: Record<string, unknown>) {
  api.db.resetStatements();
  const result = await api.client.query(query, variables);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, result };
}

test('films(first: 5) and films(first: 50) with credits → person, reviews → publication and releases issue the same small number of statements', async () => {
  const small = await statementsFor(FILMS_DEEP, { first: 5 });
  const large = await statementsFor(FILMS_DEEP, { first: 50 });
  expect(small.result.data!.films.edges).toHaveLength(5);
  expect(large.result.data!.films.edges).toHaveLength(50);
  // the 50-film page really carries nested data (so the count is not trivially equal)
  const withCredits = large.result.data!.films.edges.filter((e: any) => e.node.credits.edges.length > 0);
  expect(withCredits.length).toBeGreaterThanOrEqual(45);
  expect(large.count).toBe(small.count);
  // 1 for the page with every nested relation (LATERAL joins), 1 for totalCount, and 1 each for
  // `cast` and `directors`: they read `credits` with another filter than `credits(first:)`, so
  // Pothos loads them separately — one batched statement for all films on the page.
  expect(large.count).toBe(4);
  console.info(`statements: films(first: 5) deep = ${small.count}, films(first: 50) deep = ${large.count}`);
});

test('a person filmography page with nested film data does not fan out per credit', async () => {
  const query = `query ($first: Int!) {
    people(first: $first) { edges { node { name aliases { name } credits(first: 20) { totalCount edges { node { job film { title releases { date } } } } } } } }
  }`;
  const small = await statementsFor(query, { first: 5 });
  const large = await statementsFor(query, { first: 50 });
  expect(large.count).toBe(small.count);
  expect(large.count).toBeLessThanOrEqual(2);
  console.info(`statements: people(first: 5) = ${small.count}, people(first: 50) = ${large.count}`);
});

test('node(id:) lookups in one request are batched per type, not issued per id', async () => {
  const films = await api.client.query('{ films(first: 30) { edges { node { id } } } }');
  const ids = films.data!.films.edges.map((e: any) => e.node.id);
  const few = await statementsFor('query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Film { title directors { name } } } }', {
    ids: ids.slice(0, 3),
  });
  const many = await statementsFor('query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Film { title directors { name } } } }', {
    ids,
  });
  expect(many.result.data!.nodes).toHaveLength(30);
  expect(many.count).toBe(few.count);
});
