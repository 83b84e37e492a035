import { encodeGlobalID } from '@pothos/plugin-relay';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TOKEN = 'test-admin-token-0123456789';
const FACTS = 'Her (2013) runs 126 minutes; its original title is Her; a romance and a drama. IMDb tt1798709, TMDB 152601, Wikidata Q132863.';

const UPDATE = /* GraphQL */ `
  mutation Update($input: UpdateFilmInput!) {
    updateFilm(input: $input) {
      film {
        id
        version
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
      userErrors {
        field
        message
        code
        currentVersion
      }
    }
  }
`;
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateFilmInput!) {
    createFilm(input: $input) {
      film {
        id
        slug
        title
        year
        runtimeMinutes
        genres
        imdbId
        tmdbId
        wikidataId
        version
        citations {
          field
          excerpt
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;
const DELETE = /* GraphQL */ `
  mutation Delete($input: DeleteFilmInput!) {
    deleteFilm(input: $input) {
      deletedIds
      userErrors {
        field
        message
        code
        currentVersion
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'facts', FACTS).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
let herId: string;
let sourceText: string;

beforeAll(async () => {
  client = createClient(api.db, { adminToken: TOKEN });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
  const film = await client.query('{ film(slug: "her") { id } source(slug: "her-review") { text } }');
  herId = film.data!['film'].id;
  sourceText = film.data!['source'].text;
});

const her = () => api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, include: { citations: { orderBy: { id: 'asc' } } } });
const cite = (excerpt: string, extra: Record<string, unknown> = {}) => ({ sourceSlug: 'her-review', excerpt, ...extra });
const fact = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'facts', excerpt, ...(fields ? { fields } : {}) });

describe('updateFilm', () => {
  test.each([
    ['no Authorization header', {}, 'UNAUTHENTICATED'],
    ['a token that is not a key', { authorization: 'Bearer not-the-token-at-all-xx' }, 'UNAUTHENTICATED'],
    ['the admin token in another scheme', { authorization: `Basic ${TOKEN}` }, 'UNAUTHENTICATED'],
    ['the admin token as x-api-key', { 'x-api-key': TOKEN }, 'UNAUTHENTICATED'],
  ])('is refused with %s and changes nothing', async (_name, headers, code) => {
    const before = await her();
    const result = await client.query(UPDATE, { input: { id: herId, version: before.version, runtimeMinutes: 126, citations: [cite('Her')] } }, headers);
    expect(codes(result)).toEqual([code]);
    expect(result.errors![0]!.message).toMatch(/Authorization: Bearer/);
    expect(result.data).toBeNull();
    expect(await her()).toEqual(before);
  });

  test('the admin token means nothing to a server without ADMIN_TOKEN', async () => {
    const before = await her();
    const result = await createClient(api.db).query(
      UPDATE,
      { input: { id: herId, version: 1, runtimeMinutes: 126, citations: [cite('Her')] } },
      { authorization: `Bearer ${TOKEN}` },
    );
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(await her()).toEqual(before);
  });

  test('changes the given fields, cites the excerpt once per changed field with its offsets, and bumps the version', async () => {
    const before = await her();
    const excerpt = 'a sad and lonely man is capable of falling in love with a computerised operating system';
    const result = await client.query(
      UPDATE,
      {
        input: {
          id: herId,
          version: before.version,
          synopsis: 'A lonely man falls in love with an operating system.',
          genres: before.genres, // unchanged: no citation for it
          runtimeMinutes: 126,
          citations: [cite(excerpt)],
        },
      },
      write,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!['updateFilm'].userErrors).toEqual([]);
    const start = sourceText.indexOf(excerpt);
    expect(start).toBeGreaterThan(0);
    const film = result.data!['updateFilm'].film;
    expect(film).toMatchObject({
      id: herId,
      version: before.version + 1,
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
    expect(after.version).toBe(before.version + 1);
  });

  test('accepts the source by global ID and an occurrence for a repeated excerpt', async () => {
    const source = await client.query('{ source(slug: "her-review") { id } }');
    const second = sourceText.indexOf('Her', sourceText.indexOf('Her') + 1);
    const { version } = await her();
    const result = await client.query(
      UPDATE,
      {
        input: {
          id: herId,
          version,
          genres: ['Science Fiction', 'Romance'],
          citations: [{ sourceId: source.data!['source'].id, excerpt: 'Her', occurrence: 1 }],
        },
      },
      write,
    );
    expect(result.data!['updateFilm'].userErrors).toEqual([]);
    expect(result.data!['updateFilm'].film.genres).toEqual(['Science Fiction', 'Romance']);
    expect(result.data!['updateFilm'].film.citations).toContainEqual({
      field: 'genres',
      kind: 'STATED',
      excerpt: 'Her',
      start: second,
      end: second + 3,
      source: { slug: 'her-review' },
    });
  });

  test('a stale version is a CONFLICT carrying the current version, and nothing changes', async () => {
    const before = await her();
    const result = await client.query(UPDATE, { input: { id: herId, version: before.version - 1, runtimeMinutes: 99, citations: [cite('Her')] } }, write);
    expect(result.data!['updateFilm']).toEqual({
      film: null,
      userErrors: [
        { field: ['input', 'version'], code: 'CONFLICT', currentVersion: before.version, message: expect.stringMatching(/changed since you read it/) },
      ],
    });
    expect(await her()).toEqual(before);
  });

  test('values equal to the current ones change nothing: no version bump, no citation, no revision', async () => {
    const before = await her();
    const revisions = await api.db.prisma.revision.count();
    const result = await client.query(UPDATE, { input: { id: herId, version: before.version, genres: before.genres, citations: [cite('Her')] } }, write);
    expect(result.data!['updateFilm'].userErrors).toEqual([]);
    expect(result.data!['updateFilm'].film.version).toBe(before.version);
    expect(await her()).toEqual(before);
    expect(await api.db.prisma.revision.count()).toBe(revisions);
  });

  test.each([
    [
      'an excerpt the source does not contain',
      'EXCERPT_NOT_FOUND',
      ['input', 'citations', '0', 'excerpt'],
      { runtimeMinutes: 99, citations: [cite('a film about robots')] },
    ],
    [
      'an occurrence past the last one',
      'EXCERPT_NOT_FOUND',
      ['input', 'citations', '0', 'excerpt'],
      { runtimeMinutes: 99, citations: [cite('Theodore', { occurrence: 500 })] },
    ],
    [
      'an unknown source',
      'NOT_FOUND',
      ['input', 'citations', '0', 'sourceSlug'],
      { runtimeMinutes: 99, citations: [{ sourceSlug: 'no-such-source', excerpt: 'Her' }] },
    ],
    [
      'both sourceSlug and sourceId',
      'INVALID',
      ['input', 'citations', '0', 'sourceSlug'],
      { runtimeMinutes: 99, citations: [cite('Her', { sourceId: 'U291cmNlOjE=' })] },
    ],
    ['neither sourceSlug nor sourceId', 'INVALID', ['input', 'citations', '0', 'sourceSlug'], { runtimeMinutes: 99, citations: [{ excerpt: 'Her' }] }],
    ['no field to change', 'INVALID', ['input'], { citations: [cite('Her')] }],
    ['a null title', 'INVALID', ['input', 'title'], { title: null, citations: [cite('Her')] }],
    ['a negative runtime', 'INVALID', ['input', 'runtimeMinutes'], { runtimeMinutes: -5, citations: [cite('Her')] }],
    ['a repeated genre', 'INVALID', ['input', 'genres'], { genres: ['Drama', 'Drama'], citations: [cite('Her')] }],
    ['an empty excerpt', 'INVALID', ['input', 'citations', '0', 'excerpt'], { runtimeMinutes: 99, citations: [cite('')] }],
    ['a malformed IMDb id', 'INVALID', ['input', 'imdbId'], { imdbId: 'nm0000001', citations: [cite('Her')] }],
    [
      'a changed fact no citation backs',
      'CITATION_REQUIRED',
      ['input', 'year'],
      { runtimeMinutes: 99, year: 2013, citations: [cite('Her', { fields: ['runtimeMinutes'] })] },
    ],
  ])('rejects %s with %s at its path and writes nothing', async (_name, code, field, fields) => {
    const before = await her();
    const result = await client.query(UPDATE, { input: { id: herId, version: before.version, ...fields } }, write);
    expect(result.errors).toBeUndefined();
    expect(result.data!['updateFilm'].film).toBeNull();
    expect(result.data!['updateFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([[code, field]]);
    expect(await her()).toEqual(before);
  });

  test('a citation naming a field the input does not have is INVALID, and leaves the changed fact uncited', async () => {
    const before = await her();
    const result = await client.query(
      UPDATE,
      { input: { id: herId, version: before.version, runtimeMinutes: 99, citations: [cite('Her', { fields: ['budget'] })] } },
      write,
    );
    expect(result.data!['updateFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([
      ['INVALID', ['input', 'citations', '0', 'fields']],
      ['CITATION_REQUIRED', ['input', 'runtimeMinutes']],
    ]);
    expect(await her()).toEqual(before);
  });

  test('NOT_FOUND for a film id that does not exist, INVALID for an id of another type or a malformed one', async () => {
    const errors = async (id: string) =>
      (await client.query(UPDATE, { input: { id, version: 1, runtimeMinutes: 99, citations: [cite('Her')] } }, write)).data!['updateFilm'].userErrors.map(
        (e: { code: string; field: string[] }) => [e.code, e.field],
      );
    expect(await errors(encodeGlobalID('Film', 999_999))).toEqual([['NOT_FOUND', ['input', 'id']]]);
    expect(await errors(encodeGlobalID('Person', 1))).toEqual([['INVALID', ['input', 'id']]]);
    expect(await errors('not-an-id')).toEqual([['INVALID', ['input', 'id']]]);
  });

  test('null erases a nullable fact (cited like any change)', async () => {
    const { version } = await her();
    const result = await client.query(UPDATE, { input: { id: herId, version, runtimeMinutes: null, citations: [cite('Her')] } }, write);
    expect(result.data!['updateFilm'].userErrors).toEqual([]);
    expect((await her()).runtimeMinutes).toBeNull();
  });

  test('a slug change is not a fact: it needs no citation, and one in use is TAKEN', async () => {
    const { version } = await her();
    const taken = await client.query(UPDATE, { input: { id: herId, version, slug: 'gladiator' } }, write);
    expect(taken.data!['updateFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['TAKEN', ['input', 'slug']]]);
    const renamed = await client.query(UPDATE, { input: { id: herId, version, slug: 'her-2013' } }, write);
    expect(renamed.data!['updateFilm'].userErrors).toEqual([]);
    expect((await client.query('{ film(slug: "her-2013") { id } }')).data!['film']).toEqual({ id: herId });
    const back = await client.query(UPDATE, { input: { id: herId, version: version + 1, slug: 'her' } }, write);
    expect(back.data!['updateFilm'].userErrors).toEqual([]);
  });
});

describe('createFilm', () => {
  const all = {
    title: 'Her',
    year: 2013,
    runtimeMinutes: 126,
    genres: ['Romance', 'Drama'],
    imdbId: 'tt1798709',
    tmdbId: 152601,
    wikidataId: 'Q132863',
  };

  test('creates a film with every fact cited, a slug derived from its title, at version 1', async () => {
    // The seed's "her" has none of these external ids; this is a second film of the same title.
    const result = await client.query(
      CREATE,
      {
        input: {
          ...all,
          citations: [
            fact('Her (2013)', ['title', 'year']),
            fact('runs 126 minutes', ['runtimeMinutes']),
            fact('a romance and a drama', ['genres']),
            fact('IMDb tt1798709, TMDB 152601, Wikidata Q132863', ['imdbId', 'tmdbId', 'wikidataId']),
          ],
        },
      },
      write,
    );
    expect(result.data!['createFilm'].userErrors).toEqual([]);
    const film = result.data!['createFilm'].film;
    expect(film).toMatchObject({ ...all, slug: 'her-2013', version: 1 });
    expect(film.citations.map((c: { field: string; excerpt: string }) => `${c.field}: ${c.excerpt}`).sort()).toEqual([
      'genres: a romance and a drama',
      'imdbId: IMDb tt1798709, TMDB 152601, Wikidata Q132863',
      'runtimeMinutes: runs 126 minutes',
      'title: Her (2013)',
      'tmdbId: IMDb tt1798709, TMDB 152601, Wikidata Q132863',
      'wikidataId: IMDb tt1798709, TMDB 152601, Wikidata Q132863',
      'year: Her (2013)',
    ]);
    const lookup = await client.query('{ film(externalId: { source: IMDB, id: "tt1798709" }) { id slug } }');
    expect(lookup.data!['film']).toEqual({ id: film.id, slug: 'her-2013' });
  });

  test('an external id or slug already in use is TAKEN at its field, and nothing is written', async () => {
    const films = await api.db.prisma.film.count();
    const imdb = await client.query(
      CREATE,
      { input: { title: 'Her', imdbId: 'tt1798709', citations: [fact('Her (2013)', ['title']), fact('tt1798709', ['imdbId'])] } },
      write,
    );
    expect(imdb.data!['createFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['TAKEN', ['input', 'imdbId']]]);
    const slug = await client.query(CREATE, { input: { title: 'Her', slug: 'her', citations: [fact('Her (2013)')] } }, write);
    expect(slug.data!['createFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['TAKEN', ['input', 'slug']]]);
    expect(await api.db.prisma.film.count()).toBe(films);
  });

  test('a derived slug that is taken gets the year, then a number', async () => {
    const slugs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const result = await client.query(CREATE, { input: { title: 'Her', year: 2013, citations: [fact('Her (2013)')] } }, write);
      slugs.push(result.data!['createFilm'].film.slug);
    }
    expect(slugs).toEqual(['her-2', 'her-3']);
  });

  test('a missing title is a GraphQL validation error (it is required by the schema)', async () => {
    const result = await client.query(CREATE, { input: { year: 2013 } }, write);
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('deleteFilm', () => {
  test('a stale version is a CONFLICT and deletes nothing', async () => {
    const { version } = await her();
    const result = await client.query(DELETE, { input: { id: herId, version: version + 1 } }, write);
    expect(result.data!['deleteFilm']).toEqual({
      deletedIds: [],
      userErrors: [{ field: ['input', 'version'], code: 'CONFLICT', currentVersion: version, message: expect.any(String) }],
    });
    expect(await api.db.prisma.film.count({ where: { slug: 'her' } })).toBe(1);
  });

  test('removes the film with its credits, releases, reviews, quotes and all their citations, lists them all, and keeps the people', async () => {
    const film = await api.db.prisma.film.findUniqueOrThrow({
      where: { slug: 'her' },
      include: { credits: true, releases: true, reviews: { include: { quotes: true } } },
    });
    const quotes = film.reviews.flatMap((r) => r.quotes);
    const citations = await api.db.prisma.citation.findMany({
      where: {
        OR: [
          { filmId: film.id },
          { creditId: { in: film.credits.map((c) => c.id) } },
          { releaseId: { in: film.releases.map((r) => r.id) } },
          { reviewId: { in: film.reviews.map((r) => r.id) } },
          { reviewQuoteId: { in: quotes.map((q) => q.id) } },
        ],
      },
    });
    expect([film.credits.length, film.releases.length, film.reviews.length, citations.length].every((n) => n > 0)).toBe(true);
    const people = await api.db.prisma.person.count();

    const result = await client.query(DELETE, { input: { id: herId, version: film.version, note: 'duplicate' } }, write);
    expect(result.data!['deleteFilm'].userErrors).toEqual([]);
    const expected = [
      encodeGlobalID('Film', film.id),
      ...film.credits.map((c) => encodeGlobalID('Credit', c.id)),
      ...film.releases.map((r) => encodeGlobalID('Release', r.id)),
      ...film.reviews.map((r) => encodeGlobalID('Review', r.id)),
      ...quotes.map((q) => encodeGlobalID('ReviewQuote', q.id)),
      ...citations.map((c) => encodeGlobalID('Citation', c.id)),
    ];
    expect([...result.data!['deleteFilm'].deletedIds].sort()).toEqual(expected.sort());
    expect(await api.db.prisma.film.findUnique({ where: { id: film.id } })).toBeNull();
    expect(await api.db.prisma.credit.count({ where: { filmId: film.id } })).toBe(0);
    expect(await api.db.prisma.citation.count({ where: { id: { in: citations.map((c) => c.id) } } })).toBe(0);
    expect(await api.db.prisma.person.count()).toBe(people);
    const revisions = await api.db.prisma.revision.findMany({ where: { changeSet: { operationName: 'deleteFilm' } }, include: { changeSet: true } });
    expect(revisions.map((r) => encodeGlobalID(r.entityType, r.entityId)).sort()).toEqual(expected.sort());
    expect(new Set(revisions.map((r) => [r.action, r.changeSet.note, r.changeSet.actor].join()))).toEqual(new Set([`DELETE,duplicate,${keys.write.name}`]));
    expect((await client.query(`{ node(id: "${herId}") { id } }`)).data!['node']).toBeNull();
  });

  test('a film already deleted is NOT_FOUND', async () => {
    const result = await client.query(DELETE, { input: { id: herId, version: 1 } }, write);
    expect(result.data!['deleteFilm'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'id']]]);
  });
});
