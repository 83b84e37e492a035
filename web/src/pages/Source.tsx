import { useEffect } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useQuery } from 'urql';
import { Highlighted } from '../components/Highlighted.tsx';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { formatDate } from '../country.ts';
import { graphql } from '../gql';

const SourcePageQuery = graphql(`
  query SourcePage($slug: String!) {
    source(slug: $slug) {
      id
      slug
      title
      publisher
      publishedOn
      url
      text
      citations(first: 100) {
        totalCount
        nodes {
          id
          start
          end
          excerpt
          kind
          field
          note
        }
      }
    }
  }
`);

export function SourcePage({ slug }: { slug: string }) {
  const params = new URLSearchParams(useSearch());
  const [location, navigate] = useLocation();
  const selectedId = params.get('citation');
  const [{ data, fetching, error }, refetch] = useQuery({ query: SourcePageQuery, variables: { slug } });
  const source = data?.source;
  useEffect(() => {
    if (source) document.title = `${source.title ?? source.slug} · Cinegraph`;
  }, [source]);
  if (error && !source) return <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !source) return <Loading label="Loading the source" lines={14} />;
  if (!source) {
    return (
      <section className="page">
        <h1>No such source</h1>
        <p>
          No article is catalogued under “{slug}”. <Link href="/">Search</Link> instead.
        </p>
      </section>
    );
  }
  // Text citations carry offsets into the article; a dataset's record citations (docs/importing.md) have none to highlight.
  const citations = source.citations.nodes.filter((c): c is typeof c & { start: number; end: number } => c.start !== null && c.end !== null);
  const selected = citations.find((c) => c.id === selectedId) ?? null;
  const select = (id: string) => navigate(`${location}?citation=${encodeURIComponent(id)}`, { replace: true });

  return (
    <article className="page source">
      <header>
        <h1>{source.title ?? source.slug}</h1>
        <p className="muted">
          {[source.publisher, source.publishedOn && formatDate(source.publishedOn), `${source.citations.totalCount} citations`].filter(Boolean).join(' · ')}
          {source.url && (
            <>
              {' · '}
              <a href={source.url} rel="noreferrer">
                original
              </a>
            </>
          )}
        </p>
      </header>
      <div className="source-grid">
        <Highlighted
          text={source.text}
          spans={citations}
          selected={selected?.id ?? null}
          renderMark={(piece, covering, isSelected, ref, key) =>
            // A piece of only white space (a line break inside an excerpt) is highlighted but not a control of its own.
            piece.trim() === '' ? (
              <mark key={key} ref={ref} className={isSelected ? 'selected' : undefined}>
                {piece}
              </mark>
            ) : (
              <mark
                key={key}
                ref={ref}
                className={isSelected ? 'selected' : undefined}
                data-citations={covering.map((c) => c.id).join(' ')}
                tabIndex={0}
                role="button"
                aria-pressed={isSelected}
                onClick={() => select(covering[covering.length - 1]!.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    select(covering[covering.length - 1]!.id);
                  }
                }}
              >
                {piece}
              </mark>
            )
          }
        />
        <aside className="panel citation-panel" aria-live="polite">
          {selected ? (
            <>
              <h2>Cited excerpt</h2>
              <p>
                <span className={`badge ${selected.kind.toLowerCase()}`}>{selected.kind}</span>
                {selected.field && <span className="muted"> backs “{selected.field}”</span>}
              </p>
              <blockquote className="excerpt">{selected.excerpt}</blockquote>
              {selected.note && <p className="note">Note: {selected.note}</p>}
              <p className="muted">
                Characters {selected.start}–{selected.end} of the article.
              </p>
            </>
          ) : (
            <>
              <h2>Citations</h2>
              <p className="muted">Every highlighted passage backs a fact of the catalogue. Choose one to see what it states.</p>
            </>
          )}
        </aside>
      </div>
    </article>
  );
}
