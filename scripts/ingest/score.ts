// Scoring proposals against an answer key: each fact becomes a string identity per kind (the
// matching rules of docs/ingestion.md#scoring), and precision/recall are counted on those sets.
import { nameKey } from '../../src/ingest/normalize.ts';
import type { Proposal } from '../../src/ingest/types.ts';
import type { AnswerKey } from './answer-key.ts';

export const FACT_KINDS = [
  'film',
  'filmYear',
  'person',
  'alias',
  'castCredit',
  'crewCredit',
  'release',
  'publication',
  'reviewQuote',
  'critic',
  'rating',
  'genre',
  'certification',
  'runtime',
  'externalId',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export type FactSets = Record<FactKind, Set<string>>;

const empty = (): FactSets => Object.fromEntries(FACT_KINDS.map((k) => [k, new Set<string>()])) as FactSets;
const k = (...parts: (string | number | null | undefined)[]) => parts.map((p) => (p === null || p === undefined ? '∅' : String(p))).join(' | ');
/** Quotations compare by their words: case, accents, punctuation and the marks around them set aside. */
const words = (q: string) => nameKey(q);

export function keyFacts(key: AnswerKey): FactSets {
  const f = empty();
  for (const film of key.films) {
    f.film.add(k(nameKey(film.title)));
    if (film.year !== null) f.filmYear.add(k(nameKey(film.title), film.year));
  }
  for (const p of key.people) f.person.add(k(nameKey(p)));
  for (const a of key.aliases) f.alias.add(k(nameKey(a.person), nameKey(a.name)));
  for (const c of key.cast) f.castCredit.add(k(nameKey(c.film), nameKey(c.person), nameKey(c.character ?? '')));
  for (const c of key.crew) f.crewCredit.add(k(nameKey(c.film), nameKey(c.person), nameKey(c.job)));
  for (const r of key.releases) f.release.add(k(nameKey(r.film), r.country, r.date, r.type));
  for (const r of key.reviews) addReview(f, r.film, r.publication, r.critic, r.quotes, r.rating);
  for (const g of key.genres) f.genre.add(k(nameKey(g.film), g.genre));
  for (const c of key.certifications) f.certification.add(k(nameKey(c.film), c.country, c.rating));
  for (const r of key.runtimes) f.runtime.add(k(nameKey(r.film), r.minutes));
  for (const x of key.externalIds) f.externalId.add(k(nameKey(x.film), x.source, x.value));
  return f;
}

function addReview(
  f: FactSets,
  film: string,
  publication: string | null,
  critic: string | null,
  quotes: string[],
  rating: { value: number; scale: number } | null,
) {
  // "the Guardian" and "The Guardian" are one outlet: a leading article is not part of the match.
  const pub = nameKey(publication ?? '').replace(/^the /, '');
  if (publication) f.publication.add(k(pub));
  for (const q of quotes) f.reviewQuote.add(k(nameKey(film), pub, words(q)));
  if (critic) f.critic.add(k(nameKey(film), pub, nameKey(critic)));
  if (rating) f.rating.add(k(nameKey(film), pub, `${rating.value}/${rating.scale}`));
}

/**
 * The proposals as facts. Films and people are named as the catalogue would name them: the
 * catalogue's name when the proposal resolves to an existing entity, else the proposed one.
 */
export function proposalFacts(proposals: readonly Proposal[], minConfidence = 0): FactSets {
  const f = empty();
  const title = new Map<string, string>();
  const person = new Map<string, string>();
  for (const p of proposals) {
    if (p.kind === 'film') title.set(p.key, p.values.resolution.status === 'EXISTING' ? p.values.resolution.match.name : p.values.title);
    if (p.kind === 'person') person.set(p.key, p.values.resolution.status === 'EXISTING' ? p.values.resolution.match.name : p.values.name);
  }
  const film = (p: Proposal) => nameKey(title.get(p.refs.film ?? '') ?? '?');
  const who = (p: Proposal) => nameKey(person.get(p.refs.person ?? '') ?? '?');
  for (const p of proposals) {
    if (p.confidence < minConfidence) continue;
    switch (p.kind) {
      case 'film':
        f.film.add(k(nameKey(title.get(p.key)!)));
        if (p.values.year !== null) f.filmYear.add(k(nameKey(title.get(p.key)!), p.values.year));
        break;
      case 'person':
        f.person.add(k(nameKey(person.get(p.key)!)));
        break;
      case 'alias':
        f.alias.add(k(nameKey(p.values.personName), nameKey(p.values.name)));
        break;
      case 'castCredit':
        f.castCredit.add(k(film(p), who(p), nameKey(p.values.character ?? '')));
        break;
      case 'crewCredit':
        f.crewCredit.add(k(film(p), who(p), nameKey(p.values.job)));
        break;
      case 'release':
        f.release.add(k(film(p), p.values.country, p.values.date, p.values.type));
        break;
      case 'review': {
        const v = p.values;
        const pub = v.publicationResolution?.status === 'EXISTING' ? v.publicationResolution.match.name : v.publication;
        addReview(f, title.get(p.refs.film ?? '') ?? '?', pub, v.critic, v.quotes, v.rating);
        break;
      }
      case 'genre':
        f.genre.add(k(film(p), p.values.genre));
        break;
      case 'certification':
        f.certification.add(k(film(p), p.values.country, p.values.rating));
        break;
      case 'runtime':
        f.runtime.add(k(film(p), p.values.minutes));
        break;
      case 'externalId':
        f.externalId.add(k(film(p), p.values.source, p.values.value));
        break;
    }
  }
  return f;
}

export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  /** Facts proposed but not in the key, and facts of the key not proposed (for the report). */
  extra: string[];
  missed: string[];
}

export type Score = Record<FactKind, Tally>;

export function score(expected: FactSets, got: FactSets): Score {
  const out = {} as Score;
  for (const kind of FACT_KINDS) {
    const e = expected[kind];
    const g = got[kind];
    const extra = [...g].filter((x) => !e.has(x)).sort();
    const missed = [...e].filter((x) => !g.has(x)).sort();
    out[kind] = { tp: g.size - extra.length, fp: extra.length, fn: missed.length, extra, missed };
  }
  return out;
}

export function addScores(into: Score, s: Score): Score {
  for (const kind of FACT_KINDS) {
    const t = (into[kind] ??= { tp: 0, fp: 0, fn: 0, extra: [], missed: [] });
    t.tp += s[kind].tp;
    t.fp += s[kind].fp;
    t.fn += s[kind].fn;
    t.extra.push(...s[kind].extra);
    t.missed.push(...s[kind].missed);
  }
  return into;
}

export const precision = (t: Tally) => (t.tp + t.fp === 0 ? null : t.tp / (t.tp + t.fp));
export const recall = (t: Tally) => (t.tp + t.fn === 0 ? null : t.tp / (t.tp + t.fn));
