import { graphql } from './gql/index.ts';

/** A film page: the fields that use every custom scalar, so their mapped types are exercised. */
export const FilmPageQuery = graphql(`
  query FilmPage($slug: String!, $country: CountryCode!) {
    film(slug: $slug) {
      id
      title
      year
      runtimeMinutes
      updatedAt
      cast {
        billingOrder
        character
        person {
          name
        }
      }
      releaseFor(country: $country) {
        matchedCountry
        release {
          country
          date
        }
      }
      citations {
        source {
          title
          url
          publishedOn
        }
      }
    }
  }
`);
