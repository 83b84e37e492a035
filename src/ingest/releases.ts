/**
 * Release dates: "released in the UK on 25th January", "in theatres on October 18", "premiered
 * at Cannes on 21 May 2019", "Netflix, from 12 January". A sentence about a release is cut into
 * clauses; each date takes the countries of its clause ("in UK and Irish cinemas" is two) and a
 * type from its words. A date without a year takes the year from the article's date (INFERRED,
 * with the reason), else from the film's, else stays unknown (--MM-DD).
 */
import type { FilmLocator } from './credits.ts';
import type { FilmCandidate } from './films.ts';
import { COUNTRY_ADJECTIVE, COUNTRY_NOUN, countryCode, FESTIVALS } from './lexicon.ts';
import type { Analysis } from './nlp.ts';
import { excerpt } from './spans.ts';
import { typeOf, yearFrom } from './release-words.ts';
import type { Excerpt, ReleaseType, Support } from './types.ts';

export interface ReleaseFact {
  film: FilmCandidate;
  country: string | null;
  date: string;
  type: ReleaseType;
  excerpt: Excerpt;
  support: Support;
  reason: string;
  confidence: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?)';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const DATE = new RegExp(`(?:(?:the )?${DAY}(?: of)? ${MONTH}|${MONTH} (?:the )?${DAY})(?![\\p{L}\\d])(?:,? (\\d{4})(?!\\d))?`, 'gu');
const CUE =
  /(?<![\p{L}])(?:releas(?:e|ed|es|ing)|opens?|opening|opened|hits?|arrives?|arriving|arrived|lands?|landed|cinemas|theaters|theatres|out (?:on|in|from)|premieres?|premiered|premiering|debuts?|debuted|streaming|streams?|comes? out|bows|screens|screened|available|drops|Netflix|MUBI|Prime Video|Disney\+|Apple TV\+?|iPlayer|Hulu|DVD|Blu-ray)(?![\p{L}])/iu;
// Where one release clause ends and the next begins: "…in the USA and the 14th February in the UK", "…on 28 August, before opening in …".
const CLAUSE_BREAK = /,\s+(?:and\s+|but\s+|before\s+|after\s+|while\s+|then\s+)?|;\s+|\s+and\s+/g;

interface Place {
  start: number;
  end: number;
  codes: string[];
}

/** Countries named in [from, to), those joined by "and" or a comma grouped ("the US and Canada", "UK and Irish cinemas"). */
function places(text: string, from: number, to: number): Place[] {
  const body = text.slice(from, to);
  const found: Place[] = [];
  for (const re of [COUNTRY_NOUN, COUNTRY_ADJECTIVE])
    for (const m of body.matchAll(re)) found.push({ start: from + m.index, end: from + m.index + m[0].length, codes: [countryCode(m[1]!)!] });
  found.sort((x, y) => x.start - y.start);
  const grouped: Place[] = [];
  for (const p of found) {
    const last = grouped.at(-1);
    if (last && /^(?:,\s*|\s+and\s+|\s*&\s*|,\s+and\s+)$/.test(text.slice(last.end, p.start)))
      Object.assign(last, { end: p.end, codes: [...last.codes, ...p.codes] });
    else grouped.push({ ...p });
  }
  return grouped;
}

function festivalIn(text: string, from: number, to: number): Place | undefined {
  const body = text.slice(from, to);
  for (const [re, code] of FESTIVALS) {
    const m = re.exec(body);
    if (m) return { start: from + m.index, end: from + m.index + m[0].length, codes: [code] };
  }
  return undefined;
}

export function findReleases(a: Analysis, locate: FilmLocator, publishedOn?: string | null): ReleaseFact[] {
  const { text } = a;
  const out: ReleaseFact[] = [];
  // A premiere "at the festival" with no festival named in its sentence is at the one the article named first.
  const articleFestival = festivalIn(text, 0, text.length);
  for (const s of a.sentences) {
    const body = text.slice(s.start, s.end);
    if (!CUE.test(body)) continue;
    const dates = [...body.matchAll(DATE)].map((m) => ({
      start: s.start + m.index,
      end: s.start + m.index + m[0].length,
      day: Number(m[1] ?? m[4]),
      month: MONTHS.indexOf((m[2] ?? m[3])!.slice(0, 3).toLowerCase()) + 1,
      year: m[5] ? Number(m[5]) : null,
    }));
    if (dates.length === 0) continue;
    const groups = places(text, s.start, s.end);
    const breaks = [...body.matchAll(CLAUSE_BREAK)]
      .map((m) => ({ start: s.start + m.index, end: s.start + m.index + m[0].length }))
      .filter((b) => !groups.some((g) => g.start < b.start && b.end < g.end));
    for (const d of dates) {
      if (d.day < 1 || d.day > 31) continue;
      const from = breaks.filter((b) => b.end <= d.start).at(-1)?.end ?? s.start;
      const to = breaks.find((b) => b.start >= d.end)?.start ?? s.end;
      const clause = text.slice(from, to);
      const type = typeOf(clause) ?? typeOf(body);
      // One date in the sentence: its countries may sit in another clause ("… short Snowbound, which will stream … in the US and Canada").
      let place = groups.find((g) => g.start >= from && g.end <= to) ?? (dates.length === 1 && groups.length === 1 ? groups[0] : undefined);
      if (!place && type?.type === 'PREMIERE') place = festivalIn(text, s.start, s.end) ?? articleFestival;
      const film = locate(excerpt(text, d.start, d.end));
      if (!film) continue;
      const dated = dateOf(d, film, publishedOn, clause, body);
      const reasons = [...dated.reasons];
      let support: Support = dated.inferred ? 'INFERRED' : 'STATED';
      if (!type?.stated) {
        support = 'INFERRED';
        reasons.push('the article says only that it is released: read as the general theatrical release');
      }
      if (!place) reasons.push('no country named');
      const placeInClause = place && place.start >= from && place.end <= to ? place : undefined;
      const clip = excerpt(text, Math.min(from, d.start), Math.max(d.end, placeInClause?.end ?? d.end));
      for (const code of place?.codes ?? [null]) {
        out.push({
          film,
          country: code,
          date: dated.date,
          type: type?.type ?? 'THEATRICAL',
          excerpt: clip,
          support,
          reason: support === 'STATED' && reasons.length === 0 ? 'stated: a release date' : `${support.toLowerCase()}: ${reasons.join('; ')}`,
          confidence: place ? dated.confidence : dated.confidence - 0.1,
        });
      }
    }
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

function dateOf(
  d: { day: number; month: number; year: number | null },
  film: FilmCandidate,
  publishedOn: string | null | undefined,
  clause: string,
  sentence: string,
) {
  if (d.year) return { date: `${d.year}-${pad(d.month)}-${pad(d.day)}`, inferred: false, reasons: [], confidence: 0.85 };
  if (publishedOn) {
    const y = yearFrom(publishedOn, d.month, d.day, clause, sentence);
    return { date: `${y.year}-${pad(d.month)}-${pad(d.day)}`, inferred: true, reasons: [`year ${y.year} taken from ${y.why}`], confidence: 0.7 };
  }
  if (film.year)
    return { date: `${film.year}-${pad(d.month)}-${pad(d.day)}`, inferred: true, reasons: [`year ${film.year} taken from the film's year`], confidence: 0.55 };
  return {
    date: `--${pad(d.month)}-${pad(d.day)}`,
    inferred: false,
    reasons: ['no year stated and no article date: the year is left unknown'],
    confidence: 0.5,
  };
}
