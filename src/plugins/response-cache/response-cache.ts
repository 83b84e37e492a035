import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { hasCredentials } from '../../auth/identity.ts';
import type { Context } from '../../context.ts';
import { createMemoryCache } from './memory-store.ts';
import { createRedisCache } from './redis-store.ts';

export interface ResponseCacheOptions {
  ttlMs: number;
  /** In-memory store size (entries, least recently used evicted). */
  maxEntries?: number;
  /** In-memory store budget: the JSON length of the responses it holds (least recently used evicted past it). */
  maxBytes?: number;
  /**
   * How many times an operation (query + variables) must be asked for before its result is
   * stored: 1 stores every miss; 2 (the default) stores from the second request on. See `admission`.
   */
  admitAfter?: number;
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
  /** The in-memory store's responses and their JSON length (for /metrics); absent with Redis. */
  size?: () => { responses: number; bytes: number };
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
 * The cache key of an operation: its document, operation name and variables (one global session).
 * The plugin's default is the same hash through WebCrypto, which is asynchronous; this one is not.
 */
function operationKey({
  documentString,
  operationName,
  variableValues,
}: {
  documentString: string;
  operationName?: string | null | undefined;
  variableValues?: unknown;
}): string {
  // JSON, not concatenation: the key is built before yoga checks the parameters' types, so any
  // of them may be an array or an object here (those requests are then refused, never cached).
  return createHash('sha256')
    .update(JSON.stringify([documentString, operationName ?? null, variableValues ?? {}]))
    .digest('hex');
}

/**
 * Which misses are worth storing ("cache on the Nth request", a doorkeeper in TinyLFU's terms).
 * On a miss the plugin does real work for the store: it adds `__typename`/`id` to every
 * selection, walks the result to collect entities and strip them again, and writes the entry
 * with its tags. In a catalogue of a million films most pages are asked for once within a TTL;
 * measured in process on the 1M-film bench set, that work made an uncached film detail cost
 * ≈ 0.8 ms of CPU on top of ≈ 1.1–1.6 ms, and stored entries that were evicted unread. So an
 * operation is only cached once it has been asked for `admitAfter` times: until then the cache
 * is switched off for the request (no lookup, no instrumentation). The sightings are counted
 * per process, for the last `remember` distinct operations.
 */
function admission(admitAfter: number, remember: number) {
  const sightings = new LRUCache<string, number>({ max: remember });
  const keys = new WeakMap<Request, string>();
  const decided = new WeakMap<Request, boolean>();
  return {
    key(params: Parameters<typeof operationKey>[0] & { request: Request }): string {
      const key = operationKey(params);
      keys.set(params.request, key);
      return key;
    },
    admits(request: Request): boolean {
      if (admitAfter <= 1) return true;
      let admitted = decided.get(request);
      if (admitted !== undefined) return admitted;
      const key = keys.get(request);
      // Before its parameters are read (an If-None-Match lookup): a lookup only, nothing stored.
      if (key === undefined) return true;
      const seen = (sightings.get(key) ?? 0) + 1;
      sightings.set(key, seen);
      admitted = seen >= admitAfter;
      decided.set(request, admitted);
      return admitted;
    },
  };
}

/**
 * The shared response cache (graphql-yoga's plugin, memory or Redis store) plus a plugin of
 * ours around it: invalidation from `ctx.written` after every mutation, because mutations carry
 * the admin token and so bypass the cache plugin (which would otherwise only invalidate what the
 * mutation's result happens to select). HTTP caching for GET (Cache-Control, a content-hash ETag in place of the plugin's own, which
 * is its cache key and so would validate data that has changed) is plugins/http-cache.ts.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const memory = options.redis ? undefined : createMemoryCache({ max: options.maxEntries ?? 1_000, maxBytes: options.maxBytes });
  const store = memory ?? createRedisCache(options.redis!);
  const cache = failOpen(store, options.onStoreError ?? (() => undefined));
  const admit = admission(options.admitAfter ?? 2, Math.max(10_000, 10 * (options.maxEntries ?? 1_000)));

  // A read that misses reads the database, then stores its result: if a write committed and
  // invalidated in between, what it read may predate the write, and storing it would serve that
  // value after the write was acknowledged, until the TTL. So the writes of this process are
  // counted, each read notes the count it started at, and a result is stored only if no write
  // invalidated since (onTtl below: a TTL of 0 is "do not store"). Writes made on another
  // instance are not counted here (docs/caching.md#invalidation).
  let writes = 0;
  const startedAt = new WeakMap<object, number>();

  const invalidateWrites: Plugin<Context> = {
    onExecute({ args }) {
      if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') {
        startedAt.set(args.contextValue, writes);
        if (anonymous(args.contextValue.request)) options.onLookup?.(false);
        return;
      }
      return {
        async onExecuteDone() {
          const written = args.contextValue.written;
          if (written.length === 0) return;
          // Counted first: a racing read that stores after this point is refused, one that stored
          // before it is removed by the invalidation.
          writes++;
          // Awaited, so the mutation's response is sent only once reads can no longer be stale.
          await cache.invalidate(written);
        },
      };
    },
    onExecutionResult({ result }) {
      if (result && Symbol.for('servedFromResponseCache') in result) options.onLookup?.(true);
    },
  };

  // GET is admitted at once: it is how clients opt into HTTP caching (plugins/http-cache.ts), so a
  // GET is likely to be asked for again.
  const enabled = (request: Request) => anonymous(request) && (request.method === 'GET' || admit.admits(request));
  return {
    store: options.redis ? 'redis' : 'memory',
    cache,
    ...(memory ? { size: () => ({ responses: memory.size().responses, bytes: memory.bytes() }) } : {}),
    plugins: [
      walkSchemaOnFirstUse(
        useResponseCache<Context>({
          cache,
          ttl: options.ttlMs,
          session: () => null,
          buildResponseCacheKey: (params) => admit.key(params),
          enabled,
          includeExtensionMetadata: false,
          onTtl: ({ ttl, context }) => (startedAt.get(context) === writes ? ttl : 0),
        }) as Plugin<Context>,
        (context) => enabled(context.request),
      ),
      invalidateWrites,
    ],
  };
}

/**
 * The plugin's execution half (added by it from onPluginInit) learns the schema in onSchemaChange
 * by rebuilding all of it with `mapSchema` and keeping what its fields return: 0.1–0.3 s of
 * start-up on this schema, spent before the server could answer. Nothing reads what it learns
 * until an execution the cache is enabled for, so the walk is put off until the first such
 * execution (with admission, not the first request of an operation; or never, for a server whose
 * traffic all carries credentials).
 */
function walkSchemaOnFirstUse(plugin: Plugin<Context>, enabledFor: (context: Context) => boolean): Plugin<Context> {
  const onPluginInit = plugin.onPluginInit;
  if (!onPluginInit) return plugin;
  return {
    ...plugin,
    onPluginInit(payload) {
      return onPluginInit({
        ...payload,
        addPlugin(added) {
          const { onSchemaChange, onExecute } = added as Plugin<Context>;
          if (!onSchemaChange || !onExecute) return payload.addPlugin(added);
          let pending: Parameters<typeof onSchemaChange>[0] | undefined;
          return payload.addPlugin({
            ...added,
            onSchemaChange(change) {
              pending = change;
            },
            onExecute(execution) {
              if (pending && enabledFor(execution.args.contextValue)) {
                const change = pending;
                pending = undefined;
                onSchemaChange(change);
              }
              return onExecute(execution);
            },
          } as Plugin<Context>);
        },
      });
    },
  };
}
