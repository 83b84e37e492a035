/**
 * The seeded embedded database as one archive, built by `npm run build` beside the bundle, which a
 * start on a new data folder unpacks instead of running initdb, the migrations and the seed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { readMigrations, type MigrationFile } from './migrate.ts';

declare global {
  interface ImportMeta {
    /** The built bundle's folder (scripts/build.mjs sets it); undefined when run from the sources. */
    readonly bundleDirname?: string;
  }
}

const ARCHIVE = 'pglite-template.tar.gz';
const MANIFEST = 'pglite-template.json';

/** What the archive was built from: checked at each use, so a stale archive is never unpacked. */
interface Manifest {
  /** The PGlite package's version: its data folder format follows the PostgreSQL it embeds. */
  pglite: string;
  /** The migrations the archive's ledger holds: each must still be in prisma/migrations, unchanged. */
  migrations: { name: string; checksum: string }[];
  /**
   * The archive's SHA-256: a truncated or damaged archive is not unpacked (PGlite's extraction
   * fails outside any promise a caller could catch, and the process would crash).
   */
  sha256: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The installed PGlite's version, from its package.json (its exports do not list that file). */
function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) {
    if (path.dirname(dir) === dir) throw new Error('the installed @electric-sql/pglite has no package.json');
    dir = path.dirname(dir);
  }
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Why `manifest` does not fit this installation and these migrations, or undefined when it does. */
function mismatch(manifest: Manifest, migrations: MigrationFile[]): string | undefined {
  const version = pgliteVersion();
  if (manifest.pglite !== version) return `built with PGlite ${manifest.pglite}, ${version} is installed`;
  const current = new Map(migrations.map((m) => [m.name, m.checksum]));
  const changed = manifest.migrations.find((m) => current.get(m.name) !== m.checksum);
  if (changed) return `its migration ${changed.name} is ${current.has(changed.name) ? 'changed' : 'missing'} in prisma/migrations`;
  return undefined;
}

/**
 * The archive in `dir` as PGlite's `loadDataDir` takes it, when it was built for the installed
 * PGlite and for migrations still present unchanged (later ones are applied after it as usual);
 * otherwise undefined, with the reason logged, and the folder is initialised as without one.
 */
export async function loadTemplate(dir: string, logger: Logger): Promise<Blob | undefined> {
  const manifestFile = path.join(dir, MANIFEST);
  if (!existsSync(manifestFile)) return undefined;
  const archive = path.join(dir, ARCHIVE);
  let reason: string | undefined;
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    reason = mismatch(manifest, await readMigrations());
    if (!reason) {
      const bytes = await readFile(archive);
      if (sha256(bytes) === manifest.sha256) return new Blob([bytes]);
      reason = `${ARCHIVE} does not match its manifest's SHA-256 (damaged or replaced: npm run build writes both)`;
    }
  } catch (error) {
    reason = `${MANIFEST} or ${ARCHIVE} cannot be read: ${(error as Error).message}`;
  }
  logger.warn({ template: archive }, `seeded database archive not used: ${reason}`);
  return undefined;
}

/** Writes the archive and its manifest into `dir` from `dump`, a migrated and seeded database. */
export async function writeTemplate(dir: string, dump: Blob, migrations: MigrationFile[]): Promise<void> {
  const bytes = Buffer.from(await dump.arrayBuffer());
  const manifest: Manifest = { pglite: pgliteVersion(), migrations: migrations.map(({ name, checksum }) => ({ name, checksum })), sha256: sha256(bytes) };
  await writeFile(path.join(dir, ARCHIVE), bytes);
  await writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}
