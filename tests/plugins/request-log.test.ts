import { pino } from 'pino';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { post, startHttpServer, type HttpServer } from '../helpers/http.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let db: TestDatabase;
let http: HttpServer;
const lines: string[] = [];
const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');

beforeAll(async () => {
  db = await createTestDatabase();
  http = await startHttpServer(db, { logger: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }) });
});
afterAll(async () => {
  await http?.close();
  await db?.close();
});
beforeEach(() => lines.splice(0));

test('one line per request with id, operation, status, duration, client and cost; the id is echoed', async () => {
  const response = await post(http.url, { query: 'query FilmTitle { film(slug: "her") { title } }' }, { 'x-request-id': 'edge-7f3a.42:1' });
  expect(response.headers.get('x-request-id')).toBe('edge-7f3a.42:1');
  expect(requestLines()).toEqual([
    expect.objectContaining({
      level: 30,
      reqId: 'edge-7f3a.42:1',
      method: 'POST',
      path: '/graphql',
      status: 200,
      durationMs: expect.any(Number),
      client: 'ip:127.0.0.1',
      operationName: 'FilmTitle',
      cost: { requested: 1, actual: 1, limit: 5000 },
    }),
  ]);
  expect(requestLines()[0].errorCodes).toBeUndefined();
});

test.each([
  ['absent', undefined],
  ['with spaces', 'not a sane id'],
  ['too long', 'x'.repeat(129)],
  ['with a newline-like escape', 'abc\\ndef'],
])('a request id that is %s is replaced by a generated UUID', async (_name, given) => {
  const response = await post(http.url, { query: '{ __typename }' }, given === undefined ? {} : { 'x-request-id': given });
  const id = response.headers.get('x-request-id')!;
  expect(id).toMatch(UUID);
  expect(requestLines().map((l) => l.reqId)).toEqual([id]);
});

test('the error codes of a failed request are logged', async () => {
  await post(http.url, { query: '{ films(first: 100) { nodes { credits(first: 100) { nodes { person { name } } } } } }' });
  await post(http.url, '{"query": ');
  expect(requestLines().map((l) => [l.status, l.errorCodes])).toEqual([
    [400, ['COST_LIMIT_EXCEEDED']],
    [400, ['BAD_REQUEST']],
  ]);
});

test('Authorization, cookies and API keys never reach the log', async () => {
  const secrets = { authorization: 'Bearer s3cret-bearer-token', cookie: 'session=s3cret-cookie-value', 'x-api-key': 's3cret-api-key' };
  await post(http.url, { query: '{ film(slug: "her") { title } }' }, secrets);
  await post(http.url, { query: '{ film(slug: "her") { nope } }' }, secrets);
  expect(requestLines()).toHaveLength(2);
  const everything = lines.join('\n');
  expect(everything).not.toMatch(/s3cret/);
});
