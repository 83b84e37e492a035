/**
 * Release dates: "released in the UK on 25th January", "in theatres on October 18", "premiered
 * at Cannes on 21 May 2019". Each date in a sentence about a release gets the country named next
 * to it and a type from the words around it; a date without a year takes the year from the
 * article's date (INFERRED, with the reason), else from the film's, else stays unknown (--MM-DD).
 */
import type { FilmLocator } from './credits.ts';
import { COUNTRY, countryCode, FESTIVALS } from './lexicon.ts';
import type { Analysis } from './nlp.ts';
import { excerpt } from './spans.ts';
import type { Excerpt, ReleaseType, Support } from './types.ts';
import type { FilmCandidate } from './films.ts';

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
const MONTH = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const DAY = '(\\d{1,2})(?:st|nd|rd|th)?';
const DATE = new RegExp(`(?:(?:the )?${DAY}(?: of)? ${MONTH}|${MONTH} (?:the )?${DAY})(?![\\p{L}\\d])(?:,? (\\d{4})(?!\\d))?`, 'gu');
const CUE =
  /\b(?:releas(?:e|ed|es|ing)|opens?|opening|opened|hits?|arrives?|arriving|arrived|lands?|landed|in (?:cinemas|theaters|theatres)|out (?:on|in|from)|premieres?|premiered|premiering|debuts?|debuted|streaming|streams|comes? out|bows|screens|screened|available|drops)\b/i;
const FUTURE =
  /\b(?:will|opens|hits|arrives|lands|is out|comes out|is released|is set|due|coming|debuts|premieres|from)\b|\bin (?:cinemas|theaters|theatres) (?:on|from)\b/i;
const PAST = /\b(?:was|were|released|opened|hit|arrived|landed|premiered|debuted|came out|bowed|screened)\b/i;

