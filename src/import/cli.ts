// `npm run import -- movies-json [file] | imdb <folder>  [--snapshot <v>] [--dry-run] [--prefer incoming] [--max-rejects N] [--rejects <file>] [--max-year YYYY]`:
// load a dataset into the configured database (DATABASE_URL, or the embedded one in DATA_DIR),
// every value cited to its record (docs/importing.md). Exit 1 when the rejects exceed --max-rejects.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { loadConfigOrExit } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openDatabaseForTool } from '../db/for-tools.ts';
import { filmRecordApplier } from './apply.ts';
import { IMDB_DATASET, imdbApplier, imdbStreams } from './imdb/imdb.ts';
import { countMoviesJson, defaultMoviesJson, MOVIES_JSON_DATASET, moviesJsonStreams } from './movies-json.ts';
import { createProgress } from './progress.ts';
import { importContext, runImport, type DatasetInfo, type ImportOptions } from './run.ts';

const USAGE = `Usage:
  npm run import -- movies-json [file] [options]   (default file: vega-datasets' data/movies.json)
  npm run import -- imdb <folder> [options]        (IMDb's name.basics, title.basics, title.akas, title.ratings,
                                                    title.crew, title.principals: .tsv or .tsv.gz)
Options:
  --snapshot <version|date>   the dataset snapshot (default: the vega-datasets version for its file, else the file's
                              or folder's name)
  --dry-run                   report what would change, write nothing
  --prefer incoming           overwrite values backed by other sources instead of recording conflicts
  --max-rejects <n>           exit 1 when more rows than this are rejected (default 100)
  --rejects <file>            the rejects report, JSON lines (default: import-rejects.jsonl)
  --max-year <yyyy>           later release (start) years are rejected as misread (default: this year)
  --batch-size <n>            rows per transaction (default: 200 for movies-json, 5000 for imdb)
See docs/importing.md.`;

class UsageError extends Error {}

/**
 * IMDb rows per batch: a batch's cost is mostly its rows (a few statements whatever its size), but
 * each batch adds its commit and reads, so 1,000 → 5,000 took a 5,000-title first import from 25.5 s
 * to 23.4 s and its re-import from 5.0 s to 3.5 s (docs/importing.md#speed); memory holds one batch.
 */
