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
    const env: Record<string, string> = onPostgres
      ? { DATABASE_URL: 'postgres://postgres@10.255.255.1:5432/none', DB_CONNECT_TIMEOUT_MS: '20000' }
      : { DATA_DIR: dir };
    const result = await runToExit({ ...env, PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.lines).toHaveLength(1);
    expect(JSON.parse(result.lines[0]!)).toMatchObject({
      level: 60,
      msg: `start-up failed: port ${port} is already in use on 127.0.0.1: stop the process using it or set PORT to a free port`,
    });
    expect(result.ms).toBeLessThan(8_000); // mostly tsx compiling; before, a fresh folder migrated and seeded first (~14 s)
    expect(readdirSync(dir)).toEqual([]); // no lock, no database folder
    expect(existsSync(path.join(dir, 'cinegraph.lock'))).toBe(false);
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
