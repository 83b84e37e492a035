/**
 * npm run bench:inprocess [-- --films N --requests 3000 --rounds 3 --concurrency 4
 *                            --cases prisma,graphql,graphql-jit,graphql-sql,graphql-replan,graphql-jit-replan,graphql-cache,yoga-only,typename]
 * CPU per film detail without HTTP or a load generator: each case answers `requests` film
 * details in this process against the bench database, `concurrency` at a time, and reports
 * process.cpuUsage() and wall time per request. Cases run interleaved, round by round, so a
 * noisy host weighs on them alike; slugs rotate over the sampled pool and continue across
 * rounds, so no request repeats one the same case made before (a response cache sees first
 * requests). The cases:
 * - prisma: the bare handler's Prisma call and JSON.stringify (bench/bare-queries.ts);
 * - graphql: Cinegraph's yoga (every plugin; rate limit off, no response cache), scenario 2;
 * - graphql-jit: the same executing with graphql-jit (GRAPHQL_JIT=true, SQL_EXECUTION=false);
 * - graphql-sql: the same answered by one SQL statement building the JSON (GRAPHQL_JIT=true, SQL_EXECUTION=true: the server's default);
 * - graphql-replan, graphql-jit-replan: the two above planning every request anew (PLAN_CACHE=false);
 * - graphql-cache: the same with the in-memory response cache (default admission);
 * - yoga-only: graphql-yoga with Cinegraph's schema and context and no plugins at all;
 * - typename: `{ __typename }` through Cinegraph's yoga.
 */
import { parseArgs } from 'node:util';

// graphql-js picks its development checks when it is first imported; measure production.
process.env['NODE_ENV'] = 'production';
const { createYoga } = await import('graphql-yoga');
const { bareQueries } = await import('./bare-queries.ts');
const { withClient } = await import('./db.ts');
const { ensureBenchData } = await import('./load.ts');
const { sampleParams } = await import('./params.ts');
const { SCENARIOS } = await import('./scenarios.ts');
const { ANONYMOUS } = await import('../src/auth/identity.ts');
const { ApiKeys } = await import('../src/auth/keys.ts');
const { WriteEvents } = await import('../src/events.ts');
const { WriteGate } = await import('../src/db/gate.ts');
const { openDatabase } = await import('../src/db/client.ts');
const { createLogger } = await import('../src/logger.ts');
const { CursorCodec } = await import('../src/pagination/cursor.ts');
const { schema } = await import('../src/schema/index.ts');
const { createCinegraphYoga } = await import('../src/yoga.ts');

const CASES = ['prisma', 'graphql', 'graphql-jit', 'graphql-sql', 'graphql-replan', 'graphql-jit-replan', 'graphql-cache', 'yoga-only', 'typename'] as const;
type Case = (typeof CASES)[number];

