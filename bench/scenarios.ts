/**
 * The benchmark scenarios, each written once per system: Cinegraph's GraphQL API, PostGraphile
 * v5's generated schema (Amber preset + connection-filter) and the bare Prisma handler's routes.
 * docs/benchmarks.md explains the mapping; keep both in step.
 */

export type SystemKind = 'cinegraph' | 'postgraphile' | 'bare';
export type ScenarioName = 'typename' | 'film' | 'films' | 'search' | 'mixed';

/** Request parameters rotated across requests, sampled from the loaded data. */
export interface Params {
  slug: string;
  yearFrom: number;
  yearTo: number;
  genre: string;
  prefix: string;
  /** Page size of the scenario's main list (statement counts must not depend on it). */
  pageSize: number;
}

export type Request = { method: 'POST'; path: '/graphql'; body: string } | { method: 'GET'; path: string };

export interface Scenario {
  name: Exclude<ScenarioName, 'mixed'>;
  title: string;
  /** Levels of nested relations below Query (Query.film → credits → person = 3); budget = depth + 1. */
  depth: number;
  defaultPageSize: number;
  request: Record<SystemKind, ((p: Params) => Request) | { unavailable: string }>;
  /** Throws when a response does not hold the data the scenario asked for. */
  check: (system: SystemKind, json: unknown) => void;
}

function gql(query: string, variables: Record<string, unknown>): Request {
  return { method: 'POST', path: '/graphql', body: JSON.stringify({ query, variables }) };
}

function get(path: string, query: Record<string, string | number>): Request {
  return { method: 'GET', path: `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` };
}

/** Follow `path` into a JSON value; throws naming the missing step. */
export function dig(json: unknown, path: (string | number)[]): unknown {
  let value = json;
  for (const step of path) {
    if (value === null || typeof value !== 'object') throw new Error(`response has no ${path.join('.')}`);
    value = (value as Record<string | number, unknown>)[step];
  }
  return value;
}

function graphqlErrors(json: unknown): void {
  const errors = (json as { errors?: { message: string; extensions?: { code?: string } }[] }).errors;
  if (errors?.length) {
    throw new Error(errors.map((e) => `${e.message}${e.extensions?.code ? ` [${e.extensions.code}]` : ''}`).join('; '));
  }
}