const IMDB_BATCH = 5000;
/** The server's 5 s statement limit is for requests; a 5,000-row INSERT on a loaded server may take longer. */
const IMPORT_STATEMENT_TIMEOUT_MS = 600_000;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      snapshot: { type: 'string' },
      'dry-run': { type: 'boolean' },
      prefer: { type: 'string' },
      'max-rejects': { type: 'string' },
      rejects: { type: 'string' },
      'max-year': { type: 'string' },
      'batch-size': { type: 'string' },
    },
  });
  const [format, file, ...extra] = positionals;
  if (format !== 'movies-json' && format !== 'imdb') throw new UsageError(format ? `Unknown format "${format}".` : 'No format given.');
  if (extra.length) throw new UsageError(`Give at most one ${format === 'imdb' ? 'folder' : 'file'}.`);
  if (format === 'imdb' && file === undefined) throw new UsageError('imdb needs the folder holding the files.');
  if (values.prefer !== undefined && values.prefer !== 'incoming' && values.prefer !== 'current')
    throw new UsageError('--prefer takes "incoming" or "current".');
  const int = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number.`);
    return Number(value);
  };
  return {
    format,
    file,
    snapshot: values.snapshot,
    dryRun: values['dry-run'] ?? false,
    preferIncoming: values.prefer === 'incoming',
    maxRejects: int('max-rejects', values['max-rejects'], 100),
    rejects: values.rejects ?? 'import-rejects.jsonl',
    maxYear: int('max-year', values['max-year'], new Date().getUTCFullYear()),
    batchSize: Math.max(1, int('batch-size', values['batch-size'], format === 'imdb' ? IMDB_BATCH : 200)),
  };
}

type Plan = { what: string; options: Pick<ImportOptions<never>, 'format' | 'streams' | 'applier' | 'total'> & { info: DatasetInfo } };

/** What to read: the streams, their applier, the snapshot. */
async function planOf(command: ReturnType<typeof parse>): Promise<Plan> {
  if (command.format === 'imdb') {
    const folder = command.file!;
    const { streams, total } = await imdbStreams(folder, command.maxYear);
    const snapshot = command.snapshot ?? path.basename(path.resolve(folder));
    return {
      what: folder,
      options: { format: 'imdb', info: { ...IMDB_DATASET, snapshot }, streams, applier: imdbApplier, total } as unknown as Plan['options'],
    };
  }
  const bundled = defaultMoviesJson();
  const file = command.file ?? bundled.file;
  const snapshot = command.snapshot ?? (command.file === undefined ? bundled.version : path.basename(file));
  return {
    what: file,
    options: {
      format: 'movies-json',
      info: { ...MOVIES_JSON_DATASET, snapshot },
      streams: moviesJsonStreams(file, command.maxYear),
      applier: filmRecordApplier,
      total: countMoviesJson(file),
    } as unknown as Plan['options'],
  };
}

const config = loadConfigOrExit();
/**
 * V8's baseline WebAssembly compiler only. V8's optimizing tier recompiled the hot functions of
 * Prisma's query compiler in the background while the import's main thread waited. With it, a
 * re-import of an unchanged 5,000-title snapshot on PostgreSQL took 2.15–2.44 s and 179–214 MB;
 * without it, 1.65–1.85 s and 148–157 MB. On the embedded database (where PostgreSQL itself is
 * WebAssembly) a re-import of movies.json took 3.26 s and 320 MB against 2.26–2.32 s and 237 MB,
 * and a first import was as fast, in 671–675 MB rather than 752–781 (docs/importing.md#speed).
 * Set before anything is compiled (Prisma compiles its query compiler on the first query).
 */
setFlagsFromString('--liftoff-only');
let db: Database | undefined;
const controller = new AbortController();
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  console.error('\nStopping after the current batch (again to quit now); run the same command to resume.');
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
try {
  const command = parse(process.argv.slice(2));
  const plan = await planOf(command);
  db = await openDatabaseForTool(config, { statementTimeoutMs: IMPORT_STATEMENT_TIMEOUT_MS });
  // Migrated is complete: from here a killed import leaves committed batches and a checkpoint
  // (resumed by the next run), not a half-created database the next start must refuse.
  await db.markInitialized();
  const ctx = importContext(db.prisma);
  const { snapshot } = plan.options.info;
  const progress = createProgress(plan.options.total, `${command.format} ${snapshot}`);
  const file = plan.what;
  const result = await runImport(ctx, {
    ...plan.options,
    rejectsFile: command.rejects,
    preferIncoming: command.preferIncoming,
    dryRun: command.dryRun,
    batchSize: command.batchSize,
    signal: controller.signal,
    onProgress: (done) => progress.update(done),
  } as ImportOptions<unknown>);
  progress.stop();
  const c = result.counts;
  const verb = result.status === 'DRY_RUN' ? 'Would import' : result.status === 'INTERRUPTED' ? 'Interrupted' : 'Imported';
  console.log(
    `${verb} ${file} (snapshot ${snapshot}${result.resumedFrom ? `, resumed after row ${result.resumedFrom}` : ''}): ` +
      `${c.created} ${command.format === 'imdb' ? 'entities' : 'films'} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.conflicts} conflicts, ${c.stale} stale values, ${c.rejected} rejected` +
      (result.changeSetId ? ` (change set ${result.changeSetId})` : '') +
      (c.rejected ? `; rejects in ${command.rejects}` : ''),
  );
  if (result.status === 'INTERRUPTED') process.exitCode = 130;
  else if (c.rejected > command.maxRejects) {
    console.error(`${c.rejected} rows rejected, more than --max-rejects ${command.maxRejects}.`);
    process.exitCode = 1;
  }
} catch (error) {
  const usage =
    error instanceof UsageError || Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) || (error as { code?: string }).code === 'ENOENT';
  console.error(usage ? `${(error as Error).message}\n\n${USAGE}` : `import: ${(error as Error).message}`);
  process.exitCode = usage ? 2 : 1;
} finally {
  await db?.close();
}
