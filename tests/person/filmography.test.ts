import { insertDoubleRoleFixture, insertFilmographyFixtures } from '../helpers/facts-fixtures.ts';
import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { codes, useApi } from '../helpers/graphql.ts';

let twinIds: number[] = [];
// The statement-count queries below ask for 50-item pages with nested lists on purpose, past the
// production cost limit (MAX_COST 5000) and a minute's rate-limit points; both limits are tested
// in tests/plugins/cost/cost.test.ts and tests/plugins/rate-limit.test.ts.
const api = useApi(
  async (db) => {
    await insertSyntheticCatalog(db.prisma, { films: 60, people: 80, creditsPerFilm: 6 });
    const { filmIds } = await insertFilmographyFixtures(db.prisma);
    twinIds = [filmIds.get('facts-twin-1')!, filmIds.get('facts-twin-2')!];
    await insertDoubleRoleFixture(db.prisma);
  },
  { guard: { MAX_COST: 100_000, RATE_LIMIT_ENABLED: false } },
);

interface Entry {
  film: { slug: string; year: number | null };
  asCast: boolean;
  jobs: string[];
  roles: { kind: string; job: string; character: string | null }[];
}

async function filmography(slug: string, args = '') {
  const result = await api.client.query(
    `{ person(slug: "${slug}") { filmography${args ? `(${args})` : ''} {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { film { slug year } asCast jobs roles { kind job character } } }
        nodes { film { slug } }
    } } }`,
  );
  expect(result.errors).toBeUndefined();
  return result.data!.person.filmography as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    edges: { cursor: string; node: Entry }[];
    nodes: { film: { slug: string } }[];
  };
}

const slugs = (page: { edges: { node: Entry }[] }) => page.edges.map((e) => e.node.film.slug);

test('one entry per film with every role on it: Spike Jonze directed and wrote Her', async () => {
  const page = await filmography('spike-jonze');
  expect(page.totalCount).toBe(3);
  // The seeded films have no year, so all sort by title.
  expect(page.edges.map((e) => e.node)).toEqual([
    { film: { slug: 'being-john-malkovich', year: null }, asCast: false, jobs: ['Director'], roles: [{ kind: 'CREW', job: 'Director', character: null }] },
    {
      film: { slug: 'her', year: null },
      asCast: false,
      jobs: ['Director', 'Writer'],
      roles: [
        { kind: 'CREW', job: 'Director', character: null },
        { kind: 'CREW', job: 'Writer', character: null },
      ],
    },
    { film: { slug: 'where-the-wild-things-are', year: null }, asCast: false, jobs: ['Director'], roles: [{ kind: 'CREW', job: 'Director', character: null }] },
  ]);
  expect(page.nodes.map((n) => n.film.slug)).toEqual(slugs(page));
});

test('cast roles come before crew roles, and asCast says whether there is one', async () => {
  const page = await filmography('facts-auteur');
  expect(page.edges.find((e) => e.node.film.slug === 'facts-auteur-film')!.node).toEqual({
    film: { slug: 'facts-auteur-film', year: 2015 },
    asCast: true,
    jobs: ['Actor', 'Director', 'Writer'],
    roles: [
      { kind: 'CAST', job: 'Actor', character: 'Cameo' },
      { kind: 'CREW', job: 'Director', character: null },
      { kind: 'CREW', job: 'Writer', character: null },
    ],
  });
});

test('jobs names each job once: two parts in one film are one "Actor"', async () => {
  const page = await filmography('facts-double-role');
  expect(page.edges.map((e) => e.node)).toEqual([
    {
      film: { slug: 'facts-twin-1', year: 2010 },
      asCast: true,
      jobs: ['Actor', 'Director'],
      roles: [
        { kind: 'CAST', job: 'Actor', character: 'Twin A' },
        { kind: 'CAST', job: 'Actor', character: 'Twin B' },
        { kind: 'CREW', job: 'Director', character: null },
      ],
    },
  ]);
});

test('order: year descending, undated films last, then title, then film id', async () => {
  const page = await filmography('facts-auteur');
  const [first, second] = twinIds[0]! < twinIds[1]! ? ['facts-twin-1', 'facts-twin-2'] : ['facts-twin-2', 'facts-twin-1'];
  expect(slugs(page)).toEqual(['facts-aardvark', 'facts-zebra', 'facts-auteur-film', first, second, 'facts-undated-a', 'facts-undated-b']);
  expect(page.totalCount).toBe(7);
});

