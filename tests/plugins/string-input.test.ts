import { pino } from 'pino';
import { CursorCodec } from '../../src/pagination/cursor.ts';
import { post, useHttpServer } from '../helpers/http.ts';

const TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${TOKEN}` };
const NUL = '\u0000';
const LONE = '\ud800';

/** Server log lines at error level or above: a masked failure is logged there (~2 kB each). */
const errorLines: string[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => errorLines.push(line) });

// Each request, and the start of the message that must name the bad string's place.
const REFUSED: [name: string, body: { query: string; variables?: Record<string, unknown> }, message: RegExp][] = [
  [
    'a NUL escape in a literal `film(slug:)`',
    { query: '{ film(slug: "her\\u0000") { title } }' },
    /^The literal at `slug` contains a NUL character \(U\+0000\)\./,
  ],
  [
    'a NUL in a String variable',
    { query: 'query ($s: String) { film(slug: $s) { title } }', variables: { s: `her${NUL}` } },
    /^Variable `\$s` contains a NUL character/,
  ],
  [
    'an unpaired surrogate in a String variable',
    { query: 'query ($s: String) { film(slug: $s) { title } }', variables: { s: `her${LONE}` } },
    /^Variable `\$s` contains an unpaired UTF-16 surrogate \(U\+D800\)\./,
  ],
  [
    'a lone low surrogate in a variable',
    { query: 'query ($s: String) { person(slug: $s) { name } }', variables: { s: '\udc00x' } },
    /^Variable `\$s` contains an unpaired UTF-16 surrogate \(U\+DC00\)\./,
  ],
  [
    'a NUL in a list inside an input object literal',
    { query: '{ films(filter: { genres: ["Drama", "Dra\\u0000ma"] }) { totalCount } }' },
    /^The literal at `filter\.genres\[1\]` contains a NUL character/,
  ],
  [
    'a NUL in an input object variable',
    { query: 'query ($f: FilmFilter) { films(filter: $f) { totalCount } }', variables: { f: { creditJob: `Director${NUL}` } } },
    /^Variable `\$f\.creditJob` contains a NUL character/,
  ],
  [
    'a NUL in an ID list variable',
    { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: ['RmlsbTox', `RmlsbTox${NUL}`] } },
    /^Variable `\$ids\[1\]` contains a NUL/,
  ],
  [
    'a NUL in a custom scalar (CountryCode)',
    { query: 'query ($c: CountryCode) { film(slug: "her") { releases(country: $c) { date } } }', variables: { c: `U${NUL}` } },
    /^Variable `\$c` contains a NUL/,
  ],
  ['a NUL in a variable default', { query: 'query ($s: String = "her\\u0000") { film(slug: $s) { title } }' }, /^The literal at `\$s` contains a NUL/],
  [
    'a NUL in a search query',
    { query: 'query ($q: String!) { search(query: $q) { totalCount } }', variables: { q: `her${NUL}` } },
    /^Variable `\$q` contains a NUL/,
  ],
  [
    'a NUL in a cursor string',
    { query: 'query ($a: String) { films(first: 2, after: $a) { totalCount } }', variables: { a: `abc${NUL}.def` } },
    /^Variable `\$a` contains a NUL/,
  ],
];

describe('NUL bytes and unpaired surrogates in input strings', () => {
  const api = useHttpServer({ logger, adminToken: TOKEN });
  beforeEach(() => {
    errorLines.length = 0;
    api.db.resetStatements();
  });

  test.each(REFUSED)('%s is a 400 BAD_USER_INPUT naming its place, before any SQL and without an error log line', async (_name, body, message) => {
    const response = await post(api.http.url, body);
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(response.body.errors?.[0]?.message).toMatch(message);
    expect(response.body.errors?.[0]?.message).toMatch(/Strings cannot contain NUL or unpaired surrogates\.$/);
    expect(response.body.data).toBeUndefined();
    expect(api.db.statements).toEqual([]);
    expect(errorLines).toEqual([]);
  });

  test('the same under plain application/json (400 too) and for a GET query string', async () => {
    const json = await post(api.http.url, REFUSED[1]![1], { accept: 'application/json' });
    expect([json.status, json.body.errors?.[0]?.extensions?.code]).toEqual([400, 'BAD_USER_INPUT']);
    const search = new URLSearchParams({ query: 'query ($s: String) { film(slug: $s) { title } }', variables: JSON.stringify({ s: `her${NUL}` }) });
    const get = await fetch(`${api.http.url}?${search}`, { headers: { accept: 'application/graphql-response+json' } });
    expect(get.status).toBe(400);
    expect(((await get.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    expect(errorLines).toEqual([]);
  });

  test('a mutation whose input holds an unpaired surrogate or a NUL is refused and changes nothing', async () => {
    const before = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, include: { citations: true } });
    const { id } = (await post(api.http.url, { query: '{ film(slug: "her") { id } }' })).body.data.film;
    const update = 'mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { synopsis } } }';
    const cite = [{ sourceSlug: 'her-review', excerpt: 'Her' }];
    for (const [input, place] of [
      [{ id, version: 1, synopsis: `A lonely man ${LONE} falls in love.`, citations: cite }, '$input.synopsis'],
      [{ id, version: 1, runtimeMinutes: 126, citations: [{ sourceSlug: 'her-review', excerpt: `Her${NUL}` }] }, '$input.citations[0].excerpt'],
      [{ id, version: 1, genres: ['Drama', `Ro${NUL}mance`], citations: cite }, '$input.genres[1]'],
    ] as const) {
      const response = await post(api.http.url, { query: update, variables: { input } }, admin);
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((e) => [e.extensions?.code, e.message.split(' contains')[0]])).toEqual([['BAD_USER_INPUT', `Variable \`${place}\``]]);
    }
    expect(await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, include: { citations: true } })).toEqual(before);
    expect(errorLines).toEqual([]);
  });

  test('a forged cursor whose sort key holds a NUL is INVALID_CURSOR, not a database error', async () => {
    // The development key is public, so anyone can sign a cursor of their own making.
    const list = 'films(first: 2, after: $a, orderBy: [{ field: TITLE }])';
    const first = await post(api.http.url, { query: `query ($a: String) { ${list} { pageInfo { endCursor } } }` });
    const cursor: string = first.body.data.films.pageInfo.endCursor;
    const [, ordering, keys, id] = JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')) as [number, string, string[], number];
    const codec = new CursorCodec(undefined);
    for (const bad of [`x${NUL}`, `x${LONE}`]) {
      const forged = codec.encode({ ordering, keys: keys.map(() => bad), id });
      expect(keys.length).toBeGreaterThan(0);
      const response = await post(api.http.url, { query: `query ($a: String) { ${list} { nodes { title } } }`, variables: { a: forged } });
      expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['INVALID_CURSOR']);
    }
    expect(errorLines).toEqual([]);
  });

  test('strings with surrogate pairs, other control characters and non-Latin text still run', async () => {
    const query = 'query ($s: String, $f: FilmFilter) { film(slug: $s) { title } films(filter: $f) { totalCount } }';
    for (const s of ['her 😀', 'tab\there', 'ぼくの', '\u0001\u001f']) {
      const response = await post(api.http.url, { query, variables: { s, f: { creditJob: s } } });
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toEqual({ film: null, films: { totalCount: 0 } });
    }
    expect(api.db.statements.length).toBeGreaterThan(0);
    expect(errorLines).toEqual([]);
  });
});
