import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, useApi } from '../../helpers/graphql.ts';

/** The value of one sample in Prometheus text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('GET /metrics over real HTTP', () => {
  const api = useApi();
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const client = createClient(api.db, { responseCache: { ttlMs: 60_000 } });
    server = createServer(client.yoga);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }).then((r) =>
      r.json(),
    );

  test('counts requests and latency by operation, errors by code, cache hits and the database', async () => {
    // Admission: the first request runs without the cache, the second fills it, the third and fourth hit.
    for (let i = 0; i < 4; i++) await post('query HerTitle { film(slug: "her") { title } }'); // 2 misses, 2 hits
    await post('query Films { films(first: 2) { totalCount } }', { 'x-api-key': 'k' }); // not cache-eligible
    await post('query TooMany { films(first: 1000) { totalCount } }'); // BAD_USER_INPUT, miss
    await post('{ nope }'); // GRAPHQL_VALIDATION_FAILED

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();

    expect(sample(text, 'cinegraph_graphql_requests_total', { operation: 'HerTitle', status: '200' })).toBe(4);
    expect(sample(text, 'cinegraph_graphql_requests_total', { operation: 'Films', status: '200' })).toBe(1);
    expect(sample(text, 'cinegraph_graphql_requests_total', { operation: 'anonymous', status: '200' })).toBe(1);
    expect(sample(text, 'cinegraph_graphql_request_duration_seconds_count', { operation: 'HerTitle' })).toBe(4);
    expect(sample(text, 'cinegraph_graphql_request_duration_seconds_bucket', { operation: 'HerTitle', le: '+Inf' })).toBe(4);
    // The plugin's phase metrics see executions only: the two cache hits never reached execute.
    expect(sample(text, 'graphql_envelop_phase_execute_count', { operationName: 'HerTitle', operationType: 'query' })).toBe(2);

    expect(sample(text, 'cinegraph_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sample(text, 'cinegraph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);

    expect(sample(text, 'cinegraph_response_cache_requests_total', { result: 'hit' })).toBe(2);
    expect(sample(text, 'cinegraph_response_cache_requests_total', { result: 'miss' })).toBe(3);
    expect(sample(text, 'cinegraph_response_cache_hit_ratio')).toBe(0.4);

    expect(sample(text, 'cinegraph_db_info', { engine: api.db.kind })).toBe(1);
    if (api.db.kind === 'postgres') {
      const total = sample(text, 'cinegraph_db_pool_connections', { state: 'total' })!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'cinegraph_db_pool_connections', { state: 'idle' })).toBe(total);
      expect(sample(text, 'cinegraph_db_pool_connections', { state: 'waiting' })).toBe(0);
      expect(sample(text, 'cinegraph_db_pool_connections', { state: 'max' })).toBe(10);
    } else {
      expect(sample(text, 'cinegraph_db_pool_connections', { state: 'total' })).toBeUndefined();
    }
  });

  test('/health answers 200 and /ready 200 while the database answers', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});

/** Every series on a /metrics page: the sample lines without their values. */
function series(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.slice(0, l.lastIndexOf(' '))),
  );
}
/** The distinct values of one label across every metric on the page. */
function labelValues(text: string, label: string): Set<string> {
  return new Set([...text.matchAll(new RegExp(`[{,]${label}="((?:[^"\\\\]|\\\\.)*)"`, 'g'))].map((m) => m[1]!));
}

// The flood tests the metrics' label cap, which no mutation group mutates; a group that runs this
// file for its other tests (cache-auth: store failures by operation) leaves it out, since every
// mutant reached by a request would otherwise send its 3,000 requests (stryker.config.mjs).
const flood = process.env['MUTATION_SKIP_LABEL_FLOOD'] === '1' ? describe.skip : describe;

flood('a label flood: 3,000 requests, each with an operation name of its own', () => {
  const api = useApi();
  let server: Server;
  let base: string;
  const CAP = 100; // METRICS_MAX_OPERATIONS' default

  beforeAll(async () => {
    const client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
    server = createServer(client.yoga);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  const send = (name: string, body: Record<string, unknown> = { query: `query ${name} { __typename }` }) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  const metrics = () => fetch(`${base}/metrics`).then((r) => r.text());

  test('label the first 100 names, count the rest as "other", and stop /metrics from growing', async () => {
    for (let i = 0; i < CAP; i++) await send(`Op${i}`);
    // One past the cap, plus names that are not GraphQL names (sent as operationName only): all "other".
    await send(`Op${CAP}`);
    await send('', { query: '{ __typename }', operationName: 'not a name; 💥' });
    const atCap = await metrics();
    const started = performance.now();
    for (let i = CAP + 1; i < 3_000; i++) await send(`Op${i}`);
    const seconds = (performance.now() - started) / 1000;
    const after = await metrics();

    expect(series(after)).toEqual(series(atCap));
    const operations = labelValues(after, 'operation');
    expect(operations).toEqual(new Set([...Array.from({ length: CAP }, (_, i) => `Op${i}`), 'other']));
    // The plugin's HTTP histogram labels the document's operation: none matched 'not a name; 💥', so 'Anonymous'.
    expect(labelValues(after, 'operationName')).toEqual(new Set([...Array.from({ length: CAP }, (_, i) => `Op${i}`), 'other', 'Anonymous']));
    expect(sample(after, 'cinegraph_graphql_requests_total', { operation: 'Op0', status: '200' })).toBe(1);
    // Op100…Op2999 answered 200; the request naming no operation of its document is refused (and never executes).
    expect(sample(after, 'cinegraph_graphql_requests_total', { operation: 'other', status: '200' })).toBe(3_000 - CAP);
    expect(sample(after, 'cinegraph_graphql_requests_total', { operation: 'other', status: '400' })).toBe(1);
    expect(sample(after, 'graphql_envelop_phase_execute_count', { operationName: 'other', operationType: 'query' })).toBe(3_000 - CAP);
    // Before: ~20 KB more per distinct name (3,000 names took it to 60 MB).
    expect(after.length).toBeLessThan(1_200_000);
    console.info(
      `label flood: /metrics ${atCap.length} bytes at the cap, ${after.length} after 3,000 names (${series(after).size} series); ${Math.round(2_899 / seconds)} requests/s`,
    );
  }, 120_000);

  test('a catalogued error code keeps its own label (a code outside src/errors.ts would count as "other")', async () => {
    await send('', { query: '{ nope }' });
    const text = await metrics();
    expect(sample(text, 'cinegraph_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect([...labelValues(text, 'code')].every((c) => c === 'other' || /^[A-Z_]+$/.test(c))).toBe(true);
  });
});

describe('operation labels with trusted documents', () => {
  const HER = 'query HerTitle { film(slug: "her") { title } }';
  const api = useApi(undefined, { trustedDocuments: new Map([['her-title', HER]]) });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(api.client.yoga);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.close());

  test('only the operation names of the manifest are labelled; names in refused requests count as "other"', async () => {
    const send = (body: Record<string, unknown>) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await send({ documentId: 'her-title', operationName: 'HerTitle' })).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await send({ query: `query Junk${i} { __typename }`, operationName: `Junk${i}` })).status).toBe(400);
    const text = await fetch(`${base}/metrics`).then((r) => r.text());
    expect(labelValues(text, 'operation')).toEqual(new Set(['HerTitle', 'other']));
    expect(sample(text, 'cinegraph_graphql_requests_total', { operation: 'other', status: '400' })).toBe(20);
    expect(sample(text, 'graphql_envelop_phase_execute_count', { operationName: 'HerTitle', operationType: 'query' })).toBe(1);
  });
});
