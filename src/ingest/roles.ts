/**
 * Role patterns: who worked on a film and as what, as the article words it. Each match becomes a
 * RoleClaim on raw text; people.ts then decides which names are people (and which characters)
 * and credits.ts which film each claim is about. Crew patterns are here, cast ones in cast-roles.ts.
 */
import { castRoles } from './cast-roles.ts';
import { BY_VERB, BY_VERBS, DIRECTOR, JOB_NOUN, JOB_NOUNS, WRITER, type Job } from './lexicon.ts';
import { readNameList, sentenceReader, subjectBefore } from './name-lists.ts';
import type { Analysis, Sentence } from './nlp.ts';
import { excerpt, readName, readTitle, type NameSpan } from './spans.ts';
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
  /** For "X co-directed 'Lanterns'": where the object of the verb starts (a film named there is the one meant). */
  objectAt?: number;
  excerpt: Excerpt;
  pattern: string;
  confidence: number;
}

export type ClaimSink = (c: Omit<RoleClaim, 'ambiguous' | 'possessive' | 'voice'> & Partial<RoleClaim>) => void;

const jobsFor = (table: readonly [RegExp, Job[]][], words: string) => table.find(([re]) => re.test(words.trim()))?.[1];

// "Festival director Alberto Barbera" runs a festival, not a film.
const NOT_A_FILM_JOB =
  /(?:festival|artistic|creative|casting|managing|art|music|musical|programme|program|editorial|general|sales|marketing|technical|jury|associate|assistant|deputy|news|company|studio)\s$/i;
// Header labels of a review ("Dir: Maeve Connolly. Starring: A, B, C.").
const LABELS: [RegExp, Job[] | 'cast'][] = [
  [/^(?:Dir|Director|Directed by)$/i, [DIRECTOR]],
  [/^(?:Writer|Writers|Written by|Screenplay|Script)$/i, [WRITER]],
  [/^(?:Starring|Cast|With)$/i, 'cast'],
  [/^(?:Music|Score)$/i, [{ job: 'Composer', department: 'SOUND' }]],
  [/^(?:Cinematography|DoP|DP)$/i, [{ job: 'Director of Photography', department: 'CAMERA' }]],
  [/^(?:Producer|Producers)$/i, [{ job: 'Producer', department: 'PRODUCTION' }]],
];
const POSSESSED =
  '(film|movie|picture|feature|documentary|drama|comedy|thriller|western|noir|musical|satire|biopic|epic|horror|romance|debut|follow-up|latest|sequel|short|direction|screenplay|script|score)';

export function findRoles(a: Analysis, isFilmTitle: (span: Excerpt) => boolean): RoleClaim[] {
  const claims: RoleClaim[] = [];
  const sink: ClaimSink = (c) => claims.push({ ambiguous: false, possessive: false, voice: false, ...c });
  for (const s of a.sentences) {
    labelRoles(a, s, sink);
    byRoles(a, s, sink);
    // Headings and captions capitalise every word: only labels and "by" survive there.
    if (s.headline) continue;
    crewRoles(a, s, isFilmTitle, sink);
    castRoles(a, s, isFilmTitle, sink);
  }
  return claims;
}

function labelRoles(a: Analysis, s: Sentence, claim: ClaimSink) {
  const { text } = a;
  const body = text.slice(s.start, s.end);
  for (const m of body.matchAll(
    /(?:^|[.;|]\s*|\s)(Dir|Director|Directed by|Writers?|Written by|Screenplay|Script|Starring|Cast|With|Music|Score|Cinematography|DoP|DP|Producers?)\s*:\s*(?=\p{Lu})/gu,
  )) {
    const what = LABELS.find(([re]) => re.test(m[1]!))?.[1];
    const at = s.start + m.index + m[0].length;
    for (const item of readNameList(text, at, s.end)) {
      const span = excerpt(text, s.start + m.index + m[0].indexOf(m[1]!), item.end);
      if (what === 'cast')
        claim({ kind: 'cast', jobs: [], person: item.name, character: item.character, excerpt: span, pattern: `"${m[1]}: X"`, confidence: 0.9 });
      else if (what) claim({ kind: 'crew', jobs: what, person: item.name, character: null, excerpt: span, pattern: `"${m[1]}: X"`, confidence: 0.9 });
    }
  }
}

