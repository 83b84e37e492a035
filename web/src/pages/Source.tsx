import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { useClient, useQuery } from 'urql';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { Highlighted } from '../components/Highlighted.tsx';
import { SubjectLink } from '../components/Subject.tsx';
import { MoreButton, useMorePages } from '../components/MorePages.tsx';
import { ErrorMessage, Loading } from '../components/Status.tsx';
import { formatDate } from '../country.ts';
import { graphql, readFragment } from '../gql';

// One citation of the source with what the page shows of it: its place (offsets or record) and the fact it backs.
const SourceCitationFragment = graphql(`
  fragment SourceCitation on Citation {
    id
    start
    end
    excerpt
    kind
    field
    note
    locator {
      __typename
      ... on RecordLocator {
        file
        key
        fields
      }
    }
    ...CitedSubjectLink
  }
`);

const SourceCitationPageFragment = graphql(`
  fragment SourceCitationPage on CitationConnection {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...SourceCitation
    }
  }
`);

// The citation chosen in the address (`?citation=`, from a fact's link) comes with the page, wherever it is in the
// list: a dataset holds thousands of record citations and the first page shows 100. `$withCitation` is false (and
// `$citation` unused) when the address names none; preload.ts sends the same variables before the bundle runs.
const SourcePageQuery = graphql(`
  query SourcePage($slug: String!, $citation: ID! = "", $withCitation: Boolean! = false) {
    source(slug: $slug) {
      id
      slug
      title
      publisher
      publishedOn
      url
      text
      dataset
      snapshot
      licence
      # 100 citations (each with its fact) keep the page within the API's cost limit; "More citations" asks for the next.
      citations(first: 100) {
        ...SourceCitationPage
      }
    }
    selected: node(id: $citation) @include(if: $withCitation) {
      __typename
      ... on Citation {
        id
        source {
          id
        }
        ...SourceCitation
      }
    }
  }
`);

const MoreCitationsQuery = graphql(`
  query SourceCitations($slug: String!, $after: String!) {
    source(slug: $slug) {
      id
      citations(first: 100, after: $after) {
        ...SourceCitationPage
      }
    }
  }
`);

type SourceCitation = ResultOf<typeof SourceCitationFragment>;

/** The page query's variables for the citation named in the address; preload.ts computes the same from `location.search`. */
export function sourcePageVariables(slug: string, citation: string | null) {
  return citation ? { slug, citation, withCitation: true } : { slug };
}

