import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadTrustedDocuments } from '../../src/plugins/trusted-documents.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';

const FILM = 'query Film($slug: String!) { film(slug: $slug) { title } }';
const ID = `sha256:${createHash('sha256').update(FILM).digest('hex')}`;
const filmUrl = (base: string, slug = 'her', extra: Record<string, string> = {}) =>
  `${base}?${new URLSearchParams({ documentId: ID, variables: JSON.stringify({ slug }), ...extra })}`;
const JSON_ACCEPT = { accept: 'application/graphql-response+json' };

/** Cache-Control as a map of directive → value (RFC 9111 §5.2: case-insensitive names, optional =value). */
function directives(header: string | null): Map<string, string | true> {
  const map = new Map<string, string | true>();
  for (const part of (header ?? '').split(',')) {
    const [name, value] = part.trim().split('=');
    if (name) map.set(name.toLowerCase(), value ?? true);
  }
  return map;
}
const vary = (headers: Headers) => new Set((headers.get('vary') ?? '').split(',').map((v) => v.trim().toLowerCase()));

let db: TestDatabase;
let dir: string;
let api: HttpServer;
beforeAll(async () => {
  db = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-http-cache-'));
  const manifest = path.join(dir, 'persisted-documents.json');
  writeFileSync(manifest, JSON.stringify({ [ID]: FILM }));
  api = await startHttpServer(db, {
    trustedDocuments: loadTrustedDocuments(manifest),
    guard: { HTTP_CACHE_MAX_AGE_SECONDS: 120, HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS: 30 },
  });
});
afterAll(async () => {
  await api?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Cache-Control, ETag and Vary of a persisted query over GET, by RFC 9111', () => {
  test('an anonymous success is storable by shared caches, with explicit freshness and stale-while-revalidate', async () => {
    const response = await fetch(filmUrl(api.url), { headers: JSON_ACCEPT });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=120, stale-while-revalidate=30');
    const cc = directives(response.headers.get('cache-control'));
    // §3: storable by a shared cache — no no-store, no private, explicit freshness.
    expect([cc.has('no-store'), cc.has('private'), cc.get('max-age')]).toEqual([false, false, '120']);
    expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]{27}"$/);
    // §4.1: what the stored response depends on besides the URL.
    expect(vary(response.headers)).toEqual(new Set(['accept', 'authorization', 'x-api-key']));
    expect(await response.json()).toMatchObject({ data: { film: { title: 'Her' } } });
  });

  test('If-None-Match with the current ETag gets 304 with the same validators and caching headers, and no body', async () => {
    const first = await fetch(filmUrl(api.url), { headers: JSON_ACCEPT });
    const etag = first.headers.get('etag')!;
    const again = await fetch(filmUrl(api.url), { headers: { ...JSON_ACCEPT, 'if-none-match': `W/"other", ${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // RFC 9110 §15.4.5: a 304 carries the Cache-Control, ETag and Vary a 200 would have.
    for (const name of ['etag', 'cache-control', 'vary']) expect([name, again.headers.get(name)]).toEqual([name, first.headers.get(name)]);
    // Another film is another body: its ETag differs and the old one does not match it.
    const other = await fetch(filmUrl(api.url, 'gladiator'), { headers: { ...JSON_ACCEPT, 'if-none-match': etag } });
    expect(other.status).toBe(200);
    expect(other.headers.get('etag')).not.toBe(etag);
  });

  test.each([
    ['Authorization', { authorization: 'Bearer some-token-that-is-no-key' }],
    ['x-api-key', { 'x-api-key': 'whatever' }],
  ])('with %s it is private, no-store and has no ETag', async (_name, credentials) => {
    const response = await fetch(filmUrl(api.url), { headers: { ...JSON_ACCEPT, ...credentials } });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('etag')).toBeNull();
  });

  test('errors and unknown documents are never stored (a film that does not exist is a cacheable answer); POST gets no caching headers', async () => {
    const badVariables = await fetch(filmUrl(api.url).replace(/variables=[^&]*/, 'variables=%7B%7D'), { headers: JSON_ACCEPT });
    expect([badVariables.status, badVariables.headers.get('cache-control'), badVariables.headers.get('etag')]).toEqual([400, 'no-store', null]);
    const unknown = await fetch(`${api.url}?documentId=sha256:${'0'.repeat(64)}`, { headers: JSON_ACCEPT });
    expect([unknown.status, unknown.headers.get('cache-control')]).toEqual([404, 'no-store']);
    const nullFilm = await fetch(filmUrl(api.url, 'no-such-film'), { headers: JSON_ACCEPT });
    expect([nullFilm.status, nullFilm.headers.get('cache-control')]).toEqual([200, 'public, max-age=120, stale-while-revalidate=30']);
    const byPost = await post(api.url, { documentId: ID, variables: { slug: 'her' } });
    expect([byPost.status, byPost.headers.get('cache-control'), byPost.headers.get('etag')]).toEqual([200, null, null]);
  });

  test('a mutation over GET is refused (405) and not stored, on a server that runs any query', async () => {
    const open = await startHttpServer(db);
    try {
      const mutation = 'mutation { deleteFilm(input: { id: "x", version: 1 }) { __typename } }';
      const response = await fetch(`${open.url}?query=${encodeURIComponent(mutation)}`, { headers: JSON_ACCEPT });
      expect([response.status, response.headers.get('cache-control')]).toEqual([405, 'no-store']);
    } finally {
      await open.close();
    }
  });

  test('stale-while-revalidate 0 leaves the directive out', async () => {
    const plain = await startHttpServer(db, { guard: { HTTP_CACHE_MAX_AGE_SECONDS: 5, HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS: 0 } });
    try {
      const response = await fetch(`${plain.url}?query=${encodeURIComponent('{ film(slug: "her") { title } }')}`, { headers: JSON_ACCEPT });
      expect(response.headers.get('cache-control')).toBe('public, max-age=5');
    } finally {
      await plain.close();
    }
  });
});

interface Stored {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  storedAt: number;
  /** The request header values named by Vary, as they were when stored (RFC 9111 §4.1). */
  varying: Record<string, string | undefined>;
}

/**
 * A tiny shared cache in front of the API, following RFC 9111 closely enough to prove the
 * headers work: stores a GET 200 only when Cache-Control allows a shared cache to (no private, no
 * no-store, explicit max-age) and the request carried no Authorization (§3.5); serves it while
 * fresh (§4.2) if the request matches its Vary headers (§4.1); once stale, revalidates with
 * If-None-Match and, on 304, freshens the stored response (§4.3). Counts what reached the origin.
 */
async function startCachingProxy(origin: string): Promise<{ url: string; originRequests: string[]; close: () => Promise<void> }> {
  // Several variants per URL, one per combination of the Vary'd request headers.
  const store = new Map<string, Stored[]>();
  const originRequests: string[] = [];
  const target = new URL(origin);
  const forward = (path: string, headers: IncomingHttpHeaders) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      originRequests.push(`${headers['if-none-match'] ? 'revalidate' : 'fetch'} ${path}`);
      const outgoing = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET', headers: { ...headers, host: target.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  const varyNames = (headers: IncomingHttpHeaders) =>
    String(headers.vary ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const key = req.url!;
      const cc = (headers: IncomingHttpHeaders) => directives(String(headers['cache-control'] ?? ''));
      const stored = store.get(key)?.find((variant) => varyNames(variant.headers).every((name) => variant.varying[name] === req.headers[name]));
      const age = stored ? Math.floor((Date.now() - stored.storedAt) / 1000) : 0;
      if (stored && age < Number(cc(stored.headers).get('max-age'))) {
        res.writeHead(stored.status, { ...stored.headers, age: String(age), 'x-cache': 'HIT' }).end(stored.body);
        return;
      }
      const headers = { ...req.headers };
      delete headers.host;
      if (stored?.headers.etag) headers['if-none-match'] = String(stored.headers.etag);
      const answer = await forward(key, headers);
      if (answer.status === 304 && stored && !req.headers['if-none-match']) {
        stored.headers = { ...stored.headers, ...answer.headers };
        stored.storedAt = Date.now();
        res.writeHead(stored.status, { ...stored.headers, 'x-cache': 'REVALIDATED' }).end(stored.body);
        return;
      }
      const directivesOf = cc(answer.headers);
      const storable =
        answer.status === 200 && !directivesOf.has('no-store') && !directivesOf.has('private') && directivesOf.has('max-age') && !req.headers.authorization;
      if (storable) {
        const varying = Object.fromEntries(varyNames(answer.headers).map((name) => [name, req.headers[name] as string | undefined]));
        const others = (store.get(key) ?? []).filter((variant) => variant !== stored);
        store.set(key, [...others, { ...answer, storedAt: Date.now(), varying }]);
      }
      res.writeHead(answer.status, { ...answer.headers, 'x-cache': 'MISS' }).end(answer.body);
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    originRequests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('through a caching proxy (a shared cache that follows the headers)', () => {
  test('repeats are served by the cache, a different Accept or credentials reach the server, and a stale entry revalidates with 304', async () => {
    const origin = await startHttpServer(db, {
      trustedDocuments: loadTrustedDocuments(path.join(dir, 'persisted-documents.json')),
      guard: { HTTP_CACHE_MAX_AGE_SECONDS: 1, HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS: 0 },
    });
    const proxy = await startCachingProxy(origin.url);
    try {
      const url = filmUrl(proxy.url);
      const pathOf = new URL(url).pathname + new URL(url).search;
      const get = (headers: Record<string, string> = {}) => fetch(url, { headers: { ...JSON_ACCEPT, ...headers } });
      const first = await get();
      const hit = await get();
      expect([first.headers.get('x-cache'), hit.headers.get('x-cache')]).toEqual(['MISS', 'HIT']);
      expect(await hit.json()).toMatchObject({ data: { film: { title: 'Her' } } });
      // Vary: Accept — a client asking for application/json is not handed the other media type.
      const otherAccept = await get({ accept: 'application/json' });
      expect([otherAccept.headers.get('x-cache'), otherAccept.headers.get('content-type')]).toEqual(['MISS', 'application/json; charset=utf-8']);
      // With credentials: forwarded, and the private answer is not stored.
      const withKey = await get({ authorization: 'Bearer not-a-real-key-but-credentials' });
      expect([withKey.headers.get('x-cache'), withKey.headers.get('cache-control')]).toEqual(['MISS', 'private, no-store']);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const revalidated = await get({ accept: 'application/graphql-response+json' });
      expect(revalidated.headers.get('x-cache')).toBe('REVALIDATED');
      expect(await revalidated.json()).toMatchObject({ data: { film: { title: 'Her' } } });
      expect(proxy.originRequests).toEqual([`fetch ${pathOf}`, `fetch ${pathOf}`, `fetch ${pathOf}`, `revalidate ${pathOf}`]);
    } finally {
      await proxy.close();
      await origin.close();
    }
  });
});
