// Start-up failures that must be quick and plain, over the real server process.
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onPostgres } from '../helpers/db.ts';
import { runToExit } from '../helpers/run-to-exit.ts';

test('with the port already in use it exits 1 within seconds, with one line, before opening the database, leaving no lock', async () => {
  const taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  const port = (taken.address() as { port: number }).port;
  const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-port-'));
  try {
    // A database that would take long to reach: the port is checked first, so it is never tried.
    // Reaching it would take DB_CONNECT_TIMEOUT_MS; exiting well inside that proves it was not tried.
    const env: Record<string, string> = onPostgres
      ? { DATABASE_URL: 'postgres://postgres@10.255.255.1:5432/none', DB_CONNECT_TIMEOUT_MS: '120000' }
      : { DATA_DIR: dir };
    const result = await runToExit({ ...env, PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(JSON.parse(result.lines[0]!)).toMatchObject({
      level: 60,
      msg: `start-up failed: port ${port} is already in use on 127.0.0.1: stop the process using it or set PORT to a free port`,
    });
    // Not a speed target (tsx compiling dominates, ~3 s on a quiet host, 11 s seen on a loaded CI
    // host): on PostgreSQL the bound is far below the connect timeout above, and on PGlite the empty
    // folder below shows the database was never opened.
    expect(result.ms).toBeLessThan(60_000);
    expect(readdirSync(dir)).toEqual([]); // no lock, no database folder
    expect(existsSync(path.join(dir, 'cinegraph.lock'))).toBe(false);
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
