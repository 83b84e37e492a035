import type { CitationKind, CreditKind, Department, ReleaseType } from '../src/generated/prisma/enums.ts';

/** A pointer into the article: `excerpt` must occur verbatim; `occurrence` picks the n-th (0-based). */
export interface CiteSpec {
  excerpt: string;
  occurrence?: number;
  kind?: CitationKind;
  /** The attribute this citation backs, when it backs only part of the record. */
  field?: string;
  note?: string;
}

export interface ArticleSeed {
  source: { slug: string; file: string; title: string | null; url: string | null; publisher: string | null };
  films: {
    slug: string;
    title: string;
    originalTitle?: string;
    synopsis?: string;
    genres?: string[];
    cite: CiteSpec[];
  }[];
  people: {
    slug: string;
    name: string;
    cite: CiteSpec[];
    aliases?: { name: string; cite: CiteSpec[] }[];
  }[];
  credits: {
    film: string;
    person: string;
    kind: CreditKind;
    department?: Department;
    job?: string;
    character?: string;
    billingOrder?: number;
    voice?: boolean;
    cite: CiteSpec[];
  }[];
  publications: { slug: string; name: string; cite: CiteSpec[] }[];
  reviews: { film: string; publication: string; cite: CiteSpec[]; quotes: string[] }[];
  releases: { film: string; country: string; date: string; type: ReleaseType; cite: CiteSpec[] }[];
}
