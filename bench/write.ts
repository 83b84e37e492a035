/**
 * npm run bench:write [-- --engine pglite|postgres|both --n 200 --concurrency 100]
 * What a write costs, in process (yoga.fetch, no HTTP): SQL statements per mutation (Prisma query
 * events, transaction control included) and p50/p99 latency of createFilm, updateFilm,
 * deleteFilm, the person, alias, credit and release mutations, the review and quote mutations and createSource / deleteSource, one at a time; then `concurrency` createFilm at once (throughput through the write
 * gate and the feed lock). PGlite in memory; PostgreSQL in a database of its own on
 * BENCH_DATABASE_URL's server (created and dropped here).
 */
import { parseArgs } from 'node:util';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { seed } from '../seed/seed.ts';
import { ApiKeys } from '../src/auth/keys.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { createCinegraphYoga } from '../src/yoga.ts';
import { benchDatabase, DEFAULT_BENCH_URL } from './db.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({
  options: { engine: { type: 'string', default: 'both' }, n: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '100' } },
});
const N = Number(values.n);
const CONCURRENCY = Number(values.concurrency);
const TEXT = 'Drive (2011) runs 100 minutes. A crime drama. The Verge gives Drive 4 out of 5: "a pulse-pounding thriller".';

const CREATE = 'mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { id version } userErrors { code message } } }';
const UPDATE = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { id version } userErrors { code message } } }';
const DELETE = 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { deletedIds userErrors { code message } } }';
const cite = [{ sourceSlug: 'bench-write', excerpt: 'Drive (2011) runs 100 minutes.' }];
const REVIEW = {
  create: 'mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id version quotes { id version } } userErrors { code message } } }',
  update: 'mutation ($input: UpdateReviewInput!) { updateReview(input: $input) { review { id version } userErrors { code message } } }',
  addQuote: 'mutation ($input: AddReviewQuoteInput!) { addReviewQuote(input: $input) { quote { id version } userErrors { code message } } }',
  delete: 'mutation ($input: DeleteReviewInput!) { deleteReview(input: $input) { deletedIds userErrors { code message } } }',
  createSource: 'mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { id version } userErrors { code message } } }',
  deleteSource: 'mutation ($input: DeleteSourceInput!) { deleteSource(input: $input) { deletedIds userErrors { code message } } }',
};
const reviewCite = [{ sourceSlug: 'bench-write', excerpt: 'The Verge gives Drive 4 out of 5' }];
const quote = { text: 'a pulse-pounding thriller', citations: [{ sourceSlug: 'bench-write', excerpt: 'a pulse-pounding thriller' }] };

// The other entities' mutations, each selecting what its next step needs.
const PEOPLE = {
  createPerson: 'mutation ($input: CreatePersonInput!) { createPerson(input: $input) { person { id version } userErrors { code message } } }',
  updatePerson: 'mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { person { id version } userErrors { code message } } }',
  createPersonAlias: 'mutation ($input: CreatePersonAliasInput!) { createPersonAlias(input: $input) { personAlias { id } userErrors { code message } } }',
  deletePerson: 'mutation ($input: DeletePersonInput!) { deletePerson(input: $input) { deletedIds userErrors { code message } } }',
  createCredit: 'mutation ($input: CreateCreditInput!) { createCredit(input: $input) { credit { id version } userErrors { code message } } }',
  updateCredit: 'mutation ($input: UpdateCreditInput!) { updateCredit(input: $input) { credit { id version } userErrors { code message } } }',
  deleteCredit: 'mutation ($input: DeleteCreditInput!) { deleteCredit(input: $input) { deletedIds userErrors { code message } } }',
  createRelease: 'mutation ($input: CreateReleaseInput!) { createRelease(input: $input) { release { id version } userErrors { code message } } }',
  updateRelease: 'mutation ($input: UpdateReleaseInput!) { updateRelease(input: $input) { release { id version } userErrors { code message } } }',
  deleteRelease: 'mutation ($input: DeleteReleaseInput!) { deleteRelease(input: $input) { deletedIds userErrors { code message } } }',
};
type Versioned = { id: string; version: number };

interface Row {
  engine: string;
  mutation: string;
  statements: string;
  p50: number;
  p99: number;
}

