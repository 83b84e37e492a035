// /ready against a database that accepts connections but cannot answer the app's own queries,
// with the real server process: a corrupt page of the films table on PGlite, a films table gone
// on PostgreSQL (whose files the test cannot reach). `SELECT 1` answered both.
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { post, startServer, type ServerProcess } from '../helpers/server-process.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const status = async (base: string, route: string) => (await fetch(`${base}${route}`)).status;
let server: ServerProcess | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  server = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

(onPostgres ? test.skip : test)(
  'PGlite: a corrupt page in the films table turns /ready to 503 while /health stays 200',
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-ready-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    server = await startServer({ DATA_DIR: dir });
    expect(await status(server.base, '/ready')).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // The films table's first page, found as PostgreSQL names it; its header overwritten.
    const probe = await PGlite.create({ dataDir: path.join(dir, 'pglite') });
    const file = (await probe.query<{ p: string }>(`SELECT pg_relation_filepath('"Film"') AS p`)).rows[0]!.p;
    await probe.close();
    const fd = openSync(path.join(dir, 'pglite', file), 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 0);
    closeSync(fd);

    server = await startServer({ DATA_DIR: dir });
    expect(await status(server.base, '/health')).toBe(200);
    expect(await status(server.base, '/ready')).toBe(503);
    // What /ready now reports: the app's own queries on that table fail.
    const films = await post(server.base, '{ films(first: 1) { nodes { title } } }');
    expect(films.body.errors?.map((e) => e.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(
      server
        .logs()
        .some(
          (l) => l['level'] === 40 && /^not ready: the database cannot answer a read of the app's tables: .*invalid page in block 0/.test(String(l['msg'])),
        ),
    ).toBe(true);
  },
  120_000,
);

(onPostgres ? test : test.skip)(
  'PostgreSQL: /ready is 503 while the films table cannot be read, and 200 again once it can',
  async () => {
    const db = await createPostgresDatabase();
    cleanups.push(db.drop);
    server = await startServer({ DATABASE_URL: db.url });
    expect(await status(server.base, '/ready')).toBe(200);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.unshift(() => client.end());
    await client.query('ALTER TABLE "Film" RENAME TO "FilmAway"');
    await sleep(1_100); // past the 1 s a successful probe is reused
    expect(await status(server.base, '/ready')).toBe(503);
    expect(await status(server.base, '/health')).toBe(200);
    await client.query('ALTER TABLE "FilmAway" RENAME TO "Film"');
    // A failure is not reused: the next probe sees the table back.
    expect(await status(server.base, '/ready')).toBe(200);
  },
  120_000,
);
