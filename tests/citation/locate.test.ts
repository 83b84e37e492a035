import { ExcerptNotFoundError, locate } from '../../src/schema/citation/locate.ts';

// `locate` computes the offsets of every citation, the seed's and those updateFilm records:
// `text.slice(start, end) === excerpt`, in UTF-16 code units, for the requested occurrence.
// Through the seed and the API: tests/seed/facts.test.ts and tests/film/mutations.test.ts.

const TEXT = 'Her is a film. In Her, a man loves her voice; aaa.';

test.each([
  ['the first occurrence by default', { excerpt: 'Her' }, 0],
  ['occurrence 0 explicitly', { excerpt: 'Her', occurrence: 0 }, 0],
  ['the second occurrence', { excerpt: 'Her', occurrence: 1 }, 18],
  ['case-sensitively: "her" is not "Her"', { excerpt: 'her' }, 35],
  ['overlapping occurrences count one character apart', { excerpt: 'aa', occurrence: 1 }, 47],
  ['an excerpt at the very end', { excerpt: 'aaa.' }, 46],
])('finds %s', (_name, spec, start) => {
  expect(locate(TEXT, spec)).toEqual({ start, end: start + spec.excerpt.length });
  expect(TEXT.slice(start, start + spec.excerpt.length)).toBe(spec.excerpt);
});

test('offsets are UTF-16 code units, as JavaScript and the API count them', () => {
  const text = 'Amélie 🎬 Her';
  expect(locate(text, { excerpt: 'Her' })).toEqual({ start: 10, end: 13 });
  expect(locate(text, { excerpt: '🎬' })).toEqual({ start: 7, end: 9 });
});

test.each([
  ['an excerpt the text does not contain', { excerpt: 'robots' }, 'Excerpt not found in the article (occurrence 0): "robots"'],
  ['an occurrence past the last one', { excerpt: 'Her', occurrence: 2 }, 'Excerpt not found in the article (occurrence 2): "Her"'],
  ['a third overlapping "aa" where there are two', { excerpt: 'aa', occurrence: 2 }, 'Excerpt not found in the article (occurrence 2): "aa"'],
])('refuses %s with an ExcerptNotFoundError naming it', (_name, spec, message) => {
  expect(() => locate(TEXT, spec)).toThrow(ExcerptNotFoundError);
  expect(() => locate(TEXT, spec)).toThrow(message);
  // What a log line shows when the seed cannot place one of its citations.
  expect(() => locate(TEXT, spec)).toThrow(expect.objectContaining({ name: 'ExcerptNotFoundError' }));
});
