import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { graphql, readFragment, type FragmentType } from '../gql';

export const CitationLinkFragment = graphql(`
  fragment CitationLink on Citation {
    id
    field
    kind
    source {
      slug
    }
  }
`);

export type CitationRefs = readonly FragmentType<typeof CitationLinkFragment>[];

/** Where a citation opens: its source, with the excerpt highlighted. */
export function citationHref(citation: { id: string; source: { slug: string } }): string {
  return `/source/${citation.source.slug}?citation=${encodeURIComponent(citation.id)}`;
}

/**
 * A fact: its text links to the source passage that backs it (the first citation; further ones
 * as numbered links). `field` picks the citations of one attribute (`year`, `genres`…); without
 * it, every citation counts. A fact without a citation is shown as plain text.
 */
export function Fact({ citations, field, label, children }: { citations: CitationRefs; field?: string; label?: string; children: ReactNode }) {
  const all = citations.map((c) => readFragment(CitationLinkFragment, c));
  const chosen = field === undefined ? all : all.filter((c) => c.field === field);
  const [first, ...more] = chosen.length > 0 ? chosen : field === undefined ? [] : all.filter((c) => c.field === null);
  if (!first) return <>{children}</>;
  return (
    <>
      <Link
        href={citationHref(first)}
        className={`fact ${first.kind === 'INFERRED' ? 'inferred' : ''}`}
        title={`Source: ${first.source.slug} (${first.kind.toLowerCase()})`}
      >
        {children}
      </Link>
      {more.map((c, i) => (
        <Link key={c.id} href={citationHref(c)} className="cite-more" title={`Another source${label ? `, ${label}` : ''}`}>
          <sup>{i + 2}</sup>
          <span className="visually-hidden"> (another source)</span>
        </Link>
      ))}
    </>
  );
}
