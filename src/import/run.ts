/**
 * An import run: the dataset snapshot as a DATASET source, an ImportRun row (counts, checkpoint),
 * records applied in batches (one transaction each, checkpoint included, so an interrupted run
 * resumes exactly after its last committed batch), one IMPORT change set for the whole run
 * (created with its first revision) and the batches' revisions published to the change feed.
 * `dryRun` runs everything in one transaction and rolls it back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { slugify } from '../schema/film/edit.ts';
import { Writer, type WriteContext } from '../schema/write/run.ts';
import { lockFeed } from '../schema/write/sql.ts';
import { Applier, emptyCounts, type Counts } from './apply.ts';
import type { FilmRecord, Reject } from './record.ts';

export interface DatasetInfo {
  dataset: string;
  snapshot: string;
  title: string;
  url: string | null;
  licence: string | null;
}

export type Row = { index: number; record: FilmRecord } | { index: number; reject: Reject };

export interface ImportOptions {
  format: string;
  info: DatasetInfo;
  rows: () => Iterable<Row> | AsyncIterable<Row>;
  total: number;
  rejectsFile: string | null;
  preferIncoming?: boolean;
  dryRun?: boolean;
  batchSize?: number;
  /** Checked between batches: a run stopped here resumes on its next start. */
  signal?: AbortSignal;
  onProgress?: (done: number) => void;
}

export interface ImportResult {
  runId: number | null;
  status: 'DONE' | 'INTERRUPTED' | 'DRY_RUN';
  changeSetId: number | null;
  counts: Counts;
  resumedFrom: number;
}

class DryRunRollback extends Error {}

const LONG_TX = { maxWait: 30_000, timeout: 3_600_000 };

async function datasetSource(tx: Prisma.TransactionClient, info: DatasetInfo): Promise<number> {
  const existing = await tx.source.findUnique({ where: { dataset_snapshot: { dataset: info.dataset, snapshot: info.snapshot } }, select: { id: true } });
  if (existing) return existing.id;
  const created = await tx.source.create({
    data: {
      kind: 'DATASET',
      slug: slugify(`${info.dataset} ${info.snapshot}`, 'dataset'),
      title: `${info.title} (${info.snapshot})`,
      dataset: info.dataset,
      snapshot: info.snapshot,
      licence: info.licence,
      text: '',
      sha256: createHash('sha256').update('').digest('hex'),
    },
    select: { id: true },
  });
  return created.id;
}

export async function runImport(ctx: WriteContext, options: ImportOptions): Promise<ImportResult> {
  const prisma = ctx.prisma as PrismaClient;
  if (options.dryRun) {
    let result: ImportResult | undefined;
    await prisma
      .$transaction(async (tx) => {
        result = { ...(await importWith(ctx, options, (fn) => fn(tx))), status: 'DRY_RUN', runId: null, changeSetId: null };
        throw new DryRunRollback();
      }, LONG_TX)
      .catch((error: unknown) => {
        if (!(error instanceof DryRunRollback)) throw error;
      });
    return result!;
  }
  return importWith(ctx, options, (fn) => prisma.$transaction(fn, LONG_TX));
}

type InTx = <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>;

async function importWith(ctx: WriteContext, options: ImportOptions, inTx: InTx): Promise<ImportResult> {
  const { info } = options;
  const batchSize = options.batchSize ?? 200;
  const { sourceId, run } = await inTx(async (tx) => {
    const sourceId = await datasetSource(tx, info);
    const running = await tx.importRun.findFirst({ where: { sourceId, format: options.format, status: 'RUNNING' }, orderBy: { id: 'desc' } });
    const run = running ?? (await tx.importRun.create({ data: { sourceId, format: options.format, counts: { ...emptyCounts() }, checkpoint: { done: 0 } } }));
    return { sourceId, run };
  });
  const resumedFrom = (run.checkpoint as { done?: number }).done ?? 0;
  const counts: Counts = { ...emptyCounts(), ...(run.counts as Partial<Counts>) };
  let changeSetId = run.changeSetId;
  const rejects = options.rejectsFile ? openSync(options.rejectsFile, resumedFrom > 0 ? 'a' : 'w') : null;
  const actor = `import:${info.dataset}`;
  const operationName = `import ${options.format}`;

  let batch: Row[] = [];
  let done = resumedFrom;
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const outcome = await inTx(async (tx) => {
      const w = new Writer(tx, ctx, null);
      const applier = new Applier(w, {
        dataset: info.dataset,
        snapshot: info.snapshot,
        sourceId,
        preferIncoming: options.preferIncoming ?? false,
        changeSetId: () => changeSetId,
      });
      const rejected: Reject[] = [];
      for (const row of rows) {
        if ('reject' in row) {
          rejected.push(row.reject);
          continue;
        }
        const reason = await applier.apply(row.record);
        if (reason) rejected.push({ file: row.record.file, line: row.record.line, index: row.index, reason });
      }
      let committed = null;
      let setId = changeSetId;
      if (w.revisions.length > 0) {
        await lockFeed(tx);
        if (setId === null) {
          setId = (
            await tx.changeSet.create({
              data: { kind: 'IMPORT', actor, operationName, note: `${info.dataset} ${info.snapshot}` },
              select: { id: true },
            })
          ).id;
        }
        const revisions = await tx.revision.createManyAndReturn({
          data: w.revisions.map((r) => ({ ...r, diff: r.diff as Prisma.InputJsonObject, changeSetId: setId! })),
          select: { id: true, entityType: true, entityId: true, action: true },
        });
        committed = { changeSetId: setId, kind: 'IMPORT' as const, actor, operationName, revisions };
      }
      const next = { ...counts };
      for (const k of Object.keys(applier.counts) as (keyof Counts)[]) next[k] += applier.counts[k];
      next.rejected += rejected.length;
      await tx.importRun.update({ where: { id: run.id }, data: { counts: { ...next }, checkpoint: { done: done + rows.length }, changeSetId: setId } });
      return { committed, next, rejected, setId, touched: w.touchedEntities };
    });
    Object.assign(counts, outcome.next);
    changeSetId = outcome.setId;
    done += rows.length;
    if (rejects !== null) for (const r of outcome.rejected) writeSync(rejects, `${JSON.stringify(r)}\n`);
    ctx.written.push(...outcome.touched);
    if (outcome.committed) ctx.events.publish(outcome.committed);
    options.onProgress?.(done);
  };

  try {
    for await (const row of options.rows()) {
      if (row.index < resumedFrom) continue;
      batch.push(row);
      if (batch.length >= batchSize) {
        await flush();
        if (options.signal?.aborted) return { runId: run.id, status: 'INTERRUPTED', changeSetId, counts, resumedFrom };
      }
    }
    await flush();
  } finally {
    if (rejects !== null) closeSync(rejects);
  }
  await inTx(async (tx) => {
    await tx.importRun.update({ where: { id: run.id }, data: { status: 'DONE', finishedAt: new Date(), counts: { ...counts } } });
    if (changeSetId !== null) {
      await tx.changeSet.update({ where: { id: changeSetId }, data: { summary: { dataset: info.dataset, snapshot: info.snapshot, ...counts } } });
    }
  });
  return { runId: run.id, status: 'DONE', changeSetId, counts, resumedFrom };
}
