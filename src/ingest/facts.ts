/**
 * Single-value facts about a film: genres (controlled vocabulary, only where a genre word
 * describes a film: "a sci-fi movie", not "sci-fi movies" in general), certificates (PG, 12A,
 * R, PG-13, 15, 18, U), runtimes ("119mins", "1h 39min", "126 minutes") and external ids.
 */
import type { FilmLocator } from './credits.ts';
import type { FilmCandidate } from './films.ts';
import { GENRES } from './lexicon.ts';
import type { Analysis } from './nlp.ts';
import { excerpt } from './spans.ts';
import type { ExternalIdValues, Excerpt } from './types.ts';

export interface Fact<V> {
  film: FilmCandidate;
  values: V;
  excerpt: Excerpt;
  reason: string;
  confidence: number;
}

const GENRE_WORDS =
  '(sci-?fi|science[- ]fiction|space opera|cyberpunk|horror|slasher|comedy|comedic|rom-?com|romantic comedy|romantic|farce|screwball|romance|love story|drama|melodrama|(?:psychological |techno-)?thriller|action|martial[- ]arts|heist|adventure|animated|animation|stop-motion|anime|documentary|crime|gangster|noir|fantasy|fairy[- ]tale|mystery|whodunn?it|family|historical|period|war|western|musical)';
