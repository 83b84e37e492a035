/**
 * Who a quotation or a rating belongs to: every publication a sentence names as speaking ("the LA
 * Times reassures", "said X in the Daily Mail", "X of Y writes", "Variety's X", "IndieWire's
 * critic"), each quotation taking the nearest one — before it, else after it. A quotation with
 * none (a viewer, "some have described it as") is no review.
 */
import { NEWSPAPER_WORD, PUBLICATIONS, SPEECH_VERB } from './lexicon.ts';
import type { Analysis, Sentence } from './nlp.ts';
import { excerpt, readName, readTitle, type Quoted } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface Attribution {
  publication: Excerpt;
  critic: Excerpt | null;
  pattern: string;
  /** The words that attribute (from the first of critic/publication to the last). */
  span: Excerpt;
}

// Names without their article: "the Guardian" and "The Guardian" are both found; a capital "The" stays part of the name.
const known = [...new Set(PUBLICATIONS.map((p) => p.replace(/^The /, '')))].sort((x, y) => y.length - x.length);
const KNOWN = new RegExp(`(?<![\\p{L}])(The |the )?(${known.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?![\\p{L}])`, 'gu');
const VOICE = new RegExp(
  `\\b${SPEECH_VERB}\\b|\\b(?:calling|saying|writing|describing|noting|praising|declaring|adding|hailing|dubbing|giving it|awarding it|gave it|awarded it)\\b|:|\\baccording to\\b|\\bverdict\\b|\\breview\\b`,
  'u',
);

/** Publications named in `[from, to)`: a known outlet, or a capitalised run ending in a newspaper word. */
export function publicationsIn(text: string, from: number, to: number): Excerpt[] {
  const body = text.slice(from, to);
  const found: Excerpt[] = [];
  for (const m of body.matchAll(KNOWN)) {
    const start = from + m.index + (m[1] === 'the ' ? 4 : 0);
    found.push(excerpt(text, start, from + m.index + m[0].length));
  }
  for (const m of body.matchAll(/(?<![\p{L}])(?:the |The )?(?=\p{Lu})/gu)) {
    let t = readTitle(text, from + m.index + m[0].length, to, 5);
    if (!t || !NEWSPAPER_WORD.test(t.text)) continue;
    // "Peter Bradshaw of the Guardian": the outlet is what follows the last "of (the)".
    const of = /^.* of (?:the )?/.exec(t.text);
    if (of) t = excerpt(text, t.start + of[0].length, t.end);
    if (!found.some((f) => f.start < t.end && t.start < f.end)) found.push(t);
  }
  return found.sort((x, y) => x.start - y.start);
}

const SLOTS: [RegExp, string][] = [
  // "said Clara Mendes in the Daily Mail", "writes X for Variety"
  [new RegExp(`\\b${SPEECH_VERB},? (\\p{Lu}[\\p{L}'’. -]+?),? (?:in|for|of|at) (?:the )?(?=\\p{Lu})`, 'gu'), 'said X in the Y'],
  // "Peter Hale of Screen Daily writes", "X, writing for Y,"
  [
    new RegExp(`(?<![\\p{L}])(\\p{Lu}[\\p{L}'’.-]+(?: \\p{Lu}[\\p{L}'’.-]+){1,3}),? (?:of|from|at|writing (?:in|for)) (?:the )?(?=\\p{Lu})`, 'gu'),
    'X of Y writes',
  ],
];

/** Every attribution in a sentence, outside its quotation marks. */
export function attributionsIn(a: Analysis, s: Sentence, quotes: Quoted[]): Attribution[] {
  const { text } = a;
  const outside = (e: Excerpt) => quotes.every((q) => q.outer.end <= e.start || q.outer.start >= e.end);
  const body = text.slice(s.start, s.end);
  const out: Attribution[] = [];
  const pubs = publicationsIn(text, s.start, s.end).filter(outside);
  for (const [re, pattern] of SLOTS) {
    for (const m of body.matchAll(re)) {
      const critic = readName(text, s.start + m.index + m[0].indexOf(m[1]!), s.end);
      const pubAt = s.start + m.index + m[0].length;
      const pub = pubs.find((p) => p.start >= pubAt && p.start - pubAt <= 4) ?? readTitle(text, pubAt, s.end, 5);
      if (critic && pub && critic.words.length > 1 && outside(critic))
        out.push({ publication: pub, critic, pattern, span: excerpt(text, Math.min(critic.start, pub.start), Math.max(critic.end, pub.end)) });
    }
  }
  if (!VOICE.test(body)) return out;
  for (const pub of pubs) {
    if (out.some((x) => x.publication.start === pub.start)) continue;
    // "Variety's Peter Debruge", "Guardian critic Peter Bradshaw", "IndieWire's critic"
    const byline = /^(?:['’]s|,? (?:critic|reviewer|['’]s critic)) (?=\p{Lu})/u.exec(text.slice(pub.end, s.end));
    const critic = byline ? readName(text, pub.end + byline[0].length, s.end) : undefined;
    const withCritic = critic && critic.words.length > 1 ? critic : null;
    out.push({
      publication: pub,
      critic: withCritic,
      pattern: withCritic ? "Y's X" : 'Y says "…"',
      span: excerpt(text, pub.start, withCritic?.end ?? pub.end),
    });
  }
  return out.sort((x, y) => x.span.start - y.span.start);
}

/** The attribution nearest a quotation: the last one before it, else the first one after it. */
export function nearest(attributions: Attribution[], q: Excerpt): Attribution | undefined {
  return attributions.filter((x) => x.span.end <= q.start).at(-1) ?? attributions.find((x) => x.span.start >= q.end);
}

/** "wrote Mendes": a critic named earlier with a publication, now by surname only. */
export function criticBySurname(a: Analysis, s: Sentence, known: Attribution[]): Attribution | undefined {
  const m = new RegExp(`\\b${SPEECH_VERB} (\\p{Lu}[\\p{L}'’-]+)\\b`, 'u').exec(a.text.slice(s.start, s.end));
  if (!m) return undefined;
  const surname = m[1]!;
  return known.find((x) => x.critic && x.critic.text.split(' ').at(-1) === surname);
}
