/**
 * Cast patterns: "starring A, B and C", "the voices of …", "A plays B", "A, who plays the eldest
 * sister, Elena", "A as B", "B, played by A", "A voices B", "a cameo as …", "B (A)".
 */
import { readCharacter, readNameList, sentenceReader, subjectBefore } from './name-lists.ts';
import type { Analysis, Sentence } from './nlp.ts';
import type { ClaimSink } from './roles.ts';
import { readName } from './spans.ts';
import type { Excerpt } from './types.ts';

export function castRoles(a: Analysis, s: Sentence, isFilmTitle: (span: Excerpt) => boolean, claim: ClaimSink) {
  const { text, body, span, nameBefore } = sentenceReader(a, s, isFilmTitle);

  // Lists: "starring A, B and C", "which stars A", "alongside A", "the voices of A and B", "Voiced by A".
  for (const m of body.matchAll(
    /\b(starring|co-starring|stars|co-stars|also stars|featuring|alongside|with a cast (?:including|led by)|the cast includes|the voices of|[Vv]oiced by|voice cast (?:includes|of))\s+(?=\p{Lu}|(?:a|the|newcomer|veteran) )/gu,
  )) {
    const cue = m[1]!;
    const weak = /featuring|alongside/.test(cue);
    const voice = /voice/i.test(cue);
    for (const item of readNameList(text, s.start + m.index + m[0].length, s.end))
      if (!isFilmTitle(item.name))
        claim({
          kind: 'cast',
          jobs: [],
          person: item.name,
          character: item.character,
          voice,
          excerpt: span(s.start + m.index, item.end),
          pattern: `"${cue} X"`,
          confidence: weak ? 0.6 : 0.9,
        });
  }
  // "A plays B", "A, who plays the eldest sister, Elena", "A stars as B", "A voices B", "A as B".
  for (const m of body.matchAll(/(,? who| also)? (plays|played|playing|portrays|portrayed|stars as|starred as|starring as|voices|voiced|as) /g)) {
    const verbAt = s.start + m.index;
    const verb = m[2]!;
    // After a relative clause ("Cross, who also wrote six songs for the film, plays the Coyote") the subject is further back.
    const at = verbAt + m[0].length;
    const afterComma = /,$/.test(text.slice(s.start, verbAt));
    if (verb === 'as' && afterComma) {
      // "Niamh Doyle, as their teenage daughter Róisín, gets …": the name closing the aside is the character.
      const person = nameBefore(verbAt - 1);
      const aside = /^[^,.;]{1,80}?(?=,)/.exec(text.slice(at, s.end));
      if (!person || !aside) continue;
      const last = /(?:^|\s)((?:\p{Lu}[\p{L}'’-]*\s?)+)$/u.exec(aside[0]);
      const character = last ? (readName(text, at + aside[0].length - last[1]!.length, s.end) ?? null) : null;
      claim({ kind: 'cast', jobs: [], person, character, excerpt: span(person.start, at + aside[0].length), pattern: '"X, as Y,"', confidence: 0.75 });
      continue;
    }
    const person = m[1]?.includes('who') || afterComma ? subjectBefore(a, s, verbAt, isFilmTitle) : nameBefore(verbAt);
    if (!person) continue;
    const character =
      verb === 'as' ? (/^(?:the )?\p{Lu}/u.test(text.slice(at, at + 5)) ? readCharacter(text, at, s.end) : undefined) : readCharacter(text, at, s.end);
    // "as" and "voices" need a named character; "plays a fragile man" still says X acts in it.
    if (!character && !/^(?:plays|played|playing|portrays|portrayed)$/.test(verb)) continue;
    if (character && (isFilmTitle(character) || character.possessive)) continue;
    claim({
      kind: 'cast',
      jobs: [],
      person,
      character: character ?? null,
      voice: verb.startsWith('voice'),
      excerpt: span(person.start, character ? character.end : at - 1),
      pattern: `"X ${verb} Y"`,
      confidence: verb === 'as' ? 0.75 : 0.88,
    });
  }
  // "B, played by A", "B is voiced by A".
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
  // "A provides the voice of B", "A lends her voice to B".
  for (const m of body.matchAll(/ (?:provides|provided|lends|lent) (?:the|his|her|their) voice (?:of|to) (?=\p{Lu})/gu)) {
    const person = nameBefore(s.start + m.index);
    const character = readName(text, s.start + m.index + m[0].length, s.end);
    if (person && character)
      claim({ kind: 'cast', jobs: [], person, character, voice: true, excerpt: span(person.start, character.end), pattern: '"X voices Y"', confidence: 0.88 });
  }
  // "Patti Gray has a great cameo as Dolly's mother, Mae": the subject plays the character.
  for (const m of body.matchAll(/ (?:has|gets|makes|delivers|gives) (?:a|an|her|his|their) (?:[\p{Ll}-]+ ){0,2}(?:cameo|role|turn|part|performance) as /gu)) {
    const at = s.start + m.index + m[0].length;
    const person = nameBefore(s.start + m.index);
    const character = readCharacter(text, at, s.end);
    if (person && character && !character.possessive)
      claim({ kind: 'cast', jobs: [], person, character, excerpt: span(person.start, character.end), pattern: '"X has a role as Y"', confidence: 0.75 });
  }
  // "Kristen Lowe is her sister Jolene", "Abrantes is her brother-in-law, Duarte": a copula naming the character (weak: single words must turn out to be known people).
  for (const m of body.matchAll(/ (?:is|was|plays) (?=(?:her|his|their|the film['’]s) )/gu)) {
    const person = nameBefore(s.start + m.index);
    const character = readCharacter(text, s.start + m.index + m[0].length, s.end);
    if (person && character && !character.possessive && !isFilmTitle(character))
      claim({ kind: 'cast', jobs: [], person, character, excerpt: span(person.start, character.end), pattern: '"X is her sister Y"', confidence: 0.6 });
  }
  // "Marchand, so good in Durand's debut 'Les Oiseaux'": an actor praised in another film acted in it.
  for (const m of body.matchAll(/, (?:so |as |equally |also )?(?:good|great|brilliant|terrific|excellent|memorable|superb|wonderful|unforgettable) in /g)) {
    const person = nameBefore(s.start + m.index);
    if (person)
      claim({
        kind: 'cast',
        jobs: [],
        person,
        character: null,
        excerpt: span(person.start, s.start + m.index + m[0].length),
        pattern: '"X, so good in Title"',
        confidence: 0.6,
        objectAt: s.start + m.index + m[0].length,
      });
  }
  // "Paddy's mother, a formidable presence, is played by Brid Nolan": the character is the sentence's subject.
  for (const m of body.matchAll(/^(\p{Lu}[\p{L}'’-]+['’]s \p{Ll}+(?: \p{Ll}+)?),[^.;]{0,60}? (?:is|was) (?:played|portrayed) by (?=\p{Lu})/gu)) {
    const person = readName(text, s.start + m.index + m[0].length, s.end);
    if (person)
      claim({
        kind: 'cast',
        jobs: [],
        person,
        character: { ...span(s.start, s.start + m[1]!.length), words: [], possessive: false },
        excerpt: span(s.start, person.end),
        pattern: '"Y is played by X"',
        confidence: 0.85,
      });
  }
  // "B (A)" — "Theodore (Phoenix)"; which name is the actor is settled in people.ts.
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
}
