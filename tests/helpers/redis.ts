import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis this machine and CI run (override with TEST_REDIS_URL). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A Redis client whose keys all live under a prefix of this test's own, so parallel test
 * files (and other projects on the same Redis) never see each other's entries; `cleanup()`
 * deletes only keys under that prefix.
 */
export async function createTestRedis(): Promise<{ redis: Redis; prefix: string; cleanup: () => Promise<void> }> {
  const prefix = `cinegraph-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    redis,
    prefix,
    async cleanup() {
      const raw = new Redis(TEST_REDIS_URL, { lazyConnect: true });
      await raw.connect();
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) await raw.del(keys);
      raw.disconnect();
      redis.disconnect();
    },
  };
}
