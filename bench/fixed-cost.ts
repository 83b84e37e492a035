/**
 * npm run bench:fixed-cost [-- --requests 2000 --rounds 3 --concurrency 4]
 * The fixed cost of a request, A/B in one process on the seeded embedded database (in memory):
 * CPU per request, cases interleaved round by round so a busy host weighs on them alike.
 * - `{ __typename }` and the film detail of "her" through Cinegraph's yoga with its metrics
 *   (`metrics`) and without any (`no-metrics`): what the Prometheus hooks cost per request;
 * - `/health` and `/ready` over real HTTP (node:http, keep-alive), answered by yoga (`yoga`)
 *   and by the server before it (`probe`, src/probes.ts, as src/index.ts serves them).
 * Figures are ratios within a round; absolute times depend on the host's load.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

process.env['NODE_ENV'] = 'production';
const { openDatabase } = await import('../src/db/client.ts');
const { migrateDatabase } = await import('../src/db/task.ts');
const { databaseReadiness } = await import('../src/db/readiness.ts');
const { createLogger } = await import('../src/logger.ts');
const { answerProbe } = await import('../src/probes.ts');
const { createCinegraphYoga } = await import('../src/yoga.ts');
const { seed } = await import('../seed/seed.ts');

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
  },
});
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

const logger = createLogger('warn');
const db = await openDatabase({ inMemory: true });
await migrateDatabase(db, logger);
await seed(db.prisma);
const guard = { NODE_ENV: 'production' as const, RATE_LIMIT_ENABLED: false };
const options = { prisma: db.prisma, logger, graphiql: false, guard, database: { kind: db.kind }, processMetrics: true };
const withMetrics = createCinegraphYoga(options);
const withoutMetrics = createCinegraphYoga({ ...options, metrics: false });

const FILM = JSON.stringify({
  query:
    'query FilmDetail($slug: String!) { film(slug: $slug) { id title synopsis genres directors { name } cast { character person { name } } reviews(first: 5) { nodes { quote publication { name } } } releases { country date } } }',
  variables: { slug: 'her' },
});
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

async function post(yoga: typeof withMetrics, body: string) {
  const response = await yoga.fetch('http://bench.fixed-cost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.status !== 200 || text.includes('"errors"')) throw new Error(`unexpected answer: ${text.slice(0, 300)}`);
}

const listen = async (server: Server) => {
  // Idle keep-alive sockets outlive the other cases' turns (the default 5 s would close them under the agent).
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const ready = databaseReadiness(db.prisma, logger);
const yogaServer = createServer((req, res) => void withMetrics(req, res));
const probeServer = createServer((req, res) => {
  if (!answerProbe(req, res, ready)) void withMetrics(req, res);
});
const ports = { yoga: await listen(yogaServer), probe: await listen(probeServer) };
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const get = (port: number, path: string) =>
  new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${path}: ${res.statusCode}`))));
    })
      .on('error', reject)
      .end();
  });

const CASES = {
  'typename, metrics': () => post(withMetrics, TYPENAME),
  'typename, no-metrics': () => post(withoutMetrics, TYPENAME),
  'film, metrics': () => post(withMetrics, FILM),
  'film, no-metrics': () => post(withoutMetrics, FILM),
  '/health, yoga': () => get(ports.yoga, '/health'),
  '/health, probe': () => get(ports.probe, '/health'),
  '/ready, yoga': () => get(ports.yoga, '/ready'),
  '/ready, probe': () => get(ports.probe, '/ready'),
} as const;
type Case = keyof typeof CASES;

async function measure(name: Case, n: number) {
  let i = 0;
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i++ < n) await CASES[name]();
    }),
  );
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000 / n;
}

const names = (process.env['FIXED_COST_CASES']?.split(';') ?? Object.keys(CASES)) as Case[];
for (const name of names) {
  console.error('warm-up', name);
  await measure(name, Math.min(300, requests));
}
const cpu: Record<string, number[]> = {};
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const name of names) (cpu[name] ??= []).push(await measure(name, requests));
  console.error(`round ${round}: ${names.map((n) => `${n} ${cpu[n]!.at(-1)!.toFixed(3)}`).join(', ')}`);
}
const pairs: [string, Case, Case][] = [
  ['{ __typename }: no metrics ÷ metrics', 'typename, no-metrics', 'typename, metrics'],
  ['film detail: no metrics ÷ metrics', 'film, no-metrics', 'film, metrics'],
  ['/health: probe ÷ yoga', '/health, probe', '/health, yoga'],
  ['/ready: probe ÷ yoga', '/ready, probe', '/ready, yoga'],
];
console.log(`\nCPU ms per request (client and server in this process), ${values.rounds} rounds of ${requests}, ${concurrency} at a time`);
console.log('| case | per round | ');
console.log('| --- | --- |');
for (const name of names) console.log(`| ${name} | ${cpu[name]!.map((x) => x.toFixed(3)).join(', ')} |`);
console.log('\n| ratio (same round) | per round |');
console.log('| --- | --- |');
for (const [label, a, b] of pairs) console.log(`| ${label} | ${cpu[a]!.map((x, i) => (x / cpu[b]![i]!).toFixed(2)).join(', ')} |`);
console.log(
  `(load average: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
agent.destroy();
yogaServer.close();
probeServer.close();
await db.close();
