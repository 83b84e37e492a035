import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';

const TOKEN = 'test-admin-token-0123456789';
const admin = { authorization: `Bearer ${TOKEN}` };

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateFilmInput!) {
    updateFilm(input: $input) {
      id
      synopsis
      runtimeMinutes
      genres
      citations {
        field
        kind
        excerpt
        start
        end
        source {
          slug
        }
      }
    }
  }
`;

describe('updateFilm', () => {
  const api = useApi();
  let client: Client;
  let herId: string;
  let sourceText: string;

  beforeAll(async () => {
    client = createClient(api.db, { adminToken: TOKEN });
    const film = await client.query('{ film(slug: "her") { id } source(slug: "her-review") { text } }');
    herId = film.data!['film'].id;
    sourceText = film.data!['source'].text;
  });

  async function her() {
    return api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, include: { citations: { orderBy: { id: 'asc' } } } });
  }

  test('is refused with FORBIDDEN when the server has no ADMIN_TOKEN, even with a bearer token', async () => {
    const noAdmin = createClient(api.db);
    const before = await her();
    const result = await noAdmin.query(UPDATE, { input: { id: herId, runtimeMinutes: 126, citation: { sourceSlug: 'her-review', excerpt: 'Her' } } }, admin);
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors![0]!.message).toMatch(/no ADMIN_TOKEN/);
    expect(result.data).toBeNull();
    expect(await her()).toEqual(before);
  });

  test.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token-at-all-xx' }],
    ['the token in another scheme', { authorization: `Basic ${TOKEN}` }],
    ['the token as an API key', { 'x-api-key': TOKEN }],
  ])('is refused with FORBIDDEN with %s', async (_name, headers) => {
    const result = await client.query(UPDATE, { input: { id: herId, runtimeMinutes: 126, citation: { sourceSlug: 'her-review', excerpt: 'Her' } } }, headers);
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.errors![0]!.message).toMatch(/Authorization: Bearer/);
    expect((await her()).runtimeMinutes).toBeNull();
  });

  test('changes the given fields and cites the excerpt once per changed field, with its offsets', async () => {
    const before = await her();
    const excerpt = 'a sad and lonely man is capable of falling in love with a computerised operating system';
    const result = await client.query(
      UPDATE,
      {
        input: {
          id: herId,
          synopsis: 'A lonely man falls in love with an operating system.',
          genres: before.genres, // unchanged: no citation for it
          runtimeMinutes: 126,
          citation: { sourceSlug: 'her-review', excerpt },
        },
      },
      admin,
    );
    expect(result.errors).toBeUndefined();
    const start = sourceText.indexOf(excerpt);
    expect(start).toBeGreaterThan(0);
    const film = result.data!['updateFilm'];
    expect(film).toMatchObject({
      id: herId,
      synopsis: 'A lonely man falls in love with an operating system.',
      runtimeMinutes: 126,
      genres: ['Science Fiction'],
    });
    const after = await her();
    const known = new Set(before.citations.map((c) => c.id));
    const added = after.citations.filter((c) => !known.has(c.id));
    expect(added.map((c) => ({ field: c.field, kind: c.kind, excerpt: c.excerpt, start: c.start, end: c.end }))).toEqual([
      { field: 'synopsis', kind: 'STATED', excerpt, start, end: start + excerpt.length },
      { field: 'runtimeMinutes', kind: 'STATED', excerpt, start, end: start + excerpt.length },
    ]);
    expect(sourceText.slice(start, start + excerpt.length)).toBe(excerpt);
    expect(film.citations).toEqual(expect.arrayContaining(added.map((c) => expect.objectContaining({ field: c.field, start: c.start }))));
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
  });

  test('accepts the source by global ID and an occurrence for a repeated excerpt', async () => {
    const source = await client.query('{ source(slug: "her-review") { id } }');
    const second = sourceText.indexOf('Her', sourceText.indexOf('Her') + 1);
    const result = await client.query(
      UPDATE,
      { input: { id: herId, genres: ['Science Fiction', 'Romance'], citation: { sourceId: source.data!['source'].id, excerpt: 'Her', occurrence: 1 } } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!['updateFilm'].genres).toEqual(['Science Fiction', 'Romance']);
    expect(result.data!['updateFilm'].citations).toContainEqual({
      field: 'genres',
      kind: 'STATED',
      excerpt: 'Her',
      start: second,
      end: second + 3,
      source: { slug: 'her-review' },
    });
  });

  test.each([
    [
      'an excerpt the source does not contain',
      'BAD_USER_INPUT',
      { runtimeMinutes: 99, citation: { sourceSlug: 'her-review', excerpt: 'a film about robots' } },
    ],
    ['an occurrence past the last one', 'BAD_USER_INPUT', { runtimeMinutes: 99, citation: { sourceSlug: 'her-review', excerpt: 'Theodore', occurrence: 500 } }],
    ['an unknown source', 'NOT_FOUND', { runtimeMinutes: 99, citation: { sourceSlug: 'no-such-source', excerpt: 'Her' } }],
    [
      'both sourceSlug and sourceId',
      'BAD_USER_INPUT',
      { runtimeMinutes: 99, citation: { sourceSlug: 'her-review', sourceId: 'U291cmNlOjE=', excerpt: 'Her' } },
    ],
    ['neither sourceSlug nor sourceId', 'BAD_USER_INPUT', { runtimeMinutes: 99, citation: { excerpt: 'Her' } }],
    ['no field to change', 'BAD_USER_INPUT', { citation: { sourceSlug: 'her-review', excerpt: 'Her' } }],
    ['a null synopsis', 'BAD_USER_INPUT', { synopsis: null, citation: { sourceSlug: 'her-review', excerpt: 'Her' } }],
    ['a negative runtime', 'BAD_USER_INPUT', { runtimeMinutes: -5, citation: { sourceSlug: 'her-review', excerpt: 'Her' } }],
    ['a repeated genre', 'BAD_USER_INPUT', { genres: ['Drama', 'Drama'], citation: { sourceSlug: 'her-review', excerpt: 'Her' } }],
    ['an empty excerpt', 'BAD_USER_INPUT', { runtimeMinutes: 99, citation: { sourceSlug: 'her-review', excerpt: '' } }],
  ])('rejects %s with %s and writes nothing', async (_name, code, fields) => {
    const before = await her();
    const result = await client.query(UPDATE, { input: { id: herId, ...fields } }, admin);
    expect(codes(result)).toEqual([code]);
    expect(await her()).toEqual(before);
  });

  test.each([
    [
      'an excerpt the source does not contain',
      { sourceSlug: 'her-review', excerpt: 'a film about robots' },
      'The excerpt does not occur in the source text; quote it verbatim.',
      { code: 'BAD_USER_INPUT', field: 'citation.excerpt' },
    ],
    [
      'occurrence 500 of a rarer excerpt',
      { sourceSlug: 'her-review', excerpt: 'Theodore', occurrence: 500 },
      'The excerpt does not occur in the source text 501 times; quote it verbatim.',
      { code: 'BAD_USER_INPUT', field: 'citation.excerpt' },
    ],
    [
      'occurrence 10000 (the largest accepted)',
      { sourceSlug: 'her-review', excerpt: 'Her', occurrence: 10_000 },
      'The excerpt does not occur in the source text 10001 times; quote it verbatim.',
      { code: 'BAD_USER_INPUT', field: 'citation.excerpt' },
    ],
    ['an unknown source slug', { sourceSlug: 'no-such-source', excerpt: 'Her' }, 'No source with slug "no-such-source".', { code: 'NOT_FOUND' }],
    ['an unknown source id', { sourceId: Buffer.from('Source:99999').toString('base64'), excerpt: 'Her' }, 'No source with that id.', { code: 'NOT_FOUND' }],
    [
      'both sourceSlug and sourceId',
      { sourceSlug: 'her-review', sourceId: 'U291cmNlOjE=', excerpt: 'Her' },
      '`citation` takes exactly one of: sourceSlug, sourceId (got 2).',
      { code: 'BAD_USER_INPUT' },
    ],
  ])('explains %s', async (_name, citation, message, extensions) => {
    const before = await her();
    const result = await client.query(UPDATE, { input: { id: herId, runtimeMinutes: 99, citation } }, admin);
    expect(result.errors?.map((e) => [e.message, e.extensions])).toEqual([[message, extensions]]);
    expect(await her()).toEqual(before);
  });

  test.each([
    ['an empty excerpt', { excerpt: '' }, 'excerpt must not be empty', 'excerpt'],
    ['an excerpt of 2001 characters', { excerpt: 'x'.repeat(2_001) }, 'excerpt is at most 2000 characters', 'excerpt'],
    ['an empty note', { excerpt: 'Her', note: '' }, 'note must not be empty', 'note'],
    ['a note of 1001 characters', { excerpt: 'Her', note: 'x'.repeat(1_001) }, 'note is at most 1000 characters', 'note'],
    ['occurrence -1', { excerpt: 'Her', occurrence: -1 }, 'occurrence must be 0 or more', 'occurrence'],
    ['occurrence 10001', { excerpt: 'Her', occurrence: 10_001 }, 'occurrence is at most 10000', 'occurrence'],
  ])('refuses a citation with %s, naming the field', async (_name, citation, message, field) => {
    const result = await client.query(UPDATE, { input: { id: herId, runtimeMinutes: 99, citation: { sourceSlug: 'her-review', ...citation } } }, admin);
    expect(result.errors?.map((e) => [e.message, e.extensions])).toEqual([
      [message, { code: 'BAD_USER_INPUT', issues: [{ message, path: ['input', 'citation', field] }] }],
    ]);
  });

  test('a note of 1000 characters is kept with the citation', async () => {
    const note = 'n'.repeat(1_000);
    const result = await client.query(
      UPDATE,
      { input: { id: herId, runtimeMinutes: 131, citation: { sourceSlug: 'her-review', excerpt: 'Her', note } } },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect((await her()).citations.at(-1)).toMatchObject({ field: 'runtimeMinutes', excerpt: 'Her', note });
  });

  test('answers NOT_FOUND for a film id that does not exist and INVALID_ID for an id of another type', async () => {
    const missing = Buffer.from('Film:999999').toString('base64');
    const result = await client.query(UPDATE, { input: { id: missing, runtimeMinutes: 99, citation: { sourceSlug: 'her-review', excerpt: 'Her' } } }, admin);
    expect(codes(result)).toEqual(['NOT_FOUND']);
    const person = Buffer.from('Person:1').toString('base64');
    const wrongType = await client.query(UPDATE, { input: { id: person, runtimeMinutes: 99, citation: { sourceSlug: 'her-review', excerpt: 'Her' } } }, admin);
    expect(codes(wrongType)).toEqual(['INVALID_ID']);
  });
});
