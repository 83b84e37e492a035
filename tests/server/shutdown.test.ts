import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { post, startServer, type ServerProcess } from '../helpers/server-process.ts';

const DRAIN_MS = 1_000;
const GRACE_MS = 8_000;
const QUERY = '{ film(slug: "her") { title directors { name } } }';
const EXPECTED = { data: { film: { title: 'Her', directors: [{ name: 'Spike Jonze' }] } } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A request whose body arrives in two parts: the server holds it in flight until `finish()`
 * sends the rest, like a slow client upload. Engine-independent, and the delay is exact.
 */
function slowRequest(base: string, query: string) {
  const body = Buffer.from(JSON.stringify({ query }));
  const url = new URL('/graphql', base);
  const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } });
  const response = new Promise<{ status: number; body: { data?: unknown }; at: number }>((resolve, reject) => {
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), at: performance.now() }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, 10));
  return { finish: () => req.end(body.subarray(10)), response };
}

describe(`SIGTERM under load (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  let server: ServerProcess | undefined;
  let cleanup: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    let env: Record<string, string>;
    if (onPostgres) {
      const db = await createPostgresDatabase();
      env = { DATABASE_URL: db.url };
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-shutdown-'));
      env = { DATA_DIR: dir };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    }
    server = await startServer({ ...env, SHUTDOWN_DRAIN_MS: String(DRAIN_MS), SHUTDOWN_GRACE_MS: String(GRACE_MS), RESPONSE_CACHE: 'false' });
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await cleanup();
  });

  test('finishes in-flight requests, turns /ready to 503, refuses new connections, closes idle keep-alives, exits 0', async () => {
    const { base, child } = server!;
    // An idle keep-alive connection, as browsers and proxies hold them.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let keptAliveClosedAt: number | undefined;
    await new Promise<void>((resolve, reject) => {
      const req = request(new URL('/health', base), { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('socket', (socket: Socket) => socket.once('close', () => (keptAliveClosedAt = performance.now())));
      req.on('error', reject);
      req.end();
    });

    const slow = [slowRequest(base, QUERY), slowRequest(base, QUERY), slowRequest(base, QUERY)];
    await sleep(300);
    const signalledAt = performance.now();
    child.kill('SIGTERM');

    // The child handles the signal on its next event-loop turn, which on a loaded machine can
    // take longer than any fixed delay: wait for its log line instead.
    const draining = () => server!.logs().some((l) => l['msg'] === 'shutting down: /ready answers 503');
    while (!draining() && performance.now() - signalledAt < 2_000) await sleep(10);
    const drainingSince = performance.now();

    // Draining: load balancers see /ready 503, yet requests still routed here are served.
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    const duringDrain = await post(base, QUERY);
    expect(duringDrain.status).toBe(200);
    expect(duringDrain.body.data).toEqual(EXPECTED.data);

    expect(performance.now() - drainingSince).toBeLessThan(DRAIN_MS);

    // Closing: the listener is gone, idle keep-alive connections are closed, in-flight ones stay.
    await sleep(DRAIN_MS + 300 - (performance.now() - drainingSince));
    const refused = await post(base, QUERY, 2_000);
    expect(refused.status).toBe(0);
    expect(String(refused.body.errors?.[0]?.message)).toMatch(/fetch failed|ECONNREFUSED/);
    expect(keptAliveClosedAt).toBeDefined();
    expect(child.exitCode).toBeNull();

    const finishedAt = performance.now();
    for (const s of slow) s.finish();
    const responses = await Promise.all(slow.map((s) => s.response));
    for (const r of responses) {
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual(EXPECTED.data);
    }
    const code = await server!.exited;
    const exitedAt = performance.now();
    expect(code).toBe(0);
    expect(exitedAt - signalledAt).toBeLessThan(GRACE_MS);

    const steps = server!.logs().map((l) => l['msg']);
    expect(steps).toEqual(
      expect.arrayContaining(['shutting down: /ready answers 503', 'http server closed: in-flight requests done', 'database closed', 'shutdown complete']),
    );
    const ms = (name: string) => server!.logs().find((l) => l['msg'] === name)?.['ms'];
    console.info(
      `shutdown (${onPostgres ? 'postgres' : 'pglite'}): drain ${DRAIN_MS} ms; idle keep-alive closed ${Math.round(keptAliveClosedAt! - signalledAt)} ms after SIGTERM; ` +
        `in-flight requests released at +${Math.round(finishedAt - signalledAt)} ms and answered 200 by +${Math.round(Math.max(...responses.map((r) => r.at)) - signalledAt)} ms; ` +
        `server log: listener closed +${ms('http server closed: in-flight requests done')} ms, database closed +${ms('database closed')} ms, done +${ms('shutdown complete')} ms; ` +
        `process exit 0 at +${Math.round(exitedAt - signalledAt)} ms (grace ${GRACE_MS} ms)`,
    );
    agent.destroy();
  });
});
