// Every excerpt a proposal cites is exactly the text between its offsets (UTF-16 code units,
// half-open) and never splits a surrogate pair — on random articles assembled from the pattern
// templates, with accents, emoji and stray punctuation shifting the offsets around.
import fc from 'fast-check';
import { extract } from '../../src/ingest/extract.ts';
import type { Excerpt } from '../../src/ingest/types.ts';

const people = ['Spike Jonze', 'Joaquin Phoenix', 'Zoë Kravitz', 'Bong Joon-ho', 'Céline Sciamma', 'Guillermo del Toro', "Lupita Nyong'o", 'Ana Sokolova'];
const titles = ['Her', 'The Salt Road', 'Portrait of a Lady on Fire', 'Black Ice', '8½', 'Amélie'];
const characters = ['Theodore', 'Samantha', 'Héloïse', 'Mr Whiskers'];
const outlets = ['the Daily Mail', 'The Verge', 'Empire', 'the Guardian'];
const dates = ['25th January', 'October 18', 'the 10th January', '3 March 2021'];

const pick = <T>(xs: T[]) => fc.constantFrom(...xs);
const sentence = fc.oneof(
  fc.tuple(pick(titles), fc.integer({ min: 1950, max: 2030 }), pick(people), pick(people)).map(([t, y, d, a]) => `${t} (${y}), directed by ${d}, stars ${a}.`),
  fc.tuple(pick(people), pick(titles)).map(([p, t]) => `${p}'s new film, ${t}, is a tender sci-fi romance.`),
  fc.tuple(pick(people), pick(characters)).map(([p, c]) => `${p} plays ${c}, and ${c} (${p.split(' ').at(-1)}) steals every scene.`),
  fc.tuple(pick(titles), pick(dates)).map(([t, d]) => `'${t}' will be released in the UK on ${d} and in theatres on ${d}.`),
  fc.tuple(pick(outlets), pick(people)).map(([o, p]) => `"A quiet triumph," said ${p} in ${o}. ${o.replace(/^the /, 'The ')} assesses it as "tender".`),
  fc.constantFrom(
    '★★★★☆',
    'Stars 5',
    'It gets 4 out of 5 stars.',
    'Cert 15, 119mins.',
    'Rated PG-13, 1h 39min.',
    'See https://www.imdb.com/title/tt1798709/ 🎬',
  ),
  fc.string({ maxLength: 40 }),
);
const article = fc
  .tuple(
    fc.array(fc.tuple(sentence, fc.constantFrom(' ', '\n', '\n\n', ' 🎞️ ', ' — ')), { minLength: 1, maxLength: 12 }),
    fc.constantFrom('', '😀 ', 'Ünïcödé — '),
  )
  .map(([parts, prefix]) => prefix + parts.map(([s, sep]) => s + sep).join(''));

function checkExcerpt(text: string, e: Excerpt) {
  expect(e.start).toBeGreaterThanOrEqual(0);
  expect(e.end).toBeGreaterThan(e.start);
  expect(e.end).toBeLessThanOrEqual(text.length);
  expect(text.slice(e.start, e.end)).toBe(e.text);
  // Neither end falls between the two halves of a surrogate pair.
  expect(/[\uDC00-\uDFFF]/.test(text[e.start]!)).toBe(false);
  expect(/[\uD800-\uDBFF]/.test(text[e.end - 1]!)).toBe(false);
}

test('every excerpt and every further citation of every proposal equals text.slice(start, end)', async () => {
  let proposals = 0;
  await fc.assert(
    fc.asyncProperty(article, async (text) => {
      for (const p of await extract({ text, publishedOn: '2024-06-01', publisher: 'Screen Notes' })) {
        proposals++;
        checkExcerpt(text, p.excerpt);
        for (const e of p.alsoCited) checkExcerpt(text, e);
        expect(p.confidence).toBeGreaterThanOrEqual(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
        expect(p.reason.startsWith(p.support === 'STATED' ? 'stated: ' : 'inferred: ')).toBe(true);
      }
    }),
    { numRuns: 150, seed: 17 },
  );
  // The templates must really produce proposals, or the property says nothing.
  expect(proposals).toBeGreaterThan(500);
});
