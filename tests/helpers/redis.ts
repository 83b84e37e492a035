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

/**
 * Why the Redis tests cannot run here, or undefined when the test Redis answers. A laptop
 * without Redis still runs the whole suite on the embedded database with those tests skipped
 * (and says so); in CI (`CI=true`) they always run, so a missing Redis fails there instead of
 * passing silently.
 */
export const redisSkipReason: string | undefined = process.env.CI === 'true' ? undefined : await probeRedis();

async function probeRedis(): Promise<string | undefined> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    const reason = `Redis tests skipped: no Redis at ${TEST_REDIS_URL} (${(error as Error).message}); set TEST_REDIS_URL or start one`;
    console.warn(reason);
    return reason;
  } finally {
    redis.disconnect();
  }
}

/** `describe` / `test` for blocks that need the test Redis (see redisSkipReason). */
export const describeRedis = redisSkipReason ? describe.skip : describe;
export const testRedis = redisSkipReason ? test.skip : test;
