// The seeded database archive the build writes beside the bundle (src/db/template.ts): a new
// folder unpacked from it holds the seeded catalogue and is an ordinary folder afterwards; an
// archive built for another PGlite or for migrations since changed is not used.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/client.ts';
import { readMigrations } from '../../src/db/migrate.ts';
import { loadTemplate, writeTemplate } from '../../src/db/template.ts';
import type { Logger } from '../../src/logger.ts';
import { createTestDatabase, onPostgres } from '../helpers/db.ts';

let work: string;
const logged: string[] = [];
const logger = { warn: (_: unknown, message: string) => logged.push(message) } as unknown as Logger;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'cinegraph-template-'));
  logged.length = 0;
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

(onPostgres ? test.skip : test)(
  'a fresh folder is unpacked from the archive with the seeded catalogue; a set-up folder never asks for it',
  async () => {
    const source = await createTestDatabase();
    const films = await source.prisma.film.count();
    const citations = await source.prisma.citation.count();
    expect(films).toBeGreaterThan(0);
    await writeTemplate(work, await source.dumpDataDir!('gzip'), await readMigrations());
    await source.close();

    const dataDir = path.join(work, 'data');
    let asked = 0;
    const freshFrom = () => {
      asked++;
      return loadTemplate(work, logger);
    };
    const db = await openDatabase({ dataDir, freshFrom });
    expect([asked, db.dataDirState, db.unpacked]).toEqual([1, 'fresh', true]);
    expect([await db.prisma.film.count(), await db.prisma.citation.count()]).toEqual([films, citations]);
    await db.markInitialized();
    await db.close();

    const again = await openDatabase({ dataDir, freshFrom });
    expect([asked, again.dataDirState, again.unpacked]).toEqual([1, 'initialized', undefined]);
    expect(await again.prisma.film.count()).toBe(films);
    await again.close();
    expect(logged).toEqual([]);
  },
  120_000,
);

test('an archive built for another PGlite, for a migration since changed or removed, damaged, or with an unreadable manifest is not used, and the reason is logged', async () => {
  const migrations = await readMigrations();
  await writeTemplate(work, new Blob(['not read unless used']), migrations);
  const manifestFile = path.join(work, 'pglite-template.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { pglite: string; migrations: { name: string; checksum: string }[]; sha256: string };
  expect(manifest.migrations.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
  expect(await (await loadTemplate(work, logger))!.text()).toBe('not read unless used');

  const variants: [string, typeof manifest, RegExp][] = [
    ['pglite', { ...manifest, pglite: '0.0.1' }, /built with PGlite 0\.0\.1, \d+\.\d+\.\d+ is installed/],
    [
      'changed',
      { ...manifest, migrations: manifest.migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m)) },
      new RegExp(`its migration ${migrations[0]!.name} is changed in prisma/migrations`),
    ],
    ['missing', { ...manifest, migrations: [...manifest.migrations, { name: '29991231000000_later', checksum: 'x' }] }, /29991231000000_later is missing/],
  ];
  for (const [name, edited, reason] of variants) {
    writeFileSync(manifestFile, JSON.stringify(edited));
    logged.length = 0;
    expect([name, await loadTemplate(work, logger)]).toEqual([name, undefined]);
    expect(logged).toEqual([expect.stringMatching(reason)]);
  }

  // Damaged (here truncated): unpacking it would crash PGlite's extraction, so it is not tried.
  writeFileSync(manifestFile, JSON.stringify(manifest));
  writeFileSync(path.join(work, 'pglite-template.tar.gz'), 'not read unless');
  logged.length = 0;
  expect(await loadTemplate(work, logger)).toBeUndefined();
  expect(logged).toEqual([expect.stringMatching(/pglite-template\.tar\.gz does not match its manifest's SHA-256/)]);
  writeFileSync(manifestFile, '{ "pglite": ');
  logged.length = 0;
  expect(await loadTemplate(work, logger)).toBeUndefined();
  expect(logged).toEqual([expect.stringMatching(/pglite-template\.json or pglite-template\.tar\.gz cannot be read: .*JSON/)]);

  // A build without an archive (or the sources under tsx): nothing to use, nothing to say.
  rmSync(manifestFile);
  logged.length = 0;
  expect(await loadTemplate(work, logger)).toBeUndefined();
  expect(logged).toEqual([]);
});
