// An independent model of the films list: every film's facts loaded through Prisma, with the
// filter and ordering rules the README states re-implemented in plain TypeScript. Tests compare
// the API's pages, counts and facets with it.
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

export interface OracleFilm {
  id: number;
  slug: string;
  title: string;
  /** Position of the title in the database collation (dense rank), so TITLE ties match SQL. */
  titleRank: number;
  year: number | null;
  genres: string[];
  createdAt: number;
  reviewCount: number;
  /** Critic score as an exact fraction (sum / scored count); null when no scored review. */
  score: { sum: number; n: number } | null;
  releases: { country: string; date: string; type: string }[];
  credits: { personSlug: string; job: string }[];
}

export interface OracleFilter {
  genres?: string[];
  yearFrom?: number;
  yearTo?: number;
  personSlug?: string;
  creditJob?: string;
  releasedIn?: { country?: string; from?: string; to?: string; types?: string[] };
  hasReviews?: boolean;
  minCriticScore?: number;
}

export type OracleField = 'TITLE' | 'YEAR' | 'RELEASE_DATE' | 'CRITIC_SCORE' | 'CREATED_AT';
export interface OracleOrder {
  field: OracleField;
  direction: 'ASC' | 'DESC';
}

export async function loadOracle(prisma: PrismaClient): Promise<OracleFilm[]> {
  const films = await prisma.film.findMany({
    orderBy: { id: 'asc' },
    select: {
      id: true,
      slug: true,
      title: true,
      year: true,
      genres: true,
      createdAt: true,
      reviews: { select: { normalizedScore: true } },
      releases: { select: { country: true, date: true, type: true } },
      credits: { select: { job: true, person: { select: { slug: true } } } },
    },
  });
  const ranks = await prisma.$queryRaw<{ id: number; rank: number }[]>`
    SELECT "id", CAST(dense_rank() OVER (ORDER BY "title") AS int) AS "rank" FROM "Film"`;
  const rankOf = new Map(ranks.map((r) => [r.id, r.rank]));
  return films.map((f) => {
    const scores = f.reviews.map((r) => r.normalizedScore).filter((s): s is number => s !== null);
    return {
      id: f.id,
      slug: f.slug,
      title: f.title,
      titleRank: rankOf.get(f.id)!,
      year: f.year,
      genres: f.genres,
      createdAt: f.createdAt.getTime(),
      reviewCount: f.reviews.length,
      score: scores.length ? { sum: scores.reduce((a, b) => a + b, 0), n: scores.length } : null,
      releases: f.releases.map((r) => ({ country: r.country, date: r.date.toISOString().slice(0, 10), type: r.type })),
      credits: f.credits.map((c) => ({ personSlug: c.person.slug, job: c.job })),
    };
  });
}

export function matches(film: OracleFilm, filter: OracleFilter): boolean {
  if (filter.genres && !filter.genres.every((g) => film.genres.includes(g))) return false;
  if (filter.yearFrom !== undefined && (film.year === null || film.year < filter.yearFrom)) return false;
  if (filter.yearTo !== undefined && (film.year === null || film.year > filter.yearTo)) return false;
  if (filter.personSlug !== undefined || filter.creditJob !== undefined) {
    const job = filter.creditJob?.toLowerCase();
    if (
      !film.credits.some((c) => (filter.personSlug === undefined || c.personSlug === filter.personSlug) && (job === undefined || c.job.toLowerCase() === job))
    ) {
      return false;
    }
  }
  const rel = filter.releasedIn;
  if (
    rel &&
    !film.releases.some(
      (r) =>
        (!rel.country || r.country === rel.country) &&
        (!rel.from || r.date >= rel.from) &&
        (!rel.to || r.date <= rel.to) &&
        (!rel.types || rel.types.includes(r.type)),
    )
  ) {
    return false;
  }
  if (filter.hasReviews !== undefined && film.reviewCount > 0 !== filter.hasReviews) return false;
  if (filter.minCriticScore !== undefined && (film.score === null || film.score.sum < filter.minCriticScore * film.score.n)) return false;
  return true;
}

export function releaseDate(film: OracleFilm, country?: string): string | null {
  const dates = film.releases
    .filter((r) => !country || r.country === country)
    .map((r) => r.date)
    .sort();
  return dates[0] ?? null;
}

type Key = number | string | { sum: number; n: number } | null;

function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'object' && a && typeof b === 'object' && b) return a.sum * b.n - b.sum * a.n;
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

/** The order the README defines: terms in turn, NULL keys last in both directions, then id ascending. */
export function sortFilms(films: OracleFilm[], orderBy: OracleOrder[], country?: string): OracleFilm[] {
  const key = (f: OracleFilm, field: OracleField): Key => {
    switch (field) {
      case 'TITLE':
        return f.titleRank;
      case 'YEAR':
        return f.year;
      case 'CREATED_AT':
        return f.createdAt;
      case 'CRITIC_SCORE':
        return f.score;
      case 'RELEASE_DATE':
        return releaseDate(f, country);
    }
  };
  return [...films].sort((a, b) => {
    for (const term of orderBy) {
      const ka = key(a, term.field);
      const kb = key(b, term.field);
      if (ka === null || kb === null) {
        if (ka !== kb) return ka === null ? 1 : -1;
        continue;
      }
      const c = compareKeys(ka, kb);
      if (c !== 0) return term.direction === 'DESC' ? -c : c;
    }
    return a.id - b.id;
  });
}
