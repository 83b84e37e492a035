/**
 * Role patterns: who worked on a film and as what, as the article words it. Each match becomes a
 * RoleClaim on raw text; people.ts then decides which names are people (and which characters)
 * and credits.ts which film each claim is about.
 */
import { BY_VERB, BY_VERBS, DIRECTOR, JOB_NOUN, JOB_NOUNS, WRITER, type Job } from './lexicon.ts';
import { wordAt, type Analysis, type Sentence } from './nlp.ts';
import { excerpt, readName, readNameBefore, type NameSpan } from './spans.ts';
import type { Excerpt } from './types.ts';

export interface RoleClaim {
  kind: 'cast' | 'crew';
  jobs: Job[];
  person: NameSpan;
  character: NameSpan | null;
  /** "voiced by", "voices": a voice role the text states. */
  voice: boolean;
  /**
   * For "B (A)": which of the two is the actor is decided once we know who the article's people
   * are; until then `person` is the inner name and `character` the outer one.
   */
  ambiguous: boolean;
  /** A possessive ("Jonze's new film"): a director more often than not, but an actor's too. */
  possessive: boolean;
  excerpt: Excerpt;
  pattern: string;
  confidence: number;
}

const SEP = /^(?:,\s+(?:and\s+)?|\s+and\s+|\s+&\s+)/;

/** "A, B and C": names separated by commas and "and", each optionally followed by "as <character>". */
function readNameList(text: string, pos: number, limit: number): { name: NameSpan; character: NameSpan | null; end: number }[] {
  const out: { name: NameSpan; character: NameSpan | null; end: number }[] = [];
  let p = pos;
  for (;;) {
    const name = readName(text, p, limit);
    if (!name) break;
    let end = name.end;
    let character: NameSpan | null = null;
    const as = /^ as (?:the )?(?=\p{Lu})/u.exec(text.slice(end, end + 9));
    if (as) {
      character = readName(text, end + as[0].length, limit) ?? null;
      if (character) end = character.end;
    }
    out.push({ name, character, end });
    const sep = SEP.exec(text.slice(end, end + 8));
    if (!sep) break;
    p = end + sep[0].length;
  }
  return out;
}

const jobsFor = (table: readonly [RegExp, Job[]][], words: string) => table.find(([re]) => re.test(words.trim()))?.[1];

export function findRoles(a: Analysis, isFilmTitle: (span: Excerpt) => boolean): RoleClaim[] {
  const claims: RoleClaim[] = [];
  for (const s of a.sentences) if (!s.headline) claims.push(...sentenceRoles(a, s, isFilmTitle));
  return claims;
}

