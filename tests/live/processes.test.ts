import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { redisSkipReason, TEST_REDIS_URL } from '../helpers/redis.ts';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { openSse } from '../helpers/sse.ts';

const ADMIN_TOKEN = 'live-test-admin-token-0123456789';
const FILM_IDS = 'query { films(first: 1) { nodes { id version } } }';
const UPDATE = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { version } userErrors { code } } }';

async function graphql(base: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data: any; errors?: unknown[] };
}

// Only what a real deployment does: separate processes, one database, the transport between them.
// No polling (LIVE_POLL_SECONDS=0), so only the transport can carry the write across.
const transports = onPostgres ? (redisSkipReason ? (['postgres'] as const) : (['postgres', 'redis'] as const)) : (['process'] as const);

describe.each(transports)('live updates between server processes (%s)', (transport) => {
  const servers: ServerProcess[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const unique = `${process.pid}_${randomBytes(3).toString('hex')}`;
    env = { ADMIN_TOKEN, LIVE_POLL_SECONDS: '0', RATE_LIMIT_ENABLED: 'false', RESPONSE_CACHE: 'false', LIVE_CHANNEL: `cinegraph_test_${unique}` };
    if (onPostgres) {
      const db = await createPostgresDatabase();
      env['DATABASE_URL'] = db.url;
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-live-'));
      env['DATA_DIR'] = dir;
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    if (transport === 'redis') Object.assign(env, { REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_KEY_PREFIX: `cinegraph-test:${unique}:rl` });
    // The first migrates and seeds; the second finds the database ready. Embedded: one process owns the folder.
    servers.push(await startServer(env));
    if (onPostgres) servers.push(await startServer(env));
  });
  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await cleanup();
  });

  test(`a write sent to one process reaches a subscriber on ${onPostgres ? 'the other' : 'it'}, then SIGTERM ends the stream with complete`, async () => {
    const writer = servers[0]!;
    const listener = servers.at(-1)!;
    expect(listener.logs().find((l) => l['msg'] === 'Cinegraph listening')).toMatchObject({ live: transport });
    const film = (await graphql(writer.base, FILM_IDS)).data.films.nodes[0] as { id: string; version: number };
    const reader = await openSse(fetch, `${listener.base}/graphql`, {
      query: 'subscription ($id: ID!) { filmChanged(id: $id) { cursor revision { action changes { field after } } } }',
      variables: { id: film.id },
    });
    expect(reader.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    const result = await graphql(writer.base, UPDATE, { input: { id: film.id, version: film.version, runtimeMinutes: 77, note: 'across processes' } });
    expect(result.data.updateFilm.userErrors).toEqual([]);
    await reader.waitFor(1, 20_000);
    expect(reader.payloads()[0].data.filmChanged.revision).toEqual({ action: 'UPDATE', changes: [{ field: 'runtimeMinutes', after: 77 }] });
    expect(reader.events[0]!.id).toBe(reader.payloads()[0].data.filmChanged.cursor);

    listener.child.kill('SIGTERM');
    await reader.ended;
    expect(reader.events.map((e) => e.event)).toEqual(['next', 'complete']);
    expect(await listener.exited).toBe(0);
    expect(listener.logs().find((l) => l['msg'] === 'live subscriptions ended')).toMatchObject({ streams: 1 });
  });
});
