// An import run with one batch in flight (src/import/run.ts): a batch that fails fails the run with
// its own error after the batch read meanwhile is dropped, the checkpoint holds the batches that
// committed, and the next run resumes after them.
import path from 'node:path';
import { IMDB_DATASET, imdbApplier, imdbStreams } from '../../src/import/imdb/imdb.ts';
import type { ImdbRecord } from '../../src/import/imdb/rows.ts';
import type { ApplyOptions } from '../../src/import/rules.ts';
import { importContext, runImport, type BatchApplier } from '../../src/import/run.ts';
import type { ImportWriter } from '../../src/import/writer.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures/imdb');
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function imdb(applier: (w: ImportWriter, o: ApplyOptions, stream: string) => BatchApplier<ImdbRecord>) {
  const { streams, total } = await imdbStreams(FIXTURE, 2026);
  return runImport(importContext(db.prisma), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot: 'run-test' },
    streams,
    applier,
    total,
    rejectsFile: null,
    batchSize: 3,
  });
}

test('a failing batch fails the run with its error; the batches before it stay committed and the next run resumes after them', async () => {
  let applied = 0;
  const failing = (w: ImportWriter, o: ApplyOptions, stream: string): BatchApplier<ImdbRecord> => {
    const applier = imdbApplier(w, o, stream);
    return {
      counts: applier.counts,
      unsettled: applier.unsettled,
      apply(rows) {
        // name.basics' five rows are two batches; the first of title.basics fails.
        if (++applied === 3) throw new Error('the database went away');
        return applier.apply(rows);
      },
    };
  };
  await expect(imdb(failing)).rejects.toThrow('the database went away');
  const run = await db.prisma.importRun.findFirstOrThrow({ where: { source: { snapshot: 'run-test' } } });
  expect({ status: run.status, checkpoint: run.checkpoint }).toEqual({ status: 'RUNNING', checkpoint: { 'name.basics': 5 } });
  expect(await db.prisma.person.count({ where: { imdbId: 'nm0000001' } })).toBe(1);
  expect(await db.prisma.film.count({ where: { imdbId: 'tt0000002' } })).toBe(0);
  const resumed = await imdb(imdbApplier);
  expect(resumed).toMatchObject({ status: 'DONE', resumedFrom: 5, runId: run.id });
  expect(await db.prisma.film.count({ where: { imdbId: 'tt0000002' } })).toBe(1);
});
