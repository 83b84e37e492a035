import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/logger.ts';
import { createLogger } from '../../src/logger.ts';
import { createCinegraphYoga, type YogaOptions } from '../../src/yoga.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface HttpServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** The API on a real HTTP server on an ephemeral port of 127.0.0.1, for behaviour that is HTTP. */
export async function startHttpServer(db: TestDatabase, options: Partial<Omit<YogaOptions, 'prisma'>> & { logger?: Logger } = {}): Promise<HttpServer> {
  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), ...options });
  const server = createServer(yoga);
  // Node closes an idle kept-alive socket after 5 s and fetch (undici) reuses one for up to 4 s:
  // on a loaded machine the two timers race and a request goes out on a socket being closed
  // (ECONNRESET). Tests keep sockets open a minute and close them all when done.
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** POST a GraphQL request; returns status, headers and the parsed body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: { data?: any; errors?: any[]; extensions?: Record<string, any> } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

type ServerOptions = Parameters<typeof startHttpServer>[1];

/**
 * One seeded database and one real HTTP server for a describe block (or a whole file): opened
 * in beforeAll, closed in afterAll. `options` may depend on the database. Read `.db` / `.http`
 * inside tests.
 */
export function useHttpServer(options: ServerOptions | ((db: TestDatabase) => ServerOptions) = {}): { db: TestDatabase; http: HttpServer } {
  const api = {} as { db: TestDatabase; http: HttpServer };
  beforeAll(async () => {
    api.db = await createTestDatabase();
    api.http = await startHttpServer(api.db, typeof options === 'function' ? options(api.db) : options);
  });
  afterAll(async () => {
    await api.http?.close();
    await api.db?.close();
  });
  return api;
}