function sentenceRoles(a: Analysis, s: Sentence, isFilmTitle: (span: Excerpt) => boolean): RoleClaim[] {
  const { text } = a;
  const body = text.slice(s.start, s.end);
  const out: RoleClaim[] = [];
  const claim = (c: Omit<RoleClaim, 'ambiguous' | 'possessive' | 'voice'> & Partial<RoleClaim>) =>
    out.push({ ambiguous: false, possessive: false, voice: false, ...c });
  const span = (from: number, to: number) => excerpt(text, from, to);
  const nameBefore = (end: number) => {
    const n = readNameBefore(text, end, s.start);
    return n && !isFilmTitle(n) ? n : undefined;
  };

  // Crew: "directed by X", "written and directed by X", "from a script by X", "music by X".
  for (const m of body.matchAll(new RegExp(`\\b(${BY_VERB}) by (?=\\p{Lu})`, 'giu'))) {
    const jobs = jobsFor(BY_VERBS, m[1]!);
    const at = s.start + m.index + m[0].length;
    for (const item of readNameList(text, at, s.end))
      if (jobs)
        claim({
          kind: 'crew',
          jobs,
          person: item.name,
          character: null,
          excerpt: span(s.start + m.index, item.end),
          pattern: `"${m[1]} by X"`,
          confidence: 0.92,
        });
  }
  // Crew: a job noun before the name ("director Greta Gerwig", "writer-director X", "the director, X").
  for (const m of body.matchAll(new RegExp(`\\b(${JOB_NOUN}),? (?=\\p{Lu})`, 'giu'))) {
    const jobs = jobsFor(JOB_NOUNS, m[1]!);
    const at = s.start + m.index + m[0].length;
    const name = readName(text, at, s.end);
    if (jobs && name && !isFilmTitle(name))
      claim({ kind: 'crew', jobs, person: name, character: null, excerpt: span(s.start + m.index, name.end), pattern: `"${m[1]} X"`, confidence: 0.85 });
  }
  // Crew: "X directed", "X, who wrote and directed", "X wrote the screenplay".
  const verbJobs: [RegExp, Job[]][] = [
    [/^(?:, who)?(?: also)? (?:wrote and directed|writes and directs|co-wrote and directed)\b/, [WRITER, DIRECTOR]],
    [/^(?:, who)?(?: also)? (?:directs|directed|co-directed|helmed|helms)\b/, [DIRECTOR]],
    [/^(?:, who)?(?: also)? (?:wrote|writes|co-wrote|penned|scripted) (?:the |its )?(?:script|screenplay|film|movie)\b/, [WRITER]],
  ];
  for (const m of body.matchAll(/(?=,? (?:who |also )?(?:wr|co|di|he|pe|sc))/g)) {
    const end = s.start + m.index;
    const rest = text.slice(end, s.end);
    const hit = verbJobs.find(([re]) => re.test(rest));
    const name = hit && nameBefore(end);
    if (hit && name)
      claim({
        kind: 'crew',
        jobs: hit[1],
        person: name,
        character: null,
        excerpt: span(name.start, end + hit[0].exec(rest)![0].length),
        pattern: '"X directed"',
        confidence: 0.85,
      });
  }
  // Crew: "X's new film" (director, unless X turns out to act in it), "X's script", "X's score".
  for (const m of body.matchAll(
    /['’]s (?:(?:[\p{Ll}-]+|\p{Lu}[\p{Ll}]+-[\p{Ll}]+) ){0,4}?(film|movie|picture|feature|documentary|direction|screenplay|script|score)\b/gu,
  )) {
    const end = s.start + m.index;
    const name = nameBefore(end);
    if (!name) continue;
    const noun = m[1]!;
    const jobs = /script|screenplay/.test(noun) ? [WRITER] : noun === 'score' ? [{ job: 'Composer', department: 'SOUND' as const }] : [DIRECTOR];
    claim({
      kind: 'crew',
      jobs,
      person: name,
      character: null,
      excerpt: span(name.start, end + m[0].length),
      pattern: `"X's ${noun}"`,
      confidence: 0.75,
      possessive: noun !== 'script' && noun !== 'screenplay' && noun !== 'score' && noun !== 'direction',
    });
  }
  // Crew: "… as the sole writer" — the subject of the sentence did the job.
  for (const m of body.matchAll(new RegExp(`\\bas (?:the |its |a )?(?:sole |lone |co-|only )?(${JOB_NOUN})\\b`, 'giu'))) {
    const jobs = jobsFor(JOB_NOUNS, m[1]!);
    const subject = subjectBefore(a, s, s.start + m.index, isFilmTitle);
    if (jobs && subject)
      claim({
        kind: 'crew',
        jobs,
        person: subject,
        character: null,
        excerpt: span(subject.start, s.start + m.index + m[0].length),
        pattern: '"X … as the writer"',
        confidence: 0.8,
      });
  }

  // Cast: "starring A, B and C", "which stars A", "co-starring", "alongside A".
  for (const m of body.matchAll(
    /\b(starring|co-starring|stars|co-stars|also stars|featuring|alongside|with a cast (?:including|led by)|the cast includes)\s+(?=\p{Lu})/gu,
  )) {
    const at = s.start + m.index + m[0].length;
    const weak = /featuring|alongside/.test(m[1]!);
    for (const item of readNameList(text, at, s.end))
      if (!isFilmTitle(item.name))
        claim({
          kind: 'cast',
          jobs: [],
          person: item.name,
          character: item.character,
          excerpt: span(s.start + m.index, item.end),
          pattern: `"${m[1]} X"`,
          confidence: weak ? 0.6 : 0.9,
        });
  }
  // Cast: "A plays B", "A, who plays a …", "A stars as B", "A portrays B", "A as B".
  for (const m of body.matchAll(/(,? who| also)? (plays|played|playing|portrays|portrayed|stars as|starred as|starring as|voices|voiced|as) (?:the )?/g)) {
    const verbAt = s.start + m.index;
    const person = m[1] === ', who' || m[1] === ' who' ? subjectBefore(a, s, verbAt, isFilmTitle) : nameBefore(verbAt);
    if (!person) continue;
    const at = verbAt + m[0].length;
    const character = /\p{Lu}/u.test(text[at] ?? '') ? (readName(text, at, s.end) ?? null) : null;
    const verb = m[2]!;
    // "as" and "voices" need a named character; "plays a fragile man" still says X acts in it.
    if (!character && (verb === 'as' || verb.startsWith('voice') || !/^(?:plays|played|playing|portrays|portrayed)$/.test(verb))) continue;
    if (character && isFilmTitle(character)) continue;
    claim({
      kind: 'cast',
      jobs: [],
      person,
      character,
      voice: verb.startsWith('voice'),
      excerpt: span(person.start, character ? character.end : at),
      pattern: `"X ${verb} Y"`,
      confidence: verb === 'as' ? 0.75 : 0.88,
    });
  }
  // Cast: "B, played by A", "B is voiced by A".
  for (const m of body.matchAll(/(,| is| was| \()? ?(played|portrayed|voiced) by (?=\p{Lu})/gu)) {
    const start = s.start + m.index;
    const character = nameBefore(start);
    const person = readName(text, start + m[0].length, s.end);
    if (!character || !person) continue;
    claim({
      kind: 'cast',
      jobs: [],
      person,
      character,
      voice: m[2] === 'voiced',
      excerpt: span(character.start, person.end),
      pattern: `"Y, ${m[2]} by X"`,
      confidence: 0.9,
    });
  }
  // Cast: "A provides the voice of B", "A lends her voice to B".
  for (const m of body.matchAll(/ (?:provides|provided|lends|lent) (?:the|his|her|their) voice (?:of|to) (?=\p{Lu})/gu)) {
    const person = nameBefore(s.start + m.index);
    const character = readName(text, s.start + m.index + m[0].length, s.end);
    if (person && character)
      claim({ kind: 'cast', jobs: [], person, character, voice: true, excerpt: span(person.start, character.end), pattern: '"X voices Y"', confidence: 0.88 });
  }
  // Cast: "B (A)" — "Theodore (Phoenix)"; which name is the actor is settled in people.ts.
  for (const m of body.matchAll(/ \((?=\p{Lu})/gu)) {
    const open = s.start + m.index;
    const outer = nameBefore(open);
    const inner = readName(text, open + 2, s.end);
    if (!outer || !inner || text[inner.end] !== ')' || isFilmTitle(inner)) continue;
    claim({
      kind: 'cast',
      jobs: [],
      person: inner,
      character: outer,
      ambiguous: true,
      excerpt: span(outer.start, inner.end + 1),
      pattern: '"Y (X)"',
      confidence: 0.8,
    });
  }
  return out;
}

/**
 * The person a clause is about: the last name before `pos` in the sentence that is not inside
 * parentheses and not a film title ("the back-on-form Phoenix ('Gladiator,' …) who plays").
 */
function subjectBefore(a: Analysis, s: Sentence, pos: number, isFilmTitle: (span: Excerpt) => boolean): NameSpan | undefined {
  const { text } = a;
  let depth = 0;
  let best: NameSpan | undefined;
  for (let i = s.start; i < pos; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (depth > 0 || (i > s.start && /[\p{L}\p{M}'’-]/u.test(text[i - 1]!))) continue;
    const n = /\p{Lu}/u.test(c) ? readName(text, i, pos) : undefined;
    if (n && !isFilmTitle(n) && !/['‘"“]/.test(text[i - 1] ?? '') && properName(a, n)) {
      best = n;
      i = n.end - 1;
    }
  }
  return best;
}

/** A one-word name the tagger reads as an ordinary word ("However", "Her") is no name. */
export function properName(a: Analysis, n: NameSpan): boolean {
  if (n.words.length > 1) return true;
  const tags = wordAt(a, n.start)?.tags;
  return !tags || tags.has('ProperNoun') || tags.has('Person');
}
