// A read that loses a race with a write must not be cached: it reads the film, a write commits
// and invalidates while the read is still running, and the read's result (older than the write)
// arrives at the cache after the invalidation. The read is held between its SQL and its answer
// by a Prisma extension, so the interleaving is exact.
import type { PrismaClient } from '../../../src/generated/prisma/client.ts';
import { createClient, useApi } from '../../helpers/graphql.ts';
import { testKeys } from '../../helpers/keys.ts';
import { createTestRedis, redisSkipReason } from '../../helpers/redis.ts';

const READ = '{ film(slug: "her") { synopsis } }';
const UPDATE = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { userErrors { code } } }';

describe.each(redisSkipReason ? (['memory'] as const) : (['memory', 'redis'] as const))('on the %s store', (store) => {
  const api = useApi();

  test('a read that started before a write and finishes after it is not stored', async () => {
    let hold: Promise<void> | undefined;
    let read: () => void = () => undefined;
    // Film lookups run, then wait for the test while `hold` is set.
    const prisma = api.db.prisma.$extends({
      query: {
        film: {
          async findUnique({ args, query }) {
            const rows = await query(args);
            if (hold) {
              read();
              await hold;
            }
            return rows;
          },
        },
      },
    }) as unknown as PrismaClient;
    const redis = store === 'redis' ? await createTestRedis() : undefined;
    const client = createClient({ ...api.db, prisma }, { responseCache: { ttlMs: 60_000, admitAfter: 1, ...(redis ? { redis: redis.redis } : {}) } });
    try {
      const write = (await testKeys(api.db.prisma)).write.headers;
      const { id, version } = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
      const before = (await api.db.prisma.film.findUniqueOrThrow({ where: { id } })).synopsis;

      let release: () => void = () => undefined;
      hold = new Promise((resolve) => (release = resolve));
      const hasRead = new Promise<void>((resolve) => (read = resolve));
      const racing = client.query(READ);
      await hasRead; // the read has its (old) row and is paused
      hold = undefined;
      const update = await client.query(
        UPDATE,
        {
          input: {
            id: Buffer.from(`Film:${id}`).toString('base64'),
            version,
            synopsis: `${store}: after the race`,
            citations: [{ sourceSlug: 'her-review', excerpt: 'Her' }],
          },
        },
        write,
      );
      expect(update.data!['updateFilm'].userErrors).toEqual([]);
      release();
      expect((await racing).data!['film'].synopsis).toBe(before); // it did read the old value…
      expect((await client.query(READ)).data!['film'].synopsis).toBe(`${store}: after the race`); // …and did not cache it
    } finally {
      await redis?.cleanup();
    }
  });
});
