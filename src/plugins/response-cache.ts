import { createHash } from 'node:crypto';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { createRedisCache } from '@envelop/response-cache-redis';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { hasCredentials } from '../auth.ts';
import type { Context } from '../context.ts';
import { createMemoryCache } from './memory-cache.ts';

export interface ResponseCacheOptions {
  ttlMs: number;
  /** In-memory store size (entries, least recently used evicted). */
  maxEntries?: number;
  /** A connected ioredis client; when given, the cache lives in Redis and is shared by every instance. */
  redis?: Redis;
  /** Called once per cache-eligible query: true when served from the cache. */
  onLookup?: (hit: boolean) => void;
  /** A store failure (Redis down): logged, and the request proceeds as a miss. */
  onStoreError?: (error: unknown, operation: 'get' | 'set' | 'invalidate') => void;
}

export interface ResponseCache {
  store: 'memory' | 'redis';
  cache: Cache;
  plugins: Plugin<Context>[];
}

/**
 * ioredis's keyPrefix is applied to the keys of every command, but not to KEYS' pattern nor
 * stripped from what KEYS returns; the Redis store feeds KEYS results back into SMEMBERS/DEL
 * (type-wide invalidation). Prefix the pattern on the way in and strip it on the way out.
 */
function prefixAware(redis: Redis): Redis {
  const prefix = redis.options.keyPrefix ?? '';
  if (!prefix) return redis;
  return new Proxy(redis, {
    get(target, property) {
      if (property === 'keys') {
        return async (pattern: string) => (await target.keys(prefix + pattern)).map((k) => k.slice(prefix.length));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The cache is an optimisation: when its store fails (Redis unreachable), reads go to the
 * database and writes still succeed. A failed invalidation can leave reads stale for at most
 * the TTL, so it is reported, not swallowed silently.
 */
function failOpen(cache: Cache, onError: NonNullable<ResponseCacheOptions['onStoreError']>): Cache {
  return {
    async get(key) {
      try {
        return await cache.get(key);
      } catch (error) {
        onError(error, 'get');
        return undefined;
      }
    },
    async set(...args) {
      try {
        await cache.set(...args);
      } catch (error) {
        onError(error, 'set');
      }
    },
    async invalidate(entities) {
      try {
        await cache.invalidate(entities);
      } catch (error) {
        onError(error, 'invalidate');
      }
    },
  };
}

/** Anonymous requests share one cache; any request with credentials neither reads nor fills it. */
const anonymous = (request: Request) => !hasCredentials(request.headers);

/**
 * A weak validator over what the response says (`data` and `errors`), not its per-request
 * `extensions` (the rate-limit budget left changes on every request): two bodies with the same
 * data are semantically equivalent, which is exactly what a weak ETag asserts (RFC 9110 §8.8.1).
 */
function etagOf(body: string): string {
  const { data, errors } = JSON.parse(body) as { data?: unknown; errors?: unknown };
  return `W/"${createHash('sha256').update(JSON.stringify({ data, errors })).digest('base64url').slice(0, 27)}"`;
}

/**
 * The shared response cache (graphql-yoga's plugin, memory or Redis store) plus two plugins of
 * ours around it:
 * - invalidation from `ctx.written` after every mutation, because mutations carry the admin
 *   token and so bypass the cache plugin (which would otherwise only invalidate what the
 *   mutation's result happens to select);
 * - HTTP caching for GET: a content-hash ETag and Cache-Control. The plugin's own ETag is the
 *   cache key, which stays the same after an invalidation, so a client revalidating with it
 *   alone would get 304 for data that has changed; a hash of the body cannot go stale.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const store = options.redis
    ? (createRedisCache({ redis: prefixAware(options.redis) }) as Cache)
    : createMemoryCache({ max: options.maxEntries ?? 1_000 });
  const cache = failOpen(store, options.onStoreError ?? (() => undefined));
  const maxAge = Math.floor(options.ttlMs / 1000);

  const invalidateWrites: Plugin<Context> = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') {
        if (anonymous(args.contextValue.request)) options.onLookup?.(false);
        return;
      }
      return {
        async onExecuteDone() {
          const written = args.contextValue.written;
          // Awaited, so the mutation's response is sent only once reads can no longer be stale.
          if (written.length > 0) await cache.invalidate(written);
        },
      };
    },
    onExecutionResult({ result }) {
      if (result && Symbol.for('servedFromResponseCache') in result) options.onLookup?.(true);
    },
  };

  const httpCaching: Plugin<Context> = {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || !new URL(request.url).pathname.endsWith('/graphql')) return;
      if (!anonymous(request)) {
        response.headers.set('Cache-Control', 'private, no-store');
        return;
      }
      // The cache plugin sets ETag only on results it stored or served: no errors, cacheable.
      if (response.status !== 200 || !response.headers.has('ETag')) {
        response.headers.set('Cache-Control', 'no-store');
        return;
      }
      const body = await response.clone().text();
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('ETag', etagOf(body));
      headers.set('Cache-Control', `public, max-age=${maxAge}`);
      headers.delete('Last-Modified');
      const ifNoneMatch = request.headers.get('If-None-Match');
      // Weak comparison (RFC 9110 §13.1.2), as If-None-Match requires: W/ prefixes are ignored.
      const strip = (tag: string) => tag.trim().replace(/^W\//, '');
      const matches = ifNoneMatch?.split(',').some((tag) => strip(tag) === strip(headers.get('ETag')!));
      setResponse(matches ? new fetchAPI.Response(null, { status: 304, headers }) : new fetchAPI.Response(body, { status: 200, headers }));
    },
  };

  return {
    store: options.redis ? 'redis' : 'memory',
    cache,
    plugins: [
      useResponseCache<Context>({
        cache,
        ttl: options.ttlMs,
        session: () => null,
        enabled: anonymous,
        includeExtensionMetadata: false,
      }) as Plugin<Context>,
      invalidateWrites,
      httpCaching,
    ],
  };
}
