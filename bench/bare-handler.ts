/**
 * The "no GraphQL" ceiling: plain node:http answering the benchmark scenarios with the same
 * generated Prisma client, the same pg adapter and relationLoadStrategy 'join' as Cinegraph,
 * then JSON.stringify. DATABASE_URL and PORT (0 = any; printed as `listening <port>`).
 */
import { createServer, type ServerResponse } from 'node:http';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { bareQueries } from './bare-queries.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.startsWith('postgres')) {
  console.error('DATABASE_URL (postgres://…) is required');
  process.exit(1);
}
// The same pool settings as Cinegraph (DB_* keys, src/config.ts), prepared statements included.
const config = loadConfig(process.env);
const db = await openDatabase({
  databaseUrl,
  pool: {
    max: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    preparedStatements: config.DB_PREPARED_STATEMENTS,
    planCacheMode: config.DB_PLAN_CACHE_MODE,
  },
});
const { film, films, search } = bareQueries(db.prisma);

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const q = url.searchParams;
  const int = (name: string, fallback: number) => Number.parseInt(q.get(name) ?? '', 10) || fallback;
  let work: Promise<unknown>;
  switch (url.pathname) {
    case '/health':
    case '/typename':
      return send(res, 200, { data: { __typename: 'Query' } });
    case '/film':
      work = film(q.get('slug') ?? '', int('first', 10)).then((f) => ({ film: f }));
      break;
    case '/films':
      work = films(int('yearFrom', 1900), int('yearTo', 2100), q.get('genre') ?? '', int('first', 20)).then((f) => ({ films: f }));
      break;
    case '/search':
      work = search(q.get('query') ?? '', int('first', 10)).then((s) => ({ search: s }));
      break;
    default:
      return send(res, 404, { error: 'not found' });
  }
  work.then(
    (data) => send(res, 200, { data }),
    (error: Error) => send(res, 500, { error: error.message }),
  );
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : ''}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void db.close().then(() => process.exit(0));
  });
}
