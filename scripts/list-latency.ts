// Film list latency on PostgreSQL at catalogue scale: creates a database of its own on the
// server, bulk-loads N synthetic films (years, genres, credits → people, reviews, releases) with
// INSERT … SELECT generate_series, migrates it with our runner, times films(…) GraphQL requests
// (page 1 and a page from the middle of the list via a cursor) for the default order, YEAR DESC
// with a genres + year filter, TITLE, CREATED_AT, CRITIC_SCORE DESC and RELEASE_DATE, prints
// EXPLAIN ANALYZE of the YEAR DESC filtered page statement, and drops the database again.
//
//   npx tsx scripts/list-latency.ts --films 200000 [--runs 30]
//   ADMIN_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (default)
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { openDatabase } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { CursorCodec } from '../src/pagination/cursor.ts';
import { createCinegraphYoga } from '../src/yoga.ts';

const { values: options } = parseArgs({ options: { films: { type: 'string', default: '200000' }, runs: { type: 'string', default: '30' } } });
const FILMS = Number(options.films);
const RUNS = Number(options.runs);
const WARMUP = 3;

const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `cinegraph_list_latency_${randomBytes(4).toString('hex')}`;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// Twelve genres, one to three per film; ~2% of films have no year, ~30% no scored review, ~10% no release.
const LOAD = (n: number) => `
INSERT INTO "Publication" ("slug", "name", "updatedAt")
  SELECT 'pub-' || i, 'Publication ' || i, now() FROM generate_series(1, 50) i;
INSERT INTO "Person" ("slug", "name", "createdAt", "updatedAt")
  SELECT 'person-' || i, 'Person ' || md5(i::text), now() - i * interval '1 minute', now()
  FROM generate_series(1, ${Math.max(1, Math.floor(n / 4))}) i;
INSERT INTO "Film" ("slug", "title", "year", "genres", "createdAt", "updatedAt")
  SELECT 'film-' || i,
         initcap(substr(md5(i::text), 1, 6)) || ' ' || substr(md5((i * 7)::text), 1, 8),
         CASE WHEN i % 50 = 0 THEN NULL ELSE 1900 + (hashint4(i) & 127) END,
         (SELECT array_agg(DISTINCT g ORDER BY g) FROM unnest((ARRAY[
             (ARRAY['Drama','Comedy','Thriller','Horror','Romance','Action','Documentary','Animation','Crime','Fantasy','Western','War'])[1 + (hashint4(i + 1) & 2147483647) % 12],
             (ARRAY['Drama','Comedy','Thriller','Horror','Romance','Action','Documentary','Animation','Crime','Fantasy','Western','War'])[1 + (hashint4(i + 2) & 2147483647) % 12],
             (ARRAY['Drama','Comedy','Thriller','Horror','Romance','Action','Documentary','Animation','Crime','Fantasy','Western','War'])[1 + (hashint4(i + 3) & 2147483647) % 12]
           ])[1:1 + (hashint4(i + 4) & 2147483647) % 3]) g),
         timestamptz '2026-01-01' - i * interval '17 seconds', now()
  FROM generate_series(1, ${n}) i;
INSERT INTO "Credit" ("filmId", "personId", "kind", "department", "job", "character", "billingOrder", "updatedAt")
  SELECT f, 1 + (hashint4(f * 3 + k) & 2147483647) % ${Math.max(1, Math.floor(n / 4))},
         CASE WHEN k = 0 THEN 'CREW' ELSE 'CAST' END::"CreditKind",
         CASE WHEN k = 0 THEN 'DIRECTING' ELSE 'ACTING' END::"Department",
         CASE WHEN k = 0 THEN 'Director' ELSE 'Actor' END,
         CASE WHEN k = 0 THEN '' ELSE 'Role ' || k END,
         CASE WHEN k = 0 THEN NULL ELSE k END, now()
  FROM generate_series(1, ${n}) f, generate_series(0, 2) k;
INSERT INTO "Review" ("filmId", "publicationId", "normalizedScore", "updatedAt")
  SELECT f, 1 + (f + k) % 50, CASE WHEN hashint4(f) % 10 < 3 THEN NULL ELSE (hashint4(f * 5 + k) & 2147483647) % 101 END, now()
  FROM generate_series(1, ${n}) f, generate_series(0, 1) k;
INSERT INTO "Release" ("filmId", "country", "date", "type", "updatedAt")
  SELECT f, (ARRAY['US','FR','DE','JP'])[1 + k], date '1900-01-01' + ((hashint4(f * 11 + k) & 2147483647) % 45000), 'THEATRICAL', now()
  FROM generate_series(1, ${n}) f, generate_series(0, 1) k WHERE f % 10 <> 0;
ANALYZE;`;

const FILM_FIELDS = `edges { cursor node { title year credits(first: 3) { edges { node { person { name } } } } } }
  pageInfo { hasNextPage hasPreviousPage endCursor }`;
const QUERY = `query ($filter: FilmFilter, $orderBy: [FilmOrder!], $after: String) {
  films(first: 20, filter: $filter, orderBy: $orderBy, after: $after) { ${FILM_FIELDS} } }`;

interface Case {
  label: string;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' }[];
  filter?: Record<string, unknown>;
}

