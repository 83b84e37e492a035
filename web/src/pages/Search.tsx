import { useEffect, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { ErrorMessage } from '../components/Status.tsx';
import { graphql } from '../gql';
import { useDebounced } from '../useDebounced.ts';

const SearchPageQuery = graphql(`
  query SearchPage($query: String!) {
    search(query: $query, first: 30) {
      totalCount
      totalCountIsExact
      nodes {
        __typename
        ... on Film {
          id
          slug
          title
          year
        }
        ... on Person {
          id
          slug
          name
        }
        ... on Publication {
          id
          slug
          name
        }
      }
    }
  }
`);

const GROUPS = [
  ['Film', 'Films'],
  ['Person', 'People'],
  ['Publication', 'Publications'],
] as const;

/**
 * Type-ahead search: the query runs 250 ms after the last keystroke; a newer query tears down the
 * one in flight (urql aborts its fetch), so a slow stale answer never replaces a fresh one. The
 * text is kept in the URL (?q=) without adding a history entry per keystroke.
 */
export function SearchPage() {
  const params = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const [text, setText] = useState(params.get('q') ?? '');
  const query = useDebounced(text.trim(), 250);
  const [{ data, fetching, error }, refetch] = useQuery({ query: SearchPageQuery, variables: { query }, pause: query === '' });
  useEffect(() => {
    document.title = 'Search · Cinegraph';
    navigate(query ? `/?q=${encodeURIComponent(query)}` : '/', { replace: true });
  }, [query, navigate]);

  const results = query === '' ? [] : (data?.search.nodes ?? []);
  return (
    <section className="page search">
      <h1>Find films, people and publications</h1>
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="q" className="visually-hidden">
          Search
        </label>
        <input
          id="q"
          type="search"
          autoFocus
          autoComplete="off"
          placeholder="Try “joaquin fenix” or “her”"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </form>
      <div className="results" aria-live="polite" aria-busy={fetching}>
        {error && <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
        {query !== '' && data && results.length === 0 && <p className="muted">Nothing matches “{query}”.</p>}
        {query !== '' && data && results.length > 0 && (
          <p className="muted">
            {data.search.totalCount}
            {data.search.totalCountIsExact ? '' : '+'} result{data.search.totalCount === 1 ? '' : 's'}
          </p>
        )}
        {GROUPS.map(([type, heading]) => {
          const group = results.filter((r) => r.__typename === type);
          if (group.length === 0) return null;
          return (
            <section key={type} aria-labelledby={`group-${type}`}>
              <h2 id={`group-${type}`}>{heading}</h2>
              <ul className="result-list">
                {group.map((r) => (
                  <li key={r.id}>
                    {r.__typename === 'Film' && (
                      <Link href={`/film/${r.slug}`}>
                        {r.title}
                        {r.year !== null && <span className="muted"> ({r.year})</span>}
                      </Link>
                    )}
                    {r.__typename === 'Person' && <Link href={`/person/${r.slug}`}>{r.name}</Link>}
                    {r.__typename === 'Publication' && <span>{r.name}</span>}
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
      {query === '' && (
        <p className="muted">
          Or <Link href="/films">browse every film</Link> by genre, year, country and critic score.
        </p>
      )}
    </section>
  );
}
