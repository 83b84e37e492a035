import { createHash } from 'node:crypto';
import { compiledExecutionStats } from '../../../src/plugins/compiled/execution.ts';
import { createClient, useApi, type Client } from '../../helpers/graphql.ts';

// Which requests run compiled (src/plugins/compiled/execution.ts): a query document from its
// `jitAfter`-th execution, one named by id from its first, never a mutation; none with jit off.
const api = useApi();
const guard = { RATE_LIMIT_ENABLED: false };

/** Runs `send` and returns how many of its executions ran compiled and how many on graphql-js. */
async function executions(send: () => Promise<unknown>) {
  const before = compiledExecutionStats();
  await send();
  const after = compiledExecutionStats();
  return { compiled: after.compiledExecutions - before.compiledExecutions, plain: after.plainExecutions - before.plainExecutions };
}

async function post(client: Client, body: Record<string, unknown>) {
  const response = await client.yoga.fetch('http://cinegraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

test('a query document runs on graphql-js until it has run jitAfter times, then compiled, with the same answer', async () => {
  const client = createClient(api.db, { jit: true, jitAfter: 3, guard });
  const query = 'query ($slug: String!) { film(slug: $slug) { title directors { name } } }';
  const answers: unknown[] = [];
  const counts = [];
  for (let i = 0; i < 4; i++) counts.push(await executions(async () => answers.push((await client.query(query, { slug: 'her' })).data)));
  expect(counts).toEqual([
    { compiled: 0, plain: 1 },
    { compiled: 0, plain: 1 },
    { compiled: 1, plain: 0 },
    { compiled: 1, plain: 0 },
  ]);
  expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  expect(answers[0]).toEqual({ film: { title: 'Her', directors: [{ name: 'Spike Jonze' }] } });
});

test('a document named by id (persisted query) runs compiled from its first execution', async () => {
  const client = createClient(api.db, { jit: true, jitAfter: 100, guard });
  const query = '{ film(slug: "her") { title year } }';
  const hash = createHash('sha256').update(query).digest('hex');
  const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
  expect(await executions(() => post(client, { query, extensions }))).toEqual({ compiled: 1, plain: 0 });
  let answer: unknown;
  expect(await executions(async () => (answer = await post(client, { extensions })))).toEqual({ compiled: 1, plain: 0 });
  expect(answer).toMatchObject({ data: { film: { title: 'Her' } } });
  // The same text without an id is an ordinary document, counted from its first execution.
  expect(await executions(() => post(client, { query: '{ film(slug: "her") { year title } }' }))).toEqual({ compiled: 0, plain: 1 });
});

test('mutations run on graphql-js however often they are sent', async () => {
  const client = createClient(api.db, { jit: true, jitAfter: 1, guard });
  const mutation = 'mutation { revokeApiKey(input: { id: "QXBpS2V5OjE=" }) { __typename } }';
  for (let i = 0; i < 2; i++) {
    let result: Awaited<ReturnType<Client['query']>> | undefined;
    expect(await executions(async () => (result = await client.query(mutation)))).toEqual({ compiled: 0, plain: 1 });
    // Anonymous: refused by its scope, as on graphql-js.
    expect(result!.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
  }
});

test('with jit off nothing runs compiled or is counted', async () => {
  const client = createClient(api.db, { jit: false, guard });
  expect(await executions(() => client.query('{ film(slug: "her") { title } }'))).toEqual({ compiled: 0, plain: 0 });
  expect(await executions(() => client.query('{ film(slug: "her") { title } }'))).toEqual({ compiled: 0, plain: 0 });
});

test('a document of several operations stays on graphql-js, so each operationName runs its own operation', async () => {
  const client = createClient(api.db, { jit: true, jitAfter: 1, guard });
  const query = 'query Title { film(slug: "her") { title } } query Slug { film(slug: "her") { slug } }';
  const answers: unknown[] = [];
  for (const operationName of ['Title', 'Slug', 'Title', 'Slug']) {
    expect(await executions(async () => answers.push((await post(client, { query, operationName })).data))).toEqual({ compiled: 0, plain: 1 });
  }
  expect(answers).toEqual([{ film: { title: 'Her' } }, { film: { slug: 'her' } }, { film: { title: 'Her' } }, { film: { slug: 'her' } }]);
});

test('a hot document whose variables cannot be coerced is answered by graphql-js: 400, the same errors as a cold one', async () => {
  const query = 'query ($c: CountryCode!) { film(slug: "her") { releaseFor(country: $c) { rule } } }';
  const answers = [];
  for (const jit of [false, true]) {
    const client = createClient(api.db, { jit, jitAfter: 1, guard });
    expect(await executions(() => client.query(query, { c: 'US' }))).toEqual(jit ? { compiled: 1, plain: 0 } : { compiled: 0, plain: 0 });
    let result: Awaited<ReturnType<Client['query']>> | undefined;
    expect(await executions(async () => (result = await client.query(query, { c: 'ZZ' })))).toEqual(
      jit ? { compiled: 0, plain: 1 } : { compiled: 0, plain: 0 },
    );
    answers.push(result!);
  }
  expect(answers[0]!.status).toBe(400);
  expect(answers[0]!.errors?.map((e) => e.extensions?.['code'])).toEqual(['BAD_USER_INPUT']);
  expect(answers[1]).toEqual(answers[0]);
});

test('a long list of bad enum values gets at most 50 errors on a hot document, as on graphql-js (graphql-jit reported each one)', async () => {
  // 20,000 entries, half of them not a ReleaseType: graphql-jit's coercion answered 10,000 errors (1.2 MB).
  const query = 'query ($v: [ReleaseType!]) { releases(country: "US", types: $v) { totalCount } }';
  const v = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? 'TV' : 'X'));
  const client = createClient(api.db, { jit: true, jitAfter: 1, guard });
  expect(await executions(() => client.query(query, { v: ['TV'] }))).toEqual({ compiled: 1, plain: 0 });
  let result: Awaited<ReturnType<Client['query']>> | undefined;
  expect(await executions(async () => (result = await client.query(query, { v })))).toEqual({ compiled: 0, plain: 1 });
  expect(result!.status).toBe(400);
  expect(result!.errors).toHaveLength(51);
  expect(result!.errors![0]!.message).toBe('Variable "$v" got invalid value "X" at "v[0]"; Value "X" does not exist in "ReleaseType" enum.');
  expect(result!.errors![50]!.message).toBe('Too many errors processing variables, error limit reached. Execution aborted.');
});

test.each([
  [
    'a resolver argument refused by validation (BAD_USER_INPUT)',
    'query ($g: [String!]) { films(filter: { genres: $g }) { totalCount } }',
    { g: 'abcdefghijk'.split('') },
  ],
  [
    'the same, on a later line of a document written with CRLF line ends',
    'query ($g: [String!]) {\r\n  film(slug: "her") { title }\r\n\r\n    films(filter: { genres: $g }) { totalCount }\r\n}',
    { g: 'abcdefghijk'.split('') },
  ],
  ['a global ID of another type (INVALID_ID)', 'query ($id: ID!) { person(id: $id) { name } film(slug: "her") { title } }', { id: 'RmlsbTox' }],
  [
    'an error beneath a list, nullable field',
    'query ($c: CountryCode!) { film(slug: "her") { title releaseFor(country: $c, types: [TV, TV, TV, TV, TV, TV, TV]) { rule } } }',
    { c: 'US' },
  ],
])('%s: the same errors, locations and paths included, on both paths', async (_name, query, variables) => {
  const answers: Awaited<ReturnType<Client['query']>>[] = [];
  for (const jit of [false, true]) {
    const client = createClient(api.db, { jit, jitAfter: 1, guard });
    const counted = await executions(async () => answers.push(await client.query(query, variables)));
    expect(counted).toEqual(jit ? { compiled: 1, plain: 0 } : { compiled: 0, plain: 0 });
  }
  expect(answers[0]!.errors?.length).toBeGreaterThan(0);
  expect(answers[0]!.errors![0]).toHaveProperty('locations');
  expect(answers[1]).toEqual(answers[0]);
});

test('a variable left out takes its default on the compiled path, as on graphql-js (non-null ones included)', async () => {
  // The web's source page: `$citation: ID! = ""`, `$withCitation: Boolean! = false`, sent with only `$slug`.
  const query =
    'query ($slug: String!, $limit: Int! = 1, $withDirectors: Boolean! = false, $first: Int = 2) { film(slug: $slug) { title directors @include(if: $withDirectors) { name } credits(first: $first) { nodes { job } } } releases(country: "US", first: $limit) { totalCount } }';
  const answers = [];
  for (const jit of [false, true]) {
    const client = createClient(api.db, { jit, jitAfter: 1, guard });
    const counted = await executions(async () => answers.push(await client.query(query, { slug: 'her' })));
    expect(counted).toEqual(jit ? { compiled: 1, plain: 0 } : { compiled: 0, plain: 0 });
    answers.push(await client.query(query, { slug: 'her', withDirectors: true, first: 1 }));
  }
  for (const answer of answers) expect(answer.errors).toBeUndefined();
  expect(answers[0]!.data).toEqual(answers[2]!.data);
  expect(answers[1]!.data).toEqual(answers[3]!.data);
  expect((answers[0]!.data as { film: { credits: { nodes: unknown[] } } }).film.credits.nodes).toHaveLength(2);
  expect(answers[0]!.data!['film']).not.toHaveProperty('directors');
  expect(answers[3]!.data!['film']).toMatchObject({ directors: [{ name: 'Spike Jonze' }] });
});

test('a response with errors lists them before data on the compiled path too, as graphql-js does', async () => {
  const client = createClient(api.db, { jit: true, jitAfter: 2, guard });
  const body = JSON.stringify({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: 'nope' } });
  const texts: string[] = [];
  const counts = [];
  for (let i = 0; i < 2; i++) {
    counts.push(
      await executions(async () => {
        const response = await client.yoga.fetch('http://cinegraph.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        texts.push(await response.text());
      }),
    );
  }
  expect(counts).toEqual([
    { compiled: 0, plain: 1 },
    { compiled: 1, plain: 0 },
  ]);
  for (const text of texts) expect(Object.keys(JSON.parse(text) as object).slice(0, 2)).toEqual(['errors', 'data']);
  expect(JSON.parse(texts[1]!)).toEqual(JSON.parse(texts[0]!));
});
