// `npm run import -- imdb <folder>` end to end, in child processes against this run's engine (a
// PostgreSQL database of its own, or an embedded database in a temporary folder): the exit code
// when rejects exceed --max-rejects, and a run killed mid-import (SIGKILL: no clean-up at all)
// then started again, which resumes and ends without duplicates, every imported row cited once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateImdb } from '../../bench/imdb-generate.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { ROOT, runProgram } from '../helpers/cli.ts';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
const dir = mkdtempSync(path.join(tmpdir(), 'cg-imdb-cli-'));
const open = (): Promise<Database> => openDatabase(env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'] } : { dataDir: env['DATA_DIR'] });
const FIXTURE = path.join(import.meta.dirname, 'fixtures/imdb');

beforeAll(async () => {
  if (onPostgres) {
    const created = await createPostgresDatabase();
    env = { DATABASE_URL: created.url };
    cleanup = created.drop;
  } else {
    env = { DATABASE_URL: '', DATA_DIR: path.join(dir, 'data') };
    cleanup = async () => undefined;
  }
});
afterAll(async () => {
  await cleanup?.();
  rmSync(dir, { recursive: true, force: true });
});

const importCli = (args: string[]) => runProgram('src/import/cli.ts', ['imdb', ...args], env);

test('rejects are reported with file, line and reason; more than --max-rejects exits 1, a dry run writes nothing', async () => {
  const rejects = path.join(dir, 'fixture-rejects.jsonl');
  const over = await importCli([FIXTURE, '--snapshot', '2026-01-01', '--dry-run', '--max-rejects', '6', '--rejects', rejects]);
  expect(over.stderr).toContain('7 rows rejected, more than --max-rejects 6.');
  expect(over.code).toBe(1);
  expect(over.stdout).toContain('Would import');
  const lines = readFileSync(rejects, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(7);
  expect(JSON.parse(lines[0]!)).toEqual({ file: 'name.basics', line: 5, index: 3, reason: 'nconst "xx12" is not an IMDb name id' });
  const within = await importCli([FIXTURE, '--snapshot', '2026-01-01', '--dry-run', '--max-rejects', '7', '--rejects', rejects]);
  expect(within.code).toBe(0);
  const usage = await importCli([]);
  expect({ code: usage.code, message: usage.stderr.split('\n')[0] }).toEqual({ code: 2, message: 'imdb needs the folder holding the files.' });
});

test('a run killed mid-import resumes on the next start and ends without duplicates', async () => {
  const folder = path.join(dir, 'generated');
  const rows = await generateImdb({ titles: 40, out: folder, seed: 7 });
  const args = [folder, '--snapshot', '1', '--batch-size', '5', '--rejects', path.join(dir, 'generated-rejects.jsonl')];
  // Killed (SIGKILL) once the progress shows 30%: some batches committed, most not.
  const killed = await new Promise<string>((resolve, reject) => {
    // node --import tsx, not the tsx binary: that one runs the program in a child it would outlive.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/import/cli.ts', 'imdb', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes(': 30%')) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve(`${signal}`));
  });
  expect(killed).toBe('SIGKILL');
  const resumed = await importCli(args);
  expect({ code: resumed.code, stderr: resumed.stderr.split('\n').filter((l) => !l.includes('%')) }).toEqual({ code: 0, stderr: [''] });
  expect(resumed.stdout).toMatch(/resumed after row \d+/);
  const again = await importCli(args);
  expect(again.stdout).toContain(' 0 entities created, 0 updated');
  const db = await open();
  try {
    const credits = await db.prisma.credit.groupBy({ by: ['filmId', 'personId', 'kind', 'job', 'character'], _count: true });
    const citations = await db.prisma.citation.groupBy({
      by: ['recordFile', 'recordKey', 'field', 'filmId', 'personId', 'creditId', 'ratingId', 'filmTitleId'],
      where: { recordFile: { not: null } },
      _count: true,
    });
    // Every imported row keeps its record citation across the kill, and none is written twice.
    const uncited = {
      films: await db.prisma.film.count({ where: { citations: { none: {} } } }),
      people: await db.prisma.person.count({ where: { citations: { none: {} } } }),
      ratings: await db.prisma.rating.count({ where: { citations: { none: {} } } }),
      titles: await db.prisma.filmTitle.count({ where: { citations: { none: {} } } }),
      credits: await db.prisma.credit.count({ where: { citations: { none: {} } } }),
    };
    expect({ uncited, duplicateCitations: citations.filter((c) => c._count > 1).length }).toEqual({
      uncited: { films: 0, people: 0, ratings: 0, titles: 0, credits: 0 },
      duplicateCitations: 0,
    });
    expect({
      films: await db.prisma.film.count(),
      people: await db.prisma.person.count(),
      ratings: await db.prisma.rating.count(),
      titles: await db.prisma.filmTitle.count(),
      duplicateCredits: credits.filter((c) => c._count > 1).length,
      runs: await db.prisma.importRun.count(),
      changeSets: await db.prisma.changeSet.count({ where: { kind: 'IMPORT' } }),
    }).toEqual({
      films: rows['title.basics'],
      people: rows['name.basics'],
      ratings: rows['title.ratings'],
      titles: rows['title.akas'],
      duplicateCredits: 0,
      runs: 2,
      changeSets: 1,
    });
  } finally {
    await db.close();
  }
});
