/**
 * Finding the films an article names: "Title (2019)", titles in quotes with a cue that makes
 * them films, title-case titles after a film noun or a possessive ("Jonze's new film, Her"),
 * every later mention of a title found, which film the article is about, and which are named
 * only in passing ("Jonze ('Where The Wild Things Are,' 'Being John Malkovich')").
 */
import { FILM_NOUN } from './lexicon.ts';
import { sentenceAt, wordAt, type Analysis, type Sentence } from './nlp.ts';
import { nameKey, titleCase } from './normalize.ts';
import { passingContext } from './passing.ts';
import { excerpt, quotations, readName, readNameBefore, readTitle, readTitleBefore, type Quoted } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface FilmMention extends Excerpt {
  /** Named in passing: a parenthesised list after a person, or after "earlier films like …". */
  passing: boolean;
  /** For a list after a person ("Jonze ('Where …', 'Being …')"): that person's name as written. */
  owner?: Excerpt;
  /** How the mention was recognised (a pattern name, or "repeat"). */
  cue: string;
}

export interface FilmCandidate {
  key: string;
  title: string;
  year: number | null;
  yearExcerpt: Excerpt | null;
  mentions: FilmMention[];
  main: boolean;
  /** Every mention is a passing one. */
  passing: boolean;
}