async function run(engine: 'pglite' | 'postgres'): Promise<{ rows: Row[]; concurrent: string }> {
  let db: Database;
  let drop = async () => undefined as void;
  if (engine === 'postgres') {
    const { name, url, adminUrl } = benchDatabase(
      0,
      process.pid,
      (process.env.BENCH_DATABASE_URL ?? DEFAULT_BENCH_URL).replace(/\/[^/]*$/, '/cinegraph_bench_write'),
    );
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    drop = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
    db = await openDatabase({ databaseUrl: url, logQueries: true });
  } else {
    db = await openDatabase({ inMemory: true, logQueries: true });
  }
  try {
    let statements = 0;
    db.prisma.$on('query' as never, () => void statements++);
    const session = await db.openSession();
    await migrate(session);
    await session.close();
    await seed(db.prisma);
    await db.prisma.source.create({ data: { slug: 'bench-write', text: TEXT, sha256: '0'.repeat(64) } });
    const { token } = await new ApiKeys(db.prisma).create({ name: `bench-${engine}`, scopes: ['write'] });
    const yoga = createCinegraphYoga({
      prisma: db.prisma,
      logger: createLogger('silent'),
      graphiql: false,
      database: { kind: db.kind, poolStats: db.poolStats },
      guard: { RATE_LIMIT_ENABLED: false },
    });
    const call = async (query: string, input: Record<string, unknown>) => {
      const response = await yoga.fetch('http://bench.write/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables: { input } }),
      });
      const body = (await response.json()) as {
        data?: Record<string, { userErrors: { code: string; message: string }[] } & Record<string, Versioned>>;
        errors?: unknown;
      };
      const payload = body.data ? Object.values(body.data)[0] : undefined;
      if (!payload || payload.userErrors.length > 0) throw new Error(`${query.slice(9, 30)} failed: ${JSON.stringify(body).slice(0, 300)}`);
      return payload;
    };
    const measure = async (mutation: string, op: (i: number) => Promise<unknown>) => {
      const latencies: number[] = [];
      const counts = new Set<number>();
      for (let i = 0; i < N; i++) {
        statements = 0;
        const started = performance.now();
        await op(i);
        latencies.push(performance.now() - started);
        counts.add(statements);
      }
      const { p50, p99 } = summarize(latencies);
      return { engine, mutation, statements: [...counts].sort((a, b) => a - b).join('–'), p50, p99 };
    };
    const films: { id: string; version: number }[] = [];
    const rows = [
      await measure('createFilm (3 cited facts)', async (i) =>
        films.push((await call(CREATE, { title: 'Drive', slug: `bench-${i}`, year: 2011, runtimeMinutes: 100, citations: cite })).film!),
      ),
      await measure('updateFilm (1 cited fact)', async (i) => {
        films[i] = (await call(UPDATE, { id: films[i]!.id, version: films[i]!.version, runtimeMinutes: 101 + (i % 50), citations: cite })).film!;
      }),
      await measure('deleteFilm (with its 4 citations)', async (i) => call(DELETE, { id: films[i]!.id, version: films[i]!.version })),
      ...(await reviewRows(call, measure, db)),
    ];
    // People, aliases, credits (on a seeded film) and releases: create, update, delete, each cited by one excerpt.
    const her = encodeGlobalID('Film', (await db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } })).id);
    const day = (i: number) => new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const people: Versioned[] = [];
    const credits: Versioned[] = [];
    const releases: Versioned[] = [];
    rows.push(
      await measure('createPerson (1 cited fact)', async (i) =>
        people.push((await call(PEOPLE.createPerson, { name: `Bench Person ${i}`, citations: cite })).person!),
      ),
      await measure('updatePerson (1 cited fact)', async (i) => {
        people[i] = (
          await call(PEOPLE.updatePerson, { id: people[i]!.id, version: people[i]!.version, name: `Bench Person ${i} Jr`, citations: cite })
        ).person!;
      }),
      await measure('createPersonAlias (1 cited fact)', async (i) =>
        call(PEOPLE.createPersonAlias, { personId: people[i]!.id, name: `B. Person ${i}`, citations: cite }),
      ),
      await measure('createCredit (cast, 5 cited facts)', async (i) =>
        credits.push(
          (await call(PEOPLE.createCredit, { filmId: her, personId: people[i]!.id, kind: 'CAST', character: `Role ${i}`, billingOrder: i, citations: cite }))
            .credit!,
        ),
      ),
      await measure('updateCredit (1 cited fact)', async (i) => {
        credits[i] = (await call(PEOPLE.updateCredit, { id: credits[i]!.id, version: credits[i]!.version, billingOrder: i + 1, citations: cite })).credit!;
      }),
      await measure('deleteCredit (with its 6 citations)', async (i) => call(PEOPLE.deleteCredit, { id: credits[i]!.id, version: credits[i]!.version })),
      await measure('deletePerson (cascade; an alias, 3 citations)', async (i) =>
        call(PEOPLE.deletePerson, { id: people[i]!.id, version: people[i]!.version, cascade: true }),
      ),
      await measure('createRelease (5 cited facts)', async (i) =>
        releases.push(
          (await call(PEOPLE.createRelease, { filmId: her, country: 'US', date: day(i), type: 'DIGITAL', certification: 'R', citations: cite })).release!,
        ),
      ),
      await measure('updateRelease (1 cited fact)', async (i) => {
        releases[i] = (await call(PEOPLE.updateRelease, { id: releases[i]!.id, version: releases[i]!.version, certification: 'PG', citations: cite })).release!;
      }),
      await measure('deleteRelease (with its 6 citations)', async (i) => call(PEOPLE.deleteRelease, { id: releases[i]!.id, version: releases[i]!.version })),
    );
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: CONCURRENCY }, (_, i) => call(CREATE, { title: 'Drive', slug: `bench-c-${i}`, year: 2011, runtimeMinutes: 100, citations: cite })),
    );
    const seconds = (performance.now() - started) / 1000;
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const concurrent = `${engine}: ${CONCURRENCY} concurrent createFilm: ${ok} succeeded, ${CONCURRENCY - ok} failed, ${seconds.toFixed(2)} s (${(ok / seconds).toFixed(0)} writes/s)`;
    return { rows, concurrent };
  } finally {
    await db.close();
    await drop();
  }
}

