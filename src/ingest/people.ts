/**
 * Who the people are: full names from role patterns, surname-only mentions resolved to them
 * ("Jonze" → Spike Jonze), misspellings kept as aliases ("Johannson" → Scarlett Johansson),
 * characters told apart from actors ("Theodore (Phoenix)"), and the catalogue asked, through the
 * EntityResolver, about names the article does not spell out in full.
 */
import { wordAt, type Analysis } from './nlp.ts';
import { isTypoOf, nameKey, slugOf } from './normalize.ts';
import type { RoleClaim } from './roles.ts';
import { excerpt, readName, type NameSpan } from './spans.ts';
import type { EntityResolver, Excerpt, Resolution } from './types.ts';

export interface PersonEntity {
  key: string;
  name: string;
  /** The first mention of the full name (or the only mention, for a mononym). */
  first: Excerpt;
  resolution: Resolution;
  /** Other spellings seen in the article, each with the excerpt it occurs in. */
  aliases: { name: string; excerpt: Excerpt; catalogue: boolean }[];
  /** Named only by one word the article never expands, matched in the catalogue or kept as a mononym. */
  partial: boolean;
}

/** A claim whose names are settled: `person` is a key of the people map, `character` a plain name. */
export interface ResolvedClaim extends RoleClaim {
  personKey: string;
  characterName: string | null;
}

export interface People {
  people: Map<string, PersonEntity>;
  claims: ResolvedClaim[];
}

// A catalogue match below this score is a different person.
const CATALOGUE_THRESHOLD = 0.7;

export async function resolvePeople(a: Analysis, raw: RoleClaim[], isFilmTitle: (s: Excerpt) => boolean, resolver?: EntityResolver): Promise<People> {
  const characters = new Set(raw.filter((c) => c.kind === 'cast' && c.character && !c.ambiguous).map((c) => nameKey(c.character!.text)));
  const people = new Map<string, PersonEntity>();
  const byKey = new Map<string, PersonEntity>(); // nameKey(full name) → person
  const register = (span: Excerpt) => {
    const k = nameKey(span.text);
    let p = byKey.get(k);
    if (!p) {
      p = { key: `person:${slugOf(span.text)}`, name: span.text, first: span, resolution: { status: 'NEW' }, aliases: [], partial: false };
      byKey.set(k, p);
      people.set(p.key, p);
    }
    return p;
  };
  const fullNames = raw.filter((c) => !c.ambiguous && c.person.words.length > 1 && !characters.has(nameKey(c.person.text)));
  for (const c of [...fullNames].sort((x, y) => x.person.start - y.person.start)) register(c.person);
  // Full names the tagger knows as people (first name + surname) anchor surname-only mentions too,
  // but only a role makes them proposals.
  const anchors = taggedFullNames(a, characters, isFilmTitle);

  const coref = (span: NameSpan): { person: PersonEntity; typo: boolean } | undefined => {
    const k = nameKey(span.text);
    const exact = byKey.get(k);
    if (exact) return { person: exact, typo: false };
    const known = [...byKey.values()];
    if (span.words.length === 1) {
      const bySurname = known.filter((p) => nameKey(p.name).split(' ').at(-1) === k);
      if (bySurname.length === 1) return { person: bySurname[0]!, typo: false };
      const byTypo = known.filter((p) => isTypoOf(k, nameKey(p.name).split(' ').at(-1)!));
      if (byTypo.length === 1) return { person: byTypo[0]!, typo: true };
      const anchor = anchors.find((n) => nameKey(n.text).split(' ').at(-1) === k);
      if (anchor && !characters.has(k)) return { person: register(anchor), typo: false };
      return undefined;
    }
    const byTypo = known.filter((p) => isTypoOf(k, nameKey(p.name)));
    return byTypo.length === 1 ? { person: byTypo[0]!, typo: true } : undefined;
  };

  const claims: ResolvedClaim[] = [];
  const unresolved: { claim: RoleClaim; span: NameSpan; character: NameSpan | null }[] = [];
  for (const c of raw) {
    let person = c.person;
    let character = c.character;
    if (c.ambiguous) {
      // "Theodore (Phoenix)": the name that is a known person is the actor; "Joaquin Phoenix (Theodore)" the other way round.
      // Neither known: reviews write "Character (Actor Name)", so a full name inside is the actor.
      const inner = coref(c.person);
      const outer = coref(c.character!);
      if (inner && outer) continue;
      const swap = outer
        ? !characters.has(nameKey(c.person.text))
        : !inner && c.person.words.length === 1 && c.character!.words.length > 1 && firstNameTagged(a, c.character!);
      if (swap) [person, character] = [c.character!, c.person];
      else if (!inner && c.person.words.length === 1) continue;
    }
    if (characters.has(nameKey(person.text)) && !byKey.has(nameKey(person.text))) continue; // a character, not an actor
    const found = coref(person);
    if (found) {
      if (found.typo) addAlias(a, found.person, person, false);
      claims.push({ ...c, person, character, personKey: found.person.key, characterName: character?.text ?? null });
    } else unresolved.push({ claim: c, span: person, character });
  }

  // Names the article never spells out: ask the catalogue, or keep a mononym from a strong pattern.
  for (const { claim, span, character } of unresolved) {
    const match = resolver ? (await resolver.find('person', span.text))[0] : undefined;
    if (match && match.score >= CATALOGUE_THRESHOLD) {
      const p = byKey.get(nameKey(match.name)) ?? register({ ...span, text: match.name });
      p.resolution = { status: 'EXISTING', match };
      p.partial = true;
      if (match.matchedBy === 'fuzzy') addAlias(a, p, span, true);
      claims.push({ ...claim, person: span, character, personKey: p.key, characterName: character?.text ?? null });
    } else if ((span.words.length > 1 || (claim.confidence >= 0.85 && !claim.possessive)) && properWord(a, span)) {
      const p = register(span);
      p.partial = span.words.length === 1;
      claims.push({ ...claim, person: span, character, personKey: p.key, characterName: character?.text ?? null });
    }
  }

  // Misspelt mentions outside any role ("Phoenix and Johannson do an incredible job").
  for (const span of allNames(a)) {
    if (span.words.length === 1 && (characters.has(nameKey(span.text)) || isFilmTitle(span) || !mayBeName(a, span))) continue;
    const found = coref(span);
    if (found?.typo) addAlias(a, found.person, span, false);
  }

  for (const p of people.values()) {
    if (p.resolution.status === 'NEW' && resolver) {
      const match = (await resolver.find('person', p.name))[0];
      if (match && match.score >= 0.85) {
        p.resolution = { status: 'EXISTING', match };
        if (match.matchedBy === 'fuzzy') addAlias(a, p, p.first, true);
      }
    }
  }
  return { people, claims };
}