function nonEmpty(value: unknown, what: string): void {
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${what} is empty or missing`);
}

export const FILM_CINEGRAPH = /* GraphQL */ `
  query FilmDetail($slug: String!, $first: Int!) {
    film(slug: $slug) {
      id
      slug
      title
      year
      runtimeMinutes
      genres
      synopsis
      cast: credits(first: $first, filter: { kind: CAST }) {
        edges {
          node {
            character
            billingOrder
            person {
              id
              slug
              name
            }
          }
        }
      }
      directors {
        id
        slug
        name
      }
      releases {
        country
        date
        type
        certification
      }
      reviews(first: 5) {
        edges {
          node {
            normalizedScore
            publishedOn
            publication {
              name
              slug
            }
          }
        }
      }
    }
  }
`;

// PostGraphile exposes `<table>By<UniqueConstraint>` only for unique *constraints*; Prisma makes
// slug a unique *index*, so the lookup is allFilms(condition: { slug }) with first: 1.
const FILM_POSTGRAPHILE = /* GraphQL */ `
  query FilmDetail($slug: String!, $first: Int!) {
    allFilms(condition: { slug: $slug }, first: 1) {
      nodes {
        id
        slug
        title
        year
        runtimeMinutes
        genres
        synopsis
        cast: creditsByFilmId(first: $first, condition: { kind: CAST }, orderBy: [BILLING_ORDER_ASC, ROW_ID_ASC]) {
          nodes {
            character
            billingOrder
            personByPersonId {
              id
              slug
              name
            }
          }
        }
        directors: creditsByFilmId(condition: { kind: CREW, job: "Director" }, orderBy: [ROW_ID_ASC]) {
          nodes {
            personByPersonId {
              id
              slug
              name
            }
          }
        }
        releasesByFilmId(orderBy: [DATE_ASC, COUNTRY_ASC, ROW_ID_ASC]) {
          nodes {
            country
            date
            type
            certification
          }
        }
        reviewsByFilmId(first: 5, orderBy: [PUBLISHED_ON_DESC, ROW_ID_ASC]) {
          nodes {
            normalizedScore
            publishedOn
            publicationByPublicationId {
              name
              slug
            }
          }
        }
      }
    }
  }
`;

export const FILMS_CINEGRAPH = /* GraphQL */ `
  query FilmList($yearFrom: Int!, $yearTo: Int!, $genre: String!, $first: Int!) {
    films(first: $first, filter: { yearFrom: $yearFrom, yearTo: $yearTo, genres: [$genre] }, orderBy: [{ field: YEAR, direction: DESC }]) {
      edges {
        node {
          id
          title
          year
          credits(first: 8) {
            edges {
              node {
                job
                character
                person {
                  id
                  name
                }
              }
            }
          }
        }
      }
    }
  }
`;

// PostGraphile cannot order by an enum column (kind); billing order ascending puts cast first
// (crew have none, and NULLs sort last), which is Cinegraph's kind-then-billing order.
const FILMS_POSTGRAPHILE = /* GraphQL */ `
  query FilmList($yearFrom: Int!, $yearTo: Int!, $genre: String!, $first: Int!) {
    allFilms(
      first: $first
      filter: { year: { greaterThanOrEqualTo: $yearFrom, lessThanOrEqualTo: $yearTo }, genres: { contains: [$genre] } }
      orderBy: [YEAR_DESC, ROW_ID_ASC]
    ) {
      nodes {
        id
        title
        year
        creditsByFilmId(first: 8, orderBy: [BILLING_ORDER_ASC, ROW_ID_ASC]) {
          nodes {
            job
            character
            personByPersonId {
              id
              name
            }
          }
        }
      }
    }
  }
`;

const SEARCH_CINEGRAPH = /* GraphQL */ `
  query Search($query: String!, $first: Int!) {
    search(query: $query, first: $first) {
      edges {
        score
        matchedField
        node {
          __typename
          ... on Film {
            id
            title
            year
          }
          ... on Person {
            id
            name
          }
        }
      }
    }
  }
`;

// No ranked search in PostGraphile: the nearest equivalent is a case-insensitive prefix filter
// on titles (ILIKE 'prefix%'), unranked and films only. Ratios for this scenario compare unlike work.
const SEARCH_POSTGRAPHILE = /* GraphQL */ `
  query Search($query: String!, $first: Int!) {
    allFilms(first: $first, filter: { title: { startsWithInsensitive: $query } }, orderBy: [TITLE_ASC, ROW_ID_ASC]) {
      nodes {
        __typename
        id
        title
        year
      }
    }
  }
`;

export const SCENARIOS: Scenario[] = [
  {
    name: 'typename',
    title: '{ __typename } (framework overhead)',
    depth: 0,
    defaultPageSize: 0,
    request: {
      cinegraph: () => gql('{ __typename }', {}),
      postgraphile: () => gql('{ __typename }', {}),
      bare: () => ({ method: 'GET', path: '/typename' }),
    },
    check: (system, json) => {
      if (system !== 'bare') graphqlErrors(json);
      if (dig(json, ['data', '__typename']) !== 'Query') throw new Error('data.__typename is not "Query"');
    },
  },
  {
    name: 'film',
    title: 'film detail by slug: scalars, cast (first 10) → person, directors, releases, reviews → publication',
    depth: 3,
    defaultPageSize: 10,
    request: {
      cinegraph: (p) => gql(FILM_CINEGRAPH, { slug: p.slug, first: p.pageSize }),
      postgraphile: (p) => gql(FILM_POSTGRAPHILE, { slug: p.slug, first: p.pageSize }),
      bare: (p) => get('/film', { slug: p.slug, first: p.pageSize }),
    },
    check: (system, json) => {
      if (system !== 'bare') graphqlErrors(json);
      const film = system === 'postgraphile' ? dig(json, ['data', 'allFilms', 'nodes', 0]) : dig(json, ['data', 'film']);
      if (!film) throw new Error('film not found');
      nonEmpty(dig(film, system === 'cinegraph' ? ['cast', 'edges'] : system === 'bare' ? ['cast'] : ['cast', 'nodes']), 'cast');
    },
  },
  {
    name: 'films',
    title: 'films(first: 20, filter: year range + genre, orderBy YEAR DESC) → credits (first 8) → person',
    depth: 3,
    defaultPageSize: 20,
    request: {
      cinegraph: (p) => gql(FILMS_CINEGRAPH, { yearFrom: p.yearFrom, yearTo: p.yearTo, genre: p.genre, first: p.pageSize }),
      postgraphile: (p) => gql(FILMS_POSTGRAPHILE, { yearFrom: p.yearFrom, yearTo: p.yearTo, genre: p.genre, first: p.pageSize }),
      bare: (p) => get('/films', { yearFrom: p.yearFrom, yearTo: p.yearTo, genre: p.genre, first: p.pageSize }),
    },
    check: (system, json) => {
      if (system !== 'bare') graphqlErrors(json);
      nonEmpty(dig(json, system === 'cinegraph' ? ['data', 'films', 'edges'] : system === 'bare' ? ['data', 'films'] : ['data', 'allFilms', 'nodes']), 'films');
    },
  },
  {
    name: 'search',
    title: 'search(query: common prefix, first: 10) over films and people',
    depth: 2,
    defaultPageSize: 10,
    request: {
      cinegraph: (p) => gql(SEARCH_CINEGRAPH, { query: p.prefix, first: p.pageSize }),
      postgraphile: (p) => gql(SEARCH_POSTGRAPHILE, { query: p.prefix, first: p.pageSize }),
      bare: (p) => get('/search', { query: p.prefix, first: p.pageSize }),
    },
    check: (system, json) => {
      if (system !== 'bare') graphqlErrors(json);
      nonEmpty(
        dig(json, system === 'cinegraph' ? ['data', 'search', 'edges'] : system === 'bare' ? ['data', 'search'] : ['data', 'allFilms', 'nodes']),
        'search results',
      );
    },
  },
];

/** The mixed workload: a request-by-request draw with these weights (documented in docs/benchmarks.md). */
export const MIXED_WEIGHTS: Record<Scenario['name'], number> = { film: 50, films: 25, search: 15, typename: 10 };

export const SCENARIO_NAMES: ScenarioName[] = ['typename', 'film', 'films', 'search', 'mixed'];

export function scenarioByName(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
