import { useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { createYoga } from 'graphql-yoga';
import { useCost } from '../../../src/plugins/cost/cost.ts';
import { schema } from '../../helpers/cost-schema.ts';

// The cost plugin in a bare yoga over the hand-built schema (tests/helpers/cost-schema.ts), no
// database: the limit, its error, and `extensions.cost` on every response. Through the API's own
// server and schema: cost.test.ts.

const yoga = createYoga({ schema, plugins: [useCost({ maxCost: 12 })], logging: false, maskedErrors: false });

async function send(body: Record<string, unknown>) {
  const response = await yoga.fetch('http://cost.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
      extensions?: Record<string, unknown>;
    },
  };
}

test('an operation at the limit runs and reports what it requested and what it cost', async () => {
  // item 1 + children (1 + 10 × at least 1) requested; actual item 1 + children (1 + 2)
  const { status, body } = await send({ query: '{ item { name children { name } } }' });
  expect(status).toBe(200);
  expect(body.data).toEqual({ item: { name: 'x', children: [{ name: 'a' }, { name: 'b' }] } });
  expect(body.extensions).toEqual({ cost: { requested: 12, actual: 4, limit: 12 } });
});

test('an operation above the limit is refused with COST_LIMIT_EXCEEDED before it executes', async () => {
  // item 1 + children (1 + 10 × children (1 + 10 × at least 1)) = 112
  const { body } = await send({ query: '{ item { children { children { name } } } }' });
  expect(body.data).toBeUndefined();
  expect(body.errors).toEqual([
    {
      message: "The operation's estimated cost 112 exceeds the limit of 12. Ask for smaller pages (first/last) or fewer nested lists.",
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost: { requested: 112, limit: 12 } },
    },
  ]);
  expect(body.extensions).toEqual({ cost: { requested: 112, limit: 12 } });
});

test('a request that fails before pricing reports requested 0', async () => {
  // Not parsed: never executed, so no actual cost either.
  expect((await send({ query: '{ item {' })).body.extensions).toEqual({ cost: { requested: 0, limit: 12 } });
  // Invalid variables: unpriced, then refused by execution with no data (actual 0).
  const invalid = await send({ query: 'query ($n: Int) { items(first: $n) { totalCount } }', variables: { n: 'two' } });
  expect(invalid.body.extensions).toEqual({ cost: { requested: 0, actual: 0, limit: 12 } });
});

test('a response served from the response cache reports the cost it was priced at', async () => {
  // The cache answers in onParams, before the document is parsed, so the hit itself is never
  // priced: the cost stored with the result is reported instead, with this server's limit.
  const cached = createYoga({
    schema,
    plugins: [useCost({ maxCost: 12 }), useResponseCache({ session: () => null, includeExtensionMetadata: false })],
    logging: false,
  });
  const query = '{ item { name children { name } } }';
  const responses = [];
  for (let i = 0; i < 2; i++) {
    const response = await cached.fetch('http://cost.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    responses.push((await response.json()) as { data?: unknown; extensions?: Record<string, unknown> });
  }
  expect(responses[1]).toEqual(responses[0]);
  expect(responses[1]!.extensions).toEqual({ cost: { requested: 12, actual: 4, limit: 12 } });
});