function addAlias(a: Analysis, p: PersonEntity, span: Excerpt, catalogue: boolean) {
  if (nameKey(span.text) === nameKey(p.name) || p.aliases.some((x) => nameKey(x.name) === nameKey(span.text))) return;
  p.aliases.push({ name: span.text, excerpt: clauseAround(a, span), catalogue });
}

/** The clause around a mention: what an editor needs to see that "Johannson" means the actress. */
function clauseAround(a: Analysis, span: Excerpt): Excerpt {
  const { text } = a;
  let start = span.start;
  let end = span.end;
  while (start > 0 && !/[,;:"“”(\n.!?]/.test(text[start - 1]!)) start--;
  while (end < text.length && !/[,;:"“”)\n.!?]/.test(text[end]!)) end++;
  while (/\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return excerpt(text, start, end);
}

function firstNameTagged(a: Analysis, span: NameSpan): boolean {
  const w = wordAt(a, span.start);
  return !!w && (w.tags.has('FirstName') || w.tags.has('Honorific'));
}

function properWord(a: Analysis, span: NameSpan): boolean {
  if (span.words.length > 1) return true;
  const w = wordAt(a, span.start);
  return !w || w.tags.has('ProperNoun') || w.tags.has('Person');
}

/** Every capitalised name in the body text (headings and captions left out). */
function allNames(a: Analysis): NameSpan[] {
  const { text } = a;
  const out: NameSpan[] = [];
  for (const s of a.sentences) {
    if (s.headline) continue;
    for (let i = s.start; i < s.end; i++) {
      if (!/\p{Lu}/u.test(text[i]!) || (i > s.start && /[\p{L}\p{M}'’-]/u.test(text[i - 1]!))) continue;
      const n = readName(text, i, s.end);
      if (!n) continue;
      // "Though Theodore is …": a capitalised function word opening the sentence is not part of the name.
      const first = wordAt(a, i)?.tags;
      if (i === s.start && n.words.length > 1 && first && NOT_A_NAME.some((t) => first.has(t))) {
        i += n.words[0]!.length;
        continue;
      }
      if (i !== s.start || properWord(a, n) || mayBeName(a, n)) out.push(n);
      i = n.end;
    }
  }
  return out;
}

function taggedFullNames(a: Analysis, characters: Set<string>, isFilmTitle: (s: Excerpt) => boolean): NameSpan[] {
  return allNames(a).filter((n) => n.words.length > 1 && !n.words.every((w) => /^\p{Lu}+$/u.test(w)) && !characters.has(nameKey(n.text)) && !isFilmTitle(n));
}

// A capitalised word the tagger files under these is a date, a place or a function word, not a misspelt surname ("March" is no "Marsh").
const NOT_A_NAME = [
  'Month',
  'WeekDay',
  'Date',
  'Determiner',
  'Pronoun',
  'Preposition',
  'Conjunction',
  'Adverb',
  'Verb',
  'Adjective',
  'Place',
  'Country',
  'City',
  'Region',
  'Demonym',
  'Organization',
  'Value',
];
function mayBeName(a: Analysis, span: NameSpan): boolean {
  const tags = wordAt(a, span.start)?.tags;
  return !tags || !NOT_A_NAME.some((t) => tags.has(t));
}
