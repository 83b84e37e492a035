// Record fingerprints (src/import/fingerprint.ts) on a real database, with the IMDb fixture folder:
// a re-import compares only the records it cannot skip (rejected by the comparison, or with an open
// conflict), and counts the rest as the full comparison would; a changed row is compared and applied although its
// key has a fingerprint; another --max-year re-reads every row; and another change set's write
// since the import sends every row through the full comparison once (which restores a credit an
// editor deleted), after which the fingerprints hold again.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IMDB_DATASET, imdbApplier, imdbStreams } from '../../src/import/imdb/imdb.ts';
import type { ImdbRecord } from '../../src/import/imdb/rows.ts';
import type { ApplyOptions } from '../../src/import/rules.ts';
import { importContext, runImport, type BatchApplier } from '../../src/import/run.ts';
import type { ImportWriter } from '../../src/import/writer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/imdb');
const dir = mkdtempSync(path.join(tmpdir(), 'cg-imdb-fingerprint-'));
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function folder(name: string, edit: (file: string, text: string) => string = (_f, t) => t): string {
  const out = path.join(dir, name);
  cpSync(FIXTURE, out, { recursive: true });
  for (const file of ['name.basics', 'title.basics', 'title.akas', 'title.ratings', 'title.crew', 'title.principals']) {
    const full = path.join(out, `${file}.tsv`);
    writeFileSync(full, edit(`${file}.tsv`, readFileSync(full, 'utf8')));
  }
  return out;
}

/** Imports the folder; the counts, and the records it compared with the catalogue (file and key), sorted. */
async function imdb(from: string, snapshot: string, maxYear = 2026) {
  const { streams, total } = await imdbStreams(from, maxYear);
  const applied: string[] = [];
  const watched = (w: ImportWriter, o: ApplyOptions, stream: string): BatchApplier<ImdbRecord> => {
    const applier = imdbApplier(w, o, stream);
    return {
      counts: applier.counts,
      unsettled: applier.unsettled,
      apply(rows) {
        applied.push(...rows.map((r) => `${stream} ${r.record.key}`));
        return applier.apply(rows);
      },
    };
  };
  const result = await runImport(importContext(db.prisma), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot },
    streams,
    applier: watched,
    total,
    rejectsFile: null,
    batchSize: 3,
  });
  return { counts: result.counts, compared: applied.sort() };
}

// The fixture's 24 rows, but for the 5 rejected as they are read.
const ROWS = 19;
// Rows the comparison rejects (no such film, no such person), and Her's title.basics row, whose genres an article backs (an open conflict).
const UNSETTLED = ['title.akas tt9999999/1', 'title.basics tt1798709', 'title.principals tt1798709/5'];

test('a re-import of the same snapshot compares only the records the comparison rejects and the one with a conflict, and counts the rest unchanged', async () => {
  const first = await imdb(folder('s1'), '2026-01-01');
  expect(first.compared).toHaveLength(ROWS);
  expect(first.counts).toEqual({ created: 8, updated: 4, unchanged: 5, conflicts: 1, stale: 0, rejected: 7 });
  const revisions = await db.prisma.revision.count();
  const again = await imdb(folder('s1-again'), '2026-01-01');
  expect(again.compared).toEqual(UNSETTLED);
  // What the full comparison counts: every entity, title, rating and credit of the first run unchanged.
  expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 17, conflicts: 0, stale: 0, rejected: 7 });
  expect(await db.prisma.revision.count()).toBe(revisions);
  expect(await db.prisma.importRecord.count({ where: { dataset: 'imdb' } })).toBe(ROWS - UNSETTLED.length);
});

const snapshot2 = (file: string, text: string) => (file === 'title.ratings.tsv' ? text.replace('5.2\t300', '5.4\t320') : text);

test('a changed row is compared and applied although its key has a fingerprint', async () => {
  const edit = snapshot2;
  const result = await imdb(folder('s2', edit), '2026-02-01');
  expect(result.compared).toEqual([...UNSETTLED, 'title.ratings tt0000002'].sort());
  // Her's conflict is raised again: conflicts are per snapshot.
  expect(result.counts).toMatchObject({ created: 0, updated: 1, conflicts: 1, stale: 0, rejected: 7 });
  const clown = await db.prisma.film.findUniqueOrThrow({ where: { imdbId: 'tt0000002' }, include: { ratings: true } });
  expect(clown.ratings.map((r) => [r.value, r.votes])).toEqual([[5.4, 320]]);
  // Its new fingerprint holds: the same snapshot again builds it no more.
  expect((await imdb(folder('s2-again', edit), '2026-02-01')).compared).toEqual(UNSETTLED);
});

test('another --max-year reads every row again', async () => {
  const result = await imdb(folder('s1-2030'), '2026-01-01', 2030);
  expect(result.compared).toHaveLength(ROWS);
});

test("another change set's write since the import sends every row through the full comparison once: a credit an editor deleted comes back", async () => {
  const credit = await db.prisma.credit.findFirstOrThrow({ where: { film: { imdbId: 'tt0000002' }, character: 'Himself' } });
  await db.prisma.$transaction(async (tx) => {
    await tx.credit.delete({ where: { id: credit.id } });
    const set = await tx.changeSet.create({ data: { kind: 'MUTATION', actor: 'editor' } });
    await tx.revision.create({ data: { changeSetId: set.id, entityType: 'Credit', entityId: credit.id, action: 'DELETE', diff: {} } });
  });
  const result = await imdb(folder('s2-after-edit', snapshot2), '2026-02-01');
  expect(result.compared).toHaveLength(ROWS);
  expect(result.counts).toMatchObject({ created: 1, rejected: 7 });
  expect(await db.prisma.credit.count({ where: { film: { imdbId: 'tt0000002' }, character: 'Himself' } })).toBe(1);
  expect((await imdb(folder('s2-after-edit-again', snapshot2), '2026-02-01')).compared).toEqual(UNSETTLED);
});
