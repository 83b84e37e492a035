import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientError, GraphQLClient, gql } from 'graphql-request';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createCinegraphYoga } from '../../src/yoga.ts';
import { createPostgresDatabase, createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';
import { createClient } from '../helpers/graphql.ts';
import { tsxArgs } from '../helpers/tsx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The first fatal (level 60) JSON log line a process printed. */
function fatalLine(output: string): { msg: string } | undefined {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: number; msg: string })
    .find((l) => l.level === 60);
}

describe('over real HTTP', () => {
  let db: TestDatabase;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = createServer(createClient(db).yoga);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await db?.close();
  });

  test('graphql-request, a real GraphQL client, reads a film and gets coded errors', async () => {
    const client = new GraphQLClient(`${base}/graphql`);
    const data = await client.request<{ film: { title: string; directors: { name: string }[] } }>(
      gql`
        query Film($slug: String!) {
          film(slug: $slug) {
            title
            directors {
              name
            }
          }
        }
      `,
      { slug: 'her' },
    );
    expect(data.film).toEqual({ title: 'Her', directors: [{ name: 'Spike Jonze' }] });
    const failure = await client
      .request(gql`
        {
          films(first: 1000) {
            totalCount
          }
        }
      `)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ClientError);
    expect((failure as ClientError).response.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  test('GET queries work for cacheable reads', async () => {
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent('{ film(slug: "her") { title } }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    // `extensions` (cost, rate limit) is on every response; tests/plugins/cost/cost.test.ts covers it.
    expect(((await response.json()) as { data: unknown }).data).toEqual({ film: { title: 'Her' } });
  });

  test('/health answers while the process is up and /ready while the database answers', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  test.each([
    ['malformed JSON', 'application/json', '{"query": "{ films { totalCount }'],
    ['a body without a query', 'application/json', '{"variables": {}}'],
    ['a query that is not a string', 'application/json', '{"query": 42}'],
    ['variables that are not an object', 'application/json', '{"query": "{ __typename }", "variables": [1]}'],
  ])('%s gets a GraphQL error body and no 5xx', async (_name, contentType, body) => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
    // 400 for unparseable requests; a JSON request without a query answers 200 + errors,
    // as GraphQL-over-HTTP prescribes for `application/json` responses.
    expect(response.status).toBeLessThan(500);
    const json = (await response.json()) as { errors: { message: string }[] };
    expect(json.errors.length).toBeGreaterThan(0);
  });
});

describe('an unexpected failure', () => {
  test('is masked for the client (no internals) and logged with its cause', async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const yoga = createCinegraphYoga({ prisma: db.prisma, logger });
    await db.close(); // the database goes away under the running API
    const response = await yoga.fetch('http://cinegraph.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ film(slug: "her") { title } }' }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.message).toBe('Unexpected error.');
    expect(body.errors[0]!.extensions['code']).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(body)).not.toMatch(/prisma|stack|pglite|postgres/i);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, err: expect.objectContaining({ stack: expect.any(String) }) });
  });
});

