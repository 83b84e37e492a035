import { useApi } from '../helpers/graphql.ts';

// The article's facts, as a front end would query them.
const api = useApi();

async function data(query: string, variables?: Record<string, unknown>) {
  const result = await api.client.query(query, variables);
  expect(result.errors).toBeUndefined();
  return result.data!;
}

test('Her has its director, writer and cast from the article; unknown facts stay null', async () => {
  const { film } = await data(`{
    film(slug: "her") {
      title originalTitle year runtimeMinutes imdbId tmdbId wikidataId genres synopsis
      directors { name }
      writers { name }
      cast { character voice billingOrder person { slug name } }
      crew { department job person { slug } }
    }
  }`);
  expect(film).toEqual({
    title: 'Her',
    originalTitle: null,
    year: null,
    runtimeMinutes: null,
    imdbId: null,
    tmdbId: null,
    wikidataId: null,
    genres: ['Science Fiction'],
    synopsis: 'A sad and lonely man falls in love with a computerised operating system.',
    directors: [{ name: 'Spike Jonze' }],
    writers: [{ name: 'Spike Jonze' }],
    cast: [
      { character: 'Theodore', voice: false, billingOrder: 1, person: { slug: 'joaquin-phoenix', name: 'Joaquin Phoenix' } },
      { character: 'Samantha', voice: true, billingOrder: 2, person: { slug: 'scarlett-johansson', name: 'Scarlett Johansson' } },
    ],
    crew: [
      { department: 'DIRECTING', job: 'Director', person: { slug: 'spike-jonze' } },
      { department: 'WRITING', job: 'Writer', person: { slug: 'spike-jonze' } },
    ],
  });
});

test('the films list holds exactly the five films the article names', async () => {
  const { films } = await data('{ films(first: 100) { totalCount nodes { slug title } } }');
  expect(films.totalCount).toBe(5);
  expect(films.nodes.map((f: { title: string }) => f.title).sort()).toEqual([
    'Being John Malkovich',
    'Gladiator',
    'Her',
    'Walk the Line',
    'Where the Wild Things Are',
  ]);
});

test("Joaquin Phoenix's filmography lists Her (stated) and two earlier films (inferred, character unknown)", async () => {
  const { person } = await data(`{
    person(slug: "joaquin-phoenix") {
      name
      credits { totalCount nodes { film { title } kind character citations { kind note } } }
    }
  }`);
  expect(person.credits.totalCount).toBe(3);
  const byTitle = Object.fromEntries(person.credits.nodes.map((c: any) => [c.film.title, c]));
  expect(byTitle['Her']).toMatchObject({ kind: 'CAST', character: 'Theodore' });
  expect(byTitle['Her'].citations.every((c: any) => c.kind === 'STATED' || c.note)).toBe(true);
  for (const title of ['Gladiator', 'Walk the Line']) {
    expect(byTitle[title]).toMatchObject({ kind: 'CAST', character: null });
    expect(byTitle[title].citations).toEqual([{ kind: 'INFERRED', note: expect.stringContaining('earlier films') }]);
  }
});

test('the misspelling "Johannson" in a quote is an alias of Scarlett Johansson, cited to the quote', async () => {
  const { person, people } = await data(`{
    person(slug: "scarlett-johansson") { name aliases { name citations { excerpt kind } } }
    people(first: 100) { totalCount nodes { name } }
  }`);
  expect(person.aliases).toEqual([{ name: 'Johannson', citations: [{ excerpt: 'Phoenix and Johannson do an incredible job', kind: 'STATED' }] }]);
  expect(people.totalCount).toBe(3);
  expect(people.nodes.map((p: { name: string }) => p.name).sort()).toEqual(['Joaquin Phoenix', 'Scarlett Johansson', 'Spike Jonze']);
});

test('reviews carry the quoted passages of the LA Times and The Verge, unsigned and unscored', async () => {
  const { film } = await data(`{
    film(slug: "her") { reviews { totalCount nodes { publication { slug name } critic { name } quote quotes { position text } normalizedScore originalScore } } }
  }`);
  expect(film.reviews.totalCount).toBe(2);
  const bySlug = Object.fromEntries(film.reviews.nodes.map((r: any) => [r.publication.slug, r]));
  expect(bySlug['la-times']).toMatchObject({ critic: null, normalizedScore: null, originalScore: null });
  expect(bySlug['la-times'].quote).toMatch(/^\['Her' is\] Acerbic, emotional, provocative.*a bit wonderful\.$/);
  expect(bySlug['the-verge'].quotes).toEqual([
    { position: 0, text: 'eschews the weirdness' },
    { position: 1, text: 'Phoenix and Johannson do an incredible job making us believe that they are two equal entities.' },
  ]);
});

test('releases: US on 10 January and UK on 14 February, with the year marked inferred', async () => {
  const { film } = await data(`{
    film(slug: "her") {
      releases { country date type citations { field kind excerpt } }
      gb: releases(country: "GB") { date }
    }
  }`);
  expect(film.releases.map((r: any) => [r.country, r.date, r.type])).toEqual([
    ['US', '2014-01-10', 'THEATRICAL'],
    ['GB', '2014-02-14', 'THEATRICAL'],
  ]);
  expect(film.gb).toEqual([{ date: '2014-02-14' }]);
  const us = film.releases[0].citations;
  expect(us).toContainEqual({ field: null, kind: 'STATED', excerpt: 'Her will be released on the 10th January in the USA' });
  expect(us).toContainEqual({ field: 'date', kind: 'INFERRED', excerpt: 'the 10th January' });
});

test('every citation points at the exact excerpt of its source text', async () => {
  const { sources } = await data(`{
    sources { totalCount nodes { slug text sha256 citations(first: 100) { totalCount nodes { excerpt start end kind } } } }
  }`);
  expect(sources.totalCount).toBe(1);
  const [source] = sources.nodes;
  expect(source.slug).toBe('her-review');
  expect(source.citations.totalCount).toBeGreaterThan(20);
  for (const c of source.citations.nodes) {
    expect(source.text.slice(c.start, c.end)).toBe(c.excerpt);
  }
});

test('publications and critics: two outlets, no named critics', async () => {
  const data1 = await data(`{
    publications { totalCount nodes { slug name reviews { totalCount } critics { name } } }
    critics { totalCount }
    publication(slug: "the-verge") { name citations { excerpt } }
  }`);
  expect(data1.publications.nodes).toEqual([
    { slug: 'la-times', name: 'LA Times', reviews: { totalCount: 1 }, critics: [] },
    { slug: 'the-verge', name: 'The Verge', reviews: { totalCount: 1 }, critics: [] },
  ]);
  expect(data1.critics.totalCount).toBe(0);
  expect(data1.publication).toEqual({ name: 'The Verge', citations: [{ excerpt: 'The Verge' }] });
});

test('global IDs round-trip through node(id:) and film(id:) for every type', async () => {
  const { film } = await data('{ film(slug: "her") { id cast { id } releases { id } reviews { nodes { id publication { id } } } citations { id } } }');
  const ids = [film.id, film.cast[0].id, film.releases[0].id, film.reviews.nodes[0].id, film.reviews.nodes[0].publication.id, film.citations[0].id];
  const { nodes } = await data('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', { ids });
  expect(nodes.map((n: any) => n.__typename)).toEqual(['Film', 'Credit', 'Release', 'Review', 'Publication', 'Citation']);
  expect(nodes.map((n: any) => n.id)).toEqual(ids);
  const byId = await data('query ($id: ID!) { film(id: $id) { slug } }', { id: film.id });
  expect(byId.film).toEqual({ slug: 'her' });
});
