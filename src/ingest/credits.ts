/**
 * Credits from resolved role claims: which film each is about, one credit per (film, person,
 * job or character) with every excerpt that states it, the voice roles, and the credits
 * inferred for films named in passing after a person ("Phoenix ('Gladiator,' 'Walk The Line')").
 */
import type { FilmCandidate, FilmMention } from './films.ts';
import { DIRECTOR, type Job } from './lexicon.ts';
import { sentenceAt, type Analysis } from './nlp.ts';
import { nameKey } from './normalize.ts';
import type { People } from './people.ts';
import { excerpt } from './spans.ts';
import type { Excerpt, Support } from './types.ts';

export interface Credit {
  key: string;
  film: FilmCandidate;
  personKey: string;
  kind: 'cast' | 'crew';
  job: Job | null;
  character: string | null;
  voice: boolean;
  voiceSupport: Support;
  excerpts: Excerpt[];
  support: Support;
  reason: string;
  confidence: number;
}

/** Finds the film an excerpt is about; `objectAt`: where the object of its verb starts ("co-directed 'Lanterns'"). */
export type FilmLocator = (span: Excerpt, objectAt?: number, options?: { noFallback?: boolean }) => FilmCandidate | undefined;

// A sentence that opens on the film ("The film is produced by …", "It stars …") is about the film of the context,
// not about a title its later clauses name ("…, who also backed Red Salt").
const ANAPHORIC = /^(?:The (?:film|movie|picture|documentary|feature)|It|This|Its)\b/;

/**
 * The film an excerpt is about: the title its verb governs, else a title right next to it
 * ("Barbie, directed by …", "Parasite director …"), else the nearest title in its sentence,
 * else the last one earlier in its paragraph, else — in a list of films under headings — the
 * last heading's, else the main film. Titles named in passing count only in the first two ways.
 */
