// Large IMDb batches on a real database: one batch per file (generated files, bench/imdb-generate.ts)
// leaves exactly what batches of seven leave — rows, record citations, and CREATE revisions with
// their diffs and the citations they name; records of one batch titled alike resolve as they would
// one at a time; and a batch's statements plan PostgreSQL's foreign-key checks generically.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateImdb } from '../../bench/imdb-generate.ts';
import { IMDB_DATASET, imdbApplier, imdbStreams } from '../../src/import/imdb/imdb.ts';
import type { ImdbRecord } from '../../src/import/imdb/rows.ts';
import { emptyCounts } from '../../src/import/rules.ts';
import { importContext, runImport, type ImportOptions } from '../../src/import/run.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'cg-imdb-batch-'));
const open: TestDatabase[] = [];
/** Second clients on a test's database: closed before the databases are dropped. */
const closeAfter: Database[] = [];
afterAll(async () => {
  await Promise.all(closeAfter.map((db) => db.close()));
  await Promise.all(open.map((db) => db.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function database(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  open.push(db);
  return db;
}

async function imdb(db: TestDatabase, folder: string, batchSize: number, extra: Partial<ImportOptions<ImdbRecord>> = {}) {
  const { streams, total } = await imdbStreams(folder, 2026);
  return runImport(importContext(db.prisma), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot: '1' },
    streams,
    applier: imdbApplier,
    total,
    rejectsFile: null,
    batchSize,
    ...extra,
  });
}

/** What an import leaves, by natural keys (ids only where both databases assign them alike: the same rows in the same order). */
async function state(db: TestDatabase, changeSetId: number | null) {
  const q = <T>(sql: string) => db.prisma.$queryRawUnsafe<T[]>(sql);
  return {
    films: await q(`SELECT id, "imdbId", slug, title, "originalTitle", year, "runtimeMinutes", genres, "titleType"::text FROM "Film" ORDER BY id`),
    people: await q(`SELECT id, "imdbId", slug, name FROM "Person" ORDER BY id`),
    credits: await q(`SELECT id, "filmId", "personId", kind::text, department::text, job, character, "billingOrder" FROM "Credit" ORDER BY id`),
    titles: await q(`SELECT id, "filmId", title, region, language, types FROM "FilmTitle" ORDER BY id`),
    ratings: await q(`SELECT id, "filmId", value, votes FROM "Rating" ORDER BY id`),
    citations: await q(
      `SELECT id, "recordFile", "recordKey", "recordFields", field, "filmId", "personId", "creditId", "filmTitleId", "ratingId" FROM "Citation" WHERE "recordFile" IS NOT NULL ORDER BY id`,
    ),
    revisions: await q(
      `SELECT "entityType", "entityId", action::text, diff, "citationIds" FROM "Revision" WHERE "changeSetId" = ${Number(changeSetId)} ORDER BY id`,
    ),
  };
}

test('one batch per file leaves the same rows, record citations and revisions as batches of seven', async () => {
  const folder = path.join(dir, 'generated');
  await generateImdb({ titles: 25, out: folder, seed: 3 });
  const [small, large] = [await database(), await database()];
  const bySeven = await imdb(small, folder, 7);
  const whole = await imdb(large, folder, 100_000);
  expect(whole.counts).toEqual(bySeven.counts);
  expect(whole.counts.created).toBeGreaterThan(100);
  const [a, b] = [await state(small, bySeven.changeSetId), await state(large, whole.changeSetId)];
  expect(b).toEqual(a);
  // Each CREATE revision names its own entity's citations and diffs every set field from null.
  const citations = new Map(b.citations.map((c) => [(c as { id: number }).id, c as Record<string, unknown>]));
  const target: Record<string, string> = { Film: 'filmId', Person: 'personId', Credit: 'creditId', FilmTitle: 'filmTitleId', Rating: 'ratingId' };
  const revisions = b.revisions as {
    entityType: string;
    entityId: number;
    action: string;
    diff: Record<string, { before: unknown; after: unknown }>;
    citationIds: number[];
  }[];
  expect(revisions.filter((r) => r.action === 'CREATE')).toHaveLength(whole.counts.created);
  for (const r of revisions.filter((r) => r.action === 'CREATE')) {
    expect(r.citationIds.length).toBeGreaterThan(0);
    for (const id of r.citationIds) expect(citations.get(id)?.[target[r.entityType]!]).toBe(r.entityId);
    expect(Object.values(r.diff).every((d) => d.before === null)).toBe(true);
  }
  const film = b.films.at(-1) as Record<string, unknown>;
  const created = revisions.find((r) => r.entityType === 'Film' && r.entityId === film['id'])!;
  expect(Object.fromEntries(Object.entries(created.diff).map(([k, v]) => [k, v.after]))).toEqual(
    Object.fromEntries(Object.entries(film).filter(([k, v]) => k !== 'id' && v !== null)),
  );
  // Two fresh databases and two imports: minutes on a loaded 2-core machine.
}, 300_000);

test('records of one batch titled alike resolve as one at a time would: the first matches the film without an imdbId, the next is a new film', async () => {
  const db = await database();
  const existing = await db.prisma.film.create({ data: { slug: 'twin-river-story', title: 'Twin River Story', year: 1999 } });
  const folder = path.join(dir, 'same-title');
  // title.basics alone: a folder needs only one of the files.
  mkdirSync(folder);
  const header = 'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres';
  const rows = ['tt9000001', 'tt9000002'].map((id) => `${id}\tmovie\tTwin River Story\tTwin River Story\t0\t1999\t\\N\t95\tDrama`);
  writeFileSync(path.join(folder, 'title.basics.tsv'), [header, ...rows].join('\n') + '\n');
  const result = await imdb(db, folder, 100_000);
  expect(result.counts).toMatchObject({ updated: 1, rejected: 0 });
  const films = await db.prisma.film.findMany({ where: { title: 'Twin River Story' }, orderBy: { id: 'asc' }, select: { id: true, imdbId: true, slug: true } });
  expect(films).toEqual([
    { id: existing.id, imdbId: 'tt9000001', slug: 'twin-river-story' },
    { id: expect.any(Number), imdbId: 'tt9000002', slug: 'twin-river-story-1999' },
  ]);
}, 300_000);

test("a batch's statements plan generically (plan_cache_mode auto), and the setting ends with the batch", async () => {
  const seeded = await database();
  // On PostgreSQL, a client whose connections plan every execution (DB_PLAN_CACHE_MODE=force_custom_plan,
  // the setting the import must not inherit); PGlite's connection has PostgreSQL's default, auto.
  const db = seeded.url ? await openDatabase({ databaseUrl: seeded.url, pool: { max: 1, planCacheMode: 'force_custom_plan' } }) : seeded;
  if (db !== seeded) closeAfter.push(db);
  const seen: string[] = [];
  const folder = path.join(dir, 'settings');
  await generateImdb({ titles: 25, out: folder, seed: 9 });
  const { streams, total } = await imdbStreams(folder, 2026);
  await runImport(importContext(db.prisma), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot: '1' },
    streams: streams.slice(0, 1),
    total,
    rejectsFile: null,
    applier: (w) => ({
      counts: emptyCounts(),
      async apply() {
        seen.push((await w.tx.$queryRawUnsafe<{ plan_cache_mode: string }[]>('SHOW plan_cache_mode'))[0]!.plan_cache_mode);
        return [];
      },
    }),
  });
  expect(seen).toEqual(['auto']);
  const after = await db.prisma.$transaction((tx) => tx.$queryRawUnsafe<{ plan_cache_mode: string }[]>('SHOW plan_cache_mode'));
  // Outside an import the connection keeps its own setting.
  expect(after[0]!.plan_cache_mode).toBe(seeded.url ? 'force_custom_plan' : 'auto');
});
