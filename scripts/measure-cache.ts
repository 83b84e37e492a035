// Cost and benefit of the response cache: the same anonymous query mix against real server
// processes (npm start's program) with RESPONSE_CACHE off, in memory, and on Redis.
//   npx tsx scripts/measure-cache.ts [seconds=10] [connections=10]
//   TEST_DATABASE_URL=postgres://… npx tsx scripts/measure-cache.ts   (PostgreSQL)
//   REDIS_URL (default redis://127.0.0.1:6379) for the Redis run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { seed } from '../seed/seed.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPostgresDatabase } from '../tests/helpers/db.ts';
import { insertSyntheticCatalog } from '../tests/helpers/factory.ts';
import { startServer } from '../tests/helpers/server-process.ts';
import { QUERY_MIX } from './measure-setup.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `cinegraph-measure:${process.pid}:`;

// The database the servers open: prepared once here, then handed over (PGlite: its folder).
const created = process.env.TEST_DATABASE_URL ? await createPostgresDatabase() : undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-measure-cache-'));
const db = await openDatabase(created ? { databaseUrl: created.url } : { dataDir });
const session = await db.openSession();
await migrate(session);
await session.close();
await seed(db.prisma);
await insertSyntheticCatalog(db.prisma, { films: 500, creditsPerFilm: 12, reviewsPerFilm: 3, releasesPerFilm: 3 });
await db.markInitialized(); // the servers below refuse a fresh folder that was never marked
await db.close();
const dbEnv: Record<string, string> = created ? { DATABASE_URL: created.url } : { DATA_DIR: dataDir, DATABASE_URL: '' };

// The Redis run's keys live under a prefix of this run's own; removed at the end.
async function clearRedis() {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${PREFIX}*`);
  if (keys.length > 0) await redis.del(keys);
  redis.disconnect();
}

const requests = Object.values(QUERY_MIX).map((query) => ({
  method: 'POST' as const,
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
}));

const rows: string[] = [];
for (const [mode, env] of [
  ['off', { RESPONSE_CACHE: 'false' }],
  ['memory', { RESPONSE_CACHE: 'true', REDIS_URL: '' }],
  ['redis', { RESPONSE_CACHE: 'true', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: PREFIX }],
] as const) {
  const server = await startServer({ ...dbEnv, ...env, LOG_LEVEL: 'info', MIGRATE_ON_START: 'false', SEED_ON_START: 'false' });
  const result = await autocannon({ url: server.base, connections, duration: seconds, requests });
  server.child.kill('SIGTERM');
  await server.exited;
  rows.push(
    `${mode.padEnd(7)} ${result.requests.average.toFixed(0).padStart(8)} ${String(result.latency.p50).padStart(7)} ${String(result.latency.p99).padStart(7)} ` +
      `${String(result.non2xx + result.errors).padStart(7)}`,
  );
}
await clearRedis();
await created?.drop();
rmSync(dataDir, { recursive: true, force: true });

console.log(
  `response cache on ${created ? 'postgres' : 'pglite'}: ${Object.keys(QUERY_MIX).join(' + ')} in rotation, ${connections} connections, ${seconds} s each`,
);
console.log('cache    req/s   p50 ms  p99 ms  failed');
for (const row of rows) console.log(row);