describe('configuration', () => {
  test('every limit has its documented default', () => {
    expect(loadConfig({})).toMatchObject({
      MAX_DEPTH: 10,
      MAX_ALIASES: 30,
      MAX_TOKENS: 2000,
      MAX_DIRECTIVES: 20,
      MAX_DOCUMENT_BYTES: 20_000,
      MAX_BODY_BYTES: 100_000,
      MAX_COST: 5000,
      RATE_LIMIT_ENABLED: true,
      RATE_LIMIT_POINTS: 50_000,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_KEY_PREFIX: 'cinegraph:rl',
      TRUST_PROXY: 0,
      APQ_CACHE_SIZE: 1000,
    });
    expect(loadConfig({}).REDIS_URL).toBeUndefined();
    expect(loadConfig({}).TRUSTED_DOCUMENTS).toBeUndefined();
  });

  test.each([
    ['MAX_TOKENS', '5', /MAX_TOKENS: must be an integer between 10 and 100000/],
    ['MAX_DOCUMENT_BYTES', '1.5', /MAX_DOCUMENT_BYTES: must be an integer/],
    ['RATE_LIMIT_WINDOW_SECONDS', '0', /RATE_LIMIT_WINDOW_SECONDS: must be an integer between 1 and 86400/],
    ['APQ_CACHE_SIZE', '-3', /APQ_CACHE_SIZE: must be an integer between 0 and 1000000/],
  ])('%s=%s is refused with a message naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });
});

describe('npm start as a process', () => {
  const running: ChildProcess[] = [];
  // A failed assertion must not leave a server behind (jest would then wait for it forever).
  afterEach(() => {
    for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGTERM');
  });

  function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
    let output = '';
    const child = spawn(process.execPath, tsxArgs('src/index.ts'), {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    return { child, output: () => output };
  }

  async function listeningUrl(output: () => string, child: ChildProcess): Promise<string> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const line = output()
        .split('\n')
        .find((l) => l.includes('Cinegraph listening'));
      if (line) return JSON.parse(line).url.replace('localhost', '127.0.0.1');
      if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${output()}`);
  }

  test('on a fresh database it migrates, seeds, serves, and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cinegraph-start-'));
    const pgDb = onPostgres ? await createPostgresDatabase() : undefined;
    const env: Record<string, string> = pgDb ? { DATABASE_URL: pgDb.url } : { DATA_DIR: dataDir };
    try {
      const { child, output } = start(env);
      const url = await listeningUrl(output, child);
      const log = output();
      expect(log).toMatch(/applied migration 20261128180000_init/);
      expect(log).toMatch(/seeded empty database/);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ film(slug: "her") { title } }' }),
      });
      expect(((await response.json()) as { data: unknown }).data).toEqual({ film: { title: 'Her' } });
      const startup = JSON.parse(log.split('\n').find((l) => l.includes('Cinegraph listening'))!).startupMs;
      console.info(`cold start to listening (${pgDb ? 'postgres' : 'pglite'}, fresh database): ${startup} ms`);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(output()).toMatch(/database closed/);

      // A second start finds everything applied and seeded: no migration, no seeding.
      const again = start(env);
      await listeningUrl(again.output, again.child);
      expect(again.output()).not.toMatch(/applied migration|seeded empty database/);
      again.child.kill('SIGTERM');
      expect((await once(again.child, 'exit'))[0]).toBe(0);
    } finally {
      await pgDb?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a bad configuration value stops start-up with a message naming it', async () => {
    const { child, output } = start({ PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toMatch(/PORT/);
    expect(output()).toMatch(/DATABASE_URL: must be a postgres/);
  });

  test('a bad limit, rate-limit or Redis value stops start-up with a message naming each', async () => {
    const { child, output } = start({ MAX_DEPTH: '0', MAX_COST: 'lots', RATE_LIMIT_ENABLED: 'maybe', REDIS_URL: 'http://127.0.0.1:6379', TRUST_PROXY: '-1' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toMatch(/MAX_DEPTH: must be an integer between 1 and 100/);
    expect(output()).toMatch(/MAX_COST: must be an integer between 1 and 10000000/);
    expect(output()).toMatch(/RATE_LIMIT_ENABLED: expected true or false/);
    expect(output()).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(output()).toMatch(/TRUST_PROXY: must be an integer between 0 and 10/);
  });

  test('an unreadable TRUSTED_DOCUMENTS manifest stops start-up with a fatal line naming it, before a new data folder is touched', async () => {
    const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'cinegraph-trusted-')), 'data');
    try {
      const { child, output } = start({ TRUSTED_DOCUMENTS: '/nonexistent/persisted-documents.json', DATA_DIR: dataDir });
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      const fatal = fatalLine(output());
      expect(fatal?.msg).toMatch(/^start-up failed: TRUSTED_DOCUMENTS: cannot read \/nonexistent\/persisted-documents\.json as JSON/);
      // Not opened: no lock, no half-initialised database that the next start would refuse.
      expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
    } finally {
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });

  test('an unreachable database stops start-up with one fatal log line and exit code 1', async () => {
    const { child, output } = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere' });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    const fatal = fatalLine(output());
    expect(fatal?.msg).toMatch(/^start-up failed: .*ECONNREFUSED/);
  });
});
