/**
 * The words around a release date: which kind of release it is (premiere, limited, theatrical,
 * digital, physical, TV) and, for a date without a year, which year the tense points to.
 */
import type { ReleaseType } from './types.ts';

const FUTURE =
  /\b(?:will|opens|hits|arrives|lands|is out|comes out|is released|is set|due|coming|debuts|premieres|streams|from)\b|\bin (?:cinemas|theaters|theatres) (?:on|from)\b/i;
const PAST = /\b(?:was|were|(?<!\b(?:be|been|being|is|are) )released|opened|hit|arrived|landed|premiered|debuted|came out|bowed|screened)\b/i;

/** The release type the words of a clause name; `stated: false` never happens here (the caller defaults to THEATRICAL, INFERRED). */
export function typeOf(clause: string): { type: ReleaseType; stated: true } | undefined {
  if (/\b(?:premieres?|premiered|premiering|festival|world premiere|Berlinale|Cannes|Venice|Sundance|TIFF)\b/i.test(clause))
    return { type: 'PREMIERE', stated: true };
  if (/\blimited\b/i.test(clause)) return { type: 'LIMITED', stated: true };
  if (/\b(?:DVD|Blu-ray|4K UHD|home video)\b/i.test(clause)) return { type: 'PHYSICAL', stated: true };
  if (
    /\b(?:Netflix|Prime Video|Amazon|Disney\+|Apple TV\+?|Hulu|Max|MUBI|iPlayer|streaming|streams?|digital(?:ly)?|on demand|VOD|download)(?!\w)/i.test(clause)
  )
    return { type: 'DIGITAL', stated: true };
  if (/\b(?:on TV|television|BBC One|BBC Two|ITV|Channel 4)\b/i.test(clause)) return { type: 'TV', stated: true };
  if (/\b(?:cinemas?|theaters?|theatres?|theatrical(?:ly)?|big screen|box office)\b/i.test(clause)) return { type: 'THEATRICAL', stated: true };
  return undefined;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * The year of a day and month, from the article's date: the next such day for a coming release
 * ("will be released", "opens"), the last one for a past release ("premiered"), else the nearest.
 * The clause's own tense decides; the sentence's when the clause has none.
 */
export function yearFrom(publishedOn: string, month: number, day: number, clause: string, sentence: string): { year: number; why: string } {
  const pub = publishedOn.slice(0, 10);
  const y = Number(pub.slice(0, 4));
  const named = `${day} ${MONTH_NAMES[month - 1]}`;
  const options = [y - 1, y, y + 1].map((year) => ({ year, date: iso(year, month, day) }));
  const future = FUTURE.test(clause) ? true : PAST.test(clause) ? false : FUTURE.test(sentence) ? true : PAST.test(sentence) ? false : undefined;
  if (future === true) {
    const next = options.find((o) => o.date >= pub)!;
    return { year: next.year, why: `the first ${named} on or after the article's date (${pub}): the text speaks of a coming release` };
  }
  if (future === false) {
    const last = [...options].reverse().find((o) => o.date <= pub)!;
    return { year: last.year, why: `the last ${named} on or before the article's date (${pub}): the text speaks of a past release` };
  }
  const nearest = [...options].sort((p, q) => Math.abs(Date.parse(p.date) - Date.parse(pub)) - Math.abs(Date.parse(q.date) - Date.parse(pub)))[0]!;
  return { year: nearest.year, why: `the ${named} nearest the article's date (${pub})` };
}
