import { useEffect } from 'react';
import { Link } from 'wouter';
import { useClient, useQuery } from 'urql';
import { Fact } from '../components/Cite.tsx';
import { MoreButton, useMorePages } from '../components/MorePages.tsx';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { graphql, readFragment } from '../gql';
import type { ResultOf } from '@graphql-typed-document-node/core';

const PersonPageQuery = graphql(`
  query PersonPage($slug: String!) {
    person(slug: $slug) {
      id
      name
      citations {
        ...CitationLink
      }
      aliases {
        id
        name
        citations {
          ...CitationLink
        }
      }
      # A page of 30 rows keeps the whole query (roles and their citations included) within the API's cost limit; "More" asks for the next.
      filmography(first: 30) {
        ...FilmographyRows
      }
    }
  }
`);

const FilmographyRowsFragment = graphql(`
  fragment FilmographyRows on FilmographyConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      jobs
      film {
        id
        slug
        title
        year
      }
      roles {
        id
        kind
        job
        character
        citations {
          ...CitationLink
        }
      }
    }
  }
`);

const MoreFilmographyQuery = graphql(`
  query PersonFilmography($slug: String!, $after: String!) {
    person(slug: $slug) {
      id
      filmography(first: 30, after: $after) {
        ...FilmographyRows
      }
    }
  }
`);

type FilmographyPage = ResultOf<typeof FilmographyRowsFragment>;

export function PersonPage({ slug }: { slug: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: PersonPageQuery, variables: { slug } });
  const person = data?.person;
  useEffect(() => {
    if (person) document.title = `${person.name} · Cinegraph`;
  }, [person]);
  if (error && !person) return <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !person) return <Loading label="Loading the person" />;
  if (!person) {
    return (
      <section className="page">
        <h1>No such person</h1>
        <p>
          Nobody is catalogued under “{slug}”. <Link href="/">Search</Link> instead.
        </p>
      </section>
    );
  }
  return (
    <article className="page person">
      <h1>
        <Fact citations={person.citations} label={`Source for ${person.name}`}>
          {person.name}
        </Fact>
      </h1>
      {person.aliases.length > 0 && (
        <p>
          Also known as{' '}
          {person.aliases.map((alias, i) => (
            <span key={alias.id}>
              {i > 0 && ', '}
              <Fact citations={alias.citations} label={`Source for the alias ${alias.name}`}>
                {alias.name}
              </Fact>
            </span>
          ))}
        </p>
      )}
      <Filmography key={slug} slug={slug} first={readFragment(FilmographyRowsFragment, person.filmography)} />
    </article>
  );
}

/** The filmography, newest first, a page at a time: the first came with the person, "More" fetches the next by its cursor. */
function Filmography({ slug, first }: { slug: string; first: FilmographyPage }) {
  const client = useClient();
  const paging = useMorePages(
    first,
    async (after) => {
      const result = await client.query(MoreFilmographyQuery, { slug, after }).toPromise();
      const page = result.data?.person?.filmography;
      return { page: page ? readFragment(FilmographyRowsFragment, page) : null, error: result.error };
    },
    'This person is no longer catalogued.',
  );
  const rows = paging.pages.flatMap((page) => page.nodes);
  return (
    <section aria-labelledby="filmography">
      <h2 id="filmography">Filmography ({first.totalCount})</h2>
      <table className="filmography">
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Film</th>
            <th scope="col">Jobs</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((entry) => (
            <tr key={entry.id}>
              <td>{entry.film.year ?? '—'}</td>
              <td>
                <Link href={`/film/${entry.film.slug}`}>{entry.film.title}</Link>
              </td>
              <td>
                {entry.roles.map((role, i) => (
                  <span key={role.id}>
                    {i > 0 && ' · '}
                    <Fact
                      citations={role.citations}
                      label={`Source: ${role.kind === 'CAST' ? `as ${role.character ?? 'cast'}` : role.job} in ${entry.film.title}`}
                    >
                      {role.kind === 'CAST' ? (role.character ? `as ${role.character}` : 'Actor') : role.job}
                    </Fact>
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <MoreButton paging={paging} shown={rows.length} total={first.totalCount} noun="films" />
    </section>
  );
}
