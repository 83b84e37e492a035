import { QUERY_MIX } from '../../../scripts/measure-setup.ts';
import { createClient, useApi, type Client } from '../../helpers/graphql.ts';
import { FILM_DETAIL, FILMS_DEEP, FILMS_LISTED, PEOPLE_DEEP, PEOPLE_LISTED, seedStatementCatalog } from '../../helpers/statement-documents.ts';

// The statement counts of tests/schema/n-plus-one.test.ts, on every execution path: graphql-js,
// compiled (graphql-jit) and compiled with the SQL statements of src/plugins/compiled/sql (the
// default; documents it cannot express run on graphql-jit). Under graphql-jit the Prisma plugin
// only finds its selection plans through src/plugins/compiled/stable-paths.ts; without it these
// counts were 13, 5, 6, 5 and 7.
const api = useApi(seedStatementCatalog, {
  guard: { MAX_COST: 50_000 },
});

// Many requests from one client: the rate limit would refuse the later ones.
const guard = { MAX_COST: 50_000, RATE_LIMIT_ENABLED: false };
let paths: Record<'graphql-js' | 'compiled' | 'sql', Client>;
let slug: string;
beforeAll(async () => {
  paths = {
    'graphql-js': createClient(api.db, { jit: false, guard }),
    compiled: createClient(api.db, { jit: true, sql: false, guard }),
    sql: createClient(api.db, { jit: true, sql: true, guard }),
  };
  const film = await api.db.prisma.film.findFirstOrThrow({ where: { credits: { some: { kind: 'CREW', job: 'Director' } } }, orderBy: { id: 'asc' } });
  slug = film.slug;
});

async function statementsFor(path: keyof typeof paths, query: string, variables: Record<string, unknown>) {
  api.db.resetStatements();
  const result = await paths[path].query(query, variables);
  expect(result.errors).toBeUndefined();
  return { count: api.db.statements.length, data: result.data };
}

describe.each(['graphql-js', 'compiled', 'sql'] as const)('%s execution', (path) => {
  test.each([
    ['films(first: 5) deep', FILMS_DEEP, { first: 5 }, 4],
    ['films(first: 50) deep', FILMS_DEEP, { first: 50 }, 4],
    ['people(first: 5) deep', PEOPLE_DEEP, { first: 5 }, 2],
    ['people(first: 50) deep', PEOPLE_DEEP, { first: 50 }, 2],
    ['filtered films(first: 50) + facets', FILMS_LISTED, { first: 50, facets: true }, 4],
    ['filtered films(first: 50) without facets', FILMS_LISTED, { first: 50, facets: false }, 3],
    ['filtered people(first: 50)', PEOPLE_LISTED, { first: 50 }, 3],
  ])('%s issues the statements n-plus-one.test.ts documents', async (_name, query, variables, expected) => {
    // Twice: the compiled path compiles on the first request and runs the compiled query on the second.
    await statementsFor(path, query, variables);
    expect((await statementsFor(path, query, variables)).count).toBe(expected);
  });

  test('a film detail with a cast page, directors, writers, releases and reviews → publication is one statement, every time', async () => {
    for (let i = 0; i < 3; i++) expect((await statementsFor(path, FILM_DETAIL, { slug })).count).toBe(1);
  });
});

const SAME_ANSWERS: [string, string, Record<string, unknown>][] = [
  ['films deep', FILMS_DEEP, { first: 20 }],
  ['people deep', PEOPLE_DEEP, { first: 20 }],
  ['filtered films', FILMS_LISTED, { first: 20, facets: true }],
  ['filtered people', PEOPLE_LISTED, { first: 20 }],
  ['film detail', FILM_DETAIL, {}],
  ...Object.entries(QUERY_MIX).map(([name, query]): [string, string, Record<string, unknown>] => [name, query, {}]),
];

describe.each(['compiled', 'sql'] as const)('%s execution', (path) => {
  test.each(SAME_ANSWERS)('%s: answers exactly what graphql-js answers, with at most as many statements', async (_name, query, variables) => {
    const vars = { slug, ...variables };
    const plain = await statementsFor('graphql-js', query, vars);
    await statementsFor(path, query, vars);
    const compiled = await statementsFor(path, query, vars);
    expect(compiled.data).toEqual(plain.data);
    // graphql-jit issues as many; one SQL statement may replace several
    if (path === 'compiled') expect(compiled.count).toBe(plain.count);
    else expect(compiled.count).toBeLessThanOrEqual(plain.count);
  });
});
