import { codes, useApi } from '../helpers/graphql.ts';

const api = useApi();

const filmId = (id: number) => Buffer.from(`Film:${id}`).toString('base64');
const personId = (id: number) => Buffer.from(`Person:${id}`).toString('base64');

describe('lookups that match nothing return null, not an error', () => {
  test.each([
    ['film by unknown slug', '{ film(slug: "no-such-film") { id } }', 'film'],
    ['film by unknown id', `{ film(id: "${filmId(999999)}") { id } }`, 'film'],
    ['person by unknown slug', '{ person(slug: "nobody") { id } }', 'person'],
    ['publication by unknown slug', '{ publication(slug: "nope") { id } }', 'publication'],
    ['node by unknown id', `{ node(id: "${filmId(424242)}") { id } }`, 'node'],
  ])('%s', async (_name, query, field) => {
    const result = await api.client.query(query);
    expect(result.errors).toBeUndefined();
    expect(result.data![field]).toBeNull();
    expect(result.status).toBe(200);
  });

  test('nodes(ids:) keeps positions and returns null for each unknown id', async () => {
    const her = await api.client.query('{ film(slug: "her") { id } }');
    const result = await api.client.query(`{ nodes(ids: ["${her.data!.film.id}", "${filmId(999999)}"]) { id ... on Film { title } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.nodes).toEqual([{ id: her.data!.film.id, title: 'Her' }, null]);
  });
});

describe('bad input gets a coded GraphQL error, never a 500', () => {
  test.each([
    ['a global ID that is not base64 of Type:id', '{ film(id: "not-an-id") { id } }', 'INVALID_ID'],
    ['a global ID with a non-numeric database id', `{ film(id: "${Buffer.from('Film:abc').toString('base64')}") { id } }`, 'INVALID_ID'],
    ['a global ID beyond the 32-bit id range', `{ film(id: "${filmId(99999999999)}") { id } }`, 'INVALID_ID'],
    ["a Person's ID passed to film(id:)", `{ film(id: "${personId(1)}") { id } }`, 'INVALID_ID'],
    ['a malformed ID in node(id:)', '{ node(id: "%%%") { id } }', 'INVALID_ID'],
    ['film() with neither id nor slug', '{ film { id } }', 'BAD_USER_INPUT'],
    ['film() with both id and slug', `{ film(id: "${filmId(1)}", slug: "her") { id } }`, 'BAD_USER_INPUT'],
    ['first: 1000', '{ films(first: 1000) { totalCount } }', 'BAD_USER_INPUT'],
    ['first: 101 (one past the maximum)', '{ films(first: 101) { totalCount } }', 'BAD_USER_INPUT'],
    ['a negative last', '{ people(last: -1) { totalCount } }', 'BAD_USER_INPUT'],
    ['first: 1000 on a nested connection', '{ film(slug: "her") { credits(first: 1000) { totalCount } } }', 'BAD_USER_INPUT'],
    ['an empty credit job filter', '{ film(slug: "her") { credits(filter: { job: "" }) { totalCount } } }', 'BAD_USER_INPUT'],
    ['an unknown country code', '{ film(slug: "her") { releases(country: "XX") { date } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown enum value', '{ film(slug: "her") { credits(filter: { kind: STUNT }) { totalCount } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown field', '{ film(slug: "her") { budget } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a syntax error', '{ film(slug: "her") { title ', 'GRAPHQL_PARSE_FAILED'],
  ])('%s', async (_name, query, code) => {
    const result = await api.client.query(query);
    expect(result.status).toBeLessThan(500);
    expect(codes(result)).toEqual([code]);
    expect(result.errors![0]!.message).not.toMatch(/Unexpected error/);
  });

  test('a lookup without arguments names the arguments it takes', async () => {
    const result = await api.client.query('{ person { id } }');
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toBe('`person` takes exactly one of: id, slug, externalId (got 0).');
  });

  test('a variable of the wrong type is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($n: Int) { films(first: $n) { totalCount } }', { n: 'twenty' });
    expect(result.status).toBeLessThan(500);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  test('an unknown enum value in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($k: CreditKind) { film(slug: "her") { credits(filter: { kind: $k }) { totalCount } } }', {
      k: 'STUNT',
    });
    expect(result.status).toBeLessThan(500);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  test('an invalid country code in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($c: CountryCode) { film(slug: "her") { releases(country: $c) { date } } }', { c: 'USA' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