const FILM_WORDS = `${FILM_NOUN.slice(3, -1)}|short|hit|smash|flop|classic|favou?rite|breakout|noir`;
const QUOTED_CUE_BEFORE = new RegExp(
  `(?:\\b(?:${FILM_WORDS})s?|['’]s|\\b(?:in|like|including|include|includes|such as|and|or|watch|of|for|from|with|see|seeing|saw|than|after|before|since)|[,(]|\\bthe)\\s*$`,
  'i',
);
const QUOTED_CUE_AFTER =
  /^\s*(?:\((?:19|20)\d\d\)|trailer\b|['’]s\b|is (?:a|an|the)\b|was (?:a|an|the)\b|stars\b|co-stars\b|,? (?:starring|directed|written|which|sees|follows|opens|hits|will|is out|was released|arrives|premieres))/i;
const YEAR_PAREN = /\((19\d\d|20\d\d)\)/g;
// "new sci-fi movie, Her", "its holiday short Snowbound", "the documentary Nine Lives": a film noun (lower case) right before a title.
const APPOSITION = new RegExp(
  `\\b(?:new|latest|debut|the|this|his|her|their|its|a|an)\\b[^.,;]{0,40}?\\b(film|movie|picture|documentary|feature|flick|drama|comedy|thriller|sequel|biopic|musical|short|western|noir|breakout|hit|debut)(?:,|:|\\s)\\s?(?=[\\p{Lu}\\d])`,
  'gu',
);
// "Barbie, directed by …", "Glass Harbour, a psychological thriller", "The Last Lighthouse, Jonah Whitlock's follow-up".
const BEFORE_ROLE = new RegExp(
  `^(?:,?\\s(?:(?:written and )?directed by|starring|co-starring|stars (?=\\p{Lu})|co-stars (?=\\p{Lu})|from (?:writer-)?director|is directed by|was directed by|written by)|,\\s(?:a|an|the)\\s(?:[\\p{L}-]+,?\\s){0,3}(?:${FILM_WORDS}|debut)\\b(?!['’]s)|,\\s\\p{Lu}[\\p{L}-]+(?: \\p{Lu}[\\p{L}-]+){0,2}['’]s (?:[\\p{Ll}-]+ ){0,2}(?:${FILM_WORDS}|follow-up|debut|latest|new)\\b)`,
  'u',
);
// A year right before the noun that introduces a title: "his 2021 breakout Night Swimmers", "the studio's 2019 hit 'Lanterns'".
const YEAR_BEFORE = /\b((?:19|20)\d\d) (?:(?!(?:with|in|at|for|of|and|to|from|by|on|the)\b)[\p{Ll}-]+ ){1,2}['‘"“]?$/u;

const add = (map: Map<string, FilmCandidate>, title: string, mention: FilmMention, year?: { value: number; excerpt: Excerpt }) => {
  const key = nameKey(title);
  if (!key) return;
  let c = map.get(key);
  if (!c) {
    c = { key: `film:${key.replace(/ /g, '-')}`, title: titleCase(title), year: null, yearExcerpt: null, mentions: [], main: false, passing: false };
    map.set(key, c);
  }
  if (year && c.year === null) {
    c.year = year.value;
    c.yearExcerpt = year.excerpt;
  }
  if (!c.mentions.some((m) => m.start === mention.start)) c.mentions.push(mention);
};

/** Words inside quotation marks that read as a title: capitalised, short, no sentence inside. */
export function titleish(inner: string): boolean {
  const words = inner.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 9 || !/^[\p{Lu}\p{N}]/u.test(inner)) return false;
  const major = words.filter((w) => !/^(?:a|an|and|as|at|but|by|for|from|in|into|of|on|or|the|to|with|vs\.?|is|are)$/.test(w));
  return major.filter((w) => /^[\p{Lu}\p{N}]/u.test(w)).length >= Math.ceil(major.length * 0.75);
}

/** Quoted text minus the punctuation British style puts inside the marks ('Gladiator,'). */
export function trimQuoted(q: Quoted): Excerpt | undefined {
  const text = q.inner.text;
  let s = 0;
  let e = text.length;
  while (e > s && /[\s,.;:]/.test(text[e - 1]!)) e--;
  while (s < e && /\s/.test(text[s]!)) s++;
  return e > s ? { start: q.inner.start + s, end: q.inner.start + e, text: text.slice(s, e) } : undefined;
}

export function findFilms(a: Analysis, articleTitle?: string | null): FilmCandidate[] {
  const { text } = a;
  const map = new Map<string, FilmCandidate>();
  const quotes = quotations(a);
  const mention = (span: Excerpt, cue: string): FilmMention => {
    const s = sentenceAt(a, span.start)!;
    return { ...span, cue, ...passingContext(a, s, span.start) };
  };
  const addWithYear = (t: Excerpt, cue: string) => {
    const s = sentenceAt(a, t.start)!;
    const y = YEAR_BEFORE.exec(text.slice(s.start, t.start));
    const year = y ? { value: Number(y[1]), excerpt: excerpt(text, s.start + y.index, s.start + y.index + 4) } : undefined;
    add(map, t.text, mention(t, cue), year);
  };

  // 1. Title (2019), quoted or not.
  for (const m of text.matchAll(YEAR_PAREN)) {
    const year = { value: Number(m[1]), excerpt: excerpt(text, m.index, m.index + m[0].length) };
    let end = m.index;
    while (end > 0 && text[end - 1] === ' ') end--;
    const s = sentenceAt(a, end - 1);
    if (!s) continue;
    let title: Excerpt | undefined;
    if (/['’"”]/.test(text[end - 1] ?? '')) {
      const q = quotes.find((x) => x.outer.end === end);
      title = q && trimQuoted(q);
    } else title = readTitleBefore(text, end, s.start);
    if (title && titleish(title.text)) add(map, title.text, mention(title, 'Title (year)'), year);
  }

  // 2. Quoted titles with a cue before or after ("Jonze's 'Her'", "'Her' (2013)", "in 'Her.'").
  for (const q of quotes) {
    const t = trimQuoted(q);
    const s = sentenceAt(a, q.outer.start);
    if (!t || !s || !titleish(t.text) || !q.closed) continue;
    const before = text.slice(Math.max(s.start, q.outer.start - 40), q.outer.start);
    const after = text.slice(q.outer.end, q.outer.end + 40);
    const inParens = passingContext(a, s, q.outer.start).owner !== undefined;
    // Two or more title-case words in quotation marks, no full stop: a title even without a cue ("Critics loved "Lady Bird"").
    const bare = t.text.includes(' ') && !/[.!?]$/.test(q.inner.text.trim());
    if (inParens || bare || QUOTED_CUE_BEFORE.test(before) || QUOTED_CUE_AFTER.test(after) || /^\[/.test(text.slice(q.outer.start - 1, q.outer.start)))
      addWithYear(t, 'quoted title');
  }

  // 3. Unquoted title case after a film noun ("new sci-fi movie, Her"), a possessive ("Greta Gerwig's Barbie") or before a role ("Barbie, directed by").
  for (const s of a.sentences) {
    if (s.headline) continue;
    const body = text.slice(s.start, s.end);
    for (const m of body.matchAll(APPOSITION)) {
      const t = readTitle(text, s.start + m.index + m[0].length, s.end, 6);
      if (t && plausibleTitle(a, t)) addWithYear(t, `${m[1]} + title`);
    }
    for (const m of body.matchAll(
      /['’]s (?:(?:earlier|previous|last|latest|new|first|debut|second|third|breakout|acclaimed|cult|classic) ){0,2}(?=[\p{Lu}\d])/gu,
    )) {
      const owner = readNameBefore(text, s.start + m.index, s.start);
      const t = readTitle(text, s.start + m.index + m[0].length, s.end, 6);
      // A person's possessive, not a network's ("TV's Dunmore", "BBC's"), then a verb or punctuation.
      if (
        owner &&
        /\p{Ll}/u.test(owner.text) &&
        t &&
        plausibleTitle(a, t) &&
        /^(?:[,.;:)]|\s(?:is|was|will|has|sees|follows|stars|opens|tells|arrives|hits|finds)\b)/.test(text.slice(t.end, t.end + 8))
      )
        addWithYear(t, 'possessive + title');
    }
    for (let i = s.start; i < s.end; i++) {
      if (!/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') || !BEFORE_ROLE.test(text.slice(i, i + 60))) continue;
      const t = readTitleBefore(text, i, s.start, 6);
      if (t && /\p{L}/u.test(t.text) && plausibleTitle(a, t) && !isSentenceStartWord(a, s, t)) addWithYear(t, 'title + role');
    }
  }

  // 4. The article's own title: a quoted title in it, or the title-case run before "review".
  if (articleTitle) {
    const m = /['‘"“]([^'’"”]+)['’"”]|^(?:review:\s*)?([\p{Lu}][^:|–-]*?)(?:\s+(?:reviews?|film review)\b|\s*[:|–-]\s*reviews?\b)/iu.exec(articleTitle);
    const title = (m?.[1] ?? m?.[2])?.trim();
    if (title && titleish(title)) {
      const first = findWord(text, title);
      if (first >= 0) add(map, title, mention(excerpt(text, first, first + title.length), 'article title'));
    }
  }

  const films = [...map.values()];
  for (const f of films) addRepeats(a, f);
  continueLists(a, films);
  chooseMain(a, films, articleTitle);
  return films;
}

/** "hits 'Summer of Wolves' (2015) and 'Red Salt' (2018)": the next title of a list is named the way the first one is. */
function continueLists(a: Analysis, films: FilmCandidate[]) {
  const all = films.flatMap((f) => f.mentions).sort((x, y) => x.start - y.start);
  for (let i = 1; i < all.length; i++) {
    const [prev, cur] = [all[i - 1]!, all[i]!];
    const gap = a.text.slice(prev.end, cur.start);
    if (prev.passing && !cur.passing && /^['’"”]?,?\s*(?:\((?:19|20)\d\d\)\s*)?(?:,\s*|\s+and\s+|\s+or\s+|,\s+and\s+)(?:the\s+)?['‘"“]?$/.test(gap)) {
      cur.passing = true;
      cur.owner ??= prev.owner;
    }
  }
  for (const f of films) f.passing = f.mentions.every((m) => m.passing);
}

function findWord(text: string, word: string, from = 0): number {
  for (let i = text.indexOf(word, from); i >= 0; i = text.indexOf(word, i + 1)) {
    if (!/[\p{L}\p{N}]/u.test(text[i - 1] ?? '') && !/[\p{L}\p{N}]/u.test(text[i + word.length] ?? '')) return i;
  }
  return -1;
}

/** Not a person, not a pronoun ("the saddest film I've seen"). */
function plausibleTitle(a: Analysis, t: Excerpt): boolean {
  const first = wordAt(a, t.start);
  // Only "I" is ruled out: "Her", "It" and "Us" are films too, found here only after a film noun or a possessive.
  return !looksLikePerson(a, t) && !(first && /^(?:I|I['’](?:ve|m|d|ll))$/.test(first.text));
}

/** A span whose first word the tagger knows as a first name, followed by another capitalised word: a person, not a title. */
export function looksLikePerson(a: Analysis, t: Excerpt): boolean {
  const name = readName(a.text, t.start, t.end);
  if (!name || name.words.length < 2) return false;
  const first = wordAt(a, t.start);
  return !!first && (first.tags.has('FirstName') || first.tags.has('Honorific'));
}

/** "However, directed by …": a one-word "title" opening the sentence that the tagger reads as an ordinary word. */
function isSentenceStartWord(a: Analysis, s: Sentence, t: Excerpt): boolean {
  if (t.start !== s.start || t.text.includes(' ')) return false;
  const w = wordAt(a, t.start);
  return !!w && !w.tags.has('ProperNoun');
}

/**
 * Every further occurrence of a known title, written the same way. A one-word title that is also
 * a common word ("Her") counts only where it cannot be that word: capitalised mid-sentence.
 */
function addRepeats(a: Analysis, f: FilmCandidate) {
  const { text } = a;
  const written = new Set(f.mentions.map((m) => m.text));
  for (const w of written) {
    for (let i = findWord(text, w); i >= 0; i = findWord(text, w, i + 1)) {
      if (f.mentions.some((m) => m.start <= i && i < m.end)) continue;
      const s = sentenceAt(a, i);
      if (!s) continue;
      const tagged = wordAt(a, i);
      const common = !w.includes(' ') && !!tagged && !tagged.tags.has('ProperNoun');
      if (common && i === s.start) continue;
      f.mentions.push({ ...excerpt(text, i, i + w.length), cue: 'repeat', ...passingContext(a, s, i) });
    }
  }
  f.mentions.sort((x, y) => x.start - y.start);
  f.passing = f.mentions.every((m) => m.passing);
}

function chooseMain(a: Analysis, films: FilmCandidate[], articleTitle?: string | null) {
  const firstParagraph = a.sentences.find((s) => !s.headline)?.paragraph ?? 0;
  let best: FilmCandidate | undefined;
  let bestScore = -1;
  for (const f of films) {
    let score = 0;
    for (const m of f.mentions) {
      score += m.passing ? 0.2 : 1;
      if (!m.passing && sentenceAt(a, m.start)?.paragraph === firstParagraph) score += 1.5;
      if (m.cue === 'article title') score += 2;
    }
    if (articleTitle && nameKey(articleTitle).includes(nameKey(f.title))) score += 1;
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  if (best && !best.passing) best.main = true;
}
