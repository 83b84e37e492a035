/**
 * Deterministic synthetic catalogue for benchmarks: the same (films, seed) always yields the
 * same rows, so every system is measured on identical data and a load can be cached by key.
 *
 * Shape (per film, on average): ~8.6 credits (1.05 directors, 0.7 writers, 0.4 producers,
 * 6.5 cast), ~2.7 reviews, 2.5 releases. People are reused with a strong popularity skew
 * (a few hundred people appear in thousands of films, most in one or two), as are
 * publications. Titles combine Zipf-weighted words, so a few prefixes ("The", "Synthetic")
 * are very common and most full titles are rare.
 */

import { rng } from '../tests/helpers/factory.ts';

export type Cell = string | number | boolean | null | string[];
export type Row = Cell[];

/** Column lists, in the order rows are generated; every other column takes its default. */
export const COLUMNS = {
  Person: ['id', 'slug', 'name', 'createdAt', 'updatedAt'],
  Publication: ['id', 'slug', 'name', 'url', 'createdAt', 'updatedAt'],
  // criticScoreAverage and firstReleaseDate are what the triggers of migration
  // 20261128200100_list_scale would compute; the loader writes them itself and keeps those
  // triggers off while it COPYs (bench/load.ts).
  Film: ['id', 'slug', 'title', 'year', 'synopsis', 'genres', 'runtimeMinutes', 'createdAt', 'updatedAt', 'criticScoreAverage', 'firstReleaseDate'],
  Credit: ['id', 'filmId', 'personId', 'kind', 'department', 'job', 'character', 'billingOrder', 'voice', 'createdAt', 'updatedAt'],
  Review: ['id', 'filmId', 'publicationId', 'originalScore', 'scoreScale', 'normalizedScore', 'publishedOn', 'createdAt', 'updatedAt'],
  Release: ['id', 'filmId', 'country', 'date', 'type', 'certification', 'createdAt', 'updatedAt'],
} as const;

export type TableName = keyof typeof COLUMNS;
/** Load order: parents before children. */
export const TABLES: TableName[] = ['Person', 'Publication', 'Film', 'Credit', 'Review', 'Release'];

export interface DatasetOptions {
  films: number;
  seed: number;
}

export const PUBLICATIONS = 200;
export function peopleCount(films: number): number {
  return Math.max(60, Math.round(films * 0.8));
}

// The tests' deterministic PRNG (mulberry32): tests and benchmarks draw from one generator.
export { rng };

/** `list[i]` for an index known to be in range (strict indexed access would say maybe undefined). */
function at<T>(list: readonly T[], i: number): T {
  return list[i] as T;
}

/** Index in [0, n) with probability falling off like a power law: low indexes are popular. */
function skewed(r: number, n: number, power = 2): number {
  return Math.min(n - 1, Math.floor(n * Math.pow(r, power)));
}