export function filmLocator(a: Analysis, films: FilmCandidate[]): FilmLocator {
  const { text } = a;
  const all: { film: FilmCandidate; m: FilmMention }[] = films.flatMap((film) => film.mentions.map((m) => ({ film, m }))).sort((x, y) => x.m.start - y.m.start);
  const main = films.find((f) => f.main);
  const headingFilms = new Set(all.filter((x) => sentenceAt(a, x.m.start)?.headline).map((x) => x.film));
  const listicle = headingFilms.size >= 2;
  return (span, objectAt, options) => {
    const fallback = options?.noFallback ? undefined : main;
    const s = sentenceAt(a, span.start);
    if (objectAt !== undefined) {
      const object = all.find(({ m }) => m.start >= objectAt && m.start - objectAt <= 40 && (!s || m.end <= s.end));
      if (object) return object.film;
    }
    const adjacent = all.find(
      ({ m }) =>
        (!s || (m.start >= s.start && m.end <= s.end)) &&
        ((m.end <= span.start && /^["”'’,\s]{0,4}$/.test(text.slice(m.end, span.start))) ||
          (m.start >= span.end && /^["“'‘,\s]{0,4}$/.test(text.slice(span.end, m.start)))),
    );
    if (adjacent) return adjacent.film;
    if (!s) return fallback;
    const inSentence = all.filter(({ m }) => !m.passing && m.start >= s.start && m.end <= s.end);
    const before = inSentence.filter(({ m }) => m.end <= span.start).at(-1);
    if (before) return before.film;
    const after = ANAPHORIC.test(text.slice(s.start, s.start + 24)) ? undefined : inSentence.find(({ m }) => m.start >= span.start);
    if (after) return after.film;
    const earlier = all.filter(({ m }) => !m.passing && m.end <= span.start && sentenceAt(a, m.start)?.paragraph === s.paragraph).at(-1);
    if (earlier) return earlier.film;
    if (listicle) {
      const heading = all.filter(({ m }) => m.end <= span.start && sentenceAt(a, m.start)?.headline).at(-1);
      if (heading) return heading.film;
    }
    return fallback;
  };
}

export function buildCredits(a: Analysis, resolved: People, films: FilmCandidate[], locate: FilmLocator): Credit[] {
  const credits = new Map<string, Credit>();
  const put = (c: Omit<Credit, 'key'>) => {
    const role = c.kind === 'crew' ? nameKey(c.job!.job) : nameKey(c.character ?? '');
    const key = `${c.kind}:${c.film.key.slice(5)}:${c.personKey.slice(7)}:${role.replace(/ /g, '-')}`;
    const had = credits.get(key);
    if (!had) credits.set(key, { ...c, key });
    else {
      for (const e of c.excerpts) if (!had.excerpts.some((x) => x.start === e.start && x.end === e.end)) had.excerpts.push(e);
      had.confidence = Math.max(had.confidence, c.confidence);
      if (c.support === 'STATED' && had.support !== 'STATED') Object.assign(had, { support: 'STATED', reason: c.reason });
      else if (c.support === 'STATED' && !had.reason.includes(c.reason.slice(8))) had.reason += `, ${c.reason.slice(8)}`;
      if (c.voice && !had.voice) Object.assign(had, { voice: true, voiceSupport: c.voiceSupport });
    }
  };
  const castKeys = new Set(resolved.claims.filter((c) => c.kind === 'cast').map((c) => c.personKey));
  for (const c of resolved.claims) {
    // "Phoenix's new film" names an actor's film as often as a director's: an actor's possessive is no credit.
    if (c.possessive && castKeys.has(c.personKey)) continue;
    const film = locate(c.excerpt, c.objectAt);
    if (!film) continue;
    const base = { film, personKey: c.personKey, excerpts: [c.excerpt], support: 'STATED' as const, reason: `stated: ${c.pattern}`, confidence: c.confidence };
    if (c.kind === 'crew') for (const job of c.jobs) put({ ...base, kind: 'crew', job, character: null, voice: false, voiceSupport: 'STATED' });
    else put({ ...base, kind: 'cast', job: null, character: c.characterName, voice: c.voice, voiceSupport: 'STATED' });
  }
  mergeUnnamedRoles(credits);
  inferVoices(a, credits);
  inferPassingCredits(a, resolved, films, [...credits.values()], put);
  return [...credits.values()];
}

/** "Phoenix … who plays a fragile man" and "Theodore (Phoenix)" are one role: the unnamed one folds into the named one. */
function mergeUnnamedRoles(credits: Map<string, Credit>) {
  for (const [key, c] of credits) {
    if (c.kind !== 'cast' || c.character !== null) continue;
    const named = [...credits.values()].filter((o) => o.kind === 'cast' && o.character !== null && o.film === c.film && o.personKey === c.personKey);
    if (named.length === 0) continue;
    const into = named[0]!;
    for (const e of c.excerpts) if (!into.excerpts.some((x) => x.start === e.start)) into.excerpts.push(e);
    into.excerpts.sort((x, y) => x.start - y.start);
    into.confidence = Math.max(into.confidence, c.confidence);
    if (!into.reason.includes(c.reason.slice(8))) into.reason += `, ${c.reason.slice(8)}`;
    credits.delete(key);
  }
}

/**
 * A character the article describes by voice ("Samantha, the computer operating system … With her
 * cracked voice") is read as a voice role: INFERRED, from the sentence naming the character or the next.
 */
function inferVoices(a: Analysis, credits: Map<string, Credit>) {
  for (const c of credits.values()) {
    if (c.kind !== 'cast' || c.voice || !c.character) continue;
    const s = sentenceAt(a, c.excerpts[0]!.start);
    if (!s) continue;
    const i = a.sentences.indexOf(s);
    for (const t of [s, a.sentences[i + 1]]) {
      if (!t || t.paragraph !== s.paragraph) continue;
      const m = /\bvoice\b/i.exec(a.text.slice(t.start, t.end));
      if (m) {
        c.voice = true;
        c.voiceSupport = 'INFERRED';
        const at = t.start + m.index;
        c.excerpts.push({ start: at, end: at + m[0].length, text: m[0] });
        break;
      }
    }
  }
}

/**
 * Films listed after a person in passing ("Jonze ('Where The Wild Things Are,' 'Being John
 * Malkovich')") are read as that person's earlier work in the role they have on the main film:
 * director or cast. INFERRED, with a low confidence; never a credit on the main film.
 */
function inferPassingCredits(a: Analysis, resolved: People, films: FilmCandidate[], credits: Credit[], put: (c: Omit<Credit, 'key'>) => void) {
  const main = films.find((f) => f.main);
  for (const film of films) {
    for (const m of film.mentions) {
      if (!m.owner) continue;
      const owner = resolved.claims.find((c) => c.person.start === m.owner!.start || nameKey(c.person.text) === nameKey(m.owner!.text));
      const personKey = owner?.personKey ?? [...resolved.people.values()].find((p) => nameKey(p.name).split(' ').at(-1) === nameKey(m.owner!.text))?.key;
      if (!personKey) continue;
      // The owner's role on the films the article is about (the main one first) is read as their role on this one.
      const elsewhere = credits.filter((c) => c.personKey === personKey && c.film !== film && !c.film.passing && c.support === 'STATED');
      const on = elsewhere.some((c) => c.film === main) ? elsewhere.filter((c) => c.film === main) : elsewhere;
      const directs = on.find((c) => c.kind === 'crew' && c.job!.job === DIRECTOR.job);
      const acts = on.find((c) => c.kind === 'cast');
      const close = a.text.indexOf(')', m.end);
      const listed = excerpt(
        a.text,
        Math.min(m.owner.start, m.start),
        close >= 0 && close - m.end < 200 && a.text.lastIndexOf('(', m.start) > m.owner.start ? close + 1 : m.end,
      );
      const base = { film, personKey, excerpts: [listed], support: 'INFERRED' as const, voice: false, voiceSupport: 'STATED' as const, confidence: 0.5 };
      if (directs)
        put({
          ...base,
          kind: 'crew',
          job: DIRECTOR,
          character: null,
          reason: `inferred: named as a film of ${m.owner.text}, who directs ${directs.film.title}`,
        });
      else if (acts)
        put({ ...base, kind: 'cast', job: null, character: null, reason: `inferred: named as a film of ${m.owner.text}, who acts in ${acts.film.title}` });
    }
  }
}
