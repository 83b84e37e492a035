import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { hasCredentials } from '../auth/identity.ts';

/** HTTP caching of GET queries: Cache-Control from the settings, a weak ETag with 304s, and Vary (docs/caching.md#http-caching-for-get). */
export interface HttpCacheOptions {
  /** `max-age` of a cacheable GET response (HTTP_CACHE_MAX_AGE_SECONDS); 0 makes caches revalidate every time. */
  maxAgeSeconds: number;
  /** `stale-while-revalidate` (RFC 5861; HTTP_CACHE_STALE_WHILE_REVALIDATE_SECONDS); 0 leaves the directive out. */
  staleWhileRevalidateSeconds: number;
}

/**
 * What a response to GET /graphql depends on besides its URL, so a shared cache keys on it
 * (RFC 9111 §4.1): the media type negotiated from Accept, and the credentials that make it
 * private. (Origin is added by plugins/cors.ts when an allowlist makes the CORS headers vary.)
 */
const VARY = ['Accept', 'Authorization', 'X-Api-Key'];

/**
 * A weak validator over what the response says (`data` and `errors`), not its per-request
 * `extensions` (the rate-limit budget left changes on every request): two bodies with the same
 * data are semantically equivalent, which is exactly what a weak ETag asserts (RFC 9110 §8.8.1).
 */
function etagOf(body: string): string {
  const { data, errors } = JSON.parse(body) as { data?: unknown; errors?: unknown };
  return `W/"${createHash('sha256').update(JSON.stringify({ data, errors })).digest('base64url').slice(0, 27)}"`;
}

/** If-None-Match against one ETag, by weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored; `*` matches any. */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

function appendVary(headers: Headers, names: string[]) {
  const present = (headers.get('vary') ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const lower = new Set(present.map((v) => v.toLowerCase()));
  headers.set('vary', [...present, ...names.filter((name) => !lower.has(name.toLowerCase()))].join(', '));
}

/**
 * HTTP caching of GET queries, persisted ones above all (a short, stable URL a CDN or browser can
 * key on). A successful anonymous query answered over GET gets `Cache-Control: public,
 * max-age=N, stale-while-revalidate=M`, a weak ETag of its data and `304 Not Modified` for a
 * matching If-None-Match; one sent with credentials gets `private, no-store`; anything else
 * answered to GET (errors, a refused request) gets `no-store`, so no cache stores it heuristically.
 * POST is left alone: caches do not store POST responses without explicit freshness (RFC 9110 §9.3.3).
 */
export function useHttpCache(options: HttpCacheOptions): Plugin {
  const cacheControl = [
    'public',
    `max-age=${options.maxAgeSeconds}`,
    ...(options.staleWhileRevalidateSeconds > 0 ? [`stale-while-revalidate=${options.staleWhileRevalidateSeconds}`] : []),
  ].join(', ');
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || !new URL(request.url).pathname.endsWith('/graphql')) return;
      // GraphiQL's page (a browser's GET with Accept: text/html) is not an API answer.
      if ((response.headers.get('content-type') ?? '').startsWith('text/html')) return;
      const headers = response.headers;
      appendVary(headers, VARY);
      if (hasCredentials(request.headers)) {
        headers.set('Cache-Control', 'private, no-store');
        return;
      }
      const contentType = headers.get('content-type') ?? '';
      // Only queries get here: yoga answers a mutation over GET with 405 (GraphQL over HTTP), and
      // a response cache hit never executes, so the status and the body are what is checked.
      if (response.status !== 200 || !/^application\/(graphql-response\+)?json/.test(contentType)) {
        headers.set('Cache-Control', 'no-store');
        return;
      }
      const body = await response.clone().text();
      if ((JSON.parse(body) as { errors?: unknown }).errors !== undefined) {
        headers.set('Cache-Control', 'no-store');
        return;
      }
      const etag = etagOf(body);
      // Edited in place: a copy through `new Headers(response.headers)` lost its mixed-case
      // entries to lookups (whatwg-node's Headers), so `Content-Type` was not seen.
      headers.set('ETag', etag);
      headers.set('Cache-Control', cacheControl);
      // The response cache plugin's Last-Modified is when it stored the entry, not when the data changed.
      headers.delete('Last-Modified');
      if (!matches(request.headers.get('If-None-Match'), etag)) return;
      // A 304 carries the 200's headers (a cache updates its stored ones from them, RFC 9111 §4.3.4), but no body.
      const notModified = new fetchAPI.Headers([...headers].filter(([name]) => name.toLowerCase() !== 'content-length'));
      setResponse(new fetchAPI.Response(null, { status: 304, headers: notModified }));
    },
  };
}
