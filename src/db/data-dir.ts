import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * What may be done with the embedded database's folder (DATA_DIR/pglite) before PGlite sees it.
 *
 * PGlite runs initdb in any folder without PG_VERSION, even one full of a database's files (an
 * interrupted copy or restore); the app would then migrate and seed it and serve the fresh seed
 * as if nothing had happened. So Cinegraph only lets initdb run in an empty or absent folder,
 * and remembers a finished set-up with a marker file beside it (DATA_DIR/cinegraph-initialized.json),
 * written after the first migrate + seed. Any other shape of folder is refused with a message
 * naming it and the fix; nothing in it is changed.
 */

export const MARKER_FILE = 'cinegraph-initialized.json';
/** Written before initdb in an empty folder, removed when the marker is written: a first start that did not finish. */
export const PENDING_FILE = 'cinegraph-initializing.json';
/** PostgreSQL's control file is one fixed-size block (PG_CONTROL_FILE_SIZE). */
const PG_CONTROL_BYTES = 8192;

export class DataDirError extends Error {
  override name = 'DataDirError';
}

/** fresh: empty or absent, initdb may run; initialized: the marker vouches for it; unmarked: a folder from before markers (checked once open). */
export type DataDirState = 'fresh' | 'initialized' | 'unmarked';

export interface DataDirPaths {
  dir: string;
  data: string;
  marker: string;
  pending: string;
}

export function dataDirPaths(dir: string): DataDirPaths {
  return { dir, data: path.join(dir, 'pglite'), marker: path.join(dir, MARKER_FILE), pending: path.join(dir, PENDING_FILE) };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
  );

const moveAside = (data: string) => `move it aside (mv ${data} ${data}.broken) to start with a fresh, seeded database`;

/** Classify the folder, or throw DataDirError when PGlite must not be let near it. */
export async function inspectDataDir(paths: DataDirPaths): Promise<DataDirState> {
  const { data, marker, pending } = paths;
  const entries = await readdir(data).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  const marked = await exists(marker);
  if (entries.length === 0) {
    if (!marked) return 'fresh';
    throw new DataDirError(
      `Refusing to start: the embedded database folder ${data} is empty or missing, but ${marker} records that a database was set up there. ` +
        `Restore ${data} from a backup (check that DATA_DIR points at the right volume), or delete ${marker} to start with a fresh, seeded database.`,
    );
  }
  if (!marked && (await exists(pending))) {
    throw new DataDirError(
      `Refusing to start: the embedded database folder ${data} was left by a first start that did not finish (${pending} is there, ${marker} is not); ` +
        `it never served a request. Delete it or ${moveAside(data)}.`,
    );
  }
  if (!(await exists(path.join(data, 'PG_VERSION')))) {
    throw new DataDirError(
      `Refusing to start: the embedded database folder ${data} holds files but no PG_VERSION, so it is not a complete database ` +
        `(an interrupted copy or restore?). Cinegraph will not initialise a new database over it. Restore the folder from a backup, or ${moveAside(data)}.`,
    );
  }
  const control = path.join(data, 'global', 'pg_control');
  const size = await stat(control).then(
    (s) => s.size,
    () => undefined,
  );
  if (size !== PG_CONTROL_BYTES) {
    throw new DataDirError(
      `Refusing to start: ${control} is ${size === undefined ? 'missing' : `truncated (${size} bytes, expected ${PG_CONTROL_BYTES})`}, ` +
        `so the embedded database in ${data} is damaged. Restore the folder from a backup, or ${moveAside(data)}.`,
    );
  }
  return marked ? 'initialized' : 'unmarked';
}

/**
 * PGlite reports a database it cannot start on as a bare WebAssembly abort ("Aborted(). Build
 * with -sASSERTIONS for more info.", e.g. a damaged pg_control) or "PGlite failed to initialize
 * properly" (e.g. another PG_VERSION); say what that means for this folder.
 */
export function explainOpenFailure(error: unknown, paths: DataDirPaths): unknown {
  if (!(error instanceof Error) || !/^Aborted\(|failed to initialize properly/.test(error.message)) return error;
  return new DataDirError(
    `Refusing to start: the embedded database in ${paths.data} could not be opened (PGlite: "${error.message.split('.')[0]}"). ` +
      `Its files are damaged or were written by an incompatible PGlite version. Restore the folder from a backup, or ${moveAside(paths.data)}.`,
  );
}

/** Write a small file so that a crash leaves either the old content or the new, never a part. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const folder = await open(path.dirname(file), 'r');
  try {
    await folder.sync(); // the rename itself survives a power loss
  } finally {
    await folder.close();
  }
}

export async function writePending(paths: DataDirPaths): Promise<void> {
  await writeAtomically(paths.pending, JSON.stringify({ startedAt: new Date().toISOString(), pid: process.pid }) + '\n');
}

/** The folder is set up: record it (with PostgreSQL's version) and drop the pending note. */
export async function writeMarker(paths: DataDirPaths, how: 'initialized' | 'adopted'): Promise<void> {
  const pgVersion = (await readFile(path.join(paths.data, 'PG_VERSION'), 'utf8')).trim();
  await writeAtomically(paths.marker, JSON.stringify({ [`${how}At`]: new Date().toISOString(), pgVersion }, null, 2) + '\n');
  await unlink(paths.pending).catch(() => undefined);
}