/** "directed by X", "written and directed by X", "from a script by X", "The screenplay is by A and B". */
function byRoles(a: Analysis, s: Sentence, claim: ClaimSink) {
  const { text } = a;
  const body = text.slice(s.start, s.end);
  for (const m of body.matchAll(new RegExp(`\\b(${BY_VERB})(?: is| was)? by (?=\\p{Lu})`, 'giu'))) {
    const jobs = jobsFor(BY_VERBS, m[1]!);
    const at = s.start + m.index + m[0].length;
    for (const item of readNameList(text, at, s.end, true))
      if (jobs)
        claim({
          kind: 'crew',
          jobs,
          person: item.name,
          character: null,
          excerpt: excerpt(text, s.start + m.index, item.end),
          pattern: `"${m[1]} by X"`,
          confidence: 0.92,
        });
  }
  // "Holm's script, co-written with Danny Okafor"
  for (const m of body.matchAll(/\b(?:co-written|co-wrote it|written) with (?=\p{Lu})/gu)) {
    for (const item of readNameList(text, s.start + m.index + m[0].length, s.end))
      claim({
        kind: 'crew',
        jobs: [WRITER],
        person: item.name,
        character: null,
        excerpt: excerpt(text, s.start + m.index, item.end),
        pattern: '"co-written with X"',
        confidence: 0.85,
      });
  }
}

function crewRoles(a: Analysis, s: Sentence, isFilmTitle: (span: Excerpt) => boolean, claim: ClaimSink) {
  const { text, body, span, nameBefore } = sentenceReader(a, s, isFilmTitle);
  // A job noun before the name ("director Greta Gerwig", "writer-director X", "the director, X").
  for (const m of body.matchAll(new RegExp(`\\b(${JOB_NOUN}),? (?=\\p{Lu})`, 'giu'))) {
    if (NOT_A_FILM_JOB.test(body.slice(Math.max(0, m.index - 20), m.index))) continue;
    const jobs = jobsFor(JOB_NOUNS, m[1]!);
    const name = readName(text, s.start + m.index + m[0].length, s.end);
    if (jobs && name && !isFilmTitle(name))
      claim({ kind: 'crew', jobs, person: name, character: null, excerpt: span(s.start + m.index, name.end), pattern: `"${m[1]} X"`, confidence: 0.85 });
  }
  // "X directed", "X, who co-directed 'Lanterns'", "X wrote the screenplay".
  const verbJobs: [RegExp, Job[]][] = [
    [/^(?:, who)?(?: also)? (?:wrote and directed|writes and directs|co-wrote and directed)\b/, [WRITER, DIRECTOR]],
    [/^(?:, who)?(?: also)? (?:directs|directed|co-directed|helmed|helms)\b/, [DIRECTOR]],
    [/^(?:, who)?(?: also)? (?:wrote|writes|co-wrote|penned|scripted) (?:(?:the |its )?(?:script|screenplay|film|movie)\b|it\b(?! off))/, [WRITER]],
  ];
  for (const m of body.matchAll(/(?=,? (?:who )?(?:also )?(?:wr|co|di|he|pe|sc))/g)) {
    const end = s.start + m.index;
    const rest = text.slice(end, s.end);
    const hit = verbJobs.find(([re]) => re.test(rest));
    const name = hit && nameBefore(end);
    if (!hit || !name) continue;
    const verbEnd = end + hit[0].exec(rest)![0].length;
    claim({
      kind: 'crew',
      jobs: hit[1],
      person: name,
      character: null,
      excerpt: span(name.start, verbEnd),
      pattern: '"X directed"',
      confidence: 0.85,
      objectAt: verbEnd,
    });
  }
  // "X's new film" (director, unless X turns out to act in it), "X's script", "X's score", "Halvard Berg's Nordic noir".
  for (const m of body.matchAll(new RegExp(`['’]s (?:(?:[\\p{Ll}-]+|\\p{Lu}[\\p{Ll}]+(?:-[\\p{Ll}]+)?|\\d{4}) ){0,3}?${POSSESSED}\\b`, 'gu'))) {
    const end = s.start + m.index;
    const name = nameBefore(end);
    if (!name || !/\p{Ll}/u.test(name.text)) continue;
    const noun = m[1]!;
    const jobs = /script|screenplay/.test(noun) ? [WRITER] : noun === 'score' ? [{ job: 'Composer', department: 'SOUND' as const }] : [DIRECTOR];
    const possessive = !['script', 'screenplay', 'score', 'direction'].includes(noun);
    claim({
      kind: 'crew',
      jobs,
      person: name,
      character: null,
      excerpt: span(name.start, end + m[0].length),
      pattern: `"X's ${noun}"`,
      confidence: 0.75,
      possessive,
    });
  }
  // "Greta Gerwig's Barbie", "Ingmar Bergman's Cries and Whispers": a person's possessive on a film title.
  for (const m of body.matchAll(/['’]s ['‘"“]?(?=[\p{Lu}\d])/gu)) {
    const end = s.start + m.index;
    const name = nameBefore(end);
    const title = readTitle(text, end + m[0].length, s.end, 6);
    if (name && /\p{Ll}/u.test(name.text) && title && isFilmTitle(title))
      claim({
        kind: 'crew',
        jobs: [DIRECTOR],
        person: name,
        character: null,
        excerpt: span(name.start, title.end),
        pattern: '"X\'s Title"',
        confidence: 0.75,
        possessive: true,
        objectAt: title.start,
      });
  }
  // "… as the sole writer" — the subject of the sentence did the job.
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
}
