import { compiledExecutionStats } from '../../../src/plugins/compiled/execution.ts';
import { createClient, useApi, type Client } from '../../helpers/graphql.ts';
import { FILM_DETAIL, seedStatementCatalog } from '../../helpers/statement-documents.ts';
import { FILM_CINEGRAPH, FILMS_CINEGRAPH } from '../../../bench/scenarios.ts';

// Hot documents answered by one SQL statement (src/plugins/compiled/sql): every answer must be
// exactly graphql-js' (values, nulls, key order, errors), and a document the statement cannot
// express must still be answered, by the resolvers.
const api = useApi(seedStatementCatalog);

const guard = { MAX_COST: 50_000, RATE_LIMIT_ENABLED: false };
let plain: Client;
let sql: Client;
let slug: string;
let personSlug: string;
let filmId: string;
beforeAll(async () => {
  plain = createClient(api.db, { jit: false, guard });
  sql = createClient(api.db, { jit: true, jitAfter: 1, sql: true, guard });
  const film = await api.db.prisma.film.findFirstOrThrow({
    where: { credits: { some: { kind: 'CREW', job: 'Director' } }, reviews: { some: {} } },
    orderBy: { id: 'asc' },
  });
  slug = film.slug;
  filmId = Buffer.from(`Film:${film.id}`).toString('base64');
  const person = await api.db.prisma.person.findFirstOrThrow({ where: { credits: { some: {} } }, orderBy: { id: 'asc' } });
  personSlug = person.slug;
});

/** Both paths' answers, and how many of the SQL client's executions ran as one statement. */
async function both(query: string, variables: Record<string, unknown>) {
  const expected = await plain.query(query, variables);
  const before = compiledExecutionStats().sqlExecutions;
  api.db.resetStatements();
  const actual = await sql.query(query, variables);
  return { expected, actual, statements: api.db.statements.length, inSql: compiledExecutionStats().sqlExecutions - before };
}

const FRAGMENTS = `
query ($slug: String!, $withReviews: Boolean!) {
  __typename
  film(slug: $slug) {
    ...Head
    __typename
    alsoTitle: title
    ... on Film { year genres }
    credits(first: 4) { totalCount pageInfo { hasNextPage hasPreviousPage __typename } nodes { id kind department job character billingOrder voice } }
    reviews(first: 1) @include(if: $withReviews) { edges { __typename node { id publishedOn normalizedScore originalScore scoreScale publication { id name slug } } } }
    releases(country: "US") { date type country certification note }
  }
}
fragment Head on Film { id slug title originalTitle runtimeMinutes synopsis createdAt updatedAt imdbId tmdbId wikidataId }
`;

const PERSON = `
query ($slug: String!, $first: Int) {
  person(slug: $slug) {
    id name slug
    credits(first: $first) { totalCount edges { node { job character film { title year directors { name } } } } pageInfo { hasNextPage } }
  }
}`;

const FILMS = `
query ($first: Int, $after: String) {
  films(first: $first, after: $after, orderBy: [{ field: TITLE }]) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor __typename node { id title credits(first: 2) { edges { node { job person { name } } } } } }
    all: nodes { slug directors { name } }
  }
}`;

const PEOPLE = `
query ($first: Int) {
  __typename
  people(first: $first, orderBy: [{ field: NAME, direction: DESC }]) { edges { node { name credits(first: 3) { totalCount nodes { job film { title } } } } } }
}`;

// Film and person lookups are one statement; a list is its page's statement and one for its rows.
const CASES: [string, string, () => Record<string, unknown>, number][] = [
  ['the bench film detail', FILM_CINEGRAPH, () => ({ slug, first: 10 }), 1],
  ['the statement-count film detail', FILM_DETAIL, () => ({ slug }), 1],
  ['fragments, aliases, __typename, @include, totalCount, pageInfo, nodes, dates and a filtered relation', FRAGMENTS, () => ({ slug, withReviews: true }), 1],
  ['the same with @include false', FRAGMENTS, () => ({ slug, withReviews: false }), 1],
  ['a person with a credits page', PERSON, () => ({ slug: personSlug, first: 2 }), 1],
  ['a person with an empty page (first: 0)', PERSON, () => ({ slug: personSlug, first: 0 }), 1],
  ['a person with the default page size', PERSON, () => ({ slug: personSlug }), 1],
  ['a film by global id', `query ($id: ID!) { film(id: $id) { id title writers { id slug } } }`, () => ({ id: filmId }), 1],
  ['a page of films with cursors, pageInfo, totalCount, nodes and nested connections', FILMS, () => ({ first: 7 }), 3],
  ['the bench films list (filter, order, credits → person)', FILMS_CINEGRAPH, () => ({ yearFrom: 1900, yearTo: 2100, genre: 'Drama', first: 10 }), 2],
  ['a page of people', PEOPLE, () => ({ first: 4 }), 2],
  ['an empty page of people', PEOPLE, () => ({ first: 0 }), 1],
];

