// Search latency on PostgreSQL with N synthetic films "Synthetic Film <i>" (each with a director
// credit; every tenth with a synopsis) and M people "Synthetic Person <i>", plus the seeded
// catalogue: creates a database of its own on the server, times typical searches, prints
// EXPLAIN ANALYZE of the ranking statement, and drops the database again.
//
//   npx tsx scripts/search-latency.ts [--films 10000] [--people 2×films] [--runs 50] [--warmup 5]
//   ADMIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (default)
//
// Rows are generated inside PostgreSQL (INSERT … SELECT generate_series), so 1M films load in a
// few minutes, most of it spent maintaining the search indexes.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seed } from '../seed/seed.ts';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { createLogger } from '../src/logger.ts';
import { SEARCH_TYPES, searchTerms } from '../src/schema/search/query.ts';
import { searchStatement } from '../src/schema/search/sql.ts';
import { createCinegraphYoga } from '../src/yoga.ts';

const { values: options } = parseArgs({
  options: {
    films: { type: 'string', default: '10000' },
    people: { type: 'string' },
    runs: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
  },
});
const FILMS = Number(options.films);
const PEOPLE = Number(options.people ?? 2 * FILMS);
const RUNS = Number(options.runs);
const WARMUP = Number(options.warmup);
const QUERIES = [
  ['common prefix (every synthetic row)', 'Synth'],
  ['shorter prefix', 'Syn'],
  ['one synthetic title', 'Synthetic Film 4242'],
  ['typo in a common prefix', 'Synthtic'],
  ['common word, not a prefix', 'film'],
  ['stop-word title', 'Her'],
  ['misspelt name', 'Joaquin Pheonix'],
  ['misspelt name', 'Scarlet Johanson'],
  ['no match', 'zzyzx qwv'],
] as const;

const GRAPHQL = `query ($q: String!) { search(query: $q, first: 20) { totalCount edges { score matchedField node {
  ... on Film { title year directors { name } } ... on Person { name } ... on Publication { name } } } } }`;

const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `cinegraph_search_latency_${randomBytes(4).toString('hex')}`;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1).padStart(6);
  return `p50 ${ms(percentile(samples, 50))} ms  p95 ${ms(percentile(samples, 95))} ms  max ${ms(samples.at(-1)!)} ms`;
}

await admin(`CREATE DATABASE "${name}"`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openDatabase({ databaseUrl: url.toString() });
try {
  const session = await db.openSession();
  await migrate(session);
  await seed(db.prisma);
  const start = performance.now();
  await session.exec(`
    INSERT INTO "Film" (slug, title, year, synopsis, "updatedAt")
      SELECT 'synthetic-film-' || g, 'Synthetic Film ' || g, 1950 + g % 75,
             CASE WHEN g % 10 = 0 THEN 'A story about ' || substr(md5(g::text), 1, 8) || ' who falls in love.' END, now()
        FROM generate_series(0, ${FILMS - 1}) AS g;
    INSERT INTO "Person" (slug, name, "updatedAt")
      SELECT 'synthetic-person-' || g, 'Synthetic Person ' || g, now() FROM generate_series(0, ${PEOPLE - 1}) AS g;
    INSERT INTO "Publication" (slug, name, "updatedAt")
      SELECT 'synthetic-outlet-' || g, 'Synthetic Outlet ' || g, now() FROM generate_series(0, 4) AS g;
    INSERT INTO "Credit" ("filmId", "personId", kind, department, job, "updatedAt")
      SELECT f.id, p.id, 'CREW', 'DIRECTING', 'Director', now()
        FROM "Film" f JOIN "Person" p ON p.slug = 'synthetic-person-' || (substr(f.slug, 16)::int % ${PEOPLE})
       WHERE f.slug LIKE 'synthetic-film-%';
    ANALYZE;
  `);
  console.log(`loaded ${FILMS} films, ${PEOPLE} people (+ a director credit per film) in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  const version = await session.query<{ server_version: string }>('SHOW server_version');
  console.log(`PostgreSQL ${version[0]!.server_version}; ${RUNS} runs per query after ${WARMUP} warm-up runs\n`);

  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: createLogger('silent') });
  for (const [label, q] of QUERIES) {
    const statement = searchStatement({ terms: searchTerms(q), types: SEARCH_TYPES, after: null, take: 21 });
    const total = (await db.prisma.$queryRaw<{ total: bigint }[]>(statement))[0]!.total;
    const sql = await time(() => db.prisma.$queryRaw(statement));
    const request = async () => {
      const response = await yoga.fetch('http://cinegraph.local/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: GRAPHQL, variables: { q } }),
      });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(`search(${q}) failed: ${JSON.stringify(body.errors)}`);
    };
    const graphql = await time(request);
    console.log(`${JSON.stringify(q).padEnd(22)} ${label.padEnd(36)} ${String(total).padStart(6)} matches`);
    console.log(`  ranking SQL       ${sql}`);
    console.log(`  GraphQL first:20  ${graphql}`);
  }

  for (const q of ['Synth', 'Joaquin Pheonix', 'film']) {
    const statement = searchStatement({ terms: searchTerms(q), types: SEARCH_TYPES, after: null, take: 21 });
    const plan = await db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${statement}`);
    console.log(`\nEXPLAIN ANALYZE search(query: ${JSON.stringify(q)}, first: 20)`);
    console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
  }
  await session.close();
} finally {
  await db.close();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