function typeOf(clause: string): { type: ReleaseType; stated: boolean } | undefined {
  if (/\b(?:premieres?|premiered|premiering|festival|world premiere|Berlinale|Cannes|Venice|Sundance|TIFF)\b/i.test(clause))
    return { type: 'PREMIERE', stated: true };
  if (/\blimited\b/i.test(clause)) return { type: 'LIMITED', stated: true };
  if (/\b(?:DVD|Blu-ray|4K UHD|home video)\b/i.test(clause)) return { type: 'PHYSICAL', stated: true };
  if (/\b(?:Netflix|Prime Video|Amazon|Disney\+|Apple TV\+?|Hulu|Max|MUBI|streaming|streams|digital(?:ly)?|on demand|VOD|download)\b/i.test(clause))
    return { type: 'DIGITAL', stated: true };
  if (/\b(?:on TV|television|BBC One|BBC Two|ITV|Channel 4)\b/i.test(clause)) return { type: 'TV', stated: true };
  if (/\b(?:cinemas?|theaters?|theatres?|theatrical(?:ly)?|big screen|box office)\b/i.test(clause)) return { type: 'THEATRICAL', stated: true };
  return undefined;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const dayMonth = (m: number, d: number) => `${d} ${MONTH_NAMES[m - 1]}`;
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The year of a day and month from the article's date: the next such day for a future release, the last for a past one. */
function yearFrom(publishedOn: string, month: number, day: number, sentence: string): { year: number; why: string } {
  const pub = publishedOn.slice(0, 10);
  const y = Number(pub.slice(0, 4));
  const options = [y - 1, y, y + 1].map((year) => ({ year, date: iso(year, month, day) }));
  if (FUTURE.test(sentence) && !/\b(?:was|were)\b/i.test(sentence)) {
    const next = options.find((o) => o.date >= pub)!;
    return { year: next.year, why: `the first ${dayMonth(month, day)} on or after the article's date (${pub}): the sentence speaks of a coming release` };
  }
  if (PAST.test(sentence)) {
    const last = [...options].reverse().find((o) => o.date <= pub)!;
    return { year: last.year, why: `the last ${dayMonth(month, day)} on or before the article's date (${pub}): the sentence speaks of a past release` };
  }
  const nearest = [...options].sort((p, q) => Math.abs(Date.parse(p.date) - Date.parse(pub)) - Math.abs(Date.parse(q.date) - Date.parse(pub)))[0]!;
  return { year: nearest.year, why: `the ${dayMonth(month, day)} nearest the article's date (${pub})` };
}

export function findReleases(a: Analysis, locate: FilmLocator, publishedOn?: string | null): ReleaseFact[] {
  const { text } = a;
  const out: ReleaseFact[] = [];
  for (const s of a.sentences) {
    const body = text.slice(s.start, s.end);
    if (s.headline || !CUE.test(body)) continue;
    const dates = [...body.matchAll(DATE)].map((m) => ({
      start: s.start + m.index,
      end: s.start + m.index + m[0].length,
      day: Number(m[1] ?? m[4]),
      month: MONTHS.indexOf((m[2] ?? m[3])!.slice(0, 3).toLowerCase()) + 1,
      year: m[5] ? Number(m[5]) : null,
    }));
    if (dates.length === 0) continue;
    const countries = [...body.matchAll(new RegExp(`\\b${COUNTRY}`, 'gu'))].map((m) => ({
      start: s.start + m.index,
      end: s.start + m.index + m[0].length,
      code: countryCode(m[0])!,
    }));
    for (const f of FESTIVALS) {
      const m = f[0].exec(body);
      if (m) countries.push({ start: s.start + m.index, end: s.start + m.index + m[0].length, code: f[1] });
    }
    countries.sort((x, y) => x.start - y.start);
    // "in the UK on 25th January" (country first) or "on the 10th January in the USA" (date first).
    const countryFirst = countries.length > 0 && countries[0]!.start < dates[0]!.start;
    dates.forEach((d, i) => {
      if (d.day < 1 || d.day > 31) return;
      const from = i === 0 ? s.start : dates[i - 1]!.end;
      const to = i === dates.length - 1 ? s.end : dates[i + 1]!.start;
      const country = countryFirst
        ? countries.filter((c) => c.end <= d.start && c.start >= from).at(-1)
        : countries.find((c) => c.start >= d.end && c.end <= to);
      const clause = text.slice(from, to);
      const type = typeOf(clause) ?? typeOf(body);
      const film = locate(excerpt(text, d.start, d.end));
      if (!film) return;
      const reasons: string[] = [];
      let support: Support = 'STATED';
      let confidence = 0.85;
      let date: string;
      if (d.year) date = iso(d.year, d.month, d.day);
      else if (publishedOn) {
        const y = yearFrom(publishedOn, d.month, d.day, body);
        date = iso(y.year, d.month, d.day);
        support = 'INFERRED';
        reasons.push(`year ${y.year} taken from ${y.why}`);
        confidence = 0.7;
      } else if (film.year) {
        date = iso(film.year, d.month, d.day);
        support = 'INFERRED';
        reasons.push(`year ${film.year} taken from the film's year`);
        confidence = 0.55;
      } else {
        date = `--${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
        reasons.push('no year stated and no article date: the year is left unknown');
        confidence = 0.5;
      }
      if (!type?.stated) {
        support = 'INFERRED';
        reasons.push('the article says only that it is released: read as the general theatrical release');
      }
      if (!country) reasons.push('no country named');
      const start = Math.min(d.start, country?.start ?? d.start, i === 0 ? s.start : d.start);
      const end = Math.max(d.end, country?.end ?? d.end);
      out.push({
        film,
        country: country?.code ?? null,
        date,
        type: type?.type ?? 'THEATRICAL',
        excerpt: excerpt(text, start, end),
        support,
        reason: support === 'STATED' && reasons.length === 0 ? 'stated: a release date' : `${support.toLowerCase()}: ${reasons.join('; ')}`,
        confidence: country ? confidence : confidence - 0.1,
      });
    });
  }
  return out;
}
