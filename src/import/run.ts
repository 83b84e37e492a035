/**
 * An import run: the dataset snapshot as a DATASET source, an ImportRun row (counts, checkpoint),
 * the streams (files) read in order and their records applied in batches (one transaction each,
 * the checkpoint — rows done per stream — included, so an interrupted run resumes exactly after
 * its last committed batch), one IMPORT change set for the whole run
 * (created with its first revision) and the batches' revisions published to the change feed.
 * `dryRun` runs everything in one transaction and rolls it back.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { slugify } from '../schema/film/facts.ts';
import { WriteEvents } from '../events.ts';
import type { WriteContext } from '../schema/write/run.ts';
import { ImportWriter } from './writer.ts';
import { lockFeed } from '../schema/write/sql.ts';
import type { RevisionAction } from '../generated/prisma/enums.ts';
import { insertRows, REVISION_COLUMNS } from './bulk.ts';
import { matchFingerprints, storeFingerprints, type Fingerprint } from './fingerprint.ts';
import type { Reject } from './record.ts';
import { emptyCounts, type ApplyOptions, type Counts } from './rules.ts';

export interface DatasetInfo {
  dataset: string;
  snapshot: string;
  title: string;
  url: string | null;
  licence: string | null;
}

/**
 * A stream's row: its 0-based index among the stream's rows (the checkpoint counts them) and its
 * record (with what it counts as when a re-import finds it unchanged: 1 unless given) or reject;
 * or, from a stream that fingerprints its rows (./fingerprint.ts), the row's fingerprint and how
 * to build it, which the batch calls only when the fingerprint is not unchanged.
 */
export type Row<R> =
  { index: number; record: R; units?: number } | { index: number; reject: Reject } | { index: number; fingerprint: Fingerprint; build: () => Row<R> };
type Built<R> = Exclude<Row<R>, { build: unknown }>;

/** One file of a dataset, read in order; its name keys the checkpoint. */
export interface Stream<R> {
  name: string;
  rows: () => Iterable<Row<R>> | AsyncIterable<Row<R>>;
}

/** Applies a batch of one stream's records inside the batch's transaction; returns the records it rejects. */
export interface BatchApplier<R> {
  readonly counts: Counts;
  /** Indices of records the batch did not settle (a conflict or a stale value): they keep no fingerprint. */
  readonly unsettled?: ReadonlySet<number>;
  apply(rows: { index: number; record: R }[]): Promise<Reject[]>;
}