export function SourcePage({ slug }: { slug: string }) {
  const params = new URLSearchParams(useSearch());
  const [location, navigate] = useLocation();
  const selectedId = params.get('citation');
  // The page is asked for with the citation the address named when it opened (App keys the page by slug): choosing
  // a passage changes the address, not the query, unless the address names a citation the page has not loaded.
  const [asked, setAsked] = useState(selectedId);
  const variables = useMemo(() => sourcePageVariables(slug, asked), [slug, asked]);
  const [{ data, fetching, error }, refetch] = useQuery({ query: SourcePageQuery, variables });
  const source = data?.source;
  const client = useClient();
  useEffect(() => {
    if (source) document.title = `${source.title ?? source.slug} · Cinegraph`;
  }, [source]);

  const first = source ? readFragment(SourceCitationPageFragment, source.citations) : null;
  const paging = useMorePages(
    first,
    async (after) => {
      const result = await client.query(MoreCitationsQuery, { slug, after }).toPromise();
      const page = result.data?.source?.citations;
      return { page: page ? readFragment(SourceCitationPageFragment, page) : null, error: result.error };
    },
    'This source is no longer catalogued.',
  );
  const all = paging.pages.flatMap((page) => page.nodes.map((c) => readFragment(SourceCitationFragment, c)));
  // A citation of another source (or anything else) under that id is not this page's to show.
  const fetched =
    data?.selected?.__typename === 'Citation' && source && data.selected.source.id === source.id ? readFragment(SourceCitationFragment, data.selected) : null;
  const selected = all.find((c) => c.id === selectedId) ?? (fetched && fetched.id === selectedId ? fetched : null);
  const unknownSelection = Boolean(source && selectedId && !selected && !fetching);
  useEffect(() => {
    if (unknownSelection && selectedId !== asked) setAsked(selectedId);
  }, [unknownSelection, selectedId, asked]);

  if (error && !source) return <ErrorMessage error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !source) return <Loading label="Loading the source" lines={14} />;
  if (!source || !first) {
    return (
      <section className="page">
        <h1>No such source</h1>
        <p>
          No article is catalogued under “{slug}”. <Link href="/">Search</Link> instead.
        </p>
      </section>
    );
  }
  // Loaded pages first; the selected citation, when not among them yet, first of all (its row is where the link lands).
  const listed: SourceCitation[] = selected && !all.some((c) => c.id === selected.id) ? [selected, ...all] : all;
  // Text citations carry offsets into the article; a dataset's record citations (docs/importing.md) name a record instead.
  const citations = listed.filter((c): c is typeof c & { start: number; end: number } => c.start !== null && c.end !== null);
  const records = listed.flatMap((c) => (c.locator.__typename === 'RecordLocator' ? [{ citation: c, record: c.locator }] : []));
  const select = (id: string) => navigate(`${location}?citation=${encodeURIComponent(id)}`, { replace: true });

  return (
    <article className="page source">
      <header>
        <h1>{source.title ?? source.slug}</h1>
        <p className="muted">
          {[
            source.publisher,
            source.publishedOn && formatDate(source.publishedOn),
            source.dataset && `dataset ${source.dataset}${source.snapshot ? `, snapshot ${source.snapshot}` : ''}`,
            source.licence && `licence ${source.licence}`,
            `${first.totalCount} citations`,
          ]
            .filter(Boolean)
            .join(' · ')}
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
              <h2>{selected.start === null ? 'Cited record' : 'Cited excerpt'}</h2>
              <p>
                <span className={`badge ${selected.kind.toLowerCase()}`}>{selected.kind}</span>
              </p>
              <p>
                Backs <SubjectLink citation={selected} />
              </p>
              {selected.excerpt !== null && <blockquote className="excerpt">{selected.excerpt}</blockquote>}
              {selected.locator.__typename === 'RecordLocator' && (
                <p>
                  Record <code>{selected.locator.key}</code> of <code>{selected.locator.file}</code>, fields {selected.locator.fields.join(', ')}.
                </p>
              )}
              {selected.note && <p className="note">Note: {selected.note}</p>}
              {selected.start !== null && (
                <p className="muted">
                  Characters {selected.start}–{selected.end} of the article.
                </p>
              )}
            </>
          ) : unknownSelection ? (
            <>
              <h2>Citations</h2>
              <p role="alert">The address names a citation this source does not hold. Choose one below.</p>
            </>
          ) : (
            <>
              <h2>Citations</h2>
              <p className="muted">Every highlighted passage backs a fact of the catalogue. Choose one to see what it states.</p>
            </>
          )}
        </aside>
      </div>
      {records.length > 0 && <RecordList records={records} selected={selected?.id ?? null} />}
      <section aria-labelledby="backs">
        <h2 id="backs">What this source backs</h2>
        <ol className="backs">
          {listed.map((c) => (
            <li key={c.id} className={c.id === selected?.id ? 'selected' : undefined}>
              <SubjectLink citation={c} />{' '}
              <Link href={`${location}?citation=${encodeURIComponent(c.id)}`} replace className="muted">
                {c.excerpt !== null
                  ? `“${c.excerpt.length > 60 ? `${c.excerpt.slice(0, 60)}…` : c.excerpt}”`
                  : `record ${c.locator.__typename === 'RecordLocator' ? c.locator.key : ''}`}
              </Link>
            </li>
          ))}
        </ol>
        <MoreButton paging={paging} shown={all.length} total={first.totalCount} noun="citations" />
      </section>
    </article>
  );
}

/** A dataset's records that facts cite, the selected one scrolled into view. */
function RecordList({
  records,
  selected,
}: {
  records: { citation: { id: string; field: string | null }; record: { file: string; key: string; fields: string[] } }[];
  selected: string | null;
}) {
  const row = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    row.current?.scrollIntoView({ block: 'center' });
  }, [selected]);
  return (
    <section aria-labelledby="records">
      <h2 id="records">Cited records</h2>
      <table className="records">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Record</th>
            <th scope="col">Fields</th>
          </tr>
        </thead>
        <tbody>
          {records.map(({ citation, record }) => (
            <tr
              key={citation.id}
              id={`record-${citation.id}`}
              className={citation.id === selected ? 'selected' : undefined}
              ref={citation.id === selected ? row : undefined}
            >
              <td>
                <code>{record.file}</code>
              </td>
              <td>
                <code>{record.key}</code>
              </td>
              <td>{record.fields.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
