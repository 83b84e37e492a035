import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Arrival (2016) runs 116 minutes. Some say it is a drama; its languages suggest it is also science fiction.';
const CREATE = /* GraphQL */ `
  mutation Create($input: CreateFilmInput!) {
    createFilm(input: $input) {
      film {
        id
        title
        year
        runtimeMinutes
        citations {
          field
          kind
          excerpt
          start
          end
          note
        }
        revisions {
          nodes {
            citations {
              field
            }
            changeSet {
              note
              actor
            }
          }
        }
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'arrival-facts', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  client = createClient(api.db);
  keys = await testKeys(api.db.prisma);
});

const cite = (excerpt: string, extra: Record<string, unknown> = {}) => ({ sourceSlug: 'arrival-facts', excerpt, ...extra });
const errors = (result: { data?: Record<string, any> | null }) =>
  (result.data!['createFilm'].userErrors as { code: string; field: string[] }[]).map((e) => [e.code, e.field.join('.')]);

test('a fact without a citation is refused (CITATION_REQUIRED, one error per fact) for a write key', async () => {
  const films = await api.db.prisma.film.count();
  const result = await client.query(CREATE, { input: { title: 'Arrival', year: 2016 } }, keys.write.headers);
  expect(errors(result)).toEqual([
    ['CITATION_REQUIRED', 'input.title'],
    ['CITATION_REQUIRED', 'input.year'],
  ]);
  expect(await api.db.prisma.film.count()).toBe(films);
});

test('stating a note instead of citations needs the admin scope: a write key is FORBIDDEN', async () => {
  const result = await client.query(CREATE, { input: { title: 'Arrival', note: 'from the festival programme' } }, keys.write.headers);
  expect(codes(result)).toEqual(['FORBIDDEN']);
  expect(result.errors![0]!.message).toMatch(/lacks the `admin` scope/);
});

test('an admin key without a note still has to cite', async () => {
  const result = await client.query(CREATE, { input: { title: 'Arrival' } }, keys.admin.headers);
  expect(errors(result)).toEqual([['CITATION_REQUIRED', 'input.title']]);
});

test('an admin key with a note may set facts uncited: no citation rows, the note on the change set', async () => {
  const result = await client.query(CREATE, { input: { title: 'Arrival', year: 2016, note: 'from the distributor press kit' } }, keys.admin.headers);
  expect(result.data!['createFilm'].userErrors).toEqual([]);
  const film = result.data!['createFilm'].film;
  expect(film).toMatchObject({ title: 'Arrival', year: 2016, citations: [] });
  expect(film.revisions.nodes).toEqual([{ citations: [], changeSet: { note: 'from the distributor press kit', actor: keys.admin.name } }]);
});

test('with a note, an admin may cite some facts and leave the others uncited; a write key with a note may not', async () => {
  const input = { title: 'Arrival', runtimeMinutes: 116, citations: [cite('runs 116 minutes', { fields: ['runtimeMinutes'] })], note: 'title from the poster' };
  const admin = await client.query(CREATE, { input }, keys.admin.headers);
  expect(admin.data!['createFilm'].userErrors).toEqual([]);
  expect(admin.data!['createFilm'].film.citations.map((c: { field: string }) => c.field)).toEqual(['runtimeMinutes']);
  const write = await client.query(CREATE, { input }, keys.write.headers);
  expect(errors(write)).toEqual([['CITATION_REQUIRED', 'input.title']]);
});

test('each citation backs the fields it names, located in the text, with its kind and note', async () => {
  const result = await client.query(
    CREATE,
    {
      input: {
        title: 'Arrival',
        year: 2016,
        genres: ['Drama', 'Science Fiction'],
        citations: [
          cite('Arrival (2016)', { fields: ['title', 'year'] }),
          cite('its languages suggest it is also science fiction', { fields: ['genres'], kind: 'INFERRED', note: 'first contact through linguistics' }),
        ],
      },
    },
    keys.write.headers,
  );
  expect(result.data!['createFilm'].userErrors).toEqual([]);
  const at = (excerpt: string) => ({ start: TEXT.indexOf(excerpt), end: TEXT.indexOf(excerpt) + excerpt.length });
  expect(result.data!['createFilm'].film.citations).toEqual(
    expect.arrayContaining([
      { field: 'title', kind: 'STATED', excerpt: 'Arrival (2016)', ...at('Arrival (2016)'), note: null },
      { field: 'year', kind: 'STATED', excerpt: 'Arrival (2016)', ...at('Arrival (2016)'), note: null },
      {
        field: 'genres',
        kind: 'INFERRED',
        excerpt: 'its languages suggest it is also science fiction',
        ...at('its languages suggest it is also science fiction'),
        note: 'first contact through linguistics',
      },
    ]),
  );
  expect(result.data!['createFilm'].film.citations).toHaveLength(3);
  expect(result.data!['createFilm'].film.revisions.nodes[0].citations.map((c: { field: string }) => c.field).sort()).toEqual(['genres', 'title', 'year']);
});

test('every citation error is reported at once, with its path', async () => {
  const result = await client.query(
    CREATE,
    { input: { title: 'Arrival', citations: [cite('not in the text'), { sourceSlug: 'nowhere', excerpt: 'Arrival' }, cite('Arrival', { occurrence: 3 })] } },
    keys.write.headers,
  );
  expect(errors(result)).toEqual([
    ['EXCERPT_NOT_FOUND', 'input.citations.0.excerpt'],
    ['NOT_FOUND', 'input.citations.1.sourceSlug'],
    ['EXCERPT_NOT_FOUND', 'input.citations.2.excerpt'],
  ]);
  const messages = (result.data!['createFilm'].userErrors as { message: string }[]).map((e) => e.message);
  // occurrence 3 is the fourth: "4 times"; without an occurrence, no count
  expect([messages[0], messages[2]]).toEqual([
    'The excerpt does not occur in the source text; quote it verbatim.',
    'The excerpt does not occur in the source text 4 times; quote it verbatim.',
  ]);
});

test('a citation names its source exactly once: both sourceSlug and sourceId, or neither, is refused at sourceSlug', async () => {
  const both = await client.query(CREATE, { input: { title: 'Arrival', citations: [cite('Arrival', { sourceId: 'U291cmNlOjE=' })] } }, keys.write.headers);
  const neither = await client.query(CREATE, { input: { title: 'Arrival', citations: [{ excerpt: 'Arrival' }] } }, keys.write.headers);
  for (const result of [both, neither]) {
    expect(result.data!['createFilm'].userErrors).toEqual([
      { field: ['input', 'citations', '0', 'sourceSlug'], code: 'INVALID', message: 'give exactly one of sourceSlug and sourceId' },
    ]);
  }
});

test('a citation naming fields the input does not state is refused at its fields, naming them and the facts it could name', async () => {
  const result = await client.query(
    CREATE,
    {
      input: { title: 'Arrival', runtimeMinutes: 116, citations: [cite('Arrival (2016) runs 116 minutes', { fields: ['runtimeMinutes', 'budget', 'gross'] })] },
    },
    keys.write.headers,
  );
  expect(result.data!['createFilm'].userErrors).toEqual([
    {
      field: ['input', 'citations', '0', 'fields'],
      code: 'INVALID',
      message:
        'fields names budget, gross, not a fact of this input (title, originalTitle, year, synopsis, genres, runtimeMinutes, imdbId, tmdbId, wikidataId)',
    },
    // the citation backs runtimeMinutes only, so the title is still uncited
    {
      field: ['input', 'title'],
      code: 'CITATION_REQUIRED',
      message: 'title is changed without a citation: add a CitationInput that backs it (or, with the admin scope, state a note).',
    },
  ]);
});

test('a citation naming a fact the write does not set backs only the facts it sets: no citation of an unset fact', async () => {
  const result = await client.query(
    CREATE,
    { input: { title: 'Arrival', runtimeMinutes: 116, citations: [cite('Arrival (2016) runs 116 minutes', { fields: ['title', 'runtimeMinutes', 'year'] })] } },
    keys.write.headers,
  );
  expect(result.data!['createFilm'].userErrors).toEqual([]);
  expect(result.data!['createFilm'].film.citations.map((c: { field: string }) => c.field).sort()).toEqual(['runtimeMinutes', 'title']);
});

test('an update that changes nothing cites nothing and checks no citation: not even one whose source or excerpt is wrong', async () => {
  const created = await client.query(
    CREATE,
    { input: { title: 'Arrival', runtimeMinutes: 116, citations: [cite('Arrival (2016) runs 116 minutes')] } },
    keys.write.headers,
  );
  const film = created.data!['createFilm'].film as { id: string; citations: unknown[] };
  const { version } = await api.db.prisma.film.findFirstOrThrow({ where: { title: 'Arrival' }, orderBy: { id: 'desc' }, select: { version: true } });
  const before = await api.db.prisma.citation.count();
  const update = /* GraphQL */ `
    mutation ($input: UpdateFilmInput!) {
      updateFilm(input: $input) {
        film {
          runtimeMinutes
          citations {
            field
          }
        }
        userErrors {
          field
          code
        }
      }
    }
  `;
  for (const citations of [[cite('not in the text')], [{ sourceSlug: 'nowhere', excerpt: 'Arrival' }]]) {
    const result = await client.query(update, { input: { id: film.id, version, runtimeMinutes: 116, citations } }, keys.write.headers);
    expect(result.data!['updateFilm']).toEqual({ film: { runtimeMinutes: 116, citations: film.citations.map(() => expect.anything()) }, userErrors: [] });
  }
  expect(await api.db.prisma.citation.count()).toBe(before);
});

test('a citation may name its source by global id; an unknown slug or id is NOT_FOUND, saying which', async () => {
  const source = await api.db.prisma.source.findUniqueOrThrow({ where: { slug: 'arrival-facts' }, select: { id: true } });
  const sourceId = Buffer.from(`Source:${source.id}`).toString('base64');
  const byId = await client.query(CREATE, { input: { title: 'Arrival', citations: [{ sourceId, excerpt: 'Arrival (2016)' }] } }, keys.write.headers);
  expect(byId.data!['createFilm'].userErrors).toEqual([]);
  expect(byId.data!['createFilm'].film.citations).toEqual([expect.objectContaining({ field: 'title', excerpt: 'Arrival (2016)' })]);

  const unknown = await client.query(
    CREATE,
    {
      input: {
        title: 'Arrival',
        citations: [
          { sourceSlug: 'nowhere', excerpt: 'Arrival' },
          { sourceId: Buffer.from('Source:999999').toString('base64'), excerpt: 'Arrival' },
        ],
      },
    },
    keys.write.headers,
  );
  expect(unknown.data!['createFilm'].userErrors).toEqual([
    { field: ['input', 'citations', '0', 'sourceSlug'], code: 'NOT_FOUND', message: 'No source with slug "nowhere".' },
    { field: ['input', 'citations', '1', 'sourceId'], code: 'NOT_FOUND', message: 'No source with that id.' },
  ]);
});

test('citations by slug and by id in one input each resolve to their own source', async () => {
  const other = await insertSource(api.db.prisma, 'arrival-box-office', 'Arrival grossed $203 million worldwide.');
  const sourceId = Buffer.from(`Source:${other.id}`).toString('base64');
  const result = await client.query(
    CREATE,
    { input: { title: 'Arrival', citations: [cite('Arrival (2016)'), { sourceId, excerpt: 'Arrival grossed' }] } },
    keys.write.headers,
  );
  expect(result.data!['createFilm'].userErrors).toEqual([]);
  const rows = await api.db.prisma.citation.findMany({
    where: { filmId: Number(Buffer.from(result.data!['createFilm'].film.id, 'base64').toString().split(':')[1]) },
    select: { excerpt: true, start: true, source: { select: { slug: true } } },
    orderBy: { id: 'asc' },
  });
  expect(rows).toEqual([
    { excerpt: 'Arrival (2016)', start: TEXT.indexOf('Arrival (2016)'), source: { slug: 'arrival-facts' } },
    { excerpt: 'Arrival grossed', start: 0, source: { slug: 'arrival-box-office' } },
  ]);
});
