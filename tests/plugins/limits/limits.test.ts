import { Lexer, Source, TokenKind } from 'graphql';
import { MAX_INPUT_DEPTH } from '../../../src/plugins/limits/limits.ts';
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

/**
 * A document exactly `depth` fields deep (armor counts each field, the leaf included):
 * film → credits → nodes → film → … and a scalar of the last type. Pages of one keep it cheap.
 */
function ofDepth(depth: number): string {
  const chain = ['film(slug: "her")', 'credits(first: 1)', 'nodes'];
  const leaves = ['title', 'totalCount', 'job'];
  const fields = Array.from({ length: depth - 1 }, (_, i) => (i === 0 ? chain[0]! : i % 3 === 0 ? 'film' : chain[i % 3]!));
  return `{ ${fields.map((f) => `${f} { `).join('')}${leaves[(depth - 2) % 3]}${' }'.repeat(depth - 1)} }`;
}
// A document of exactly `bytes` UTF-8 bytes: `{ __typename }` and a comment of two-byte
// characters (comments are not tokens), so bytes, not characters, decide.
function ofBytes(bytes: number): string {
  const head = '{ __typename } #';
  const room = bytes - Buffer.byteLength(head);
  return head + 'é'.repeat(Math.floor(room / 2)) + 'x'.repeat(room % 2);
}
/** A request body of exactly `bytes` bytes: a small query and an unused variable as padding. */
function bodyOf(bytes: number): string {
  const base = JSON.stringify({ query: '{ __typename }', variables: { pad: '' } });
  const body = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(bytes - base.length) } });
  expect(Buffer.byteLength(body)).toBe(bytes);
  return body;
}
const aliased = (n: number) => `{ ${repeat(n, (i) => `f${i}: film(slug: "her") { title }`)} }`;
/**
 * A document of exactly `n` tokens: operations `query Qi { __typename }` of 5 tokens each, the
 * first with extra fields for the remainder. Many small operations, not one long selection:
 * graphql-js aborts validating a selection of ~2,000 same-named fields ("Validation aborted.").
 */
function tokens(n: number): { query: string; operationName: string } {
  const operations = Math.floor(n / 5);
  const extra = n - 5 * operations;
  const query = Array.from({ length: operations }, (_, i) => `query Q${i} { __typename${' __typename'.repeat(i === 0 ? extra : 0)} }`).join(' ');
  return { query, operationName: 'Q0' };
}
function countTokens(document: string): number {
  const lexer = new Lexer(new Source(document));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}
const directives = (n: number) => `{ film(slug: "her") { ${'title @include(if: true) '.repeat(n)}} }`;
// films 1 + 98 × (nodes 1 + credits 1 + 49 × nodes 1) = 4,999, plus 1 per single film.
const costing = (singles: number) =>
  `{ films(first: 98) { nodes { credits(first: 49) { nodes { job } } } } ${repeat(singles, (i) => `s${i}: film(slug: "her") { title }`)} }`;

/** Each limit (the defaults: README "Limits"), a request exactly at it and one a unit past it. */
const q = (query: string) => ({ query });
const BOUNDARIES: [limit: string, at: object, past: object, status: number, code: string, message: string][] = [
  ['MAX_DEPTH 10', q(ofDepth(10)), q(ofDepth(11)), 400, 'MAX_DEPTH_EXCEEDED', 'Query depth limit of 10 exceeded, found 11.'],
  ['MAX_ALIASES 30', q(aliased(30)), q(aliased(31)), 400, 'MAX_ALIASES_EXCEEDED', 'Aliases limit of 30 exceeded, found 31.'],
  ['MAX_TOKENS 2000', tokens(2_000), tokens(2_001), 400, 'MAX_TOKENS_EXCEEDED', 'Token limit of 2000 exceeded.'],
  ['MAX_DIRECTIVES 20', q(directives(20)), q(directives(21)), 400, 'MAX_DIRECTIVES_EXCEEDED', 'Directives limit of 20 exceeded, found 21.'],
  ['MAX_DOCUMENT_BYTES 20000', q(ofBytes(20_000)), q(ofBytes(20_001)), 413, 'DOCUMENT_TOO_LARGE', 'The document is 20001 bytes; the limit is 20000.'],
  [
    'MAX_COST 5000',
    q(costing(1)),
    q(costing(2)),
    400,
    'COST_LIMIT_EXCEEDED',
    "The operation's estimated cost 5001 exceeds the limit of 5000. Ask for smaller pages (first/last) or fewer nested lists.",
  ],
];

