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
 */
export function createMemoryCache({ max, maxBytes }: { max: number; maxBytes?: number }): MemoryCache {
  const byEntity = new Map<string, Set<string>>();
  const byResponse = new Map<string, string[]>();

  const unindex = (responseId: string) => {
    const keys = byResponse.get(responseId);
    if (!keys) return;
    byResponse.delete(responseId);
    for (const key of keys) {
      const ids = byEntity.get(key);
      if (!ids) continue;
      ids.delete(responseId);
      if (ids.size === 0) byEntity.delete(key);
    }
  };
  const responses = new LRUCache<string, ExecutionResult>({
    max,
    // A byte budget as well as a count: one films page weighs as much as ~30 film details, so a
    // count alone cannot say what the store holds (docs/operations.md#memory). Sized by its JSON
    // text, measured once when it is stored; a response larger than the budget is not stored.
    ...(maxBytes ? { maxSize: maxBytes, sizeCalculation: (result: ExecutionResult) => Math.max(1, JSON.stringify(result).length) } : {}),
    // Evicted, expired and deleted entries leave the index; a replaced one is re-indexed by set().
    noDisposeOnSet: true,
    dispose: (_value, responseId) => unindex(responseId),
  });
  const entityKey = ({ typename, id }: EntityRecord) => (id === undefined || id === null ? typename : `${typename}:${id}`);

  return {
    set(responseId, result, entities, ttl) {
      unindex(responseId);
      responses.set(responseId, result, { ttl });
      // Refused (larger than the whole budget): nothing to index, or its keys would never leave.
      if (!responses.has(responseId)) return;
      const keys = new Set<string>();
      for (const entity of entities) {
        keys.add(entity.typename);
        if (entity.id !== undefined && entity.id !== null) keys.add(entityKey(entity));
      }
      byResponse.set(responseId, [...keys]);
      for (const key of keys) {
        let ids = byEntity.get(key);
        if (!ids) byEntity.set(key, (ids = new Set()));
        ids.add(responseId);
      }
    },
    get(responseId) {
      return responses.get(responseId);
    },
    invalidate(entities) {
      for (const entity of entities) {
        const ids = byEntity.get(entityKey(entity));
        // Copied: each delete disposes the response, which edits this set.
        if (ids) for (const responseId of [...ids]) responses.delete(responseId);
      }
    },
    size: () => ({ responses: responses.size, entities: byEntity.size }),
    bytes: () => responses.calculatedSize,
  };
}
