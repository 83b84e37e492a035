import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, useApi } from './helpers/graphql.ts';

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
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }).then((r) => r.json());

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