// A genre word right before a film noun, singular: "sci-fi movie", "horror film", "science-fiction opus", "period drama".
const BEFORE_NOUN = new RegExp(
  `\\b${GENRE_WORDS}(?:[- ][\\p{Ll}]+)? (?:film|movie|picture|flick|feature|tale|story|epic|opus|drama|thriller|comedy|romance|fable|adventure|western|musical|documentary|satire|saga)\\b(?!s\\b|-|['’]s)`,
  'giu',
);
// The genre word as the noun: "a rich, humane and quietly devastating drama", "Maddox's cult western", "A slow, beautiful documentary".
const AS_NOUN = new RegExp(
  `(?:^|\\b)(a|an|this|his|her|their|its|['’]s)\\s+((?:[\\p{Ll}-]+,?\\s+(?:and\\s+)?){0,4}?(?:comedy|drama|thriller|documentary|western|musical|horror|romance|fantasy|mystery|melodrama|rom-?com|whodunn?it|adventure|noir))\\b(?!s\\b|-|['’]s)`,
  'giu',
);
// A genre word right before a title: "Nordic noir Black Ice", "the documentary Nine Lives", "the 2022 adventure 'Deep Blue Friends'".
const BEFORE_TITLE = new RegExp(`\\b${GENRE_WORDS}\\s+['‘"“]?$`, 'iu');
// A copula whose subject is the film: "this is a …", "It is a …", "The Quiet Hours is a …".
const FILM_SUBJECT = /(?:^|[,;]\s*|\b(?:but|and|so)\s+)(?:this|it|the (?:film|movie|picture|documentary)|this (?:film|movie|one))\s*(?:is|was|['’]s)\s+$/i;

function genresOf(words: string): string[] {
  return GENRES.filter(([, re]) => re.test(words)).map(([g]) => g);
}

export function findGenres(a: Analysis, films: FilmCandidate[], locate: FilmLocator): Fact<{ genre: string }>[] {
  const { text } = a;
  const out: Fact<{ genre: string }>[] = [];
  const mentions = films.flatMap((f) => f.mentions.map((m) => ({ f, m })));
  const push = (film: FilmCandidate | undefined, start: number, end: number, genres: string[]) => {
    if (!film) return;
    for (const genre of genres)
      out.push({ film, values: { genre }, excerpt: excerpt(text, start, end), reason: 'stated: a genre word describing the film', confidence: 0.75 });
  };
  for (const { f, m } of mentions) {
    const g = BEFORE_TITLE.exec(text.slice(Math.max(0, m.start - 30), m.start));
    if (g) push(f, m.start - g[0].length, m.end, genresOf(g[1]!));
  }
  for (const s of a.sentences) {
    if (s.headline) continue;
    const body = text.slice(s.start, s.end);
    const taken: [number, number][] = [];
    for (const m of body.matchAll(BEFORE_NOUN)) {
      const start = s.start + m.index;
      const end = start + m[0].length;
      taken.push([start, end]);
      push(
        locate(excerpt(text, start, end)),
        start,
        end,
        genresOf(m[0].replace(/ (?:film|movie|picture|flick|feature|tale|story|epic|opus|fable|saga)$/i, '')),
      );
    }
    for (const m of body.matchAll(AS_NOUN)) {
      const start = s.start + m.index + m[0].length - m[2]!.length;
      const end = s.start + m.index + m[0].length;
      if (taken.some(([x, y]) => x < end && start < y)) continue;
      const det = m[1]!.toLowerCase();
      const before = text.slice(s.start, s.start + m.index);
      const sentenceInitial = before.trim() === '';
      const apposition = /,\s*$/.test(before) && mentions.some(({ m: t }) => /^["”'’]?,\s*$/.test(text.slice(t.end, s.start + m.index)));
      const anaphoric = FILM_SUBJECT.test(before) || /^(?:The (?:film|movie|picture|documentary)|It),\s*$/.test(before) || !(det === 'a' || det === 'an');
      // An indefinite "a comedy" describes this film only as a predicate of it, in apposition to it, or opening a listing's line.
      if (!anaphoric && !sentenceInitial && !apposition && !subjectNamesFilm(a, films, s.start, s.start + m.index)) continue;
      // "A much-hyped Italian drama, whose title I have forgotten": an opening "A …" about no film named nearby is another film.
      push(locate(excerpt(text, start, end), undefined, { noFallback: !anaphoric }), start, end, genresOf(m[2]!));
    }
  }
  return out;
}

/** "The Quiet Hours is a …": the copula's subject is a film title. */
function subjectNamesFilm(a: Analysis, films: FilmCandidate[], from: number, to: number): boolean {
  const before = a.text.slice(from, to);
  if (!/\b(?:is|was|['’]s)\s+$/.test(before)) return false;
  return films.some((f) => f.mentions.some((m) => m.start >= from && m.end <= to));
}

const US_ONLY = new Set(['G', 'R', 'PG-13', 'NC-17']);
const GB_ONLY = new Set(['U', '12A', '12', '15', '18', 'R18']);

export function findCertifications(a: Analysis, locate: FilmLocator): Fact<{ country: string | null; rating: string }>[] {
  const { text } = a;
  const out: Fact<{ country: string | null; rating: string }>[] = [];
  const patterns: [RegExp, string][] = [
    [/\b[Rr]ated (G|PG-13|PG|R|NC-17|U|12A|15|18)(?![\p{L}\d-])/gu, '"rated X"'],
    [/\b(PG-13|NC-17)(?![\p{L}\d])/gu, 'an MPA rating'],
    [/\b(R)-rated\b/g, '"R-rated"'],
    [
      /\b(?:[Cc]ertificate|[Cc]ert\.?|BBFC(?: rating)?|[Cc]lassification|[Cc]ertification|[Rr]ating)\s*:?\s*(U|PG|12A|12|15|18|R18)(?![\p{L}\d])/gu,
      '"certificate X"',
    ],
    [/\b(U|PG|12A|12|15|18)(?: certificate|-certificate| cert\b| rating\b)/g, '"X certificate"'],
    [/\((U|PG|12A|15|18)(?=[,)])/g, '"Title (15)"'],
  ];
  for (const [re, pattern] of patterns) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = m.index + m[0].length;
      if (out.some((c) => c.excerpt.start < end && start < c.excerpt.end)) continue;
      const rating = m[1]!;
      // "Title (15)" is a British listing style; only a title right before it makes it a certificate.
      if (pattern === '"Title (15)"' && !/[\p{L})]['’"”]? $/u.test(text.slice(start - 3, start))) continue;
      const around = text.slice(Math.max(0, start - 120), end + 120);
      const country = US_ONLY.has(rating) || /\bMPA/.test(around) ? 'US' : GB_ONLY.has(rating) || /\bBBFC\b/.test(around) ? 'GB' : null;
      const film = locate(excerpt(text, start, end));
      if (!film || out.some((c) => c.film === film && c.values.rating === rating)) continue;
      out.push({
        film,
        values: { country, rating },
        excerpt: excerpt(text, start, end),
        reason: `stated: ${pattern}${country ? '' : '; the rating board is not named'}`,
        confidence: country ? 0.85 : 0.7,
      });
    }
  }
  return out;
}

export function findRuntimes(a: Analysis, locate: FilmLocator): Fact<{ minutes: number }>[] {
  const { text } = a;
  const out: Fact<{ minutes: number }>[] = [];
  const push = (start: number, end: number, minutes: number, reason: string) => {
    if (minutes < 1 || minutes > 600 || out.some((r) => r.excerpt.start < end && start < r.excerpt.end)) return;
    const film = locate(excerpt(text, start, end));
    if (!film || out.some((r) => r.film === film)) return;
    out.push({ film, values: { minutes }, excerpt: excerpt(text, start, end), reason, confidence: 0.8 });
  };
  for (const m of text.matchAll(/\b(\d)\s?(?:h|hr|hrs|hour|hours)\.?,?\s?(?:and )?(\d{1,2})\s?(?:m|min|mins|minutes)\b/g))
    push(m.index, m.index + m[0].length, Number(m[1]) * 60 + Number(m[2]), 'stated: a running time in hours and minutes');
  for (const m of text.matchAll(/\b(\d{2,3})\s?-?(?:min|mins|minutes|minute)\b/g)) {
    const minutes = Number(m[1]);
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 12);
    const cue =
      /\b(?:runtime|running time|runs(?: for)?|run(?:s|ning)? at|clocks in at|lasts|length)\W*(?:of|is|:)?\s*(?:just |a |only |over |under |nearly |almost )*$/i.test(
        before,
      );
    // "the first 20 minutes", "45 minutes in", "ten minutes too long" are not a film's length.
    const partial =
      /\b(?:first|last|final|opening|closing|every|few|extra|additional)\s+$/i.test(before) ||
      /^\s*(?:in|into|of|later|too|before|after|earlier)\b/i.test(after);
    if (partial || (!cue && (minutes < 60 || minutes > 300))) continue;
    push(m.index, m.index + m[0].length, minutes, cue ? 'stated: a running time' : 'stated: a length in minutes');
  }
  return out;
}

export function findExternalIds(a: Analysis, locate: FilmLocator): Fact<ExternalIdValues>[] {
  const { text } = a;
  const out: Fact<ExternalIdValues>[] = [];
  const patterns: [RegExp, ExternalIdValues['source']][] = [
    [/\b(tt\d{7,8})\b/g, 'IMDB'],
    [/themoviedb\.org\/movie\/(\d+)/g, 'TMDB'],
    [/wikidata\.org\/wiki\/(Q\d+)/g, 'WIKIDATA'],
  ];
  for (const [re, source] of patterns) {
    for (const m of text.matchAll(re)) {
      const at = m.index + m[0].length - m[1]!.length;
      const film = locate(excerpt(text, at, at + m[1]!.length));
      if (!film || out.some((x) => x.values.source === source && x.values.value === m[1])) continue;
      out.push({
        film,
        values: { source, value: m[1]! },
        excerpt: excerpt(text, at, at + m[1]!.length),
        reason: `stated: a ${source} identifier`,
        confidence: 0.8,
      });
    }
  }
  return out;
}
