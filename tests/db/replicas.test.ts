// Read replicas (src/db/replicas.ts) against a real primary and streaming replica that this test
// starts itself: initdb + pg_ctl for the primary, pg_basebackup -R for the replica, in temporary
// folders on free ports, as the postgres user when run as root. Which server answered is seen in
// the data: the replica's replay is paused, then the primary's copy of a film is changed, so the
// two answer the same query differently.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { seed } from '../../seed/seed.ts';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { migrateDatabase } from '../../src/db/task.ts';
import { createLogger } from '../../src/logger.ts';
import { createCinegraphYoga, type CinegraphYoga } from '../../src/yoga.ts';
import { freePort } from '../helpers/private-postgres.ts';

const BIN =
  process.env['PG_BIN_DIR'] ??
  (existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
        .find((dir) => existsSync(path.join(dir, 'pg_basebackup')))
    : undefined);
const asRoot = process.getuid?.() === 0;
const unavailable = !BIN
  ? 'no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin; set PG_BIN_DIR'
  : asRoot && spawnSync('id', ['-u', 'postgres']).status !== 0
    ? 'running as root and there is no postgres user to run initdb as'
    : undefined;
if (unavailable) console.warn(`SKIPPED tests/db/replicas.test.ts: ${unavailable}`);

/** A PostgreSQL binary, as the postgres user when this process is root (initdb refuses root). */
function run(binary: string, args: string[]) {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(BIN!, binary), ...args]] : [path.join(BIN!, binary), args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const ADMIN = 'replica-test-admin-token-0123456789';
const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-replicas-'));
const primaryDir = path.join(dir, 'primary');
const replicaDir = path.join(dir, 'replica');
let ports: { primary: number; replica: number };
let db: Database;
let yoga: CinegraphYoga;
let admin: pg.Client;
const url = (port: number, database = 'cinegraph') => `postgres://postgres@127.0.0.1:${port}/${database}`;
const pgCtl = (data: string, port: number, action: 'start' | 'stop') =>
  run(
    'pg_ctl',
    action === 'start'
      ? ['-D', data, '-w', '-l', `${data}.log`, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']
      : ['-D', data, '-w', '-m', 'fast', 'stop'],
  );
/** SQL on the replica as a superuser (pausing and resuming its replay). */
async function onReplica(sql: string) {
  const client = new pg.Client({ connectionString: url(ports.replica) });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (unavailable) return;
  if (asRoot)
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
  ports = { primary: await freePort(), replica: await freePort() };
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  pgCtl(primaryDir, ports.primary, 'start');
  admin = new pg.Client({ connectionString: url(ports.primary, 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE cinegraph');
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(ports.primary), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream', '--no-sync']);
  pgCtl(replicaDir, ports.replica, 'start');

  db = await openDatabase({
    databaseUrl: url(ports.primary),
    pool: { max: 4 },
    // A long check interval: the test runs each check itself (db.replicas.pool.check()).
    replicas: { urls: [url(ports.replica)], maxLagMs: 300, checkMs: 600_000, readAfterWriteMs: 60_000 },
  });
  const logger = createLogger('silent');
  await migrateDatabase(db, logger);
  await seed(db.prisma);
  yoga = createCinegraphYoga({ prisma: db.prisma, logger, adminToken: ADMIN, readRouting: db.replicas!.routing, guard: { RATE_LIMIT_ENABLED: false } });
}, 180_000);

afterAll(async () => {
  if (unavailable) return;
  await db?.close();
  await admin?.end();
  for (const data of [replicaDir, primaryDir]) {
    try {
      pgCtl(data, 0, 'stop');
    } catch {
      // already stopped, or never started
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function title(token?: string): Promise<unknown> {
  const response = await yoga.fetch('http://replicas.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: '{ film(slug: "her") { title } }' }),
  });
  const body = (await response.json()) as { data?: { film: { title: string } | null }; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data?.film?.title;
}

/** Until the replica has replayed everything the primary wrote (replay resumed). */
async function caughtUp() {
  const [{ lsn }] = (await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows as [{ lsn: string }];
  for (let i = 0; i < 200; i++) {
    const [row] = (await onReplica(`SELECT pg_wal_lsn_diff('${lsn}', pg_last_wal_replay_lsn()) <= 0 AS done`)) as [{ done: boolean }];
    if (row.done) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the replica did not catch up');
}

/** Changes the film's title on the primary, behind the API's back. */
async function retitle(to: string) {
  const client = new pg.Client({ connectionString: url(ports.primary) });
  await client.connect();
  try {
    await client.query(`UPDATE "Film" SET title = $1 WHERE slug = 'her'`, [to]);
  } finally {
    await client.end();
  }
}

(unavailable ? describe.skip : describe)('read replicas (a primary and a streaming replica started by the test)', () => {
  beforeEach(async () => {
    await onReplica('SELECT pg_wal_replay_resume()');
    await retitle('Her');
    await caughtUp();
    await db.replicas!.pool.check();
  });

  test('a query is answered by the replica: with its replay paused, it still shows the old title', async () => {
    expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: true })]);
    await onReplica('SELECT pg_wal_replay_pause()');
    await retitle('Her (primary only)');
    expect(await title()).toBe('Her');
    // The primary has the new one: the replica really answered.
    await onReplica('SELECT pg_wal_replay_resume()');
    await caughtUp();
    expect(await title()).toBe('Her (primary only)');
  });

  test('after a mutation, the same client reads from the primary while anonymous reads stay on the replica', async () => {
    await onReplica('SELECT pg_wal_replay_pause()');
    await retitle('Her (written)');
    expect(await title(ADMIN)).toBe('Her');
    const created = await yoga.fetch('http://replicas.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ query: 'mutation { createApiKey(input: { name: "replica-reader", scopes: [READ] }) { token userErrors { code } } }' }),
    });
    expect(((await created.json()) as { data: { createApiKey: { token: string | null } } }).data.createApiKey.token).toMatch(/\S/);
    // The writer now reads the primary (its own write, and everything before it)…
    expect(await title(ADMIN)).toBe('Her (written)');
    // …while everyone else still reads the paused replica.
    expect(await title()).toBe('Her');
  });

  test('a replica that lags beyond the bound leaves the rotation (reads go to the primary) and rejoins once caught up', async () => {
    await onReplica('SELECT pg_wal_replay_pause()');
    await retitle('Her (lagged)');
    await new Promise((r) => setTimeout(r, 400));
    await db.replicas!.pool.check();
    expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: false, reason: expect.stringMatching(/^lagging: \d+ bytes behind/) })]);
    expect(await title()).toBe('Her (lagged)');

    await onReplica('SELECT pg_wal_replay_resume()');
    await caughtUp();
    await db.replicas!.pool.check();
    expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: true, reason: 'caught up' })]);
  });

  test('a replica that stops fails no request: the statement runs on the primary, the replica leaves the rotation and rejoins when back', async () => {
    await retitle('Her (replica down)');
    await caughtUp();
    pgCtl(replicaDir, ports.replica, 'stop');
    try {
      // Still in rotation (no check since): the statement fails on the replica and is retried on the primary.
      expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: true })]);
      expect(await title()).toBe('Her (replica down)');
      expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: false, reason: expect.stringMatching(/^failed: /) })]);
      expect(await title()).toBe('Her (replica down)');
    } finally {
      pgCtl(replicaDir, ports.replica, 'start');
    }
    await caughtUp();
    await db.replicas!.pool.check();
    expect(db.replicas!.pool.state()).toEqual([expect.objectContaining({ inRotation: true })]);
  });
});
