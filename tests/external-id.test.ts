import { codes, useApi } from './helpers/graphql.ts';

// The article gives no external ids; these are set here so each lookup has something to find.
const api = useApi(async (db) => {
  await db.prisma.film.update({ where: { slug: 'her' }, data: { imdbId: 'tt1798709', tmdbId: 152601, wikidataId: 'Q132863' } });
  await db.prisma.person.update({ where: { slug: 'spike-jonze' }, data: { imdbId: 'nm0005069', tmdbId: 5953, wikidataId: 'Q286570' } });
});

async function lookup(field: 'film' | 'person', args: string) {
  const result = await api.client.query(`{ ${field}(${args}) { slug } }`);
  expect(result.errors).toBeUndefined();
  return result.data![field]?.slug ?? null;
}

describe('film(externalId:) and person(externalId:)', () => {
  test.each([
    ['IMDB', 'tt1798709'],
    ['TMDB', '152601'],
    ['WIKIDATA', 'Q132863'],
  ])('film by %s id %s finds Her', async (source, id) => {
    expect(await lookup('film', `externalId: { source: ${source}, id: "${id}" }`)).toBe('her');
  });

  test.each([
    ['IMDB', 'nm0005069'],
    ['TMDB', '5953'],
    ['WIKIDATA', 'Q286570'],
  ])('person by %s id %s finds Spike Jonze', async (source, id) => {
    expect(await lookup('person', `externalId: { source: ${source}, id: "${id}" }`)).toBe('spike-jonze');
  });

  test('a well-formed id that matches nothing is null, not an error', async () => {
    expect(await lookup('film', 'externalId: { source: IMDB, id: "tt0000001" }')).toBeNull();
    expect(await lookup('person', 'externalId: { source: TMDB, id: "2147483647" }')).toBeNull();
  });

  test('id and slug lookups keep working', async () => {
    const her = await api.client.query('{ film(slug: "her") { id } }');
    expect(await lookup('film', `id: "${her.data!.film.id}"`)).toBe('her');
    expect(await lookup('person', 'slug: "spike-jonze"')).toBe('spike-jonze');
  });

  test('the external id works through variables too', async () => {
    const result = await api.client.query('query ($e: ExternalIdInput) { film(externalId: $e) { title } }', {
      e: { source: 'WIKIDATA', id: 'Q132863' },
    });
    expect(result.data).toEqual({ film: { title: 'Her' } });
  });
});

describe('bad lookups are BAD_USER_INPUT with a message naming the problem', () => {
  test.each([
    ['film', 'IMDB', 'nm0005069', '"nm0005069" is not a valid IMDB film id (expected e.g. "tt1798709").'],
    ['film', 'IMDB', 'tt123456', '"tt123456" is not a valid IMDB film id (expected e.g. "tt1798709").'],
    ['film', 'IMDB', 'TT1798709', '"TT1798709" is not a valid IMDB film id (expected e.g. "tt1798709").'],
    ['person', 'IMDB', 'tt1798709', '"tt1798709" is not a valid IMDB person id (expected e.g. "nm0005069").'],
    ['film', 'TMDB', '0', '"0" is not a valid TMDB film id (expected e.g. "152601").'],
    ['film', 'TMDB', '-5', '"-5" is not a valid TMDB film id (expected e.g. "152601").'],
    ['film', 'TMDB', '12.5', '"12.5" is not a valid TMDB film id (expected e.g. "152601").'],
    ['person', 'TMDB', '2147483648', '"2147483648" is not a valid TMDB person id (expected e.g. "5953").'],
    ['film', 'WIKIDATA', 'q132863', '"q132863" is not a valid WIKIDATA film id (expected e.g. "Q132863").'],
    ['person', 'WIKIDATA', 'Q', '"Q" is not a valid WIKIDATA person id (expected e.g. "Q286570").'],
    ['film', 'WIKIDATA', '', '"" is not a valid WIKIDATA film id (expected e.g. "Q132863").'],
  ])('%s with %s id "%s"', async (field, source, id, message) => {
    const result = await api.client.query(`{ ${field}(externalId: { source: ${source}, id: "${id}" }) { slug } }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toBe(message);
    expect(result.errors![0]!.extensions!['issues']).toEqual([{ message, path: ['externalId', 'id'] }]);
  });

  test('an overlong id is refused without echoing all of it', async () => {
    const result = await api.client.query(`{ film(externalId: { source: IMDB, id: "tt${'1'.repeat(200)}" }) { slug } }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message.length).toBeLessThan(100);
  });

  test.each([
    ['film', 'slug: "her", externalId: { source: IMDB, id: "tt1798709" }', '`film` takes exactly one of: id, slug, externalId (got 2).'],
    ['person', '', '`person` takes exactly one of: id, slug, externalId (got 0).'],
    ['film', '', '`film` takes exactly one of: id, slug, externalId (got 0).'],
  ])('%s(%s) must name exactly one key', async (field, args, message) => {
    const result = await api.client.query(`{ ${field}${args ? `(${args})` : ''} { slug } }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0]!.message).toBe(message);
  });

  test('an unknown source is a validation error', async () => {
    const result = await api.client.query('{ film(externalId: { source: LETTERBOXD, id: "her" }) { slug } }');
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test('an unknown source in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($e: ExternalIdInput) { film(externalId: $e) { slug } }', {
      e: { source: 'LETTERBOXD', id: 'her' },
    });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