describe('answered in SQL', () => {
  test.each(CASES)('%s: the same answer as graphql-js', async (name, query, variables, count) => {
    const { expected, actual, statements, inSql } = await both(query, variables());
    expect(expected.errors).toBeUndefined();
    // The answer holds lists of objects, except where the case asks for none: comparing empty answers proves little.
    if (!/empty/.test(name)) expect(JSON.stringify(expected.data)).toMatch(/\[\{/);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(inSql).toBe(1);
    expect(statements).toBe(count);
  });

  test('the next page of films, from the first page’s endCursor', async () => {
    const first = await plain.query(FILMS, { first: 7 });
    const after = (first.data as { films: { pageInfo: { endCursor: string } } }).films.pageInfo.endCursor;
    const { expected, actual, inSql } = await both(FILMS, { first: 7, after });
    expect((expected.data as { films: { pageInfo: { hasPreviousPage: boolean } } }).films.pageInfo.hasPreviousPage).toBe(true);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(inSql).toBe(1);
  });
});

describe('left to the resolvers', () => {
  const FILM = `query ($slug: String!, $first: Int) { film(slug: $slug) { title credits(first: $first) { edges { node { job } } } } }`;
  test.each([
    ['a film that does not exist (null is confirmed by the resolver, which follows redirects)', FILM, () => ({ slug: 'no-such-film' })],
    ['an invalid page size (the resolver words the error)', FILM, () => ({ slug, first: -1 })],
    ['a page size over the maximum', FILM, () => ({ slug, first: 100_000 })],
    [
      'a case-insensitive filter (beyond the SQL translation)',
      `query ($slug: String!) { film(slug: $slug) { credits(first: 2, filter: { job: "DIRECTOR" }) { edges { node { job } } } } }`,
      () => ({ slug }),
    ],
    ['a scalar graphql-js rewrites (URL)', `query ($slug: String!) { film(slug: $slug) { reviews(first: 1) { edges { node { url } } } } }`, () => ({ slug })],
    ['a field resolved in code', `query ($slug: String!) { film(slug: $slug) { title criticScore { average } } }`, () => ({ slug })],
    ['a list with facets (resolved in code)', `{ films(first: 2) { facets { genres { value } } edges { node { title } } } }`, () => ({})],
    [
      'a list with a bad cursor (the resolver words the error)',
      `query ($after: String) { films(first: 2, after: $after) { edges { node { title } } } }`,
      () => ({ after: 'bogus' }),
    ],
    ['a list with a bad filter', `{ films(first: 2, filter: { yearFrom: 2020, yearTo: 1990 }) { edges { node { title } } } }`, () => ({})],
    [
      'a list beside another root field',
      `query ($slug: String!) { film(slug: $slug) { title } films(first: 2) { edges { node { title } } } }`,
      () => ({ slug }),
    ],
    ['two lookups of one film', `query ($slug: String!) { film(slug: $slug, id: "RmlsbTox") { title } }`, () => ({ slug })],
  ])('%s: the same answer as graphql-js', async (_name, query, variables) => {
    const { expected, actual, inSql } = await both(query, variables());
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(inSql).toBe(0);
  });
});

test('a film merged into another: its old slug answers with the survivor, as graphql-js does', async () => {
  const [kept, gone] = await api.db.prisma.film.findMany({ orderBy: { id: 'desc' }, take: 2 });
  await api.db.prisma.redirect.create({ data: { entityType: 'Film', fromId: gone!.id + 100_000, fromSlug: `${gone!.slug}-old`, filmId: kept!.id } });
  const { expected, actual } = await both(`query ($slug: String!) { film(slug: $slug) { title } }`, { slug: `${gone!.slug}-old` });
  expect(expected.data).toEqual({ film: { title: kept!.title } });
  expect(actual).toEqual(expected);
});
