/**
 * The NLP layer: sentences, paragraphs and word tags from `compromise`, with UTF-16 offsets.
 *
 * Why compromise (docs/ingestion.md#the-nlp-library): it runs offline from its npm package (no
 * model download), splits sentences around abbreviations ("Dr.", "Oct. 18", "U.S."), and its
 * lexicon tags first names, surnames and honorifics — the signal that tells "Joaquin Phoenix"
 * from "Walk The Line" when both are capitalised words. wink-nlp's English lite model is ~8×
 * faster (≈4 ms vs ≈30 ms per 3,000 characters) but has no person-name entities: we would have to
 * rebuild that lexicon. Everything else (titles, roles, dates, quotes) is the rule layer, since
 * neither library knows film writing. We load `compromise/two` (tokenizer + tagger), not the
 * full build, whose extra plugins (dates, people()) we do not use.
 */
import { createRequire } from 'node:module';
import type compromise from 'compromise/two';

let nlp: typeof compromise | undefined;

/**
 * compromise, loaded on the first analysis rather than at import: its lexicon takes ≈ 300 ms of
 * CPU to unpack, and most importers of src/ingest (the API's proposal mutations, every test file
 * that builds the schema) never analyse an article. The package's single-file CommonJS build, the
 * same release as its ES modules, loads without resolving a few hundred small modules.
 */
export function loadNlp(): typeof compromise {
  nlp ??= createRequire(import.meta.url)('compromise/two') as typeof compromise;
  return nlp;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index of the paragraph (text between blank lines, or a line on its own) it belongs to. */
  paragraph: number;
  /** A heading or caption line ("Joaquin Phoenix Plays A Man Seeking Love"): words capitalised as a title. */
  headline: boolean;
}

export interface Word {
  start: number;
  end: number;
  text: string;
  tags: ReadonlySet<string>;
}

export interface Analysis {
  text: string;
  sentences: Sentence[];
  /** Words as the tagger saw them, in text order. */
  words: Word[];
}

interface CompromiseTerm {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}
interface CompromiseSentence {
  offset: { start: number; length: number };
  terms: CompromiseTerm[];
}

export function analyze(text: string): Analysis {
  const json = loadNlp()(text).json({ offset: true }) as CompromiseSentence[];
  const words: Word[] = [];
  for (const s of json)
    for (const t of s.terms) {
      if (t.offset.length === 0) continue; // an expanded contraction ("Jonze's" → "is") has no text of its own
      words.push({
        start: t.offset.start,
        end: t.offset.start + t.offset.length,
        text: text.slice(t.offset.start, t.offset.start + t.offset.length),
        tags: new Set(t.tags),
      });
    }
  const sentences: Sentence[] = [];
  const paragraphOf = paragraphIndex(text);
  const push = (from: number, to: number) => {
    // compromise leaves an opening quotation mark or bracket out of the sentence that starts with it.
    while (from > 0 && /["“‘'([]/.test(text[from - 1]!)) from--;
    const trimmed = trimSpan(text, from, to);
    if (trimmed.start < trimmed.end) sentences.push({ ...trimmed, paragraph: paragraphOf(trimmed.start), headline: false });
  };
  for (const s of json) {
    // compromise may run a sentence over a line break (a caption line has no full stop): lines are hard boundaries.
    let start = s.offset.start;
    const end = s.offset.start + s.offset.length;
    for (const line of text.slice(start, end).split('\n')) {
      const lineStart = start;
      start += line.length + 1;
      // compromise keeps `… entities." Framed within …` as one sentence: a full stop inside closing quotation marks ends one too.
      let from = lineStart;
      // So does "119mins." (compromise reads "mins." as an abbreviation).
      for (const m of line.matchAll(/[.!?]["”’](?=\s+["“‘]?\p{Lu})|(?<=\d\s?(?:mins?|hrs?|m|h))\.(?=\s+["“‘]?\p{Lu})/gu)) {
        push(from, lineStart + m.index + m[0].length);
        from = lineStart + m.index + m[0].length;
      }
      push(from, lineStart + line.length);
    }
  }
  for (const s of sentences) s.headline = isHeadline(text, s, sentences);
  return { text, sentences, words };
}

function trimSpan(text: string, start: number, end: number) {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return { start, end };
}

/** Paragraphs are separated by line breaks (one or more): articles pasted from the web rarely keep blank lines. */
function paragraphIndex(text: string): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => {
    let n = 0;
    while (n < breaks.length && breaks[n]! < offset) n++;
    return n;
  };
}

const MINOR = /^(a|an|and|as|at|but|by|for|from|in|into|nor|of|on|or|the|to|with|vs\.?)$/i;

/**
 * A line on its own whose words are nearly all capitalised — a heading or a photo caption.
 * Role patterns skip such lines: in "Joaquin Phoenix Plays A Man Seeking Love" every word looks
 * like a name.
 */
function isHeadline(text: string, s: Sentence, all: Sentence[]): boolean {
  const alone = all.filter((o) => o.paragraph === s.paragraph).length === 1;
  if (!alone) return false;
  const words = text.slice(s.start, s.end).match(/[\p{L}][\p{L}'’-]*/gu) ?? [];
  if (words.length < 2) return !/[.!?]["'’”]?$/.test(text.slice(s.start, s.end));
  // Title case capitalises verbs too ("Plays", "Combines"); prose, even a sentence dense with names, has lower-case ones.
  const major = words.filter((w) => !MINOR.test(w));
  const lower = major.filter((w) => !/^\p{Lu}/u.test(w)).length;
  return major.length > 0 && lower <= (major.length >= 6 ? 1 : 0);
}

/** The sentence containing `offset` (the last one starting at or before it). */
export function sentenceAt(a: Analysis, offset: number): Sentence | undefined {
  let lo = 0;
  let hi = a.sentences.length - 1;
  let found: Sentence | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a.sentences[mid]!.start <= offset) {
      found = a.sentences[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.end ? found : undefined;
}

/** The tagged word starting at `offset`, if the tagger saw one there. */
export function wordAt(a: Analysis, offset: number): Word | undefined {
  let lo = 0;
  let hi = a.words.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = a.words[mid]!;
    if (w.start === offset) return w;
    if (w.start < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
