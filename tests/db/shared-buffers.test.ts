// The embedded database's buffer cache (src/db/client.ts PGLITE_SHARED_BUFFERS_MB): PGlite
// allocates and zeroes all of it at every open, so its size is a start-up cost; it is set for the
// run (a start parameter), not written into the folder, which keeps PostgreSQL's own default.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, PGLITE_SHARED_BUFFERS_MB, type Database } from '../../src/db/client.ts';
import { directQuery } from '../../src/db/direct.ts';

const describePglite = process.env.TEST_DATABASE_URL ? describe.skip : describe;

async function sharedBuffers(db: Database): Promise<string> {
  const [row] = await directQuery(db.prisma)('SHOW shared_buffers', []);
  return String(row!['shared_buffers']);
}

describePglite('the embedded database buffer cache', () => {
  let work: string;
  beforeAll(() => (work = mkdtempSync(path.join(tmpdir(), 'cinegraph-buffers-'))));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('defaults to PGLITE_SHARED_BUFFERS_MB (in memory here; a folder below, on its reopen)', async () => {
    const db = await openDatabase({ inMemory: true });
    try {
      expect(await sharedBuffers(db)).toBe(`${PGLITE_SHARED_BUFFERS_MB}MB`);
    } finally {
      await db.close();
    }
  }, 60_000);

  test('a folder opened with another size runs with it and keeps its own postgresql.conf', async () => {
    const dataDir = path.join(work, 'data');
    const db = await openDatabase({ dataDir, pgliteSharedBuffersMb: 16 });
    const conf = path.join(dataDir, 'pglite', 'postgresql.conf');
    const written = readFileSync(conf, 'utf8');
    try {
      expect(await sharedBuffers(db)).toBe('16MB');
      // A table twice the cache's size is written and read back whole (pages evicted and re-read).
      const query = directQuery(db.prisma);
      await query(`CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 6) AS filler FROM generate_series(1, 150000) g`, []);
      const [size] = await query(`SELECT pg_table_size('big')::bigint > 32 * 1024 * 1024 AS larger`, []);
      expect(size!['larger']).toBe(true);
      const [sum] = await query(`SELECT count(*)::int AS n, sum(length(filler))::bigint AS chars FROM big`, []);
      expect([sum!['n'], Number(sum!['chars'])]).toEqual([150_000, 150_000 * 192]);
      await query('DROP TABLE big', []);
      await db.markInitialized();
    } finally {
      await db.close();
    }
    expect(readFileSync(conf, 'utf8')).toBe(written);
    expect(written).toMatch(/^shared_buffers = 128MB/m);

    const again = await openDatabase({ dataDir });
    try {
      expect(await sharedBuffers(again)).toBe(`${PGLITE_SHARED_BUFFERS_MB}MB`);
    } finally {
      await again.close();
    }
  }, 60_000);
});
