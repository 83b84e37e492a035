import { QUERY_MIX } from '../../scripts/measure-setup.ts';
import { createClient, useApi } from '../helpers/graphql.ts';

// GRAPHQL_JIT is on by default (docs/caching.md#graphql-jit has the measurement); whoever turns it
// off must get the same answers.
describe('GRAPHQL_JIT', () => {
  const api = useApi();

  test.each(Object.entries(QUERY_MIX))('%s answers the same with graphql-jit as with graphql-js', async (_name, query) => {
    const plain = await createClient(api.db, { jit: false }).query(query);
    const jit = await createClient(api.db, { jit: true, jitAfter: 1 }).query(query);
    expect(plain.errors).toBeUndefined();
    // extensions (rate-limit budget, reset time) differ per request by design; the answer may not.
    expect({ status: jit.status, data: jit.data, errors: jit.errors }).toEqual({ status: plain.status, data: plain.data, errors: plain.errors });
  });

  test('errors keep their codes under graphql-jit', async () => {
    const jit = await createClient(api.db, { jit: true, jitAfter: 1 }).query('{ films(first: 1000) { totalCount } }');
    expect(jit.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  });
});