describe('each limit at its value and one past it', () => {
  const api = useHttpServer();

  test.each(BOUNDARIES)('%s: a request at the limit runs, one past it is refused with its code', async (_limit, at, past, status, code, message) => {
    const accepted = await post(api.http.url, at);
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.status).toBe(200);
    api.db.resetStatements();
    const refused = await post(api.http.url, past);
    expect(refused.status).toBe(status);
    expect(refused.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([[code, message]]);
    expect(refused.body.data).toBeUndefined();
    expect(api.db.statements).toEqual([]);
  });

  test("armor's own cost limit stays off: 30 aliased chains at the depth limit run, priced by ours", async () => {
    // Armor's default cost (2 per object field, ×1.5 per level) puts this well over 5000; ours, which reads `first`, does not.
    const query = `{ ${repeat(30, (i) => `a${i}: ${ofDepth(10).slice(2, -2)}`)} }`;
    const response = await post(api.http.url, { query });
    expect(response.body.errors).toBeUndefined();
    expect(response.status).toBe(200);
    expect(response.body.extensions?.cost).toEqual({ requested: 30 * 9, actual: expect.any(Number), limit: 5000 });
  });

  test('the documents measure what they claim', () => {
    expect(Buffer.byteLength(ofBytes(20_000))).toBe(20_000);
    expect(ofBytes(20_000).length).toBeLessThan(10_100);
    expect(aliased(31).match(/f\d+:/g)).toHaveLength(31);
    expect(directives(21).match(/@include/g)).toHaveLength(21);
    expect(ofDepth(4)).toBe('{ film(slug: "her") { credits(first: 1) { nodes { job } } } }');
    expect(ofDepth(5)).toBe('{ film(slug: "her") { credits(first: 1) { nodes { film { title } } } } }');
    expect(countTokens(tokens(2_000).query)).toBe(2_000);
    expect(countTokens(tokens(2_001).query)).toBe(2_001);
  });

  test('MAX_BODY_BYTES 100000: a body of exactly 100,000 bytes runs, 100,001 bytes is a 413 DOCUMENT_TOO_LARGE', async () => {
    const send = (body: string) => post(api.http.url, body);
    const accepted = await send(bodyOf(100_000));
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ data: { __typename: 'Query' } });
    const refused = await send(bodyOf(100_001));
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(refused.body.extensions).toEqual({ cost: { requested: 0, limit: 5000 } });
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['DOCUMENT_TOO_LARGE']);
    expect(refused.body.errors?.[0]?.message).toMatch(/100001 bytes; the limit is 100000/);
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

  test('null operationName, variables and extensions are accepted as absent', async () => {
    const response = await post(api.http.url, { query: '{ __typename }', operationName: null, variables: null, extensions: null });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });

  test("a request without a query passes the size check untouched and gets yoga's own BAD_REQUEST, not a masked 500", async () => {
    api.db.resetStatements();
    const response = await post(api.http.url, { variables: {} });
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_REQUEST', 'Must provide query string.']]);
    expect(api.db.statements).toEqual([]);
  });

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

describe('deeply nested variables and extensions', () => {
  // The response cache's key (JSON.stringify of the variables) ran out of stack at ~10,000 levels: a
  // 500. The bodies are written as text: the test's own JSON.stringify would run out of stack too.
  const api = useHttpServer((db: TestDatabase) => ({ responseCache: { ttlMs: 60_000 }, database: { kind: db.kind } }));
  const arrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
  const objects = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  const query = JSON.stringify('query ($f: FilmFilter, $ids: [ID!]!) { films(filter: $f) { totalCount } nodes(ids: $ids) { id } }');
  const typename = JSON.stringify('{ __typename }');

  test.each([
    ['a used list variable, 10,000 levels of arrays', `{"query":${query},"variables":{"ids":${arrays(10_000)}}}`, 'variables'],
    ['a used input-object variable, 10,000 levels of objects', `{"query":${query},"variables":{"ids":[],"f":${objects(10_000)}}}`, 'variables'],
    ['an unused variable, 33 levels of arrays under `variables`', `{"query":${typename},"variables":{"x":${arrays(32)}}}`, 'variables'],
    ['extensions, 33 levels of objects', `{"query":${typename},"extensions":${objects(33)}}`, 'extensions'],
  ])('%s is a 400 BAD_REQUEST naming the parameter, before any SQL', async (_name, body, key) => {
    api.db.resetStatements();
    const response = await post(api.http.url, body);
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['BAD_REQUEST', `\`${key}\` nests arrays and objects more than ${MAX_INPUT_DEPTH} levels deep.`],
    ]);
    expect(api.db.statements).toEqual([]);
  });

  test(`${MAX_INPUT_DEPTH} levels run: the deepest inputs of the schema are far below`, async () => {
    const atLimit = await post(api.http.url, `{"query":${typename},"variables":{"x":${arrays(31)}},"extensions":${objects(32)}}`);
    expect([atLimit.status, atLimit.body.errors]).toEqual([200, undefined]);
    const deepestInput = await post(api.http.url, `{"query":${query},"variables":{"f":{"releasedIn":{"types":["TV"]}},"ids":[]}}`);
    expect([deepestInput.status, deepestInput.body.errors]).toEqual([200, undefined]);
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
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors.map((e) => [e.extensions.code, e.message])).toEqual([['BAD_REQUEST', '`variables` and `extensions` must be JSON objects.']]);
  });
});
