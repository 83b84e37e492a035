// The embedded database's folder across real server processes (src/db/data-dir.ts): a folder is
// initialised only when empty, a finished set-up leaves a marker, and any other shape of folder
// is refused with one fatal line naming it and the fix, with no file in it changed.
// PGlite only: with DATABASE_URL there is no data folder (the PostgreSQL pass skips this file).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MARKER_FILE, PENDING_FILE } from '../../src/db/data-dir.ts';
import { listing, runToExit } from '../helpers/run-to-exit.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { tsxArgs } from '../helpers/tsx.ts';

const describePglite = process.env.TEST_DATABASE_URL ? describe.skip : describe;
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-data-dir-'));
  temps.push(dir);
  return dir;
};
async function stop(server: ServerProcess): Promise<number | null> {
  server.child.kill('SIGTERM');
  return server.exited;
}

describePglite('the embedded database folder', () => {
  // One fresh start, stopped cleanly: the set-up folder every other test copies.
  let template: string;
  let firstStart: string;

  beforeAll(async () => {
    template = tempDir();
    const server = await startServer({ DATA_DIR: template });
    firstStart = server.output();
    expect(await stop(server)).toBe(0);
  }, 120_000);
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  const copyOfTemplate = () => {
    const dir = tempDir();
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  test('a fresh folder is initialised, migrated and seeded, then marked; the pending note is gone', () => {
    expect(firstStart).toMatch(/"dataDirState":"fresh"/);
    expect(firstStart).toMatch(/seeded empty database/);
    const marker = JSON.parse(readFileSync(path.join(template, MARKER_FILE), 'utf8')) as Record<string, string>;
    expect(Object.keys(marker).sort()).toEqual(['initializedAt', 'pgVersion']);
    expect(marker['pgVersion']).toBe(readFileSync(path.join(template, 'pglite', 'PG_VERSION'), 'utf8').trim());
    expect(existsSync(path.join(template, PENDING_FILE))).toBe(false);
    expect(existsSync(path.join(template, 'cinegraph.lock'))).toBe(false);
  });

  test('a marked folder is reopened as it is: no migration applied, nothing seeded', async () => {
    const dir = copyOfTemplate();
    const server = await startServer({ DATA_DIR: dir });
    expect(server.output()).toMatch(/"dataDirState":"initialized"/);
    expect(server.output()).not.toMatch(/applied migration|seeded empty database/);
    expect(await stop(server)).toBe(0);
  }, 60_000);

  test('a folder without PG_VERSION is refused with one fatal line naming it and the fix, and nothing in it changes', async () => {
    const dir = copyOfTemplate();
    const data = path.join(dir, 'pglite');
    unlinkSync(path.join(data, 'PG_VERSION'));
    const before = listing(dir);
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal.map((l) => l.msg)).toEqual([
      `start-up failed: Refusing to start: the embedded database folder ${data} holds files but no PG_VERSION, so it is not a complete database ` +
        `(an interrupted copy or restore?). Cinegraph will not initialise a new database over it. Restore the folder from a backup, ` +
        `or move it aside (mv ${data} ${data}.broken) to start with a fresh, seeded database.`,
    ]);
    // No initdb ran: every file as it was (the lock came and went).
    expect(listing(dir)).toEqual(before);
  }, 60_000);

  test('a truncated pg_control is refused with a message that says so, not "Aborted()"', async () => {
    const dir = copyOfTemplate();
    const control = path.join(dir, 'pglite', 'global', 'pg_control');
    truncateSync(control, 100);
    const before = listing(dir);
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal).toHaveLength(1);
    expect(result.fatal[0]!.msg).toBe(
      `start-up failed: Refusing to start: ${control} is truncated (100 bytes, expected 8192), so the embedded database in ${path.join(dir, 'pglite')} is damaged. ` +
        `Restore the folder from a backup, or move it aside (mv ${path.join(dir, 'pglite')} ${path.join(dir, 'pglite')}.broken) to start with a fresh, seeded database.`,
    );
    expect(result.output).not.toMatch(/ASSERTIONS/);
    expect(listing(dir)).toEqual(before);
  }, 60_000);

  test('a pg_control of the right size but garbage content is reported as a damaged folder, not "Aborted()"', async () => {
    const dir = copyOfTemplate();
    writeFileSync(path.join(dir, 'pglite', 'global', 'pg_control'), Buffer.alloc(8192, 7));
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal).toHaveLength(1);
    expect(result.fatal[0]!.msg).toMatch(
      new RegExp(
        `^start-up failed: Refusing to start: the embedded database in ${path.join(dir, 'pglite')} could not be opened \\(PGlite: ".+"\\)\\. Its files are damaged`,
      ),
    );
    expect(result.fatal[0]!.msg).not.toMatch(/ASSERTIONS/);
  }, 60_000);

  test('a first start killed before its marker was written is refused on the next start', async () => {
    const dir = tempDir();
    const first = await startServerUntil({ DATA_DIR: dir }, /"msg":"database open"/);
    // The whole group: tsx runs the server in a child process of its own.
    process.kill(-first.pid!, 'SIGKILL');
    await once(first, 'exit');
    expect(existsSync(path.join(dir, PENDING_FILE))).toBe(true);
    expect(existsSync(path.join(dir, MARKER_FILE))).toBe(false);
    const data = path.join(dir, 'pglite');
    const before = listing(data);
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal.map((l) => l.msg)).toEqual([
      `start-up failed: Refusing to start: the embedded database folder ${data} was left by a first start that did not finish ` +
        `(${path.join(dir, PENDING_FILE)} is there, ${path.join(dir, MARKER_FILE)} is not); it never served a request. ` +
        `Delete it or move it aside (mv ${data} ${data}.broken) to start with a fresh, seeded database.`,
    ]);
    expect(listing(data)).toEqual(before);
    // The SIGKILLed process's lock was taken over, and released by the refusing one.
    expect(existsSync(path.join(dir, 'cinegraph.lock'))).toBe(false);
  }, 90_000);

  test('a folder from before markers, with applied migrations, is accepted and marked', async () => {
    const dir = copyOfTemplate();
    unlinkSync(path.join(dir, MARKER_FILE));
    const server = await startServer({ DATA_DIR: dir });
    expect(server.output()).toMatch(/"dataDirState":"adopted"/);
    expect(server.output()).not.toMatch(/seeded empty database/);
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, MARKER_FILE), 'utf8'))).sort()).toEqual(['adoptedAt', 'pgVersion']);
    expect(await stop(server)).toBe(0);
  }, 60_000);

  test('an unmarked folder that never got a migration is refused, and nothing is migrated or seeded in it', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'pglite');
    mkdirSync(data);
    await (await PGlite.create({ dataDir: data })).close(); // initdb only, as an interrupted first start before markers left it
    const relations = Object.keys(listing(path.join(data, 'base'))).filter((f) => /\/\d+$/.test(f));
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal.map((l) => l.msg)).toEqual([
      `start-up failed: Refusing to start: the embedded database folder ${data} has no ${path.join(dir, MARKER_FILE)} and no applied migration, ` +
        `so it is not a database Cinegraph finished setting up. Restore it from a backup, or move it aside (mv ${data} ${data}.broken) to start with a fresh, seeded database.`,
    ]);
    // Opening it to look rewrote PostgreSQL's caches and WAL, but created no table.
    expect(Object.keys(listing(path.join(data, 'base'))).filter((f) => /\/\d+$/.test(f))).toEqual(relations);
    expect(existsSync(path.join(dir, MARKER_FILE))).toBe(false);
  }, 90_000);

  test('a marker beside an empty or missing database folder is refused (DATA_DIR on the wrong volume?)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, MARKER_FILE), '{}\n');
    const result = await runToExit({ DATA_DIR: dir });
    expect(result.code).toBe(1);
    expect(result.fatal[0]?.msg).toMatch(/is empty or missing, but .*cinegraph-initialized\.json records that a database was set up there/);
    expect(existsSync(path.join(dir, 'pglite'))).toBe(false);
  }, 60_000);
});

/** Start the server and resolve with its process once its output matches `pattern`. */
async function startServerUntil(env: Record<string, string>, pattern: RegExp) {
  const { spawn } = await import('node:child_process');
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, tsxArgs('src/index.ts'), {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group of its own, so the test can kill tsx and the server together
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!pattern.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`never matched ${pattern}:\n${output}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}
