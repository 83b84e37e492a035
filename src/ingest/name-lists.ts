/**
 * Reading the names a role pattern points at: lists ("A, B and C"), with the words film writing
 * puts around them ("newcomer Paula Soler", "Grammy winner Leon Cross", "and, as the villainous
 * cat Mr Whiskers, Kenneth Bloom"), characters given in apposition ("plays her husband, Buck"),
 * and the subject a clause is about.
 */
import { wordAt, type Analysis, type Sentence } from './nlp.ts';
import { excerpt, readName, readNameBefore, type NameSpan } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface ListItem {
  name: NameSpan;
  character: NameSpan | null;
  end: number;
}

// Words before a name that describe the person, not part of the name.
const DESCRIPTOR =
  /^(?:(?:a|the) (?:young|late|great|legendary|brilliant|wonderful|excellent|always-excellent|reliable|ubiquitous|veteran) |newcomer |veteran |(?:\p{Lu}[\p{L}-]+ )?(?:winner|nominee|star|actor|actress|comedian|singer|rapper|musician|icon) )/u;
const SEP = /^(?:,\s+(?:and\s+)?|\s+and\s+|\s+&\s+)/;
const WITH = /^\s+with\s+(?:the\s+)?(?:[\p{Ll}-]+\s+){0,2}(?=\p{Lu})/u;

/** A name at `pos`, skipping a descriptor and a possessive owner ("Mads Eriksen's frequent collaborator Clara Vidal"). */
function readPersonAt(text: string, pos: number, limit: number): NameSpan | undefined {
  const d = DESCRIPTOR.exec(text.slice(pos, pos + 40));
  if (d) pos += d[0].length;
  const name = readName(text, pos, limit);
  if (!name?.possessive) return name;
  const rest = /^['’]s (?:[\p{Ll}-]+ ){1,3}(?=\p{Lu})/u.exec(text.slice(name.end, name.end + 60));
  return rest ? readName(text, name.end + rest[0].length, limit) : undefined;
}

/**
 * "A, B and C", each optionally followed by "as <character>". `withJoins`: "X with the novelist
 * Y" joins Y to the list (crew: co-writers), which in a cast list would be a different sense.
 */
export function readNameList(text: string, pos: number, limit: number, withJoins = false): ListItem[] {
  const out: ListItem[] = [];
  let p = pos;
  for (;;) {
    const name = readPersonAt(text, p, limit);
    if (!name) break;
    let end = name.end;
    let character: NameSpan | null = null;
    const as = /^ as (?:the )?(?=\p{Lu})/u.exec(text.slice(end, end + 9));
    if (as) {
      character = readName(text, end + as[0].length, limit) ?? null;
      if (character) end = character.end;
    }
    out.push({ name, character, end });
    const rest = text.slice(end, end + 100);
    // "…, Sam Tiller and, as the villainous cat Mr Whiskers, Kenneth Bloom"
    const aside = /^,? and, ((?:as|in|with)\b[^,]{1,80}), /u.exec(rest);
    if (aside) {
      const clause = aside[1]!;
      const clauseStart = end + aside[0].indexOf(clause);
      const asAt = clause.search(/\bas\b/);
      const cap = asAt >= 0 ? clause.slice(asAt).search(/\p{Lu}/u) : -1;
      const char = cap >= 0 ? (readName(text, clauseStart + asAt + cap, clauseStart + clause.length) ?? null) : null;
      const next = readPersonAt(text, end + aside[0].length, limit);
      if (next) out.push({ name: next, character: char, end: next.end });
      break;
    }
    const sep = SEP.exec(rest) ?? (withJoins ? WITH.exec(rest) : null);
    if (!sep) break;
    p = end + sep[0].length;
  }
  return out;
}

/**
 * A character named after a verb: directly ("plays Samantha", "plays the Coyote") or in
 * apposition to a description ("plays the eldest sister, Elena", "a cameo as Dolly's mother, Mae").
 * Undefined when only a description follows ("plays a fragile man").
 */
export function readCharacter(text: string, at: number, limit: number): NameSpan | undefined {
  const direct = /^(?:the )?(?=\p{Lu})/u.exec(text.slice(at, at + 5));
  if (direct) {
    const n = readName(text, at + direct[0].length, limit);
    if (n && !n.possessive) return n;
  }
  const m = /^(?:(?:the|a|an|her|his|their|its) )?(?:(?:[\p{Ll}'’-]+|\p{Lu}[\p{Ll}]+['’]s) ){0,3}[\p{Ll}'’-]+, (?=\p{Lu})/u.exec(text.slice(at, at + 80));
  if (m) return readName(text, at + m[0].length, limit);
  // "the lighthouse inspector Tobias Crane", "their teenage daughter Róisín": a short description, then the name.
  const d = /^(?:the|a|an|her|his|their|its) ((?:[\p{Ll}-]+ ){1,2})(?=\p{Lu})/u.exec(text.slice(at, at + 60));
  if (d && !/\b(?:who|which|that|in|at|on|to|from|with|for|of|and|or|but)\b/.test(d[1]!)) return readName(text, at + d[0].length, limit);
  return undefined;
}

/** A one-word name the tagger reads as an ordinary word ("However", "Her") is no name. */
export function properName(a: Analysis, n: NameSpan): boolean {
  if (n.words.length > 1) return true;
  const tags = wordAt(a, n.start)?.tags;
  return !tags || tags.has('ProperNoun') || tags.has('Person');
}

/**
 * The person a clause is about: the last name before `pos` in the sentence that is not inside
 * parentheses and not a film title ("the back-on-form Phoenix ('Gladiator,' …) who plays").
 */
export function subjectBefore(a: Analysis, s: Sentence, pos: number, isFilmTitle: (span: Excerpt) => boolean): NameSpan | undefined {
  const { text } = a;
  let depth = 0;
  let best: NameSpan | undefined;
  for (let i = s.start; i < pos; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (depth > 0 || (i > s.start && /[\p{L}\p{M}'’-]/u.test(text[i - 1]!))) continue;
    const n = /\p{Lu}/u.test(c) ? readName(text, i, pos) : undefined;
    // A word opening the sentence before ", who" is a name even when the tagger reads it as a verb ("Cross, who also wrote …").
    const relative = i === s.start && n !== undefined && /^, who\b/.test(text.slice(n.end, n.end + 6));
    if (n && !isFilmTitle(n) && !/['‘"“]/.test(text[i - 1] ?? '') && (properName(a, n) || relative)) {
      best = n;
      i = n.end - 1;
    }
  }
  return best;
}

/**
 * What a role pattern reads a sentence with: its text, a span maker, and the name just before a
 * position (unless that name is a film's title).
 */
export function sentenceReader(a: Analysis, s: Sentence, isFilmTitle: (span: Excerpt) => boolean) {
  const { text } = a;
  return {
    text,
    body: text.slice(s.start, s.end),
    span: (from: number, to: number) => excerpt(text, from, to),
    nameBefore: (end: number) => {
      const n = readNameBefore(text, end, s.start);
      return n && !isFilmTitle(n) ? n : undefined;
    },
  };
}
