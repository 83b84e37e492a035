import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { countryName } from '../country.ts';
import { graphql, readFragment, type FragmentType } from '../gql';
import type { FilmFilter, FilmOrder } from '../gql/graphql.ts';

const FilmCardFragment = graphql(`
  fragment FilmCard on Film {
    id
    slug
    title
    year
    genres
    criticScore {
      average
    }
  }
`);

const FilmsBrowseQuery = graphql(`
  query FilmsBrowse($first: Int!, $after: String, $filter: FilmFilter, $orderBy: [FilmOrder!], $withFacets: Boolean!) {
    films(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      facets @include(if: $withFacets) {
        genres {
          value
          count
        }
        countries {
          value
          count
        }
        years {
          value
          count
        }
      }
      edges {
        cursor
        node {
          id
          ...FilmCard
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const ORDERS: Record<string, { label: string; orderBy: FilmOrder[] }> = {
  title: { label: 'Title A–Z', orderBy: [{ field: 'TITLE', direction: 'ASC' }] },
  newest: { label: 'Newest first', orderBy: [{ field: 'YEAR', direction: 'DESC' }] },
  oldest: { label: 'Oldest first', orderBy: [{ field: 'YEAR', direction: 'ASC' }] },
  score: { label: 'Best reviewed', orderBy: [{ field: 'CRITIC_SCORE', direction: 'DESC' }] },
  released: { label: 'Release date', orderBy: [{ field: 'RELEASE_DATE', direction: 'ASC' }] },
};

/** The browse state lives in the URL (shareable; back and forward replay it). */
function readState(search: string) {
  const p = new URLSearchParams(search);
  const int = (name: string) => {
    const v = p.get(name);
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const order = p.get('order') ?? 'title';
  return {
    genre: p.get('genre') ?? '',
    from: int('from'),
    to: int('to'),
    country: p.get('country') ?? '',
    score: int('score'),
    order: order in ORDERS ? order : 'title',
    size: Math.min(100, Math.max(1, int('size') ?? 20)),
  };
}
type State = ReturnType<typeof readState>;

function toVariables(state: State) {
  const filter: FilmFilter = {};
  if (state.genre) filter.genres = [state.genre];
  if (state.from !== undefined) filter.yearFrom = state.from;
  if (state.to !== undefined) filter.yearTo = state.to;
  if (state.country) filter.releasedIn = { country: state.country };
  if (state.score !== undefined) filter.minCriticScore = state.score;
  return { first: state.size, filter, orderBy: ORDERS[state.order]!.orderBy };
}

export function BrowsePage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const state = readState(search);
  useEffect(() => {
    document.title = 'Films · Cinegraph';
  }, []);
  const update = (patch: Partial<Record<keyof State, string | number | undefined>>) => {
    const p = new URLSearchParams(search);
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined || value === '') p.delete(name);
      else p.set(name, String(value));
    }
    const qs = p.toString();
    navigate(qs ? `/films?${qs}` : '/films');
  };
  const variables = toVariables(state);
  const [{ data, fetching, error }, refetch] = useQuery({ query: FilmsBrowseQuery, variables: { ...variables, withFacets: true } });
  const facets = data?.films.facets;

  return (
    <section className="page browse">
      <h1>Films</h1>
      <form className="filters" aria-label="Filter films" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="genre">Genre</label>
          <select id="genre" value={state.genre} onChange={(e) => update({ genre: e.target.value })}>
            <option value="">Any genre</option>
            {state.genre && !facets?.genres.some((g) => g.value === state.genre) && <option value={state.genre}>{state.genre}</option>}
            {facets?.genres.map((g) => (
              <option key={g.value} value={g.value}>
                {g.value} ({g.count})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="from">From year</label>
          <input
            id="from"
            type="number"
            inputMode="numeric"
            min={1870}
            max={2200}
            defaultValue={state.from}
            key={`from${state.from}`}
            onBlur={(e) => update({ from: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && update({ from: e.currentTarget.value })}
          />
        </div>
        <div>
          <label htmlFor="to">To year</label>
          <input
            id="to"
            type="number"
            inputMode="numeric"
            min={1870}
            max={2200}
            defaultValue={state.to}
            key={`to${state.to}`}
            onBlur={(e) => update({ to: e.target.value })}
            onKeyDown={(e) => e.key === 'Enter' && update({ to: e.currentTarget.value })}
          />
        </div>
        <div>
          <label htmlFor="country">Released in</label>
          <select id="country" value={state.country} onChange={(e) => update({ country: e.target.value })}>
            <option value="">Any country</option>
            {state.country && !facets?.countries.some((c) => c.value === state.country) && <option value={state.country}>{countryName(state.country)}</option>}
            {facets?.countries.map((c) => (
              <option key={c.value} value={c.value}>
                {countryName(c.value)} ({c.count})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="score">Critic score at least</label>
          <select id="score" value={state.score ?? ''} onChange={(e) => update({ score: e.target.value })}>
            <option value="">Any</option>
            {[50, 60, 70, 80, 90].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="order">Order</label>
          <select id="order" value={state.order} onChange={(e) => update({ order: e.target.value === 'title' ? undefined : e.target.value })}>
            {Object.entries(ORDERS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {facets && facets.years.length > 0 && (
        <p className="facet-years muted" aria-label="Films per year">
          {facets.years.map((y) => (
            <span key={String(y.value)}>
              {y.value ?? 'Unknown year'}: {y.count}
            </span>
          ))}
        </p>
      )}
      {error && !data && <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading label="Loading films" />}
      {data && (
        <>
          <p className="muted" role="status">
            {data.films.totalCount} film{data.films.totalCount === 1 ? '' : 's'}
          </p>
          <ul className="film-list">
            {data.films.edges.map((edge) => (
              <FilmCard key={edge.node.id} film={edge.node} />
            ))}
            {/* While new filters load, urql still holds the old list: only its own cursor may start the next pages. */}
            {!fetching && <MorePages key={`${search} ${data.films.pageInfo.endCursor}`} variables={variables} first={data.films.pageInfo} />}
          </ul>
        </>
      )}
    </section>
  );
}

function FilmCard({ film: ref }: { film: FragmentType<typeof FilmCardFragment> }) {
  const film = readFragment(FilmCardFragment, ref);
  return (
    <li className="film-card">
      <Link href={`/film/${film.slug}`}>
        <strong>{film.title}</strong>
        {film.year !== null && <span className="muted"> ({film.year})</span>}
      </Link>
      <span className="muted">
        {film.genres.join(', ')}
        {film.criticScore.average !== null && ` · ${Math.round(film.criticScore.average)}/100`}
      </span>
    </li>
  );
}

type PageInfo = { hasNextPage: boolean; endCursor?: string | null };

/** The pages after the first: one more each time the end of the list scrolls into view. */
function MorePages({ variables, first }: { variables: ReturnType<typeof toVariables>; first: PageInfo }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [last, setLast] = useState<PageInfo>(first);
  const sentinel = useRef<HTMLLIElement>(null);
  // The next page is already asked for (its answer replaces `last` when it comes).
  const pending = last.endCursor ? cursors.includes(last.endCursor) : false;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !last.hasNextPage || !last.endCursor) return;
    const cursor = last.endCursor;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) setCursors((cs) => (cs.includes(cursor) ? cs : [...cs, cursor]));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [last]);
  return (
    <>
      {cursors.map((after, i) => (
        <NextPage key={after} variables={variables} after={after} onPage={i === cursors.length - 1 ? setLast : undefined} />
      ))}
      {!pending && last.hasNextPage && (
        <li ref={sentinel} className="sentinel">
          <button type="button" onClick={() => last.endCursor && setCursors((cs) => (cs.includes(last.endCursor!) ? cs : [...cs, last.endCursor!]))}>
            Load more films
          </button>
        </li>
      )}
    </>
  );
}

function NextPage({ variables, after, onPage }: { variables: ReturnType<typeof toVariables>; after: string; onPage: ((info: PageInfo) => void) | undefined }) {
  const [{ data, error }, refetch] = useQuery({ query: FilmsBrowseQuery, variables: { ...variables, after, withFacets: false } });
  const info = data?.films.pageInfo;
  useEffect(() => {
    if (info && onPage) onPage(info);
  }, [info, onPage]);
  if (error && !data)
    return (
      <li>
        <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      </li>
    );
  if (!data)
    return (
      <li className="film-card" aria-busy="true">
        <span className="visually-hidden">Loading more films…</span>
        <div className="sk sk-line" />
      </li>
    );
  return (
    <>
      {data.films.edges.map((edge) => (
        <FilmCard key={edge.node.id} film={edge.node} />
      ))}
    </>
  );
}
