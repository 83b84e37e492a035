import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { post, startHttpServer, useHttpServer } from '../../helpers/http.ts';

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
const nest = (levels: number) => `{ film(slug: "her") { ${'credits { nodes { film { '.repeat(levels)}title${' } } }'.repeat(levels)} } }`;

/** Each abusive request, the HTTP status and the error code it must get. */
const ABUSIVE: [name: string, body: unknown, status: number, code: string][] = [
  ['deep nesting (depth 14)', { query: nest(4) }, 400, 'MAX_DEPTH_EXCEEDED'],
  ['alias bomb (50 aliased films)', { query: `{ ${repeat(50, (i) => `f${i}: film(slug: "her") { title }`)} }` }, 400, 'MAX_ALIASES_EXCEEDED'],
  ['token flood (2,503 tokens, 15 kB)', { query: `{ film(slug: "her") { ${'title '.repeat(2_500)}} }` }, 400, 'MAX_TOKENS_EXCEEDED'],
  ['directive flood (25 @include)', { query: `{ film(slug: "her") { ${'title @include(if: true) '.repeat(25)}} }` }, 400, 'MAX_DIRECTIVES_EXCEEDED'],
  ['1 MB document', { query: `{ ${'__typename '.repeat(100_000)}}` }, 413, 'DOCUMENT_TOO_LARGE'],
  ['25 kB document (under the body limit)', { query: `{ ${'__typename '.repeat(2_300)}}` }, 413, 'DOCUMENT_TOO_LARGE'],
  ['1 MB of variables', { query: 'query ($s: String!) { film(slug: $s) { title } }', variables: { s: 'x'.repeat(1_000_000) } }, 413, 'DOCUMENT_TOO_LARGE'],
  ['batch of 50 operations (batching is off)', Array.from({ length: 50 }, () => ({ query: '{ films { totalCount } }' })), 400, 'BAD_REQUEST'],
  [
    'cost bomb: nested first: 100 connections',
    { query: '{ films(first: 100) { nodes { credits(first: 100) { nodes { person { credits(first: 100) { nodes { film { title } } } } } } } } }' },
    400,
    'COST_LIMIT_EXCEEDED',
  ],
  [
    'cost bomb through a fragment and a variable',
    {
      query:
        'query ($n: Int) { people(first: $n) { nodes { ...P } } } fragment P on Person { credits(first: $n) { nodes { film { reviews(first: $n) { nodes { critic { name } } } } } } }',
      variables: { n: 100 },
    },
    400,
    'COST_LIMIT_EXCEEDED',
  ],
];

describe('abusive documents', () => {
  const api = useHttpServer();

  test.each(ABUSIVE)('%s is rejected with its code before any SQL runs', async (_name, body, status, code) => {
    api.db.resetStatements();
    const response = await post(api.http.url, body);
    expect(response.status).toBe(status);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toContain(code);
    expect(response.body.data).toBeUndefined();
    expect(response.body.extensions?.cost).toEqual({ requested: code === 'COST_LIMIT_EXCEEDED' ? expect.any(Number) : 0, limit: 5000 });
    expect(api.db.statements).toEqual([]);
  });

  test('the same documents within the limits run (the limits are not rejecting everything)', async () => {
    const ok = [
      nest(2),
      `{ ${repeat(30, (i) => `f${i}: film(slug: "her") { title }`)} }`,
      `{ film(slug: "her") { ${'title @include(if: true) '.repeat(20)}} }`,
    ];
    for (const query of ok) {
      const response = await post(api.http.url, { query });
      expect(response.body.errors).toBeUndefined();
      expect(response.status).toBe(200);
    }
  });

  test('the whole table is rejected fast (median per document, measured over HTTP)', async () => {
    const runs = 15;
    const medians: number[] = [];
    for (const [name, body] of ABUSIVE) {
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        const response = await fetch(api.http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
        await response.arrayBuffer();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(runs / 2)]!;
      medians.push(median);
      console.info(`reject time, ${name}: median ${median.toFixed(2)} ms over ${runs} requests`);
    }
    medians.sort((a, b) => a - b);
    const overall = medians[Math.floor(medians.length / 2)]!;
    console.info(`reject time, whole table: median of per-document medians ${overall.toFixed(2)} ms`);
    // Generous bound for a shared 2-core CI machine; the figure itself is what the report quotes.
    expect(overall).toBeLessThan(250);
  });
});

describe('field suggestions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.close());

  // They follow INTROSPECTION (tests/server/introspection.test.ts), in production as anywhere.
  test.each([
    [true, /Did you mean "title"\?/],
    [false, /\[Suggestion hidden\]/],
  ] as const)('with INTROSPECTION=%s a misspelt field answers %s', async (introspection, expected) => {
    const http = await startHttpServer(db, { guard: { NODE_ENV: 'production', INTROSPECTION: introspection } });
    try {
      const response = await post(http.url, { query: '{ film(slug: "her") { titel } }' });
      expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.body.errors?.[0]?.message).toMatch(expected);
      if (!introspection) expect(response.body.errors?.[0]?.message).not.toMatch(/"title"/);
    } finally {
      await http.close();
    }
  });
});

describe('inputs the fuzz test found', () => {
  const api = useHttpServer();

  test('a variable object whose toString is null is BAD_USER_INPUT for a custom scalar, not a masked internal error', async () => {
    const response = await post(api.http.url, {
      query: 'query ($c: CountryCode) { film(slug: "her") { releases(country: $c) { date } } }',
      variables: { c: { toString: null } },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(/^Variable "\$c" got invalid value/);
  });
});

describe('oddly typed request parameters with the response cache and metrics on', () => {
  // The cache builds its key from query + operationName and the metrics label by operation
  // name, both before yoga checks the params' types: an object there was a 500 (fuzz test).
  const api = useHttpServer((db: TestDatabase) => ({ responseCache: { ttlMs: 60_000 }, database: { kind: db.kind } }));

  test.each([
    ['an operationName object without toString', { query: '{ __typename }', operationName: { toString: null } }, '`operationName` must be a string.'],
    ['a query that is an array', { query: [[false, { toString: null }]] }, '`query` must be a string.'],
    ['variables that are an array', { query: '{ __typename }', variables: [[]] }, '`variables` must be a JSON object.'],
    ['extensions that are a string', { query: '{ __typename }', extensions: 'x' }, '`extensions` must be a JSON object.'],
  ])('%s is a 400 BAD_REQUEST naming the parameter, before any SQL', async (_name, body, message) => {
    api.db.resetStatements();
    const response = await post(api.http.url, body);
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_REQUEST', message]]);
    expect(api.db.statements).toEqual([]);
  });
});

describe('malformed JSON in query-string parameters', () => {
  // Forms are refused unless ALLOW_FORM_POSTS (tests/plugins/request-format.test.ts); this is about parsing them.
  const api = useHttpServer({ guard: { ALLOW_FORM_POSTS: true } });

  test.each([
    ['GET variables', 'GET', `?query=${encodeURIComponent('{ __typename }')}&variables=%25ZZ`, undefined],
    ['GET extensions', 'GET', `?query=${encodeURIComponent('{ __typename }')}&extensions={`, undefined],
    ['url-encoded form variables', 'POST', '', 'query=%7B__typename%7D&variables=nope'],
  ])('%s are a 400 BAD_REQUEST, not a 500', async (_name, method, search, form) => {
    const response = await fetch(`${api.http.url}${search}`, {
      method,
      headers: { accept: 'application/json', ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});
