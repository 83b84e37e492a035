import type { TestDatabase } from './db.ts';
import { insertSyntheticCatalog } from './factory.ts';

// The documents whose statement counts tests/schema/n-plus-one.test.ts documents, and the catalogue
// they run on; tests/plugins/compiled/statements.test.ts checks the same counts under graphql-jit.

/** 60 films with 6 credits, 3 reviews and 2 releases each: enough for 50-item pages with nested data. */
export const seedStatementCatalog = (db: TestDatabase) =>
  insertSyntheticCatalog(db.prisma, { films: 60, creditsPerFilm: 6, reviewsPerFilm: 3, releasesPerFilm: 2 });

export const FILMS_DEEP = `query ($first: Int!) {
  films(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      title
      credits(first: 10) { totalCount edges { node { kind job character person { name slug } } } }
      cast { character person { name } }
      directors { name }
      reviews(first: 5) { edges { node { normalizedScore quote publication { name } } } }
      releases { country date type }
      citations { excerpt source { slug } }
    } }
  }
}`;

export const PEOPLE_DEEP = `query ($first: Int!) {
  people(first: $first) { edges { node { name aliases { name } credits(first: 20) { totalCount edges { node { job film { title releases { date } } } } } } } }
}`;

export const FILMS_LISTED = `query ($first: Int!, $facets: Boolean!) {
  films(
    first: $first
    filter: { hasReviews: true, yearFrom: 1950, yearTo: 2030, creditJob: "actor", releasedIn: { from: "2000-01-01" }, minCriticScore: 0 }
    orderBy: [{ field: CRITIC_SCORE, direction: DESC }, { field: RELEASE_DATE }, { field: TITLE }]
  ) {
    totalCount
    facets @include(if: $facets) { genres { value count } years { value count } countries { value count } }
    pageInfo { hasNextPage endCursor }
    edges { cursor node { title credits(first: 10) { edges { node { job person { name } } } } } }
  }
}`;

export const PEOPLE_LISTED = `query ($first: Int!) {
  people(first: $first, filter: { job: "actor" }, orderBy: [{ field: CREDIT_COUNT, direction: DESC }, { field: NAME }]) {
    totalCount
    edges { node { name credits(first: 5) { edges { node { job film { title } } } } } }
  }
}`;

export const FILM_DETAIL = `query ($slug: String!) { film(slug: $slug) {
  title
  cast: credits(first: 3, filter: { kind: CAST }) { edges { node { character person { name } } } }
  directors { name }
  writers { slug }
  releases { country }
  reviews(first: 2) { edges { node { publication { name } } } }
} }`;