export const ADJECTIVES = [
  'Last',
  'Silent',
  'Synthetic',
  'Broken',
  'Golden',
  'Hidden',
  'Endless',
  'Crimson',
  'Lonely',
  'Electric',
  'Burning',
  'Frozen',
  'Secret',
  'Wild',
  'Quiet',
  'Distant',
  'Northern',
  'Midnight',
  'Paper',
  'Iron',
  'Glass',
  'Velvet',
  'Savage',
  'Gentle',
  'Hollow',
  'Bright',
  'Forgotten',
  'Little',
  'Final',
  'Restless',
  'Synthesized',
  'Borrowed',
];
export const NOUNS = [
  'Harbor',
  'City',
  'Heart',
  'River',
  'Machine',
  'Summer',
  'Garden',
  'Road',
  'Sky',
  'Voice',
  'Kingdom',
  'Island',
  'Storm',
  'Mirror',
  'Train',
  'Letter',
  'House',
  'Shadow',
  'Dream',
  'Winter',
  'Signal',
  'Orchard',
  'Frontier',
  'Empire',
  'Echo',
  'Lighthouse',
  'Circus',
  'Desert',
  'Station',
  'Horizon',
  'Promise',
  'Engine',
  'Lantern',
  'Tide',
];
const FIRST = [
  'Anna',
  'James',
  'Maria',
  'John',
  'Sofia',
  'David',
  'Emma',
  'Luca',
  'Olivia',
  'Noah',
  'Mia',
  'Lucas',
  'Yuki',
  'Amir',
  'Chloe',
  'Mateo',
  'Ingrid',
  'Kenji',
  'Fatima',
  'Pierre',
  'Greta',
  'Ravi',
  'Elena',
  'Tomas',
  'Aiko',
  'Samuel',
  'Leila',
  'Oscar',
  'Nadia',
  'Victor',
  'Hana',
  'Diego',
  'Clara',
  'Felix',
  'Zara',
  'Hugo',
  'Ines',
  'Joon',
];
const LAST = [
  'Smith',
  'Garcia',
  'Rossi',
  'Müller',
  'Tanaka',
  'Kim',
  'Novak',
  'Dubois',
  'Silva',
  'Jensen',
  'Khan',
  'Ivanova',
  'Okafor',
  'Larsen',
  'Moreau',
  'Haddad',
  'Petrov',
  'Costa',
  'Nakamura',
  'Fischer',
  'Lindqvist',
  'Park',
  'Ferreira',
  'Kowalski',
  'Andersen',
  'Bianchi',
  'Chen',
  'Sato',
  'Walsh',
  'Herrera',
  'Nguyen',
  'Popescu',
  'Vargas',
];
const GENRES = [
  'Drama',
  'Comedy',
  'Thriller',
  'Romance',
  'Action',
  'Documentary',
  'Horror',
  'Crime',
  'Science Fiction',
  'Adventure',
  'Animation',
  'Family',
  'Mystery',
  'Fantasy',
  'War',
  'Music',
  'History',
  'Western',
];
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'JP', 'IT', 'ES', 'CA', 'AU', 'KR', 'IN', 'BR', 'MX', 'SE', 'NL', 'PL'];
const RELEASE_TYPES = ['THEATRICAL', 'DIGITAL', 'PREMIERE', 'LIMITED', 'PHYSICAL', 'TV'];
const CERTS = ['PG', 'PG-13', 'R', '12', '15', '18', null];
const ROMAN = ['II', 'III', 'IV'];

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function isoDate(year: number, dayOfYear: number): string {
  return new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);
}

// Fixed instant so rows are byte-identical across runs (createdAt orders are then stable too).
const EPOCH = Date.UTC(2024, 0, 1);
function stamp(ms: number): string {
  return new Date(EPOCH + ms).toISOString();
}

export function personName(id: number): string {
  const r = rng(id * 7919);
  return `${at(FIRST, Math.floor(r() * FIRST.length))} ${at(LAST, Math.floor(r() * LAST.length))}`;
}

export function* peopleRows(opts: DatasetOptions): Generator<Row> {
  for (let id = 1; id <= peopleCount(opts.films); id++) {
    const name = personName(id + opts.seed * 1_000_003);
    const t = stamp(id * 1000);
    yield [id, `${slugify(name)}-${id}`, name, t, t];
  }
}

export function* publicationRows(): Generator<Row> {
  for (let id = 1; id <= PUBLICATIONS; id++) {
    const name = `${at(NOUNS, id % NOUNS.length)} ${['Review', 'Gazette', 'Weekly', 'Journal', 'Post', 'Times'][id % 6]!} ${id}`;
    const slug = slugify(name);
    const t = stamp(id * 1000);
    yield [id, slug, name, `https://${slug}.example`, t, t];
  }
}

export interface FilmRows {
  film: Row;
  credits: Row[];
  reviews: Row[];
  releases: Row[];
}

function title(r: () => number): string {
  const adj = at(ADJECTIVES, skewed(r(), ADJECTIVES.length, 2.5));
  const noun = at(NOUNS, skewed(r(), NOUNS.length, 1.8));
  const shape = r();
  if (shape < 0.3) return `The ${adj} ${noun}`;
  if (shape < 0.55) return `${adj} ${noun}`;
  if (shape < 0.75) return `${noun} of the ${at(NOUNS, skewed(r(), NOUNS.length, 1.5))}`;
  if (shape < 0.9) return `${adj} ${noun} ${at(ROMAN, Math.floor(r() * ROMAN.length))}`;
  return `${noun}`;
}

