import { createLogger } from '../../src/logger.ts';
import { CursorCodec } from '../../src/pagination/cursor.ts';
import { createCinegraphYoga } from '../../src/yoga.ts';
import { codes, useApi } from '../helpers/graphql.ts';

const api = useApi();

async function cursorFor(orderBy: string, filter = '') {
  const result = await api.client.query(
    `{ films(first: 2${orderBy ? `, orderBy: ${orderBy}` : ''}${filter ? `, filter: ${filter}` : ''}) { pageInfo { endCursor } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.films.pageInfo.endCursor as string;
}

/** The request's error codes, and how many SQL statements it issued. */
async function attempt(query: string, variables?: Record<string, unknown>) {
  api.db.resetStatements();
  const result = await api.client.query(query, variables);
  expect(result.status).toBeLessThan(500);
  expect(result.errors![0]!.message).not.toMatch(/Unexpected error/);
  return { codes: codes(result), message: result.errors![0]!.message, statements: api.db.statements.length };
}

describe('bad list arguments are coded errors, raised before any SQL runs', () => {
  test.each([
    ['an unknown orderBy field', '{ films(orderBy: [{ field: BUDGET }]) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown direction', '{ films(orderBy: [{ field: TITLE, direction: UP }]) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown release type', '{ films(filter: { releasedIn: { types: [CINEMA] } }) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown people orderBy field', '{ people(orderBy: [{ field: AGE }]) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown country code', '{ films(filter: { releasedIn: { country: "XX" } }) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a three-letter country code', '{ films(filter: { releasedIn: { country: "USA" } }) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['yearFrom after yearTo', '{ films(filter: { yearFrom: 2010, yearTo: 2000 }) { totalCount } }', 'BAD_USER_INPUT'],
    ['releasedIn.from after releasedIn.to', '{ films(filter: { releasedIn: { from: "2014-02-01", to: "2014-01-01" } }) { totalCount } }', 'BAD_USER_INPUT'],
    ['minCriticScore above 100', '{ films(filter: { minCriticScore: 100.5 }) { totalCount } }', 'BAD_USER_INPUT'],
    ['minCriticScore below 0', '{ films(filter: { minCriticScore: -1 }) { totalCount } }', 'BAD_USER_INPUT'],
    ['an orderBy field given twice', '{ films(orderBy: [{ field: YEAR }, { field: YEAR, direction: DESC }]) { totalCount } }', 'BAD_USER_INPUT'],
    ['a people orderBy field given twice', '{ people(orderBy: [{ field: NAME }, { field: NAME }]) { totalCount } }', 'BAD_USER_INPUT'],
    ['first and last together', '{ films(first: 2, last: 2) { totalCount } }', 'BAD_USER_INPUT'],
    ['first above the maximum', '{ films(first: 101) { totalCount } }', 'BAD_USER_INPUT'],
    ['an empty genre', '{ films(filter: { genres: [""] }) { totalCount } }', 'BAD_USER_INPUT'],
    ['an empty creditJob', '{ films(filter: { creditJob: "" }) { totalCount } }', 'BAD_USER_INPUT'],
    ['an empty people name filter', '{ people(filter: { name: "" }) { totalCount } }', 'BAD_USER_INPUT'],
    ['a cursor that is not ours', '{ films(after: "garbage") { totalCount } }', 'INVALID_CURSOR'],
    ['a nested-connection cursor on films', `{ films(after: "${Buffer.from('GPC:N:1').toString('base64')}") { totalCount } }`, 'INVALID_CURSOR'],
  ])('%s', async (_name, query, code) => {
    const result = await attempt(query);
    expect(result.codes).toEqual([code]);
    expect(result.statements).toBe(0);
  });

  test('inverted ranges name both bounds', async () => {
    expect((await attempt('{ films(filter: { yearFrom: 2010, yearTo: 2000 }) { totalCount } }')).message).toBe(
      'filter.yearFrom (2010) is after filter.yearTo (2000).',
    );
  });

  test('an invalid country code in variables is BAD_USER_INPUT', async () => {
    const result = await attempt('query ($f: FilmFilter) { films(filter: $f) { totalCount } }', { f: { releasedIn: { country: 'usa' } } });
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
  });

  test('an unknown enum value in variables is BAD_USER_INPUT', async () => {
    const result = await attempt('query ($o: [FilmOrder!]) { films(orderBy: $o) { totalCount } }', { o: [{ field: 'BUDGET' }] });
    expect(result.codes).toEqual(['BAD_USER_INPUT']);
  });
});

test('first and last together are refused with a message saying which to pass', async () => {
  const result = await attempt('{ films(first: 2, last: 2) { totalCount } }');
  expect(result).toEqual({ codes: ['BAD_USER_INPUT'], message: 'Pass either `first` (with `after`) or `last` (with `before`), not both.', statements: 0 });
});

describe('cursors are tamper-checked and bound to their ordering', () => {
  test('a cursor with an altered payload is refused', async () => {
    const cursor = await cursorFor('[{ field: TITLE }]');
    const [payload, tag] = cursor.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged[3] = forged[3] + 1;
    const tampered = `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${tag}`;
    const result = await attempt(`{ films(first: 2, orderBy: [{ field: TITLE }], after: "${tampered}") { totalCount } }`);
    expect(result.codes).toEqual(['INVALID_CURSOR']);
    expect(result.statements).toBe(0);
  });

  test('a well-formed cursor signed with another key is refused', async () => {
    const forged = new CursorCodec('someone-elses-secret-key').encode({ ordering: 'Film|TITLE:ASC', keys: ['Her'], id: 1 });
    const result = await attempt(`{ films(first: 2, orderBy: [{ field: TITLE }], after: "${forged}") { totalCount } }`);
    expect(result.codes).toEqual(['INVALID_CURSOR']);
  });

  test.each([
    ['another field', '[{ field: TITLE }]', '[{ field: YEAR }]', '', ''],
    ['another direction', '[{ field: TITLE }]', '[{ field: TITLE, direction: DESC }]', '', ''],
    ['the default order', '', '[{ field: TITLE }]', '', ''],
    [
      'RELEASE_DATE in another country',
      '[{ field: RELEASE_DATE }]',
      '[{ field: RELEASE_DATE }]',
      '{ releasedIn: { country: "US" } }',
      '{ releasedIn: { country: "GB" } }',
    ],
  ])('a cursor issued for %s is refused, not misapplied', async (_name, issuedFor, usedWith, issuedFilter, usedFilter) => {
    const cursor = await cursorFor(issuedFor, issuedFilter);
    const args = [`first: 2`, `after: "${cursor}"`, usedWith && `orderBy: ${usedWith}`, usedFilter && `filter: ${usedFilter}`].filter(Boolean);
    const result = await attempt(`{ films(${args.join(', ')}) { totalCount } }`);
    expect(result.codes).toEqual(['INVALID_CURSOR']);
    expect(result.message).toMatch(/issued for another orderBy/);
    expect(result.statements).toBe(0);
  });

  test.each([
    ['one key more', (keys: unknown[]) => [...keys, 'extra']],
    ['one key fewer', (keys: unknown[]) => keys.slice(1)],
  ])('a genuinely signed cursor for this ordering with %s is refused before any SQL', async (_name, edit) => {
    // As a cursor signed by a release with another key layout would be (tests sign with the development key).
    const [, ordering, keys, id] = JSON.parse(Buffer.from((await cursorFor('[{ field: TITLE }]')).split('.')[0]!, 'base64url').toString());
    const cursor = new CursorCodec(undefined).encode({ ordering, keys: edit(keys) as string[], id });
    for (const arg of ['after', 'before'] as const) {
      const result = await attempt(`{ films(${arg === 'after' ? 'first' : 'last'}: 2, orderBy: [{ field: TITLE }], ${arg}: "${cursor}") { totalCount } }`);
      expect(result.codes).toEqual(['INVALID_CURSOR']);
      expect(result.message).toBe(`\`${arg}\` no longer fits this ordering; restart paging without a cursor.`);
      expect(result.statements).toBe(0);
    }
  });

  test('a films cursor is refused by people, even for the same ordering of ids', async () => {
    const cursor = await cursorFor('');
    const result = await attempt(`{ people(first: 2, after: "${cursor}") { totalCount } }`);
    expect(result.codes).toEqual(['INVALID_CURSOR']);
    expect(result.message).toBe('`after` was issued for another list; use cursors only with the field that returned them.');
  });

  test('a cursor keeps working under another filter (it pins a position in the ordering, not a result set)', async () => {
    const cursor = await cursorFor('[{ field: TITLE }]');
    const result = await api.client.query(
      `{ films(first: 5, orderBy: [{ field: TITLE }], after: "${cursor}", filter: { hasReviews: false }) { nodes { slug } } }`,
    );
    expect(result.errors).toBeUndefined();
    // seed titles: Being John Malkovich, Gladiator | Her, Walk the Line, Where the Wild Things Are (Her has reviews)
    expect(result.data!.films.nodes).toEqual([{ slug: 'walk-the-line' }, { slug: 'where-the-wild-things-are' }]);
  });

  test('instances sharing CURSOR_SECRET accept each other’s cursors; an instance with another secret refuses them', async () => {
    const logger = createLogger('silent');
    const ask = async (yoga: ReturnType<typeof createCinegraphYoga>, query: string) => {
      const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) };
      const response = await yoga.fetch('http://cinegraph.test/graphql', init);
      return (await response.json()) as { data?: any; errors?: { extensions: { code: string } }[] };
    };
    const a = createCinegraphYoga({ prisma: api.db.prisma, logger, cursorSecret: 'shared-secret-for-two-instances' });
    const b = createCinegraphYoga({ prisma: api.db.prisma, logger, cursorSecret: 'shared-secret-for-two-instances' });
    const c = createCinegraphYoga({ prisma: api.db.prisma, logger, cursorSecret: 'a-different-secret-entirely' });
    const first = await ask(a, '{ films(first: 2, orderBy: [{ field: TITLE }]) { pageInfo { endCursor } } }');
    const next = (cursor: string) => `{ films(first: 2, orderBy: [{ field: TITLE }], after: "${cursor}") { nodes { slug } } }`;
    const onB = await ask(b, next(first.data.films.pageInfo.endCursor));
    expect(onB.data.films.nodes).toEqual([{ slug: 'her' }, { slug: 'walk-the-line' }]);
    const onC = await ask(c, next(first.data.films.pageInfo.endCursor));
    expect(onC.errors!.map((e) => e.extensions.code)).toEqual(['INVALID_CURSOR']);
  });
});