test('pages forward with first/after and backward with last/before, over films rather than credits', async () => {
  const all = slugs(await filmography('facts-auteur'));
  const one = await filmography('facts-auteur', 'first: 3');
  expect(slugs(one)).toEqual(all.slice(0, 3));
  expect(one.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  const two = await filmography('facts-auteur', `first: 3, after: "${one.pageInfo.endCursor}"`);
  expect(slugs(two)).toEqual(all.slice(3, 6));
  const three = await filmography('facts-auteur', `first: 3, after: "${two.pageInfo.endCursor}"`);
  expect(slugs(three)).toEqual(all.slice(6));
  expect(three.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  expect(three.totalCount).toBe(7);

  const back = await filmography('facts-auteur', `last: 2, before: "${two.pageInfo.endCursor}"`);
  expect(slugs(back)).toEqual(all.slice(3, 5));
  expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  expect(back.edges.map((e) => e.cursor)).toEqual([two.edges[0]!.cursor, two.edges[1]!.cursor]);
});

test('first: 0 gives no entries but the number of films', async () => {
  const page = await filmography('facts-auteur', 'first: 0');
  expect(page.edges).toEqual([]);
  expect(page.totalCount).toBe(7);
});

test('a cursor for a film outside this filmography gives an empty page', async () => {
  const her = Buffer.from('GPC:N:999999').toString('base64');
  const page = await filmography('facts-auteur', `after: "${her}"`);
  expect(page.edges).toEqual([]);
});

test.each([
  ['first above 100', 'first: 101', 'BAD_USER_INPUT'],
  ['a negative last', 'last: -1', 'BAD_USER_INPUT'],
  ['a forged cursor', 'after: "bm9wZQ=="', 'INVALID_CURSOR'],
])('%s is a coded error', async (_name, args, code) => {
  const result = await api.client.query(`{ person(slug: "spike-jonze") { filmography(${args}) { totalCount } } }`);
  expect(codes(result)).toEqual([code]);
});

test('people(first: 5) and people(first: 50) selecting the filmography issue the same number of statements', async () => {
  const query = `query ($first: Int!) { people(first: $first) { nodes { name
    filmography(first: 10) { totalCount nodes { asCast jobs film { title releases { date } } roles { job character citations { excerpt } } } }
  } } }`;
  const run = async (first: number) => {
    api.db.resetStatements();
    const result = await api.client.query(query, { first });
    expect(result.errors).toBeUndefined();
    return { count: api.db.statements.length, people: result.data!.people.nodes as { filmography: { totalCount: number } }[] };
  };
  const small = await run(5);
  const large = await run(50);
  expect(large.people).toHaveLength(50);
  expect(large.people.filter((p) => p.filmography.totalCount > 0).length).toBeGreaterThanOrEqual(40);
  expect(large.count).toBe(small.count);
  // 1 keyset statement for the page's ids, 1 loading those people with their filmographies.
  expect(large.count).toBe(2);
  console.info(`statements: people(first: 5) filmography = ${small.count}, people(first: 50) filmography = ${large.count}`);
});

test('selecting filmography beside credits still costs a fixed number of statements', async () => {
  const query = `query ($first: Int!) { people(first: $first) { nodes { credits(first: 3) { totalCount } filmography(first: 3) { edges { node { film { slug } roles { job } } } } } } }`;
  api.db.resetStatements();
  expect((await api.client.query(query, { first: 5 })).errors).toBeUndefined();
  const small = api.db.statements.length;
  api.db.resetStatements();
  expect((await api.client.query(query, { first: 50 })).errors).toBeUndefined();
  expect(api.db.statements.length).toBe(small);
  expect(small).toBeLessThanOrEqual(2);
});

test.each([
  ['only totalCount', '{ totalCount }', { totalCount: 3 }],
  [
    'only jobs and asCast',
    '{ nodes { jobs asCast } }',
    {
      nodes: [
        { jobs: ['Director'], asCast: false },
        { jobs: ['Director', 'Writer'], asCast: false },
        { jobs: ['Director'], asCast: false },
      ],
    },
  ],
  [
    'only film slugs',
    '{ nodes { film { slug } } }',
    { nodes: [{ film: { slug: 'being-john-malkovich' } }, { film: { slug: 'her' } }, { film: { slug: 'where-the-wild-things-are' } }] },
  ],
  [
    'only role jobs',
    '{ nodes { roles { job } } }',
    { nodes: [{ roles: [{ job: 'Director' }] }, { roles: [{ job: 'Director' }, { job: 'Writer' }] }, { roles: [{ job: 'Director' }] }] },
  ],
])('a selection of %s groups the same films in one statement', async (_name, selection, expected) => {
  api.db.resetStatements();
  const result = await api.client.query(`{ person(slug: "spike-jonze") { filmography ${selection} } }`);
  expect(result.errors).toBeUndefined();
  expect(result.data!.person.filmography).toEqual(expected);
  expect(api.db.statements).toHaveLength(1);
});

describe('FilmographyEntry is a Node', () => {
  const entryQuery = `{ person(slug: "spike-jonze") { id filmography { nodes { id film { id slug } jobs } } } }`;
  const decode = (id: string) => Buffer.from(id, 'base64').toString('utf8');

  async function entries() {
    const result = await api.client.query(entryQuery);
    expect(result.errors).toBeUndefined();
    return result.data!.person as { id: string; filmography: { nodes: { id: string; film: { id: string; slug: string }; jobs: string[] }[] } };
  }

  test('its id names the person and the film, and is the same on every read', async () => {
    const person = await entries();
    const personId = decode(person.id).split(':')[1];
    expect(person.filmography.nodes.map((n) => decode(n.id))).toEqual(
      person.filmography.nodes.map((n) => `FilmographyEntry:${personId}:${decode(n.film.id).split(':')[1]}`),
    );
    // Stable: the same entry on a page of its own (after the first) has the same id.
    const again = await api.client.query(
      `{ person(slug: "spike-jonze") { filmography(first: 1, after: "${Buffer.from(`GPC:N:${decode(person.filmography.nodes[0]!.film.id).split(':')[1]}`).toString('base64')}") { nodes { id } } } }`,
    );
    expect(again.data!.person.filmography.nodes).toEqual([{ id: person.filmography.nodes[1]!.id }]);
  });

  test('node(id:) refetches the entry with its roles', async () => {
    const her = (await entries()).filmography.nodes.find((n) => n.film.slug === 'her')!;
    const result = await api.client.query(
      `query ($id: ID!) { node(id: $id) { __typename id ... on FilmographyEntry { film { slug } asCast jobs roles { kind job } } } }`,
      {
        id: her.id,
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.node).toEqual({
      __typename: 'FilmographyEntry',
      id: her.id,
      film: { slug: 'her' },
      asCast: false,
      jobs: ['Director', 'Writer'],
      roles: [
        { kind: 'CREW', job: 'Director' },
        { kind: 'CREW', job: 'Writer' },
      ],
    });
  });

  test('nodes(ids:) refetches many entries in a fixed number of statements, null for a pair without credits', async () => {
    const { filmography } = await entries();
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on FilmographyEntry { film { slug title directors { name } } jobs roles { job character person { name } } } } }`;
    const run = async (ids: string[]) => {
      api.db.resetStatements();
      const result = await api.client.query(query, { ids });
      expect(result.errors).toBeUndefined();
      return { count: api.db.statements.length, nodes: result.data!.nodes as ({ id: string; film: { slug: string }; jobs: string[] } | null)[] };
    };
    const one = await run([filmography.nodes[0]!.id]);
    const all = await run(filmography.nodes.map((n) => n.id));
    expect(all.nodes.map((n) => n && [n.id, n.film.slug, n.jobs])).toEqual(filmography.nodes.map((n) => [n.id, n.film.slug, n.jobs]));
    expect(all.count).toBe(one.count);
    // The entries' credits with their films in one statement; directors and the roles' people batched.
    expect(all.count).toBeLessThanOrEqual(3);

    // A well-formed id of a pair that has no credit: null, as for a deleted row of any type.
    const nobody = Buffer.from('FilmographyEntry:999999:999999').toString('base64');
    const missing = await run([nobody, filmography.nodes[0]!.id]);
    expect(missing.nodes.map((n) => n?.id ?? null)).toEqual([null, filmography.nodes[0]!.id]);
  });

  test.each([
    ['one id part', 'FilmographyEntry:12'],
    ['three id parts', 'FilmographyEntry:1:2:3'],
    ['a film id past int4', 'FilmographyEntry:1:2147483648'],
    ['a composite id for a type with one key', 'Film:1:2'],
  ])('%s is INVALID_ID', async (_name, raw) => {
    const result = await api.client.query(`query ($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from(raw).toString('base64') });
    expect(codes(result)).toEqual(['INVALID_ID']);
  });
});
