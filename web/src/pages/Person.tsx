import { useEffect } from 'react';
import { Link } from 'wouter';
import { useQuery } from 'urql';
import { Fact } from '../components/Cite.tsx';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { graphql } from '../gql';

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
      # 30 rows keep the whole page (roles and their citations included) within the API's cost limit.
      filmography(first: 30) {
        totalCount
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
    }
  }
`);

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
      <section aria-labelledby="filmography">
        <h2 id="filmography">Filmography ({person.filmography.totalCount})</h2>
        <table className="filmography">
          <thead>
            <tr>
              <th scope="col">Year</th>
              <th scope="col">Film</th>
              <th scope="col">Jobs</th>
            </tr>
          </thead>
          <tbody>
            {person.filmography.nodes.map((entry) => (
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
        {person.filmography.totalCount > person.filmography.nodes.length && (
          <p className="muted">
            The newest {person.filmography.nodes.length} of {person.filmography.totalCount} films.
          </p>
        )}
      </section>
    </article>
  );
}