type Call = (query: string, input: Record<string, unknown>) => Promise<Record<string, { id: string; version: number }>>;
type Measure = (mutation: string, op: (i: number) => Promise<unknown>) => Promise<Row>;

/** The review, quote and source mutations, each N times on fresh records. */
async function reviewRows(call: Call, measure: Measure, db: Database): Promise<Row[]> {
  const [film, publication] = await Promise.all([
    db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, select: { id: true } }),
    db.prisma.publication.findUniqueOrThrow({ where: { slug: 'the-verge' }, select: { id: true } }),
  ]);
  const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
  const reviews: { id: string; version: number }[] = [];
  const sources: { id: string; version: number }[] = [];
  const base = { filmId: gid('Film', film.id), publicationId: gid('Publication', publication.id), originalScore: 4, scoreScale: 5, citations: reviewCite };
  return [
    await measure('createReview (4 cited facts, 1 cited quote)', async () => reviews.push((await call(REVIEW.create, { ...base, quotes: [quote] })).review!)),
    await measure('updateReview (score: 2 cited facts)', async (i) => {
      reviews[i] = (await call(REVIEW.update, { id: reviews[i]!.id, version: reviews[i]!.version, originalScore: 1 + (i % 4), citations: reviewCite })).review!;
    }),
    await measure('addReviewQuote (1 cited quote)', async (i) => call(REVIEW.addQuote, { reviewId: reviews[i]!.id, ...quote })),
    await measure('deleteReview (2 quotes, 6 citations)', async (i) => call(REVIEW.delete, { id: reviews[i]!.id, version: reviews[i]!.version })),
    await measure('createSource', async (i) => sources.push((await call(REVIEW.createSource, { slug: `bench-source-${i}`, text: TEXT })).source!)),
    await measure('deleteSource (uncited)', async (i) => call(REVIEW.deleteSource, { id: sources[i]!.id, version: sources[i]!.version })),
  ];
}

const engines = values.engine === 'both' ? (['pglite', 'postgres'] as const) : [values.engine as 'pglite' | 'postgres'];
const rows: Row[] = [];
const concurrent: string[] = [];
for (const engine of engines) {
  const result = await run(engine);
  rows.push(...result.rows);
  concurrent.push(result.concurrent);
}
console.log(`bench:write, ${N} of each mutation in sequence, in process (yoga.fetch), write key\n`);
console.log('| engine | mutation | SQL statements | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.engine} | ${r.mutation} | ${r.statements} | ${r.p50} | ${r.p99} |`);
console.log(`\n${concurrent.join('\n')}`);
