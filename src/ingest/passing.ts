/**
 * Films named in passing: a parenthesised list after a person ("Jonze ('Where The Wild Things
 * Are,' 'Being John Malkovich')"), a career film ("Carvalho, whose debut 'Low Tide'", "Fenwick's
 * earlier Hop Country", "best known for 'Hard Shoulder'"), a comparison ("since The Others").
 * Such a film gets a proposal of its own, never the main film's credits, and — when the article
 * says whose film it is — an inferred credit for that person (credits.ts).
 */
import { wordAt, type Analysis, type Sentence } from './nlp.ts';
import { readName, readNameBefore } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface PassingContext {
  passing: boolean;
  /** The person whose film it is, as written ("Jonze", "Carvalho"). */
  owner?: Excerpt;
}

// Words that put a title in someone's past, or next to the film rather than in it.
const CUE =
  /\b(?:previous|earlier|last|prior|past|former|breakout|debut|like|such as|known for|best known for|made (?:his|her|their) name|broke through|after|since|follow-up to|followed|sequel to|prequel to|remake of|reminiscent of|echoes of|echoing|recalls|compared to|comparisons? (?:with|to)|than|including|the likes of|fresh from|following|whose|, who|hit|favou?rite|won\b[^.;]{0,40}\bwith|(?:good|great|brilliant|excellent|memorable) in)\b[^.;]{0,60}$/i;

export function passingContext(a: Analysis, s: Sentence, at: number): PassingContext {
  const { text } = a;
  const before = text.slice(s.start, at);
  const open = before.lastIndexOf('(');
  if (open >= 0 && !before.slice(open).includes(')')) {
    const at0 = s.start + open;
    const end = text[at0 - 1] === ' ' ? at0 - 1 : at0;
    // "Jonze ('Where …')" or "Holm's third feature (after 'Small Mercies' …)"
    const owner = readNameBefore(text, end, s.start) ?? possessiveOwner(a, s, at0);
    return owner ? { passing: true, owner } : { passing: true };
  }
  if (!CUE.test(before)) return { passing: false };
  return { passing: true, owner: possessiveOwner(a, s, at) ?? relativeOwner(a, s, at) ?? subjectOwner(a, s, at) };
}

/** "Fenwick's earlier Hop Country", "Durand's debut 'Les Oiseaux'": the possessive right before. */
function possessiveOwner(a: Analysis, s: Sentence, at: number): Excerpt | undefined {
  const m = /(['’]s) (?:[\p{Ll}\d-]+ ){0,3}['‘"“]?$/u.exec(a.text.slice(s.start, at));
  return m ? readNameBefore(a.text, s.start + m.index, s.start) : undefined;
}

/** "Carvalho, whose debut …", "Park Ji-woo, who won … with …": the name the relative clause is about. */
function relativeOwner(a: Analysis, s: Sentence, at: number): Excerpt | undefined {
  const before = a.text.slice(s.start, at);
  const matches = [...before.matchAll(/, (?:\d+, )?(?:who|whose|best known for|known for|made (?:his|her|their) name)\b/g)];
  const last = matches.at(-1);
  return last ? readNameBefore(a.text, s.start + last.index, s.start) : undefined;
}

/** The first proper name of the sentence: "Ferrer, 41, made her name with …". */
function subjectOwner(a: Analysis, s: Sentence, at: number): Excerpt | undefined {
  const { text } = a;
  for (let i = s.start; i < at; i++) {
    if (!/\p{Lu}/u.test(text[i]!) || (i > s.start && /[\p{L}'’]/u.test(text[i - 1]!))) continue;
    const n = readName(text, i, at);
    if (!n) continue;
    const tags = wordAt(a, n.start)?.tags;
    if (tags && !tags.has('ProperNoun') && !tags.has('Person')) {
      i = n.end;
      continue;
    }
    return n;
  }
  return undefined;
}
