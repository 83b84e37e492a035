// The in-memory EntityResolver: exact, accent- and case-insensitive, alias, surname-only and typo
// matches, best first with ties by id — the behaviour the database-backed resolver must match.
import { MemoryResolver } from '../../src/ingest/memory-resolver.ts';

const resolver = new MemoryResolver([
  { type: 'person', id: 'p1', name: 'Scarlett Johansson' },
  { type: 'person', id: 'p2', name: 'Céline Sciamma' },
  { type: 'person', id: 'p3', name: 'Tom Hanks' },
  { type: 'person', id: 'p4', name: 'Elizabeth Banks' },
  { type: 'person', id: 'p5', name: 'Spike Jonze', aliases: ['Adam Spiegel'] },
  { type: 'film', id: 'f1', name: 'Where the Wild Things Are' },
  { type: 'publication', id: 'u1', name: 'Los Angeles Times', aliases: ['LA Times'] },
]);
const find = (type: 'film' | 'person' | 'publication', name: string) => resolver.findSync(type, name).map((m) => [m.id, m.matchedBy, m.score]);

test('a name matches whatever its accents and case ("celine SCIAMMA" is Céline Sciamma)', () => {
  expect(find('person', 'celine SCIAMMA')).toEqual([['p2', 'name', 1]]);
});

test('an alias matches, a little below the name itself; with an extra word, by trigram similarity', () => {
  expect(find('person', 'Adam Spiegel')).toEqual([['p5', 'alias', 0.95]]);
  expect(find('publication', 'the LA Times')).toEqual([['u1', 'fuzzy', 0.75]]);
  expect(find('publication', 'LA Times')).toEqual([['u1', 'alias', 0.95]]);
});

test('a surname alone matches its person; a misspelt surname ("Johannson") matches as a typo', () => {
  expect(find('person', 'Jonze')).toEqual([['p5', 'name', 0.8]]);
  expect(find('person', 'Johannson')).toEqual([['p1', 'fuzzy', 0.7]]);
});

test('names one letter apart at an initial are no typo: "Tom Banks" is only a weak trigram candidate for Tom Hanks, below the 0.85 the extractor needs', () => {
  expect(find('person', 'Hanks')).toEqual([['p3', 'name', 0.8]]);
  expect(find('person', 'Banks')).toEqual([['p4', 'name', 0.8]]);
  expect(find('person', 'Tom Banks')).toEqual([['p3', 'fuzzy', 0.54]]);
});

test('a misspelt full name matches by edit distance; a partial title by trigram similarity', () => {
  expect(find('person', 'Scarlet Johanson')).toEqual([['p1', 'fuzzy', 0.85]]);
  expect(find('film', 'Where The Wild Things')).toEqual([['f1', 'fuzzy', 0.84]]);
  expect(find('film', 'Wild Strawberries')).toEqual([]);
});

test('types do not mix: a film title never resolves to a person', async () => {
  expect(await resolver.find('person', 'Where the Wild Things Are')).toEqual([]);
});
