import { codes, useApi } from '../../helpers/graphql.ts';

/**
 * Lists a client sizes itself are bounded before any SQL runs: `nodes(ids:)` at 100 ids, and
 * every enum list at the number of values it can name. (A long `orderBy` repeats a field, which
 * is refused too; genres are capped at 10 by their own validator.)
 */
const api = useApi();

async function filmIds(): Promise<string[]> {
  const result = await api.client.query('{ films(first: 5) { nodes { id } } }');
  return result.data!['films'].nodes.map((f: { id: string }) => f.id);
}

async function attempt(query: string, variables?: Record<string, unknown>) {
  api.db.resetStatements();
  const result = await api.client.query(query, variables);
  return { status: result.status, codes: codes(result), message: result.errors?.[0]?.message, statements: api.db.statements.length, data: result.data };
}

describe('nodes(ids:)', () => {
  const NODES = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';

  test('101 ids are refused with BAD_USER_INPUT before any SQL runs', async () => {
    const ids = await filmIds();
    const result = await attempt(NODES, { ids: Array.from({ length: 101 }, (_, i) => ids[i % ids.length]) });
    expect(result).toMatchObject({ codes: ['BAD_USER_INPUT'], message: '`ids` lists at most 100 ids; split the request.', statements: 0 });
    // nodes is a non-null list, so the error nulls the whole data.
    expect(result.data).toBeNull();
  });

  test('101 ids written in the document are refused the same way', async () => {
    const [id] = await filmIds();
    const result = await attempt(`{ nodes(ids: [${Array.from({ length: 101 }, () => JSON.stringify(id)).join(', ')}]) { id } }`);
    expect(result).toMatchObject({ codes: ['BAD_USER_INPUT'], statements: 0 });
  });

  test('100 ids are answered, one node per id', async () => {
    const ids = await filmIds();
    const asked = Array.from({ length: 100 }, (_, i) => ids[i % ids.length]);
    const result = await attempt(NODES, { ids: asked });
    expect(result.codes).toEqual([]);
    expect(result.data!['nodes'].map((n: { id: string }) => n.id)).toEqual(asked);
  });

  test('an empty list of ids is an empty list, as its description says', async () => {
    const result = await attempt(NODES, { ids: [] });
    expect(result.codes).toEqual([]);
    expect(result.data!['nodes']).toEqual([]);
  });
});

describe('enum lists', () => {
  test.each([
    ['releases(types:)', '{ releases(country: "US", types: [TV, TV, TV, TV, TV, TV, TV]) { totalCount } }', '`types` lists at most 6 ReleaseTypes.'],
    [
      'releaseFor(types:)',
      '{ film(slug: "her") { releaseFor(country: "US", types: [TV, TV, TV, TV, TV, TV, TV]) { __typename } } }',
      '`types` lists at most 6 ReleaseTypes.',
    ],
    [
      'filter.releasedIn.types',
      '{ films(filter: { releasedIn: { types: [TV, TV, TV, TV, TV, TV, TV] } }) { totalCount } }',
      '`types` lists at most 6 ReleaseTypes.',
    ],
    ['search(types:)', '{ search(query: "her", types: [FILM, FILM, FILM, FILM]) { totalCount } }', '`types` lists at most 3 types'],
  ])('%s longer than the values it can name is refused with BAD_USER_INPUT before any SQL runs', async (_name, query, message) => {
    const result = await attempt(query);
    expect(result).toMatchObject({ codes: ['BAD_USER_INPUT'], statements: 0 });
    expect(result.message).toContain(message);
  });

  test('as many entries as there are values are accepted', async () => {
    const all = 'DIGITAL, LIMITED, PHYSICAL, PREMIERE, THEATRICAL, TV';
    for (const query of [
      `{ releases(country: "US", types: [${all}]) { totalCount } }`,
      `{ films(filter: { releasedIn: { types: [${all}] } }) { totalCount } }`,
      '{ search(query: "her", types: [FILM, PERSON, PUBLICATION]) { totalCount } }',
    ]) {
      expect((await attempt(query)).codes).toEqual([]);
    }
  });
});
