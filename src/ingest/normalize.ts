/**
 * Name comparison for ingestion: accent folding, normalised keys, trigram similarity and edit
 * distance, the same notions the database search uses (unaccent + pg_trgm, docs/search.md).
 */
import { distance } from 'fastest-levenshtein';

/** Lower case, accents removed (NFD + strip marks: "Zoë" → "zoe"), curly apostrophes straightened. */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .toLowerCase();
}

/** Words of a folded name joined by single spaces; punctuation goes (what names compare by). */
export function nameKey(value: string): string {
  return fold(value)
    .replace(/'s$/u, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** A slug for local proposal keys: "Where The Wild Things Are" → "where-the-wild-things-are". */
export function slugOf(value: string): string {
  return nameKey(value).replace(/ /g, '-') || 'x';
}

// Words a title in "Proper Title Case" keeps in lower case unless first or last (Chicago style).
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'nor', 'of', 'on', 'or', 'the', 'to', 'with']);

/**
 * Headline style that capitalises every word ("Walk The Line") becomes title case ("Walk the
 * Line"); a title already using lower-case small words is kept as written.
 */
export function titleCase(title: string): string {
  const words = title.split(' ');
  if (words.some((w, i) => i > 0 && SMALL_WORDS.has(w))) return title;
  return words.map((w, i) => (i > 0 && i < words.length - 1 && SMALL_WORDS.has(w.toLowerCase()) ? w.toLowerCase() : w)).join(' ');
}

/** pg_trgm's trigrams: each word padded with two spaces in front and one behind. */
function trigrams(value: string): Set<string> {
  const grams = new Set<string>();
  for (const word of nameKey(value).split(' ')) {
    if (!word) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return grams;
}

/** pg_trgm's similarity(): shared trigrams over the union, in [0, 1]. */
export function trigramSimilarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Levenshtein distance between the folded names. */
export function editDistance(a: string, b: string): number {
  return distance(nameKey(a), nameKey(b));
}

/**
 * Whether `a` is a plausible misspelling of `b` (folded, not equal): one edit for names of 5–8
 * letters, two from 9, none below 5 (short names differ by one letter too often: "Hanks",
 * "Banks"), and the same initial on every word (typos rarely hit an initial).
 */
export function isTypoOf(a: string, b: string): boolean {
  const x = nameKey(a);
  const y = nameKey(b);
  if (x === y || x.length < 5 || x[0] !== y[0]) return false;
  // Each word keeps its initial: "Tom Banks" is another person, not a typo of "Tom Hanks".
  const [xs, ys] = [x.split(' '), y.split(' ')];
  if (xs.length !== ys.length || xs.some((w, i) => w[0] !== ys[i]![0])) return false;
  const allowed = Math.min(x.length, y.length) >= 9 ? 2 : 1;
  return distance(x, y) <= allowed;
}
