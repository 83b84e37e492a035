import type { Cache } from '@graphql-yoga/plugin-response-cache';
import type { ExecutionResult } from 'graphql';
import type { Redis } from 'ioredis';

type EntityRecord = Parameters<Cache['set']>[2] extends Iterable<infer E> ? E : never;

/**
 * Stores one response and tags it, atomically.
 * KEYS: the response, its tag list (`operations:<id>`), then each tag (`Film`, `Film:<id>`).
 * ARGV: the JSON, the ttl in ms, the response id, then each tag's name (unprefixed, as members).
 * Every key gets an expiry: a tag set lives as long as the longest-lived response it lists.
 */
const SET = `
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('DEL', KEYS[2])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], ARGV[3])
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
  redis.call('SADD', KEYS[2], ARGV[i + 1])
end
if #KEYS > 2 then redis.call('PEXPIRE', KEYS[2], ttl) end
`;

/**
 * Removes every response tagged with any of KEYS, their tag lists, their ids from the other
 * tags they carry, and the tags themselves, atomically. ARGV[1]: the client's key prefix (the
 * ids inside the sets are unprefixed).
 */
const INVALIDATE = `
local prefix = ARGV[1]
for i = 1, #KEYS do
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    local operations = prefix .. 'operations:' .. id
    for _, tag in ipairs(redis.call('SMEMBERS', operations)) do redis.call('SREM', prefix .. tag, id) end
    redis.call('DEL', operations, prefix .. id)
  end
  redis.call('DEL', KEYS[i])
end
`;

type Scripted = Redis & {
  cinegraphCacheSet(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<unknown>;
  cinegraphCacheInvalidate(numberOfKeys: number, ...keysThenArgs: string[]): Promise<unknown>;
};

/**
 * The shared response store in Redis: what `@envelop/response-cache-redis` does, with two
 * differences that matter on a large catalogue.
 * - Every key expires. The library's tag sets (`Film:<id>` → responses) and per-response tag
 *   lists are written without an expiry, so Redis keeps one set for every entity that was ever
 *   in a cached response, long after the responses expired: on a million-film catalogue, memory
 *   without bound. Here a tag set expires with the last response it lists.
 * - Writes and invalidations are single Lua scripts: one round trip per stored response (the
 *   library's pipeline sends four commands per entity, ≈ 120 for a film page of ≈ 30 entities), and an invalidation
 *   cannot interleave with a write that is tagging a response it is deleting.
 * Keys are those of the library (response id, `operations:<id>`, `Type`, `Type:<id>`), under the
 * client's `keyPrefix`. The scripts build key names from set members, so the store needs a
 * single Redis (or a primary with replicas), not Redis Cluster.
 */
export function createRedisCache(redis: Redis): Cache {
  const client = redis as Scripted;
  if (typeof client.cinegraphCacheSet !== 'function') {
    redis.defineCommand('cinegraphCacheSet', { lua: SET });
    redis.defineCommand('cinegraphCacheInvalidate', { lua: INVALIDATE });
  }
  const prefix = redis.options.keyPrefix ?? '';
  const tagOf = ({ typename, id }: EntityRecord) => (id === undefined || id === null ? typename : `${typename}:${id}`);

  return {
    async set(responseId, result, entities, ttl) {
      const tags = new Set<string>();
      for (const entity of entities) {
        tags.add(entity.typename);
        tags.add(tagOf(entity));
      }
      const names = [...tags];
      // An infinite ttl (no expiry asked for) is capped at a day, so no key outlives its use forever.
      const ms = Number.isFinite(ttl) ? Math.max(1, Math.round(ttl)) : 86_400_000;
      await client.cinegraphCacheSet(2 + names.length, responseId, `operations:${responseId}`, ...names, JSON.stringify(result), ms, responseId, ...names);
    },
    async get(responseId) {
      const json = await redis.get(responseId);
      return json === null ? undefined : (JSON.parse(json) as ExecutionResult);
    },
    async invalidate(entities) {
      const tags = [...new Set([...entities].map(tagOf))];
      if (tags.length > 0) await client.cinegraphCacheInvalidate(tags.length, ...tags, prefix);
    },
  };
}
