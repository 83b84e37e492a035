// Cursors with a valid signature but keys of the wrong type, as a client holding the signing key
// (here the public development key) could make: each is INVALID_CURSOR, never a SQL error.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { isValidKey } from '../../src/pagination/cursor.ts';
import { CursorCodec } from '../../src/pagination/cursor.ts';
import { DEVELOPMENT_CURSOR_SECRET } from '../../src/pagination/secret.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';

const api = useApi();
const logged: string[] = []; // error-level lines: a masked failure is logged there
let client: Client;
const codec = new CursorCodec(DEVELOPMENT_CURSOR_SECRET);

beforeAll(() => {
  const sink = new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) });
  client = createClient(api.db, { logger: pino({ level: 'error' }, sink) });
});

/** A real cursor of the list's first page, re-signed with `keys` in place of its sort keys. */
async function forged(field: 'films' | 'people', orderBy: string, keys: (string | null)[]): Promise<string> {
  const page = await client.query(`{ ${field}(first: 1, orderBy: ${orderBy}) { pageInfo { endCursor } } }`);
  const real = page.data![field].pageInfo.endCursor as string;
  const [, ordering, , id] = JSON.parse(Buffer.from(real.split('.')[0]!, 'base64url').toString('utf8')) as [number, string, unknown, number];
  return codec.encode({ ordering, keys, id });
}

const YEAR = '[{ field: YEAR, direction: DESC }]';
const TITLE = '[{ field: TITLE, direction: ASC }]';
const SCORE = '[{ field: CRITIC_SCORE, direction: DESC }]';
const RELEASED = '[{ field: RELEASE_DATE, direction: ASC }]';
const CREATED = '[{ field: CREATED_AT, direction: ASC }]';
const CREDITS = '[{ field: CREDIT_COUNT, direction: DESC }]';

test.each<[string, 'films' | 'people', string, (string | null)[]]>([
  ['a word as an int key (YEAR)', 'films', YEAR, ['abc']],
  ['an int key past 2^31 (YEAR)', 'films', YEAR, ['99999999999']],
  ['a fraction as an int key (YEAR)', 'films', YEAR, ['1999.5']],
  ['a word as a float key (CRITIC_SCORE)', 'films', SCORE, ['high']],
  ['a float key past double precision (CRITIC_SCORE)', 'films', SCORE, ['1e999']],
  ['NaN as a float key (CRITIC_SCORE)', 'films', SCORE, ['NaN']],
  ['an impossible date (RELEASE_DATE)', 'films', RELEASED, ['2020-02-30']],
  ['a word as a date (RELEASE_DATE)', 'films', RELEASED, ['tomorrow']],
  ['an impossible timestamp (CREATED_AT)', 'films', CREATED, ['2026-11-28 25:00:00+00']],
  ['"now" as a timestamp (CREATED_AT)', 'films', CREATED, ['now']],
  ['a NUL byte in a text key (TITLE)', 'films', TITLE, ['Her\u0000']],
  ['a lone surrogate in a text key (TITLE)', 'films', TITLE, ['\ud800']],
  ['NULL for a key that is never null (TITLE)', 'films', TITLE, [null]],
  ['a word as a count (people by CREDIT_COUNT)', 'people', CREDITS, ['many']],
  ['a date as a timestamp (people by CREATED_AT)', 'people', CREATED, ['2026-11-28']],
])('a correctly signed cursor holding %s is INVALID_CURSOR, with nothing logged', async (_name, field, orderBy, keys) => {
  const cursor = await forged(field, orderBy, keys);
  for (const arg of ['after', 'before']) {
    const size = arg === 'after' ? 'first' : 'last';
    const result = await client.query(`{ ${field}(${size}: 2, ${arg}: ${JSON.stringify(cursor)}, orderBy: ${orderBy}) { totalCount } }`);
    expect(result.status).toBe(200);
    expect(codes(result)).toEqual(['INVALID_CURSOR']);
    expect(result.errors![0]!.message).toBe(`\`${arg}\` holds a value that does not fit this ordering; use a cursor or pageInfo value from a previous page.`);
  }
  expect(logged).toEqual([]);
});

test('the cursors the API issues pass the same check: paging every ordering to its end works', async () => {
  for (const [field, orderBy] of [
    ['films', YEAR],
    ['films', TITLE],
    ['films', SCORE],
    ['films', RELEASED],
    ['films', CREATED],
    ['people', CREDITS],
    ['people', CREATED],
  ] as const) {
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: { data?: Record<string, any> | null; errors?: unknown } = await client.query(
        `query($after: String) { ${field}(first: 50, after: $after, orderBy: ${orderBy}) { pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(result.errors).toBeUndefined();
      pages++;
      const info = result.data![field].pageInfo;
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    expect(pages).toBeGreaterThan(0);
  }
  expect(logged).toEqual([]);
});

test('key values as PostgreSQL prints them are accepted; anything its input functions refuse is not', () => {
  expect(['0', '-2147483648', '2147483647'].every((v) => isValidKey(v, 'int'))).toBe(true);
  expect(['2147483648', '-2147483649', '1e3', ' 1', ''].some((v) => isValidKey(v, 'int'))).toBe(false);
  expect(['7.5', '-0.25', '1e-05', '1.5e+20', '100'].every((v) => isValidKey(v, 'float8'))).toBe(true);
  expect(['Infinity', 'NaN', '1e400', '1e-400', '.', '--1'].some((v) => isValidKey(v, 'float8'))).toBe(false);
  expect(['2024-02-29', '0001-01-01'].every((v) => isValidKey(v, 'date'))).toBe(true);
  expect(['2023-02-29', '2024-1-01', '0000-01-01', 'infinity'].some((v) => isValidKey(v, 'date'))).toBe(false);
  expect(['2026-11-28 20:01:00+00', '2026-11-28 20:01:00.123456+05:30', '1900-01-01 00:00:00-00:09:21'].every((v) => isValidKey(v, 'timestamptz'))).toBe(true);
  expect(['2026-11-28T20:01:00Z', '2026-11-28 24:00:00+00', '2026-11-28 20:01:00'].some((v) => isValidKey(v, 'timestamptz'))).toBe(false);
  expect(['12.50', '-3', '0.0001'].every((v) => isValidKey(v, 'numeric'))).toBe(true);
  expect(['NaN', '1e5'].some((v) => isValidKey(v, 'numeric'))).toBe(false);
});
