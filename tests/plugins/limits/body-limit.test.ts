import type { Socket } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';
import { filler, postChunked } from '../../helpers/chunked.ts';
import { post, useHttpServer } from '../../helpers/http.ts';

const LIMIT = 100_000; // MAX_BODY_BYTES's default
const QUERY = 'query ($s: String, $ids: [ID!]! = []) { film(slug: $s) { title } nodes(ids: $ids) { id } }';
const head = (variable: string) => `{"query":${JSON.stringify(QUERY)},"variables":{"${variable}":`;

describe('MAX_BODY_BYTES on the bytes actually read', () => {
  const api = useHttpServer();
  const sockets: Socket[] = [];
  beforeAll(() => api.http.server.on('connection', (socket: Socket) => sockets.push(socket)));

  test('a 10 MB chunked body is a 413 DOCUMENT_TOO_LARGE sent before the client has finished, the server having read little past the limit', async () => {
    const result = await postChunked(api.http.url, [head('s'), '"', ...filler(160, 64 * 1024), '"}}']);
    expect(result.status).toBe(413);
    expect(result.body.errors).toEqual([
      { message: `The request body is larger than the limit of ${LIMIT} bytes.`, extensions: { code: 'DOCUMENT_TOO_LARGE' } },
    ]);
    expect(result.body.data).toBeUndefined();
    expect(result.sentAll).toBe(false);
    expect(result.writtenBeforeResponse).toBeLessThan(10 * 1024 * 1024);
    // What the server's socket took in: the limit, one chunk past it and what the kernel had queued.
    const read = sockets.at(-1)!.bytesRead;
    console.info(`chunked 10 MB body: server read ${read} bytes before answering 413; client had written ${result.writtenBeforeResponse}`);
    expect(read).toBeLessThan(1_000_000);
  });

  test('100 000 ids sent chunked are refused the same way, before any SQL', async () => {
    api.db.resetStatements();
    const ids = Array.from({ length: 100_000 }, (_, i) => `"RmlsbTo${i}"`);
    const parts = [head('ids'), '[', ...Array.from({ length: 100 }, (_, i) => ids.slice(i * 1000, (i + 1) * 1000).join(',') + (i < 99 ? ',' : '')), ']}}'];
    const started = performance.now();
    const result = await postChunked(api.http.url, parts);
    console.info(`100 000 ids chunked: ${result.status} in ${(performance.now() - started).toFixed(0)} ms`);
    expect([result.status, result.body.errors?.[0]?.extensions?.code]).toEqual([413, 'DOCUMENT_TOO_LARGE']);
    expect(api.db.statements).toEqual([]);
  });

  test('a chunked body just under the limit runs normally', async () => {
    const value = 'x'.repeat(LIMIT - 500);
    const parts = [head('s'), '"', ...value.match(/.{1,7000}/g)!, '"}}'];
    expect(parts.join('').length).toBeLessThan(LIMIT);
    const result = await postChunked(api.http.url, parts);
    expect(result.sentAll).toBe(true);
    expect(result.body.errors).toBeUndefined();
    expect([result.status, result.body.data]).toEqual([200, { film: null, nodes: [] }]);
  });

  test('a chunked body one byte over the limit is refused', async () => {
    const body = `${head('s')}"${'x'.repeat(LIMIT)}"}}`;
    const over = body.slice(0, LIMIT + 1);
    const result = await postChunked(api.http.url, [over.slice(0, 50_000), over.slice(50_000)]);
    expect([result.status, result.body.errors?.[0]?.extensions?.code]).toEqual([413, 'DOCUMENT_TOO_LARGE']);
  });

  test('a Content-Length over the limit is still refused on arrival, before the body is read', async () => {
    const body = JSON.stringify({ query: QUERY, variables: { s: 'x'.repeat(LIMIT) } });
    const response = await post(api.http.url, body);
    expect(response.status).toBe(413);
    expect(response.body.errors).toEqual([
      { message: `Request body is ${body.length} bytes; the limit is ${LIMIT}.`, extensions: { code: 'DOCUMENT_TOO_LARGE' } },
    ]);
  });
});

describe('GET query strings', () => {
  const api = useHttpServer();

  test("a query string past Node's 16 kB header limit is a 431, and a normal GET still runs", async () => {
    const huge = await fetch(`${api.http.url}?query=${encodeURIComponent(`{ ${'__typename '.repeat(2_000)}}`)}`, { headers: { accept: 'application/json' } });
    expect(huge.status).toBe(431);
    const normal = await fetch(`${api.http.url}?query=${encodeURIComponent('{ film(slug: "her") { title } }')}`, { headers: { accept: 'application/json' } });
    expect([normal.status, ((await normal.json()) as { data: unknown }).data]).toEqual([200, { film: { title: 'Her' } }]);
  });
});

describe('compressed request bodies', () => {
  const api = useHttpServer();
  // 10 MB of JSON that deflates to about 10 kB: a limit on the compressed bytes would let it in.
  const bomb = JSON.stringify({ query: '{ __typename }', variables: { s: ' '.repeat(10_000_000) } });

  test.each([
    ['gzip', gzipSync(bomb)],
    ['deflate', deflateSync(bomb)],
    ['GZIP', gzipSync(bomb)],
    ['br', Buffer.from(bomb.slice(0, 100))],
    ['gzip, identity', gzipSync(bomb)],
  ])('Content-Encoding: %s is a 415 UNSUPPORTED_MEDIA_TYPE that says which coding is accepted', async (coding, body) => {
    expect(body.length).toBeLessThan(LIMIT);
    const response = await fetch(api.http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'content-encoding': coding },
      body: new Uint8Array(body),
    });
    expect(response.status).toBe(415);
    expect(response.headers.get('accept-encoding')).toBe('identity');
    const json = (await response.json()) as { errors: { message: string; extensions: { code: string } }[]; data?: unknown };
    expect(json.errors).toEqual([
      { message: `\`Content-Encoding: ${coding.toLowerCase()}\` is not accepted; send the body uncompressed.`, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
    ]);
  });

  test('Content-Encoding: identity is the uncompressed body and runs', async () => {
    const response = await post(api.http.url, { query: '{ film(slug: "her") { title } }' }, { 'content-encoding': 'identity' });
    expect([response.status, response.body.data]).toEqual([200, { film: { title: 'Her' } }]);
  });
});
