import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';

type EntityRecord = Parameters<Cache['set']>[2] extends Iterable<infer E> ? E : never;

export interface MemoryCache extends Cache {
  // Synchronous, unlike the interface it implements: callers need not await a local store.
  set(...args: Parameters<Cache['set']>): void;
  invalidate(...args: Parameters<Cache['invalidate']>): void;
  /** Entries held, and entity keys indexed (`Type` and `Type:id`); both bounded by `max`. */
  size(): { responses: number; entities: number };
  /** What the held responses weigh by the byte budget (their JSON length); 0 without `maxBytes`. */
  bytes(): number;
}

/**
 * The in-process response store: at most `max` responses (least recently used evicted, each
 * expiring after its ttl), and an index from entity (`Film`, `Film:42`) to the responses that
 * contain it, so a write invalidates exactly those.
 *
 * Ours rather than `createInMemoryCache` from @envelop/response-cache, whose index keeps a key
 * for every entity that was ever in a cached response after the responses are gone
 * (graphql-hive/graphql-yoga#4561, open): on a million-film catalogue a stored film page adds
 * ~35 keys for good, so the index grows with the catalogue, not with `max`. Here an entity key
 * leaves the index with its last response, so the index is bounded by `max` × entities per
 * response (tests/plugins/response-cache/memory-store.test.ts: 5,000 responses of 9 entities each through a 10-entry
 * store leave 92 keys; by its code, the library's store keeps all 45,002).
 *
 * A response is held as its JSON text and parsed again on each hit (a `JSON.parse` of a few
 * kilobytes). Held as objects, the library's way, responses cost many times their JSON in heap:
 * the plugin deletes the `__responseCacheTypeName`/`__responseCacheId` fields it added to every
 * object, which leaves the objects in V8's slow dictionary form. Under the mixed workload on 1M
 * films, with ~4 MiB of JSON held, the server's heap in use settled at 97 MiB with objects and at
 * 70–73 MiB with text and the index below (docs/operations.md#memory). A stored response also
 * cannot be changed through the object the request went on to use.
 */
export function createMemoryCache({ max, maxBytes }: { max: number; maxBytes?: number }): MemoryCache {
  // Entity key → the responses that hold it: one response id as is, a Set only from the second
  // on. Most keys (`Person:81734`) are in one response; with a Set for each, 1,000 responses of
  // the mixed workload held 15 MiB of heap, 12 MiB without (`npm run bench:memory`).
  const byEntity = new Map<string, string | Set<string>>();
  const byResponse = new Map<string, string[]>();

  const unindex = (responseId: string) => {
    const keys = byResponse.get(responseId);
    if (!keys) return;
    byResponse.delete(responseId);
    for (const key of keys) {
      const ids = byEntity.get(key);
      if (ids === undefined) continue;
      if (typeof ids === 'string') {
        if (ids === responseId) byEntity.delete(key);
        continue;
      }
      ids.delete(responseId);
      if (ids.size === 1) byEntity.set(key, ids.values().next().value!);
      else if (ids.size === 0) byEntity.delete(key);
    }
  };
  const responses = new LRUCache<string, string>({
    max,
    // A byte budget as well as a count: one films page weighs as much as ~30 film details, so a
    // count alone cannot say what the store holds (docs/operations.md#memory). Sized by its JSON
    // text; a response larger than the budget is not stored.
    ...(maxBytes ? { maxSize: maxBytes, sizeCalculation: (json: string) => Math.max(1, json.length) } : {}),
    // Evicted, expired and deleted entries leave the index; a replaced one is re-indexed by set().
    noDisposeOnSet: true,
    dispose: (_value, responseId) => unindex(responseId),
  });
  const entityKey = ({ typename, id }: EntityRecord) => (id === undefined || id === null ? typename : `${typename}:${id}`);

  return {
    set(responseId, result, entities, ttl) {
      unindex(responseId);
      responses.set(responseId, JSON.stringify(result), { ttl });
      // Refused (larger than the whole budget): nothing to index, or its keys would never leave.
      if (!responses.has(responseId)) return;
      const keys = new Set<string>();
      for (const entity of entities) {
        keys.add(entity.typename);
        if (entity.id !== undefined && entity.id !== null) keys.add(entityKey(entity));
      }
      byResponse.set(responseId, [...keys]);
      for (const key of keys) {
        const ids = byEntity.get(key);
        if (ids === undefined) byEntity.set(key, responseId);
        else if (typeof ids !== 'string') ids.add(responseId);
        else if (ids !== responseId) byEntity.set(key, new Set([ids, responseId]));
      }
    },
    get(responseId) {
      const json = responses.get(responseId);
      return json === undefined ? undefined : (JSON.parse(json) as ExecutionResult);
    },
    invalidate(entities) {
      for (const entity of entities) {
        const ids = byEntity.get(entityKey(entity));
        if (typeof ids === 'string') responses.delete(ids);
        // Copied: each delete disposes the response, which edits this set.
        else if (ids) for (const responseId of [...ids]) responses.delete(responseId);
      }
    },
    size: () => ({ responses: responses.size, entities: byEntity.size }),
    bytes: () => responses.calculatedSize,
  };
}
