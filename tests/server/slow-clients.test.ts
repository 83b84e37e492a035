import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { post, startServer, type ServerProcess } from '../helpers/server-process.ts';

// A client that trickles its request (slowloris) holds a connection, and a socket, for as long
// as the server waits for it: Node's defaults waited 300 s for a body and 60 s for headers.
// HTTP_REQUEST_TIMEOUT_MS bounds the whole request; the headers get min(10 s, that).
const TIMEOUT_MS = 2_000;
// Node checks the timeouts once a second (connectionsCheckingInterval): a cut comes 0–1 s after
// the deadline, plus a loaded host's scheduling.
const LATEST_MS = TIMEOUT_MS + 4_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens a raw connection, runs `send` on it, and resolves with what the server wrote and when it closed. */
async function rawClient(base: string, send: (socket: Socket, closed: () => boolean) => Promise<void>) {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  await new Promise((r) => socket.once('connect', r));
  const started = performance.now();
  let received = '';
  let closedAt: number | undefined;
  socket.on('data', (chunk) => (received += chunk));
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closedAt = performance.now() - started;
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  await send(socket, () => closedAt !== undefined);
  await Promise.race([closed, sleep(LATEST_MS + 2_000)]);
  socket.destroy();
  return { received, closedAfterMs: closedAt };
}

const headers = (length: number) => `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe(`slow clients (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let server: ServerProcess;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const env: Record<string, string> = { HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS), RATE_LIMIT_ENABLED: 'false' };
    if (onPostgres) {
      const db = await createPostgresDatabase();
      env['DATABASE_URL'] = db.url;
      cleanup = db.drop;
    } else {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-slow-'));
      env['DATA_DIR'] = dataDir;
      cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
    }
    server = await startServer(env);
  }, 120_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    await cleanup();
  });

  test('a body that stops arriving is answered 408 and its connection closed after the request timeout', async () => {
    const { received, closedAfterMs } = await rawClient(server.base, async (socket) => {
      socket.write(headers(100) + '{"query":');
    });
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(closedAfterMs).toBeLessThan(LATEST_MS);
  });

  test('a body trickled a byte at a time is cut at the same deadline: the timeout bounds the whole request, not the gaps', async () => {
    const { received, closedAfterMs } = await rawClient(server.base, async (socket, closed) => {
      socket.write(headers(1_000));
      for (let i = 0; i < 40 && !closed(); i++) {
        socket.write(' ');
        await sleep(200);
      }
    });
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfterMs).toBeLessThan(LATEST_MS);
  });

  test('headers that never end are cut too', async () => {
    const { closedAfterMs } = await rawClient(server.base, async (socket, closed) => {
      socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
      for (let i = 0; i < 40 && !closed(); i++) {
        socket.write(`X-Slow-${i}: 1\r\n`);
        await sleep(200);
      }
    });
    expect(closedAfterMs).toBeLessThan(LATEST_MS);
  });

  test('requests that arrive in time are served meanwhile', async () => {
    const answer = await post(server.base, '{ film(slug: "her") { title } }');
    expect([answer.status, answer.body]).toEqual([200, { data: { film: { title: 'Her' } }, extensions: expect.anything() }]);
  });
});
