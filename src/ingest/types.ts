/**
 * What the extractor takes and gives: an article in, proposals out, and the entity-resolution
 * hook (EntityResolver) the API layer implements over the catalogue. Pure data, no database.
 * How the pieces fit: docs/ingestion.md.
 */

/** An article to ingest. Only `text` is required; the rest sharpens what can be inferred. */
export interface Article {
  text: string;
  /** ISO date (YYYY-MM-DD) the article was published: the year of a date that gives none is inferred from it. */
  publishedOn?: string | null;
  title?: string | null;
  url?: string | null;
  /** The outlet that published the article: the publication of its own rating, if it gives one. */
  publisher?: string | null;
}

/** A span of the article. Offsets are UTF-16 code units, half-open: `text.slice(start, end) === text`. */
export interface Excerpt {
  start: number;
  end: number;
  text: string;
}

export type Support = 'STATED' | 'INFERRED';

export type EntityType = 'film' | 'person' | 'publication';

/** One catalogue entity a name may denote, best first (EntityResolver.find). */
export interface EntityMatch {
  id: string;
  /** The entity's canonical name (a film's title). */
  name: string;
  /** The name or alias that matched. */
  matchedName: string;
  /** How: exactly (accents and case aside), through an alias, or approximately (a typo). */
  matchedBy: 'name' | 'alias' | 'fuzzy';
  /** In [0, 1]; 1 for an exact match. */
  score: number;
}

/**
 * Finds existing films, people and publications by name, accent- and typo-tolerant. The API
 * layer implements it with the search machinery (docs/search.md); MemoryResolver is the
 * in-memory implementation tests and the evaluation use.
 */
export interface EntityResolver {
  find(type: EntityType, name: string): Promise<readonly EntityMatch[]>;
}

/** Whether a proposed entity is one the catalogue already has (and which), or a new one. */
export type Resolution = { status: 'EXISTING'; match: EntityMatch } | { status: 'NEW' };

export type CreditDepartment = 'DIRECTING' | 'WRITING' | 'PRODUCTION' | 'CAMERA' | 'EDITING' | 'SOUND' | 'ART' | 'COSTUME_AND_MAKEUP' | 'VISUAL_EFFECTS';
export type ReleaseType = 'PREMIERE' | 'LIMITED' | 'THEATRICAL' | 'DIGITAL' | 'PHYSICAL' | 'TV';

export interface FilmValues {
  title: string;
  year: number | null;
  resolution: Resolution;
}
export interface PersonValues {
  name: string;
  resolution: Resolution;
}
export interface AliasValues {
  /** The other spelling seen in the article. */
  name: string;
  /** The name it stands for (the person proposal's, or the catalogue's when the person exists). */
  personName: string;
}
export interface CastCreditValues {
  character: string | null;
  voice: boolean;
}
export interface CrewCreditValues {
  job: string;
  department: CreditDepartment;
}
export interface ReleaseValues {
  /** ISO 3166-1 alpha-2, or null when the article names no country. */
  country: string | null;
  /** YYYY-MM-DD; `--MM-DD` (ISO 8601 without a year) when the year is unknown. */
  date: string;
  type: ReleaseType;
}
export interface ReviewValues {
  publication: string | null;
  publicationResolution: Resolution | null;
  critic: string | null;
  /** The quoted words (without the quotation marks), in the order the article gives them. */
  quotes: string[];
  rating: { value: number; scale: number } | null;
}
export interface GenreValues {
  genre: string;
}
export interface CertificationValues {
  /** ISO country of the rating board (US: MPA, GB: BBFC), null when the rating fits several. */
  country: string | null;
  rating: string;
}
export interface RuntimeValues {
  minutes: number;
}
export interface ExternalIdValues {
  source: 'IMDB' | 'TMDB' | 'WIKIDATA';
  value: string;
}

interface Kinds {
  film: FilmValues;
  person: PersonValues;
  alias: AliasValues;
  castCredit: CastCreditValues;
  crewCredit: CrewCreditValues;
  release: ReleaseValues;
  review: ReviewValues;
  genre: GenreValues;
  certification: CertificationValues;
  runtime: RuntimeValues;
  externalId: ExternalIdValues;
}
export type ProposalKind = keyof Kinds;

/** Local keys of the proposals this one depends on (a credit needs its film and its person). */
export interface ProposalRefs {
  film?: string;
  person?: string;
}

interface ProposalOf<K extends ProposalKind> {
  /** Unique within one extraction and stable for the same text: how other proposals refer to it. */
  key: string;
  kind: K;
  values: Kinds[K];
  /** The excerpt that states (or, when INFERRED, supports) the fact. */
  excerpt: Excerpt;
  /** Further excerpts that state the same fact (a credit stated twice), in text order. */
  alsoCited: Excerpt[];
  support: Support;
  /** Why: the pattern that matched, and for INFERRED what was inferred from what. */
  reason: string;
  /** In [0, 1]: how likely an editor is to accept the proposal as it stands. */
  confidence: number;
  refs: ProposalRefs;
}

export type Proposal = { [K in ProposalKind]: ProposalOf<K> }[ProposalKind];
export type ProposalFor<K extends ProposalKind> = ProposalOf<K>;
