import { useApi } from '../helpers/graphql.ts';
import { FILM_DETAIL, FILMS_DEEP, FILMS_LISTED, PEOPLE_DEEP, PEOPLE_LISTED, seedStatementCatalog } from '../helpers/statement-documents.ts';

// Statement counts must not grow with page size: every relation below is loaded by Prisma
// (relationJoins: LATERAL joins in the page's own statement), never once per parent row.
// The 50-item pages with nested lists go past the production cost limit (MAX_COST 5000) on
// purpose; the limit itself is tested in tests/plugins/cost/cost.test.ts.
const api = useApi(seedStatementCatalog, {
  guard: { MAX_COST: 50_000 },
});

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
  // 1 for the page's ids (keyset), 1 for those rows with every nested relation (LATERAL joins),
  // 1 for totalCount, and 1 for `cast`: it reads `credits` with another filter than
  // `credits(first:)`, so Pothos loads it separately — one batched statement for all films on
  // the page. `directors` reads the crew-only relation (Credit.crewFilmId) and joins in.
  expect(large.count).toBe(4);
  console.info(`statements: films(first: 5) deep = ${small.count}, films(first: 50) deep = ${large.count}`);
});

test('a person filmography page with nested film data does not fan out per credit', async () => {
  const small = await statementsFor(PEOPLE_DEEP, { first: 5 });
  const large = await statementsFor(PEOPLE_DEEP, { first: 50 });
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

test('a filtered, ordered films page with facets and nested credits → person costs the same statements for 5 or 50 films', async () => {
  const small = await statementsFor(FILMS_LISTED, { first: 5, facets: true });
  const large = await statementsFor(FILMS_LISTED, { first: 50, facets: true });
  expect(small.result.data!.films.edges).toHaveLength(5);
  expect(large.result.data!.films.edges).toHaveLength(50);
  expect(large.result.data!.films.edges.every((e: any) => e.node.credits.edges.length > 0)).toBe(true);
  expect(large.count).toBe(small.count);
  // keyset ids, rows with credits → person, totalCount, facets (all three groups in one statement)
  expect(large.count).toBe(4);
  const withoutFacets = await statementsFor(FILMS_LISTED, { first: 50, facets: false });
  expect(withoutFacets.count).toBe(3);
  console.info(
    `statements: filtered films(first: 5) + facets = ${small.count}, films(first: 50) + facets = ${large.count}, without facets = ${withoutFacets.count}`,
  );
});

test('a filtered, ordered people page with nested credits → film costs the same statements for 5 or 50 people', async () => {
  const small = await statementsFor(PEOPLE_LISTED, { first: 5 });
  const large = await statementsFor(PEOPLE_LISTED, { first: 50 });
  expect(large.result.data!.people.edges).toHaveLength(50);
  expect(large.count).toBe(small.count);
  // keyset ids, rows with credits → film, totalCount
  expect(large.count).toBe(3);
  console.info(`statements: filtered people(first: 5) = ${small.count}, people(first: 50) = ${large.count}`);
});

test('a film detail with a cast page, directors and writers, releases and reviews → publication is one statement', async () => {
  const film = await api.db.prisma.film.findFirstOrThrow({
    where: { credits: { some: { kind: 'CREW', job: 'Director' } } },
    orderBy: { id: 'asc' },
    select: { slug: true, credits: { orderBy: { id: 'asc' }, select: { kind: true, job: true, department: true, person: { select: { name: true } } } } },
  });
  const { count, result } = await statementsFor(FILM_DETAIL, { slug: film.slug });
  expect(count).toBe(1);
  const names = (pick: (c: (typeof film.credits)[number]) => boolean) => [...new Set(film.credits.filter(pick).map((c) => c.person.name))];
  expect(result.data!.film.directors.map((p: { name: string }) => p.name)).toEqual(names((c) => c.kind === 'CREW' && c.job === 'Director'));
  expect(result.data!.film.writers).toHaveLength(names((c) => c.department === 'WRITING').length);
  expect(result.data!.film.cast.edges.length).toBeGreaterThan(0);
});
