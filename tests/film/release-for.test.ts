import { insertReleaseFixtures } from '../helpers/facts-fixtures.ts';
import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { codes, useApi } from '../helpers/graphql.ts';

const api = useApi(async (db) => {
  await insertSyntheticCatalog(db.prisma, { films: 40, releasesPerFilm: 4 });
  await insertReleaseFixtures(db.prisma);
});

interface Choice {
  matchedCountry: boolean;
  rule: string;
  release: { country: string; date: string; type: string };
}

async function releaseFor(slug: string, args: string): Promise<Choice | null> {
  const result = await api.client.query(`{ film(slug: "${slug}") { releaseFor(${args}) { matchedCountry rule release { country date type } } } }`);
  expect(result.errors).toBeUndefined();
  return result.data!.film.releaseFor;
}

const chosen = (country: string, date: string, type: string, matchedCountry = true): Choice => ({
  matchedCountry,
  rule: matchedCountry ? 'COUNTRY_PRECEDENCE' : 'EARLIEST_ELSEWHERE',
  release: { country, date, type },
});

describe('Film.releaseFor', () => {
  test('Her opens in the US on 2014-01-10 and in GB on 2014-02-14 (theatrical, from the seed)', async () => {
    expect(await releaseFor('her', 'country: "US"')).toEqual(chosen('US', '2014-01-10', 'THEATRICAL'));
    expect(await releaseFor('her', 'country: "GB"')).toEqual(chosen('GB', '2014-02-14', 'THEATRICAL'));
  });

  test('a country without a release of Her falls back to its earliest release anywhere, flagged as not matched', async () => {
    expect(await releaseFor('her', 'country: "FR"')).toEqual(chosen('US', '2014-01-10', 'THEATRICAL', false));
  });

  test('country codes are case-insensitive', async () => {
    expect(await releaseFor('her', 'country: "gb"')).toEqual(chosen('GB', '2014-02-14', 'THEATRICAL'));
  });

  test('in the country, theatrical beats an earlier limited run and premiere; of two theatrical dates the earliest wins', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US"')).toEqual(chosen('US', '2020-02-20', 'THEATRICAL'));
  });

  test('in the country, type precedence beats date: digital (May) over an earlier physical release (April)', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "GB"')).toEqual(chosen('GB', '2020-05-01', 'DIGITAL'));
  });

  test('the fallback takes the earliest date; a tie goes to the better type, then the lower country code', async () => {
    // 2019-12-01 has DE and JP premieres, a FR digital and a FR TV release.
    expect(await releaseFor('facts-release-rules', 'country: "IT"')).toEqual(chosen('DE', '2019-12-01', 'PREMIERE', false));
  });

  test('`types` restricts the candidates in the country', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [PREMIERE, LIMITED]')).toEqual(chosen('US', '2020-02-01', 'LIMITED'));
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [PREMIERE]')).toEqual(chosen('US', '2020-01-01', 'PREMIERE'));
  });

  test('`types` restricts the fallback too: no US TV release → the earliest TV release anywhere', async () => {
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [TV]')).toEqual(chosen('FR', '2019-12-01', 'TV', false));
    expect(await releaseFor('facts-release-rules', 'country: "US", types: [TV, DIGITAL]')).toEqual(chosen('US', '2020-06-01', 'DIGITAL'));
  });

  test('null when the film has no release (of the requested types)', async () => {
    expect(await releaseFor('facts-no-releases', 'country: "US"')).toBeNull();
    expect(await releaseFor('her', 'country: "US", types: [DIGITAL, TV]')).toBeNull();
  });

  test('selecting only the rule still applies the precedence (the columns it needs are always loaded)', async () => {
    const result = await api.client.query(
      '{ film(slug: "facts-release-rules") { us: releaseFor(country: "US") { rule } it: releaseFor(country: "IT") { matchedCountry } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.film).toEqual({ us: { rule: 'COUNTRY_PRECEDENCE' }, it: { matchedCountry: false } });
  });

  test('the chosen release is a full Release with its citations', async () => {
    const result = await api.client.query('{ film(slug: "her") { releaseFor(country: "GB") { release { id citations { excerpt } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.film.releaseFor.release.citations.map((c: { excerpt: string }) => c.excerpt)).toEqual([
      'will be released',
      'the 14th February in the UK',
      'the 14th February',
    ]);
  });

  test.each([
    ['an empty `types` list', '{ film(slug: "her") { releaseFor(country: "US", types: []) { rule } } }', 'BAD_USER_INPUT'],
    ['an unknown country literal', '{ film(slug: "her") { releaseFor(country: "XX") { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a missing country', '{ film(slug: "her") { releaseFor { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown release type', '{ film(slug: "her") { releaseFor(country: "US", types: [CINEMA]) { rule } } }', 'GRAPHQL_VALIDATION_FAILED'],
  ])('%s is a coded error', async (_name, query, code) => {
    const result = await api.client.query(query);
    expect(codes(result)).toEqual([code]);
  });

  test('an unknown country in variables is BAD_USER_INPUT', async () => {
    const result = await api.client.query('query ($c: CountryCode!) { film(slug: "her") { releaseFor(country: $c) { rule } } }', { c: 'ZZ' });
    expect(result.status).toBe(400);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });
});
