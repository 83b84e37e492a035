// The traps of film writing (issue 17): a film named only in passing, a character mistaken for a
// person, a date without a year, a quotation attributed to nobody, a misspelt name, surname-only
// mentions — each with the proposals the extractor must (and must not) make.
import { extract } from '../../src/ingest/extract.ts';
import { MemoryResolver } from '../../src/ingest/memory-resolver.ts';
import { factsOf } from './summary.ts';

test('films named in passing after a director are proposals of lower confidence with INFERRED credits, and take no credits of the main film', async () => {
  const text =
    "Spike Jonze's new film, Her (2013), stars Joaquin Phoenix. It sees Jonze ('Where The Wild Things Are,' 'Being John Malkovich') come into his own.";
  const proposals = await extract({ text });
  expect(proposals.filter((p) => p.kind === 'film').map((p) => [p.values.title, p.confidence])).toEqual([
    ['Her', 0.95],
    ['Where the Wild Things Are', 0.6],
    ['Being John Malkovich', 0.6],
  ]);
  const passing = proposals.filter((p) => p.kind === 'crewCredit' && p.refs.film !== 'film:her');
  expect(passing.map((p) => [p.refs.film, p.support, p.confidence, p.excerpt.text, p.reason])).toEqual([
    [
      'film:being-john-malkovich',
      'INFERRED',
      0.5,
      "Jonze ('Where The Wild Things Are,' 'Being John Malkovich')",
      'inferred: named as a film of Jonze, who directs Her',
    ],
    [
      'film:where-the-wild-things-are',
      'INFERRED',
      0.5,
      "Jonze ('Where The Wild Things Are,' 'Being John Malkovich')",
      'inferred: named as a film of Jonze, who directs Her',
    ],
  ]);
  expect(await factsOf(text)).toEqual([
    'cast Her | Joaquin Phoenix | -',
    'crew Being John Malkovich | Spike Jonze | Director',
    'crew Her | Spike Jonze | Director',
    'crew Where the Wild Things Are | Spike Jonze | Director',
    'film Being John Malkovich',
    'film Her (2013)',
    'film Where the Wild Things Are',
    'person Joaquin Phoenix',
    'person Spike Jonze',
  ]);
});

test('a character named like a person ("Theodore (Phoenix)", "Theodore is lonely") is a character, never a person proposal', async () => {
  expect(await factsOf('Her (2013) stars Joaquin Phoenix. Theodore (Phoenix) writes letters for a living. Theodore is lonely, and Samantha knows it.')).toEqual(
    ['cast Her | Joaquin Phoenix | Theodore', 'film Her (2013)', 'person Joaquin Phoenix'],
  );
});

test('"Actor (Character)" and "Character (Actor)" are told apart by which name the article knows as a person', async () => {
  expect(await factsOf('Her (2013) stars Joaquin Phoenix and Amy Adams. Amy (Adams) is his friend; Phoenix (Theodore) is lost.')).toEqual([
    'cast Her | Amy Adams | Amy',
    'cast Her | Joaquin Phoenix | Theodore',
    'film Her (2013)',
    'person Amy Adams',
    'person Joaquin Phoenix',
  ]);
});

test('a date without a year and without an article date keeps its year unknown; with one, the year is INFERRED and says from what', async () => {
  const text = "Spike Jonze's new film, Her, was released in the UK on 14 February.";
  expect((await factsOf(text)).filter((f) => f.startsWith('release'))).toEqual(['release Her | GB | --02-14 | THEATRICAL']);
  const [release] = (await extract({ text, publishedOn: '2014-03-01' })).filter((p) => p.kind === 'release');
  expect(release).toMatchObject({ values: { country: 'GB', date: '2014-02-14', type: 'THEATRICAL' }, support: 'INFERRED' });
  expect(release!.reason).toContain(
    "year 2014 taken from the last 14 February on or before the article's date (2014-03-01): the text speaks of a past release",
  );
});

test('a quotation attributed to nobody (a viewer, "some have called it") is no review', async () => {
  expect(await factsOf('Her (2013) divides audiences. "It is the best film of the year," one viewer said. Some have called it "a gimmick".')).toEqual([
    'film Her (2013)',
  ]);
});

test('a misspelt surname of a person the article names in full is an alias proposal of that person', async () => {
  const proposals = await extract({
    text: 'Her (2013) stars Scarlett Johansson and Joaquin Phoenix. The Verge says "Phoenix and Johannson do an incredible job".',
  });
  expect(proposals.find((p) => p.kind === 'alias')).toMatchObject({
    key: 'alias:scarlett-johansson:johannson',
    values: { name: 'Johannson', personName: 'Scarlett Johansson' },
    refs: { person: 'person:scarlett-johansson' },
    excerpt: { text: 'Phoenix and Johannson do an incredible job' },
    support: 'INFERRED',
    reason: 'inferred: a misspelling of Scarlett Johansson, named in the same article',
  });
});

test('"Johannson" alone resolves to the catalogue\'s Scarlett Johansson as an existing person and an alias proposal', async () => {
  const resolver = new MemoryResolver([
    { type: 'person', id: 'p1', name: 'Scarlett Johansson' },
    { type: 'film', id: 'f1', name: 'Her' },
  ]);
  const proposals = await extract({ text: 'Her (2013) is a triumph for Johannson, who plays Samantha.' }, resolver);
  expect(proposals.find((p) => p.kind === 'person')?.values).toEqual({
    name: 'Scarlett Johansson',
    resolution: { status: 'EXISTING', match: { id: 'p1', name: 'Scarlett Johansson', matchedName: 'Scarlett Johansson', matchedBy: 'fuzzy', score: 0.7 } },
  });
  expect(proposals.find((p) => p.kind === 'alias')).toMatchObject({
    values: { name: 'Johannson', personName: 'Scarlett Johansson' },
    reason: "inferred: the catalogue's closest name is Scarlett Johansson",
  });
  expect(proposals.find((p) => p.kind === 'film')?.values.resolution).toEqual({
    status: 'EXISTING',
    match: { id: 'f1', name: 'Her', matchedName: 'Her', matchedBy: 'name', score: 1 },
  });
});

test('surname-only mentions ("Jonze") resolve to the full name the article gives, with no second person and no alias', async () => {
  expect(await factsOf("Spike Jonze's new film, Her (2013), is his best. Jonze wrote the screenplay alone, and Jonze directs with care.")).toEqual([
    'crew Her | Spike Jonze | Director',
    'crew Her | Spike Jonze | Writer',
    'film Her (2013)',
    'person Spike Jonze',
  ]);
});

test('a genre word about films in general ("sci-fi movies") or about another, unnamed film gives no genre', async () => {
  expect(
    await factsOf('"Delicate" is rarely said of sci-fi movies. Her (2013) is different.\n\nNot everything worked. A much-hyped Italian drama was booed.'),
  ).toEqual(['film Her (2013)']);
});
