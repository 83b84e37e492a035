// Execution with and without graphql-jit, in-process (yoga.fetch, no sockets), on the seed plus
// synthetic films. Rounds alternate plain/JIT so background load on a shared machine hits both.
//   npx tsx scripts/measure-jit.ts [iterations=300] [rounds=3]
//   TEST_DATABASE_URL=postgres://… npx tsx scripts/measure-jit.ts   (PostgreSQL)
import { createLogger } from '../src/logger.ts';
import { createCinegraphYoga, type CinegraphYoga } from '../src/yoga.ts';
import { openMeasurementDatabase, QUERY_MIX } from './measure-setup.ts';

const iterations = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 3);
const { db, engine, close } = await openMeasurementDatabase(500);
const logger = createLogger('silent');
// Thousands of requests from one client: the rate limit would refuse most of them.
const guard = { RATE_LIMIT_ENABLED: false };
const yogas: Record<'plain' | 'jit', CinegraphYoga> = {
  plain: createCinegraphYoga({ prisma: db.prisma, logger, jit: false, guard }),
  jit: createCinegraphYoga({ prisma: db.prisma, logger, jit: true, jitAfter: 1, guard }),
};

async function run(yoga: CinegraphYoga, query: string): Promise<string> {
  const response = await yoga.fetch('http://cinegraph.local/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.text();
}

// Same answers first: a faster wrong result is no result.
for (const [name, query] of Object.entries(QUERY_MIX)) {
  // Data and errors; extensions differ by design (the rate-limit window's reset time).
  const answer = (text: string) => JSON.stringify({ ...JSON.parse(text), extensions: undefined });
  const [a, b] = [answer(await run(yogas.plain, query)), answer(await run(yogas.jit, query))];
  if (a !== b || a.includes('"errors"')) throw new Error(`${name}: JIT and graphql-js differ or fail:\n${a.slice(0, 300)}\n${b.slice(0, 300)}`);
}

const opsPerSecond: Record<string, Record<'plain' | 'jit', number[]>> = {};
for (let round = 0; round < rounds; round++) {
  for (const mode of ['plain', 'jit'] as const) {
    for (const [name, query] of Object.entries(QUERY_MIX)) {
      for (let i = 0; i < 20; i++) await run(yogas[mode], query); // warm-up (compile, caches)
      const started = performance.now();
      for (let i = 0; i < iterations; i++) await run(yogas[mode], query);
      const seconds = (performance.now() - started) / 1000;
      (opsPerSecond[name] ??= { plain: [], jit: [] })[mode].push(iterations / seconds);
    }
  }
}
await close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`graphql-jit on ${engine}, ${iterations} sequential requests × ${rounds} rounds per query (median ops/s):`);
console.log('query        graphql-js      jit   change');
for (const [name, r] of Object.entries(opsPerSecond)) {
  const [plain, jit] = [median(r.plain), median(r.jit)];
  console.log(`${name.padEnd(12)} ${plain.toFixed(0).padStart(10)} ${jit.toFixed(0).padStart(8)}   ${(((jit - plain) / plain) * 100).toFixed(1).padStart(5)}%`);
}
