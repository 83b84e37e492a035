import { getIntrospectionQuery } from 'graphql';
import { post, useHttpServer } from '../helpers/http.ts';

const MISSPELT = '{ film(slug: "her") { titel } }';

describe('introspection and field suggestions by default, in production too', () => {
  const api = useHttpServer({ guard: { NODE_ENV: 'production' } });

  test('the full introspection query runs and a misspelt field gets its suggestion: one decision, both on', async () => {
    const introspection = await post(api.http.url, { query: getIntrospectionQuery() });
    expect(introspection.status).toBe(200);
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
    const misspelt = await post(api.http.url, { query: MISSPELT });
    expect(misspelt.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'Cannot query field "titel" on type "Film". Did you mean "title"?'],
    ]);
  });
});

describe('INTROSPECTION=false', () => {
  const api = useHttpServer({ guard: { INTROSPECTION: false } });

  test.each([
    ['__schema', '{ __schema { queryType { name } } }', 'GraphQL introspection has been disabled, but the requested query contained the field "__schema".'],
    [
      '__type',
      '{ __type(name: "Film") { fields { name } } }',
      'GraphQL introspection has been disabled, but the requested query contained the field "__type".',
    ],
  ])('refuses %s with GRAPHQL_VALIDATION_FAILED before anything runs', async (_name, query, message) => {
    api.db.resetStatements();
    const response = await post(api.http.url, { query });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]).toMatchObject({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(new Set(response.body.errors?.map((e) => e.extensions?.code))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(api.db.statements).toEqual([]);
  });

  test('hides suggestions too, so field names leak neither way; __typename still works', async () => {
    const misspelt = await post(api.http.url, { query: MISSPELT });
    expect(misspelt.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', 'Cannot query field "titel" on type "Film". [Suggestion hidden]'],
    ]);
    const typename = await post(api.http.url, { query: '{ __typename film(slug: "her") { __typename title } }' });
    expect(typename.body).toMatchObject({ data: { __typename: 'Query', film: { __typename: 'Film', title: 'Her' } } });
  });
});
