/**
 * Reading names, titles and quotations out of raw text by position: the rule layer's tokenizer.
 * Hand-written because the NLP tagger gives single words and we need spans with exact offsets
 * (particles in "Guillermo del Toro", a possessive "'s" left out, "J. J. Abrams").
 */
import type { Analysis } from './nlp.ts';
import type { Excerpt } from './types.ts';

export const excerpt = (text: string, start: number, end: number): Excerpt => ({ start, end, text: text.slice(start, end) });

// One capitalised word of a name: "Phoenix", "Joon-ho", "Nyong'o", "O'Brien", or initials "J." / "J.J."
const NAME_WORD = /(?:\p{Lu}\.(?:\s?\p{Lu}\.)*|\p{Lu}[\p{Ll}\p{Lu}\p{M}]*(?:['’](?!s(?!\p{L}))\p{L}[\p{L}\p{M}]*|-\p{L}[\p{L}\p{M}]*)*)/uy;
const PARTICLES = new Set(['de', 'del', 'della', 'di', 'da', 'dos', 'das', 'du', 'van', 'von', 'der', 'den', 'la', 'le', 'bin', 'ibn', 'al', 'y']);
const ROLE_WORD =
  /^(?:Writer-director|Writer\/director|Director|Filmmaker|Film-maker|Producer|Actor|Actress|Star|Co-star|Newcomer|Composer|Cinematographer|Critic|Writer|Screenwriter|Dir|Starring)$/;
const POSSESSIVE = /['’]s(?![\p{L}\p{N}])/uy;
const GAP = /[ \u00a0]/;

export interface NameSpan extends Excerpt {
  words: string[];
  /** Followed by "'s". */
  possessive: boolean;
}

function wordAtPos(text: string, pos: number): string | undefined {
  NAME_WORD.lastIndex = pos;
  const m = NAME_WORD.exec(text);
  if (!m) return undefined;
  const after = text[pos + m[0].length];
  // "Jonze's": the word ends before the possessive; "Mc" + lower case is still a word ("McAdams" matched whole).
  if (after && /[\p{L}\p{N}]/u.test(after)) return undefined;
  return m[0];
}

/** A capitalised name starting at `pos` (up to 5 words, particles between them), or undefined. */
export function readName(text: string, pos: number, limit = text.length): NameSpan | undefined {
  const words: string[] = [];
  let end = pos;
  let i = pos;
  for (;;) {
    const w = wordAtPos(text, i);
    if (!w || i + w.length > limit) break;
    words.push(w);
    end = i + w.length;
    if (words.length === 5) break;
    POSSESSIVE.lastIndex = end;
    if (POSSESSIVE.test(text)) break;
    if (!GAP.test(text[end] ?? '')) break;
    let next = end + 1;
    // A particle joins two capitalised words ("Guillermo del Toro"); one at the end does not.
    const particle = /^\p{Ll}+/u.exec(text.slice(next, next + 6))?.[0];
    if (particle && PARTICLES.has(particle) && GAP.test(text[next + particle.length] ?? '') && wordAtPos(text, next + particle.length + 1)) {
      words.push(particle);
      next += particle.length + 1;
    }
    i = next;
  }
  while (words.length > 0 && PARTICLES.has(words.at(-1)!)) words.pop();
  if (words.length === 0) return undefined;
  // "Writer-director Priya Raman", "Director Ana Sokolova": a role word opening a sentence is not part of the name.
  if (words.length > 1 && ROLE_WORD.test(words[0]!)) return readName(text, pos + words[0]!.length + 1, limit);
  POSSESSIVE.lastIndex = end;
  const possessive = POSSESSIVE.test(text);
  return { ...excerpt(text, pos, end), words, possessive };
}

/** The name that ends exactly at `end` (its last word ends there), reading backwards. */
export function readNameBefore(text: string, end: number, floor = 0): NameSpan | undefined {
  // Walk back over name-ish characters, then take the longest forward reading ending at `end`.
  let start = end;
  while (start > floor && /[\p{L}\p{M}.'’ \u00a0-]/u.test(text[start - 1]!)) start--;
  for (let pos = start; pos < end; pos++) {
    if (pos > floor && /[\p{L}\p{M}'’-]/u.test(text[pos - 1]!)) continue; // not a word start
    const span = readName(text, pos, end);
    if (span && span.end === end) return span;
  }
  return undefined;
}

// Words that may sit inside a title in lower case (never at its end).
const TITLE_SMALL = new Set(['a', 'an', 'and', 'as', 'at', 'but', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'vs', 'is', 'are']);
const TITLE_WORD = /(?:\p{Lu}[\p{L}\p{M}]*(?:['’-][\p{L}\p{N}]+)*|\p{N}+|&)/uy;

/** A title-cased run starting at `pos`: capitalised words with lower-case small words between them ("Portrait of a Lady on Fire"). */
export function readTitle(text: string, pos: number, limit = text.length, maxWords = 8): Excerpt | undefined {
  let end = -1;
  let i = pos;
  let count = 0;
  while (i < limit && count < maxWords) {
    TITLE_WORD.lastIndex = i;
    const m = TITLE_WORD.exec(text);
    let w = m?.[0];
    if (!w) {
      const small = /^\p{Ll}+/u.exec(text.slice(i, i + 5))?.[0];
      if (!small || !TITLE_SMALL.has(small) || end < 0) break;
      w = small;
    } else if (/[\p{L}\p{N}]/u.test(text[i + w.length] ?? '')) break;
    if (i + w.length > limit) break;
    count++;
    if (!TITLE_SMALL.has(w)) end = i + w.length;
    if (!GAP.test(text[i + w.length] ?? '')) break;
    i += w.length + 1;
  }
  return end > pos ? excerpt(text, pos, end) : undefined;
}

/** The title-cased run that ends exactly at `end`, as long as possible but starting at a capitalised word. */
export function readTitleBefore(text: string, end: number, floor = 0, maxWords = 8): Excerpt | undefined {
  let best: Excerpt | undefined;
  let pos = end;
  let words = 0;
  while (pos > floor && words < maxWords) {
    // step back one word
    let p = pos;
    while (p > floor && GAP.test(text[p - 1]!)) p--;
    if (p === pos && pos !== end) break;
    let q = p;
    while (q > floor && /[\p{L}\p{M}\p{N}'’&-]/u.test(text[q - 1]!)) q--;
    if (q === p) break;
    words++;
    if (pos !== end && p !== pos - 1) break; // words are one space apart
    const t = readTitle(text, q, end, maxWords);
    if (t && t.end === end) best = t;
    else if (!TITLE_SMALL.has(text.slice(q, p))) break;
    pos = q;
  }
  return best;
}

export interface Quoted {
  /** Offsets of the words inside the marks. */
  inner: Excerpt;
  /** The marks included (for a quotation left open, up to the end of its sentence). */
  outer: Excerpt;
  mark: 'single' | 'double';
  closed: boolean;
}

const OPEN_BEFORE = /[\s([{—–\-/"“:]/;

/**
 * Quotations and quoted titles in each paragraph. A straight quote opens after a space or an
 * opening bracket and closes before a space or punctuation; a single quote between two letters
 * is an apostrophe. A double quotation still open at the end of its paragraph ends with the
 * sentence it opened in ("reassures: "['Her' is] Acerbic, … a bit wonderful. Her sees …").
 */
export function quotations(a: Analysis): Quoted[] {
  const { text } = a;
  const found: Quoted[] = [];
  for (const [from, to] of paragraphs(a)) {
    for (const mark of ['double', 'single'] as const) {
      const opens = mark === 'double' ? '"“' : "'‘";
      const closes = mark === 'double' ? '"”' : "'’";
      let open = -1;
      for (let i = from; i < to; i++) {
        const c = text[i]!;
        const before = i > from ? text[i - 1]! : ' ';
        const after = text[i + 1] ?? ' ';
        if (open < 0 && opens.includes(c) && (i === from || OPEN_BEFORE.test(before)) && /[\p{L}\p{N}[(…]/u.test(after)) {
          open = i;
        } else if (open >= 0 && closes.includes(c) && !/\s/.test(before) && !/[\p{L}\p{N}]/u.test(after)) {
          if (mark === 'single' && i - open > 160) {
            open = -1; // an apostrophe ("films'") rather than the end of a quoted title
            continue;
          }
          found.push({ inner: excerpt(text, open + 1, i), outer: excerpt(text, open, i + 1), mark, closed: true });
          open = -1;
        }
      }
      if (open >= 0 && mark === 'double') {
        const sentence = a.sentences.find((s) => s.start <= open && open < s.end);
        const end = sentence ? sentence.end : to;
        if (end > open + 1) found.push({ inner: excerpt(text, open + 1, end), outer: excerpt(text, open, end), mark, closed: false });
      }
    }
  }
  return found.sort((x, y) => x.outer.start - y.outer.start || x.outer.end - y.outer.end);
}

function paragraphs(a: Analysis): [number, number][] {
  const out: [number, number][] = [];
  for (const s of a.sentences) {
    const last = out.at(-1);
    const prev = a.sentences[a.sentences.indexOf(s) - 1];
    if (last && prev && prev.paragraph === s.paragraph) last[1] = s.end;
    else out.push([s.start, s.end]);
  }
  return out;
}
