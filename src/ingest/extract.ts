/**
 * extract(article, resolver?): an article in, proposed cited facts out — deterministic, no
 * database. The order of the steps: sentences and tags (nlp.ts) → films (films.ts) → role
 * patterns (roles.ts) → people (people.ts) → credits (credits.ts) → releases, reviews and
 * single-value facts → proposals (proposals.ts). docs/ingestion.md explains each step.
 */
import { buildCredits, filmLocator } from './credits.ts';
import { findCertifications, findExternalIds, findGenres, findRuntimes } from './facts.ts';
import { findFilms, type FilmCandidate } from './films.ts';
import { analyze } from './nlp.ts';
import { nameKey } from './normalize.ts';
import { resolvePeople } from './people.ts';
import { toProposals } from './proposals.ts';
import { findReleases } from './releases.ts';
import { findReviews } from './reviews.ts';
import { findRoles } from './roles.ts';
import type { Article, EntityResolver, Excerpt, Proposal, Resolution } from './types.ts';

/** A catalogue match at or above this score is taken as the same entity (below: a new one). */
const SAME_ENTITY = 0.85;

export async function extract(article: Article, resolver?: EntityResolver): Promise<Proposal[]> {
  const a = analyze(article.text);
  const found = findFilms(a, article.title);
  const titles = new Set(found.map((f) => nameKey(f.title)));
  const isFilmTitle = (s: Excerpt) => titles.has(nameKey(s.text));
  const roles = findRoles(a, isFilmTitle);
  const people = await resolvePeople(a, roles, isFilmTitle, resolver);
  const films = dropNamesMistakenForTitles(found, people.claims);
  const locate = filmLocator(a, films);
  const credits = buildCredits(a, people, films, locate);
  const reviews = findReviews(a, locate, article.publisher);
  const filmResolutions = new Map<FilmCandidate, Resolution>();
  for (const f of films) filmResolutions.set(f, await resolve(resolver, 'film', f.title));
  const publications = new Map<string, Resolution>();
  for (const r of reviews)
    if (r.publication && !publications.has(r.publication)) publications.set(r.publication, await resolve(resolver, 'publication', r.publication));
  return toProposals({
    films,
    filmResolutions,
    people: people.people,
    credits,
    releases: findReleases(a, locate, article.publishedOn),
    reviews,
    publications,
    genres: findGenres(a, films, locate),
    certifications: findCertifications(a, locate),
    runtimes: findRuntimes(a, locate),
    externalIds: findExternalIds(a, locate),
  });
}

async function resolve(resolver: EntityResolver | undefined, type: 'film' | 'publication', name: string): Promise<Resolution> {
  const match = resolver ? (await resolver.find(type, name))[0] : undefined;
  return match && match.score >= SAME_ENTITY ? { status: 'EXISTING', match } : { status: 'NEW' };
}

/**
 * A title found without quotation marks or a year that turns out to be a person credited
 * elsewhere ("Parasite (2019), directed by Bong Joon-ho, stars …" reads "Bong Joon-ho" as a title
 * before "stars") is not a film. A character may share the film's name (Barbie), so characters stay.
 */
function dropNamesMistakenForTitles(films: FilmCandidate[], claims: { person: Excerpt }[]): FilmCandidate[] {
  const people = new Set(claims.map((c) => nameKey(c.person.text)));
  const strong = new Set(['Title (year)', 'quoted title', 'article title']);
  return films.filter((f) => !(people.has(nameKey(f.title)) && !f.mentions.some((m) => strong.has(m.cue))));
}