const CASES: Case[] = [
  { label: 'default order (id)' },
  { label: 'YEAR DESC, genres + years', orderBy: [{ field: 'YEAR', direction: 'DESC' }], filter: { genres: ['Drama'], yearFrom: 1950, yearTo: 1999 } },
  { label: 'YEAR DESC', orderBy: [{ field: 'YEAR', direction: 'DESC' }] },
  { label: 'TITLE ASC', orderBy: [{ field: 'TITLE', direction: 'ASC' }] },
  { label: 'TITLE ASC, genres + years', orderBy: [{ field: 'TITLE', direction: 'ASC' }], filter: { genres: ['Drama'], yearFrom: 1950, yearTo: 1999 } },
  { label: 'CREATED_AT DESC', orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }] },
  { label: 'CRITIC_SCORE DESC', orderBy: [{ field: 'CRITIC_SCORE', direction: 'DESC' }] },
  {
    label: 'CRITIC_SCORE DESC, genres + years',
    orderBy: [{ field: 'CRITIC_SCORE', direction: 'DESC' }],
    filter: { genres: ['Drama'], yearFrom: 1950, yearTo: 1999 },
  },
  { label: 'RELEASE_DATE ASC', orderBy: [{ field: 'RELEASE_DATE', direction: 'ASC' }] },
];

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(fn: () => Promise<unknown>, runs: number) {
  for (let i = 0; i < Math.min(WARMUP, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const ms = (v: number) => v.toFixed(1).padStart(8);
  return `p50 ${ms(percentile(samples, 50))} ms  p95 ${ms(percentile(samples, 95))} ms`;
}

/** SQL for a case's sort keys as text (how cursors carry them), mirroring src/schema/film/filter.ts. */
function keySql(field: string) {
  switch (field) {
    case 'YEAR':
      return 'CAST(f."year" AS text)';
    case 'TITLE':
      return 'f."title"';
    case 'CREATED_AT':
      return 'CAST(f."createdAt" AS text)';
    case 'CRITIC_SCORE':
      return 'CAST((SELECT AVG(r."normalizedScore") FROM "Review" r WHERE r."filmId" = f."id" AND r."normalizedScore" IS NOT NULL) AS text)';
    default:
      return 'CAST((SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = f."id") AS text)';
  }
}

await admin(`CREATE DATABASE "${name}"`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = await openDatabase({ databaseUrl: url.toString(), logQueries: true });
const session = await db.openSession();
try {
  await migrate(session);
  const start = performance.now();
  await session.exec(LOAD(FILMS));
  const version = await session.query<{ server_version: string }>('SHOW server_version');
  console.log(
    `loaded ${FILMS} films, ${FILMS * 3} credits, ${FILMS * 2} reviews, ~${Math.round(FILMS * 1.8)} releases in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  console.log(
    `PostgreSQL ${version[0]!.server_version}; ${RUNS} GraphQL requests per row after ${WARMUP} warm-up runs (page 1: first 20; deep: after a cursor at the middle of the list)\n`,
  );

  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: createLogger('silent') });
  const codec = new CursorCodec(process.env.CURSOR_SECRET);
  const request = async (c: Case, after?: string) => {
    const response = await yoga.fetch('http://cinegraph.local/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { filter: c.filter ?? null, orderBy: c.orderBy ?? null, after: after ?? null } }),
    });
    const body = (await response.json()) as { errors?: unknown; data: { films: { edges: unknown[] } } };
    if (body.errors) throw new Error(`${c.label} failed: ${JSON.stringify(body.errors)}`);
    if (body.data.films.edges.length !== 20) throw new Error(`${c.label}: expected 20 films, got ${body.data.films.edges.length}`);
  };
  for (const c of CASES) {
    // A cursor at the middle of the unfiltered list (the filter still applies to the page after it).
    const field = c.orderBy?.[0]?.field;
    const direction = c.orderBy?.[0]?.direction ?? 'ASC';
    const order = field
      ? `${keySql(field).replace(/^CAST\((.*) AS text\)$/s, '$1')} ${direction}${direction === 'DESC' ? ' NULLS LAST' : ''}, f."id"`
      : 'f."id"';
    const [mid] = await session.query<{ id: number; key: string | null }>(
      `SELECT f."id", ${field ? keySql(field) : 'NULL'} AS "key" FROM "Film" f ORDER BY ${order} OFFSET ${Math.floor(FILMS / 2)} LIMIT 1`,
    );
    const signature = `Film|${(c.orderBy ?? []).map((t) => `${t.field}:${t.direction}`).join(',')}`;
    const cursor = codec.encode({ ordering: signature, keys: field ? [mid!.key] : [], id: mid!.id });
    const slow = field === 'CRITIC_SCORE' || field === 'RELEASE_DATE';
    const runs = slow ? Math.max(3, Math.floor(RUNS / 6)) : RUNS;
    console.log(`${c.label}`);
    console.log(`  page 1   ${await time(() => request(c), runs)}`);
    console.log(`  deep     ${await time(() => request(c, cursor), runs)}${slow ? `  (${runs} runs)` : ''}`);
  }

  // The page statement itself, as keyset.ts sends it: capture it from Prisma's query log.
  const statements: { query: string; params: string }[] = [];
  db.prisma.$on('query' as never, (e: { query: string; params: string }) => statements.push(e));
  const filtered = CASES[1]!;
  await request(filtered);
  const page = statements.find((s) => s.query.includes('LIMIT'))!;
  const params = JSON.parse(page.params) as unknown[];
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${page.query}`, params);
  await client.end();
  console.log(`\nEXPLAIN ANALYZE of the page statement for films(first: 20, ${JSON.stringify({ filter: filtered.filter, orderBy: filtered.orderBy })})`);
  console.log(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await session.close();
  await db.close();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