/** Every film with its credits, reviews and releases; child ids run sequentially across films. */
export function* filmRows(opts: DatasetOptions): Generator<FilmRows> {
  const r = rng(opts.seed);
  const people = peopleCount(opts.films);
  let creditId = 0;
  let reviewId = 0;
  let releaseId = 0;
  for (let id = 1; id <= opts.films; id++) {
    const name = title(r);
    const year = 2025 - skewed(r(), 105, 2);
    const genres: string[] = [...new Set([at(GENRES, skewed(r(), GENRES.length)), ...(r() < 0.6 ? [at(GENRES, skewed(r(), GENRES.length))] : [])])];
    const created = stamp(id * 60_000);
    const film: Row = [
      id,
      `${slugify(name)}-${year}-${id}`,
      name,
      year,
      `A ${at(genres, 0).toLowerCase()} about a ${at(NOUNS, Math.floor(r() * NOUNS.length)).toLowerCase()}.`,
      genres,
      80 + Math.floor(r() * 70),
      created,
      created,
    ];

    const used = new Set<number>();
    const pick = () => {
      for (;;) {
        const p = 1 + skewed(r(), people);
        if (!used.has(p)) return (used.add(p), p);
      }
    };
    const credits: Row[] = [];
    const crew = (department: string, job: string) => credits.push([++creditId, id, pick(), 'CREW', department, job, '', null, false, created, created]);
    crew('DIRECTING', 'Director');
    if (r() < 0.05) crew('DIRECTING', 'Director');
    if (r() < 0.7) crew('WRITING', 'Screenplay');
    if (r() < 0.4) crew('PRODUCTION', 'Producer');
    const cast = 3 + Math.floor(r() * 8);
    for (let b = 1; b <= cast; b++) {
      credits.push([
        ++creditId,
        id,
        pick(),
        'CAST',
        'ACTING',
        'Actor',
        `${at(FIRST, Math.floor(r() * FIRST.length))} ${at(NOUNS, Math.floor(r() * NOUNS.length))}`,
        b,
        r() < 0.03,
        created,
        created,
      ]);
    }

    const reviews: Row[] = [];
    const reviewCount = Math.floor(Math.pow(r(), 1.5) * 7);
    const pubs = new Set<number>();
    for (let k = 0; k < reviewCount; k++) {
      const pub = 1 + skewed(r(), PUBLICATIONS, 1.5);
      if (pubs.has(pub)) continue;
      pubs.add(pub);
      const score = Math.min(100, Math.max(0, Math.round(65 + (r() + r() + r() - 1.5) * 40)));
      reviews.push([++reviewId, id, pub, score / 10, 10, score, isoDate(Math.min(year, 2025), Math.floor(r() * 300)), created, created]);
    }

    const releases: Row[] = [];
    const releaseCount = 1 + Math.floor(r() * 4);
    const countries = new Set<string>();
    for (let k = 0; k < releaseCount; k++) {
      const country = at(COUNTRIES, skewed(r(), COUNTRIES.length, 1.5));
      if (countries.has(country)) continue;
      countries.add(country);
      const type = k === 0 ? 'THEATRICAL' : at(RELEASE_TYPES, Math.floor(r() * RELEASE_TYPES.length));
      releases.push([++releaseId, id, country, isoDate(year, Math.floor(r() * 360)), type, at(CERTS, Math.floor(r() * CERTS.length)), created, created]);
    }
    // The derived columns, as the triggers define them: the mean of the scored reviews (every
    // generated review has a score) and the earliest release date (ISO dates sort as text).
    film.push(reviews.length ? reviews.reduce((sum, row) => sum + (row[5] as number), 0) / reviews.length : null);
    film.push(releases.map((row) => row[3] as string).reduce<string | null>((min, d) => (min === null || d < min ? d : min), null));
    yield { film, credits, reviews, releases };
  }
}

/** One row in PostgreSQL's COPY text format (tab-separated, \N for NULL). */
export function tsvLine(row: Row): string {
  let out = '';
  for (let i = 0; i < row.length; i++) {
    if (i) out += '\t';
    const v = row[i];
    if (v === null) out += '\\N';
    else if (Array.isArray(v)) out += escapeCopy(`{${v.map((g) => `"${g}"`).join(',')}}`);
    else if (typeof v === 'string') out += escapeCopy(v);
    else out += String(v);
  }
  return out + '\n';
}

function escapeCopy(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : text;
}
