/**
 * Reviews: quotations attributed to a publication ("the LA Times reassures: "…"", "The Verge
 * assesses, Her "…"", "said X in the Daily Mail", "X of Y writes") and star ratings (★★★★☆,
 * "4 out of 5 stars", "Stars 5"). A quotation attributed to no publication is no review.
 */
import type { FilmLocator } from './credits.ts';
import type { FilmCandidate } from './films.ts';
import { titleish } from './films.ts';
import { attributionsIn, criticBySurname, nearest, type Attribution } from './attribution.ts';
import { sentenceAt, type Analysis, type Sentence } from './nlp.ts';
import { nameKey } from './normalize.ts';
import { excerpt, quotations, type Quoted } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface ReviewFact {
  film: FilmCandidate;
  publication: string | null;
  critic: string | null;
  quotes: Excerpt[];
  rating: { value: number; scale: number; excerpt: Excerpt } | null;
  excerpt: Excerpt;
  reason: string;
  confidence: number;
}

/** A quotation that is a review's words: not a title, not a single word. */
function isQuotation(q: Quoted): boolean {
  const words = q.inner.text.trim().split(/\s+/);
  if (q.mark === 'single' && titleish(q.inner.text.replace(/[,.]$/, ''))) return false;
  if (words.length < 2) return false;
  return !(titleish(q.inner.text.replace(/[,.]$/, '')) && words.length <= 4);
}

export function findReviews(a: Analysis, locate: FilmLocator, publisher?: string | null): ReviewFact[] {
  const { text } = a;
  const all = quotations(a);
  const reviews = new Map<string, ReviewFact>();
  const seen: Attribution[] = [];
  const outer = all.filter((q) => !all.some((o) => o !== q && o.outer.start < q.outer.start && q.outer.end <= o.outer.end));
  const bySentence = new Map<Sentence, Attribution[]>();
  const attributions = (s: Sentence) => {
    let found = bySentence.get(s);
    if (!found) {
      found = attributionsIn(a, s, all);
      bySentence.set(s, found);
      seen.push(...found);
    }
    return found;
  };
  for (const q of outer) {
    if (!isQuotation(q)) continue;
    const s = sentenceAt(a, q.outer.start);
    if (!s || s.headline) continue;
    let at = nearest(attributions(s), q.outer);
    // "the LA Times reassures:" on its own before the quotation.
    const prev = a.sentences[a.sentences.indexOf(s) - 1];
    if (!at && q.outer.start === s.start && prev && prev.paragraph === s.paragraph && /:\s*$/.test(text.slice(prev.start, prev.end)))
      at = attributions(prev).at(-1);
    at ??= criticBySurname(a, s, seen);
    if (!at) continue;
    const film = locate(q.inner);
    if (!film) continue;
    const publication = at.publication.text.replace(/^the /, '');
    const key = `${film.key}|${nameKey(publication)}`;
    const had = reviews.get(key);
    const quote = trimQuote(q);
    if (had) {
      if (!had.quotes.some((x) => x.start === quote.start)) had.quotes.push(quote);
      had.critic ??= at.critic?.text ?? null;
      continue;
    }
    reviews.set(key, {
      film,
      publication,
      critic: at.critic?.text ?? null,
      quotes: [quote],
      rating: null,
      excerpt: excerpt(text, Math.min(at.span.start, q.outer.start), Math.max(at.span.end, q.outer.end)),
      reason: `stated: a quotation attributed by ${at.pattern}`,
      confidence: at.critic ? 0.9 : 0.85,
    });
  }
  for (const r of findRatings(a)) {
    const s = sentenceAt(a, r.excerpt.start)!;
    const at = nearest(attributions(s), r.excerpt);
    const film = locate(r.excerpt);
    if (!film) continue;
    const publication = at?.publication.text.replace(/^the /, '') ?? publisher ?? null;
    const key = `${film.key}|${nameKey(publication ?? '')}`;
    const had = reviews.get(key);
    if (had) {
      had.rating ??= r;
      continue;
    }
    reviews.set(key, {
      film,
      publication,
      critic: at?.critic?.text ?? null,
      quotes: [],
      rating: r,
      excerpt: r.excerpt,
      reason: at
        ? `stated: a rating attributed by ${at.pattern}`
        : publisher
          ? "stated: the article's own rating (its publisher's review)"
          : "stated: the article's own rating; its publisher is unknown",
      confidence: at || publisher ? 0.8 : 0.5,
    });
  }
  return [...reviews.values()];
}

function trimQuote(q: Quoted): Excerpt {
  let { start, end } = q.inner;
  while (start < end && /\s/.test(q.inner.text[start - q.inner.start]!)) start++;
  while (end > start && /[\s,]/.test(q.inner.text[end - 1 - q.inner.start]!)) end--;
  return { start, end, text: q.inner.text.slice(start - q.inner.start, end - q.inner.start) };
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10 };
const num = (w: string) => NUMBER_WORDS[w.toLowerCase()] ?? Number(w);

/** Star ratings: "★★★★☆", "4 out of 5 stars", "4/5", "Stars 5", "Rating: 8/10", "four stars". */
export function findRatings(a: Analysis): { value: number; scale: number; excerpt: Excerpt }[] {
  const { text } = a;
  const out: { value: number; scale: number; excerpt: Excerpt }[] = [];
  const seen = (start: number, end: number) => out.some((r) => r.excerpt.start < end && start < r.excerpt.end);
  const N = '(\\d(?:\\.5)?|one|two|three|four|five|six|seven|eight|nine|ten)';
  const patterns: [RegExp, (m: RegExpExecArray) => [number, number]][] = [
    [
      /[★⭐✮✭]+(?:½)?[☆✩]*/gu,
      (m) => [
        [...m[0]].filter((c) => /[★⭐✮✭]/u.test(c)).length + (m[0].includes('½') ? 0.5 : 0),
        /[☆✩]/u.test(m[0]) ? [...m[0]].filter((c) => c !== '½').length : 5,
      ],
    ],
    [new RegExp(`\\b${N} out of (5|five|10|ten)(?: stars)?\\b`, 'giu'), (m) => [num(m[1]!), num(m[2]!)]],
    [new RegExp(`\\b(?:Stars?|Rating|Verdict|Score)\\s*:?\\s*${N}(?:\\s*\\/\\s*(5|10))?(?![\\d.])`, 'gu'), (m) => [num(m[1]!), m[2] ? Number(m[2]) : 5]],
    // "gave it four stars", "a four-star review" — not "the film's four stars" (its actors).
    [
      new RegExp(`\\b(?:gives? it|gave it|giving it|awards? it|awarded it|awarding it|earns?|earned|rated?|a|an) ${N}[- ]stars?\\b`, 'giu'),
      (m) => [num(m[1]!), 5],
    ],
    [/(?<![\d/])(\d(?:\.5)?)\s?\/\s?(5|10)(?![\d/])/g, (m) => [Number(m[1]), Number(m[2])]],
  ];
  for (const [re, read] of patterns) {
    for (const m of text.matchAll(re)) {
      const start = m.index;
      const end = m.index + m[0].length;
      if (seen(start, end)) continue;
      const [value, scale] = read(m as RegExpExecArray);
      if (!(value > 0 && value <= scale)) continue;
      out.push({ value, scale, excerpt: excerpt(text, start, end) });
    }
  }
  return out.sort((x, y) => x.excerpt.start - y.excerpt.start);
}
