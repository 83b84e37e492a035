/**
 * A film's facts and the URL slug of a title or name: pure, with no import of the GraphQL builder,
 * so that `npm run import` (src/import), which needs them, does not load the builder and
 * graphql-yoga to start (docs/importing.md#speed).
 */

/** The facts of a film a mutation sets; each change is backed by a citation (write/cite.ts). */
export const FILM_FACTS = ['title', 'originalTitle', 'year', 'synopsis', 'genres', 'runtimeMinutes', 'imdbId', 'tmdbId', 'wikidataId'] as const;
/** What a Film revision diffs: the facts, and the slug (our URL key, not a claim about the film: never cited). */
export const FILM_FIELDS = [...FILM_FACTS, 'slug'] as const;

/** A URL slug from a title (or a name): accents folded, lower case, words joined by hyphens; `fallback` when nothing is left. */
export function slugify(title: string, fallback = 'film'): string {
  const slug = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || fallback;
}