const { values } = parseArgs({
  options: {
    films: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    requests: { type: 'string', default: '3000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    cases: { type: 'string', default: CASES.join(',') },
  },
});
const cases = values.cases.split(',') as Case[];
for (const c of cases) if (!CASES.includes(c)) throw new Error(`unknown case ${c}; known: ${CASES.join(', ')}`);
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

const data = await ensureBenchData({ films: Number(values.films), seed: Number(values.seed), log: (line) => console.error(line) });
const params = await withClient(data.url, (c) =>
  sampleParams(async (sql, p) => (await c.query(sql, p)).rows, Number(values.films), 20_000, Number(values.seed)),
);
const db = await openDatabase({ databaseUrl: data.url });
const prisma = db.prisma;
const logger = createLogger('warn');
const guard = { NODE_ENV: 'production' as const, RATE_LIMIT_ENABLED: false };
const cinegraph = createCinegraphYoga({ prisma, logger, graphiql: false, guard });
const compiled = createCinegraphYoga({ prisma, logger, graphiql: false, guard, jit: true, sql: false });
const inSql = createCinegraphYoga({ prisma, logger, graphiql: false, guard, jit: true, sql: true });
const replanned = createCinegraphYoga({ prisma, logger, graphiql: false, guard, planCache: false });
const compiledReplanned = createCinegraphYoga({ prisma, logger, graphiql: false, guard, jit: true, sql: false, planCache: false });
const cached = createCinegraphYoga({ prisma, logger, graphiql: false, guard, responseCache: { ttlMs: 60_000 } });
const cursors = new CursorCodec('bench-inprocess-cursor-secret');
const keys = new ApiKeys(prisma);
const events = new WriteEvents();
const plain = createYoga({
  schema,
  // The context Cinegraph builds (src/yoga.ts), without any plugin around it.
  context: ({ request }) => ({
    prisma,
    cursors,
    identity: ANONYMOUS,
    readRequiresKey: false,
    keys,
    idempotencyKey: request.headers.get('idempotency-key'),
    events,
    writes: new WriteGate(1),
    written: [],
  }),
  logging: false,
  graphiql: false,
  landingPage: false,
});

const film = SCENARIOS.find((s) => s.name === 'film')!;
const filmBody = (i: number) => {
  const request = film.request.cinegraph;
  if (!('unavailable' in request)) {
    const r = request(params[i % params.length]!);
    if (r.method === 'POST') return r.body;
  }
  throw new Error('the film scenario has no POST request for Cinegraph');
};
const { film: bareFilm } = bareQueries(prisma);

async function post(yoga: { fetch: (url: string, init: RequestInit) => Response | Promise<Response> }, body: string) {
  const response = await yoga.fetch('http://bench.inprocess/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
}
const run: Record<Case, (i: number) => Promise<unknown>> = {
  prisma: (i) => bareFilm(params[i % params.length]!.slug, film.defaultPageSize).then((f) => JSON.stringify({ data: { film: f } })),
  graphql: (i) => post(cinegraph, filmBody(i)),
  'graphql-jit': (i) => post(compiled, filmBody(i)),
  'graphql-sql': (i) => post(inSql, filmBody(i)),
  'graphql-replan': (i) => post(replanned, filmBody(i)),
  'graphql-jit-replan': (i) => post(compiledReplanned, filmBody(i)),
  'graphql-cache': (i) => post(cached, filmBody(i)),
  'yoga-only': (i) => post(plain, filmBody(i)),
  typename: () => post(cinegraph, '{"query":"{ __typename }"}'),
};

const next: Partial<Record<Case, number>> = {};
async function measure(name: Case, n: number) {
  let i = next[name] ?? 0;
  const end = i + n;
  next[name] = end;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i < end) await run[name](i++);
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000 / n, wallMs: (performance.now() - wall) / n };
}

console.log(`${data.name}: film detail, ${requests} requests per case and round, ${concurrency} at a time`);
for (const name of cases) await measure(name, Math.min(300, requests)); // warm-up
const rows = Object.fromEntries(CASES.map((name) => [name, [] as number[]])) as Record<Case, number[]>;
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const name of cases) {
    const r = await measure(name, requests);
    rows[name].push(r.cpuMs);
    console.log(`round ${round}  ${name.padEnd(14)} CPU ${r.cpuMs.toFixed(3)} ms/request, wall ${r.wallMs.toFixed(3)} ms/request`);
  }
}
const fmt = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
console.log('\nCPU ms per request, lowest–highest round:');
for (const name of cases) console.log(`  ${name.padEnd(14)} ${fmt(rows[name])}`);
// Ratios within a round: the cases of one round ran back to back, so a busy host weighs on them alike.
if (cases.includes('prisma')) {
  console.log('\nCPU ÷ the bare Prisma call of the same round:');
  for (const name of cases.filter((c) => c !== 'prisma')) {
    console.log(`  ${name.padEnd(14)} ${rows[name].map((ms, round) => (ms / rows.prisma[round]!).toFixed(2)).join(', ')}`);
  }
}
await db.close();