export interface ImportOptions<R> {
  format: string;
  info: DatasetInfo;
  streams: Stream<R>[];
  applier: (w: ImportWriter, options: ApplyOptions, stream: string) => BatchApplier<R>;
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

/** The write context of an import job: a local identity named `import`, with read and write scope, and its own change events. */
export function importContext(prisma: WriteContext['prisma'], events = new WriteEvents()): WriteContext {
  return {
    prisma,
    identity: { kind: 'local', name: 'import', scopes: new Set(['read', 'write'] as const), credentialed: false },
    events,
    written: [],
    idempotencyKey: null,
  };
}

export async function runImport<R>(ctx: WriteContext, options: ImportOptions<R>): Promise<ImportResult> {
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

/**
 * A server may run its connections planning every execution of a prepared statement for its
 * parameters (DB_PLAN_CACHE_MODE=force_custom_plan, docs/operations.md; the default until
 * December 2, now by_statement). PostgreSQL's foreign-key checks are
 * prepared statements too (one `SELECT 1 … FOR KEY SHARE` per key per inserted row), so under that
 * setting every row of an import's multi-row INSERT re-plans each of its checks: it made a
 * 20,000-credit INSERT 5–6× slower (1.0 s → 5–7 s, docs/importing.md#speed). An import's own
 * statements gain nothing from custom plans (one execution each per batch), so its transactions
 * use PostgreSQL's default.
 */
async function planGenerically(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRawUnsafe('SET LOCAL plan_cache_mode = auto');
}

type InTx = <T>(fn: (tx: Prisma.TransactionClient) => Promise<T>) => Promise<T>;

async function importWith<R>(ctx: WriteContext, options: ImportOptions<R>, inTx: InTx): Promise<ImportResult> {
  const { info } = options;
  const batchSize = options.batchSize ?? 200;
  const { sourceId, run } = await inTx(async (tx) => {
    const sourceId = await datasetSource(tx, info);
    const running = await tx.importRun.findFirst({ where: { sourceId, format: options.format, status: 'RUNNING' }, orderBy: { id: 'desc' } });
    const run = running ?? (await tx.importRun.create({ data: { sourceId, format: options.format, counts: { ...emptyCounts() }, checkpoint: {} } }));
    return { sourceId, run };
  });
  const checkpoint = { ...(run.checkpoint as Record<string, number>) };
  const resumedFrom = Object.values(checkpoint).reduce((a, b) => a + b, 0);
  const counts: Counts = { ...emptyCounts(), ...(run.counts as Partial<Counts>) };
  let changeSetId = run.changeSetId;
  const rejects = options.rejectsFile ? openSync(options.rejectsFile, resumedFrom > 0 ? 'a' : 'w') : null;
  const actor = `import:${info.dataset}`;
  const operationName = `import ${options.format}`;

  let batch: Exclude<Row<R>, { reject: Reject }>[] = [];
  let batchRejects: Reject[] = [];
  let batchRows = 0;
  let done = resumedFrom;
  // Whether to build rows as they are read, overlapping the previous batch's transaction: as long
  // as the last batch skipped fewer than half its rows (a first import), not on a re-import.
  let buildAhead = true;
  const flush = async (stream: string, rows: Exclude<Row<R>, { reject: Reject }>[], rejected: Reject[], size: number) => {
    const outcome = await inTx(async (tx) => {
      await planGenerically(tx);
      // A key twice in a batch is neither skipped nor fingerprinted: the applier decides (it rejects some repeats).
      const keys = new Map<string, number>();
      for (const r of rows) if ('fingerprint' in r) keys.set(r.fingerprint.key, (keys.get(r.fingerprint.key) ?? 0) + 1);
      const printed = rows.filter((r): r is Extract<Row<R>, { build: unknown }> => 'fingerprint' in r && keys.get(r.fingerprint.key) === 1);
      const matching = printed.length
        ? await matchFingerprints(
            tx,
            info.dataset,
            actor,
            stream,
            printed.map((r) => r.fingerprint),
          )
        : null;
      let skipped = 0;
      let skippedRows = 0;
      const records: { index: number; record: R; units: number; fingerprint: Fingerprint | null }[] = [];
      for (const r of rows) {
        let built: Built<R>;
        let fingerprint: Fingerprint | null = null;
        if ('fingerprint' in r) {
          const same = keys.get(r.fingerprint.key) === 1 ? matching?.same.get(r.fingerprint.key) : undefined;
          if (same !== undefined) {
            skipped += same;
            skippedRows++;
            continue;
          }
          built = r.build() as Built<R>;
          if (keys.get(r.fingerprint.key) === 1) fingerprint = r.fingerprint;
        } else built = r;
        if ('reject' in built) rejected.push(built.reject);
        else records.push({ index: built.index, record: built.record, units: built.units ?? 1, fingerprint });
      }
      let setId = changeSetId;
      let locked = false;
      const openChangeSet = async () => {
        if (!locked) await lockFeed(tx);
        locked = true;
        setId ??= (
          await tx.changeSet.create({
            data: { kind: 'IMPORT', actor, operationName, note: `${info.dataset} ${info.snapshot}` },
            select: { id: true },
          })
        ).id;
        return setId;
      };
      const w = new ImportWriter(tx, openChangeSet);
      const applier = options.applier(
        w,
        { dataset: info.dataset, snapshot: info.snapshot, sourceId, preferIncoming: options.preferIncoming ?? false, changeSetId: () => changeSetId },
        stream,
      );
      const applied = records.length ? await applier.apply(records.map(({ index, record }) => ({ index, record }))) : [];
      const all = [...rejected, ...applied].sort((a, b) => a.index - b.index);
      if (matching !== null) {
        const unsettled = new Set([...applied.map((r) => r.index), ...(applier.unsettled ?? [])]);
        await storeFingerprints(
          tx,
          info.dataset,
          stream,
          matching.mark,
          records.flatMap((r) => (r.fingerprint && !unsettled.has(r.index) ? [{ ...r.fingerprint, units: r.units }] : [])),
        );
      }
      const revisions = [...w.inserted];
      if (w.revisions.length > 0) {
        const id = await openChangeSet();
        revisions.push(
          ...(await insertRows<{ id: number; entityType: string; entityId: number; action: RevisionAction }>(
            tx,
            'Revision',
            REVISION_COLUMNS,
            w.revisions.map((r) => ({ ...r, changeSetId: id })),
            ['id', 'entityType', 'entityId', 'action'],
          )),
        );
      }
      const committed = setId !== null && revisions.length > 0 ? { changeSetId: setId, kind: 'IMPORT' as const, actor, operationName, revisions } : null;
      buildAhead = skippedRows * 2 < printed.length;
      const next = { ...counts };
      for (const k of Object.keys(applier.counts) as (keyof Counts)[]) next[k] += applier.counts[k];
      next.unchanged += skipped;
      next.rejected += all.length;
      const nextCheckpoint = { ...checkpoint, [stream]: (checkpoint[stream] ?? 0) + size };
      await tx.importRun.update({ where: { id: run.id }, data: { counts: { ...next }, checkpoint: nextCheckpoint, changeSetId: setId } });
      return { committed, next, rejected: all, setId, touched: w.touchedTypes, nextCheckpoint };
    });
    Object.assign(counts, outcome.next);
    changeSetId = outcome.setId;
    Object.assign(checkpoint, outcome.nextCheckpoint);
    done += size;
    if (rejects !== null) for (const r of outcome.rejected) writeSync(rejects, `${JSON.stringify(r)}\n`);
    // Type-wide entries only: they invalidate every cached read of the type, which covers each
    // entity's, and a million-film run must not hold a million references until it ends.
    for (const typename of outcome.touched) if (!ctx.written.some((w) => w.typename === typename && w.id === undefined)) ctx.written.push({ typename });
    if (outcome.committed) ctx.events.publish(outcome.committed);
    options.onProgress?.(done);
  };

  // One batch in flight: the next is read (and built) while the last one's transaction runs, and
  // waits for it to commit before its own begins.
  let inFlight: Promise<void> = Promise.resolve();
  const send = (stream: string) => {
    if (batchRows === 0) return;
    const [rows, rejected, size] = [batch, batchRejects, batchRows];
    batch = [];
    batchRejects = [];
    batchRows = 0;
    inFlight = inFlight.then(() => flush(stream, rows, rejected, size));
    // Handled when awaited (before the next batch, or at the end): not an unhandled rejection meanwhile.
    inFlight.catch(() => undefined);
  };
  try {
    for (const s of options.streams) {
      const skip = checkpoint[s.name] ?? 0;
      for await (const read of s.rows()) {
        if (read.index < skip) continue;
        let row = read;
        if ('build' in row && buildAhead) {
          const built = row.build();
          row = { ...row, build: () => built };
        }
        if ('reject' in row) batchRejects.push(row.reject);
        else batch.push(row);
        if (++batchRows >= batchSize) {
          await inFlight;
          if (options.signal?.aborted) return { runId: run.id, status: 'INTERRUPTED', changeSetId, counts, resumedFrom };
          send(s.name);
        }
      }
      send(s.name);
    }
    await inFlight;
  } finally {
    // A failed run's batch in flight ends (its error is the one thrown) before the rejects report closes.
    await inFlight.catch(() => undefined);
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
