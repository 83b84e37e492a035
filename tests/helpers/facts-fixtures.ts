import type { PrismaClient, ReleaseType } from '../../src/generated/prisma/client.ts';

/** Fixtures for releases, critic scores, filmographies and lookups (slugs prefixed `facts-`). */

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * `facts-release-rules`: releases chosen to exercise every tie of `Film.releaseFor`;
 * `facts-no-releases`: a film without any release.
 */
export async function insertReleaseFixtures(prisma: PrismaClient) {
  const rules = await prisma.film.create({ data: { slug: 'facts-release-rules', title: 'Release Rules', year: 2020 } });
  await prisma.film.create({ data: { slug: 'facts-no-releases', title: 'No Releases', year: 2021 } });
  const rows: [string, ReleaseType, string][] = [
    // US: a premiere and a limited run come first in time, but theatrical wins; of two
    // theatrical dates the earlier wins.
    ['US', 'PREMIERE', '2020-01-01'],
    ['US', 'LIMITED', '2020-02-01'],
    ['US', 'THEATRICAL', '2020-03-01'],
    ['US', 'THEATRICAL', '2020-02-20'],
    ['US', 'DIGITAL', '2020-06-01'],
    // The film's earliest date anywhere is shared by four releases: PREMIERE beats DIGITAL and
    // TV; between the two premieres the country code decides (DE before JP).
    ['JP', 'PREMIERE', '2019-12-01'],
    ['DE', 'PREMIERE', '2019-12-01'],
    ['FR', 'DIGITAL', '2019-12-01'],
    ['FR', 'TV', '2019-12-01'],
    // GB: only home media, digital before physical even though physical is earlier.
    ['GB', 'PHYSICAL', '2020-04-01'],
    ['GB', 'DIGITAL', '2020-05-01'],
  ];
  await prisma.release.createMany({
    data: rows.map(([country, type, date]) => ({ filmId: rules.id, country, type, date: day(date) })),
  });
}

/**
 * Reviews with known aggregates:
 * `facts-mixed-scores` 80, 60, 59 and one unscored (average 66.33…, 2 of 3 positive);
 * `facts-unscored` two unscored reviews; `facts-unreviewed` none.
 * Critics `facts-critic-N` (N < critics) each write two reviews for `facts-outlet`, one dated
 * and one not, so every list of reviews mixes dated and undated ones.
 */
export async function insertReviewFixtures(prisma: PrismaClient, options: { critics: number }) {
  const outlet = await prisma.publication.create({ data: { slug: 'facts-outlet', name: 'Facts Outlet' } });
  const film = (slug: string) => prisma.film.create({ data: { slug, title: slug } });
  const mixed = await film('facts-mixed-scores');
  const unscored = await film('facts-unscored');
  await film('facts-unreviewed');
  const scored = (filmId: number, score: number | null, publishedOn: string | null) => ({
    filmId,
    publicationId: outlet.id,
    ...(score === null ? {} : { originalScore: score, scoreScale: 100, normalizedScore: score }),
    publishedOn: publishedOn ? day(publishedOn) : null,
  });
  await prisma.review.createMany({
    data: [
      scored(mixed.id, 80, '2021-03-01'),
      scored(mixed.id, 60, null),
      scored(mixed.id, 59, '2021-03-01'),
      scored(mixed.id, null, '2021-01-15'),
      scored(unscored.id, null, null),
      scored(unscored.id, null, '2020-05-05'),
    ],
  });
  await prisma.critic.createMany({
    data: Array.from({ length: options.critics }, (_, i) => ({ slug: `facts-critic-${i}`, name: `Facts Critic ${String(i).padStart(3, '0')}` })),
  });
  const critics = await prisma.critic.findMany({ where: { slug: { startsWith: 'facts-critic-' } }, orderBy: { id: 'asc' } });
  await prisma.criticPublication.createMany({ data: critics.map((c) => ({ criticId: c.id, publicationId: outlet.id })) });
  await prisma.review.createMany({
    data: critics.flatMap((c, i) => [
      { ...scored(mixed.id, 70, null), criticId: c.id },
      { ...scored(unscored.id, null, `2022-01-${String((i % 28) + 1).padStart(2, '0')}`), criticId: c.id },
    ]),
  });
}

/**
 * `facts-auteur` directs, writes and acts in `facts-auteur-film` (2015); directs two films of
 * 2018 whose order is decided by title, two undated films (last, by title), and two films
 * with the same year and title (decided by id).
 */
export async function insertFilmographyFixtures(prisma: PrismaClient) {
  const auteur = await prisma.person.create({ data: { slug: 'facts-auteur', name: 'Facts Auteur' } });
  const films = [
    ['facts-auteur-film', 'Auteur Film', 2015],
    ['facts-zebra', 'Zebra', 2018],
    ['facts-aardvark', 'Aardvark', 2018],
    ['facts-undated-b', 'Undated B', null],
    ['facts-undated-a', 'Undated A', null],
    ['facts-twin-1', 'Twin', 2010],
    ['facts-twin-2', 'Twin', 2010],
  ] as const;
  const ids = new Map<string, number>();
  for (const [slug, title, year] of films) {
    ids.set(slug, (await prisma.film.create({ data: { slug, title, year } })).id);
  }
  const director = (slug: string) => ({
    filmId: ids.get(slug)!,
    personId: auteur.id,
    kind: 'CREW' as const,
    department: 'DIRECTING' as const,
    job: 'Director',
  });
  await prisma.credit.createMany({
    data: [
      director('facts-auteur-film'),
      { ...director('facts-auteur-film'), department: 'WRITING', job: 'Writer' },
      { filmId: ids.get('facts-auteur-film')!, personId: auteur.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Cameo', billingOrder: 9 },
      ...['facts-zebra', 'facts-aardvark', 'facts-undated-b', 'facts-undated-a', 'facts-twin-2', 'facts-twin-1'].map(director),
    ],
  });
  return { auteurId: auteur.id, filmIds: ids };
}

/**
 * `facts-double-role` plays two parts in `facts-twin-1` (two cast credits, both job "Actor") and
 * directs it: one filmography entry whose `jobs` must name "Actor" once. Needs
 * `insertFilmographyFixtures` first (it creates `facts-twin-1`).
 */
export async function insertDoubleRoleFixture(prisma: PrismaClient) {
  const person = await prisma.person.create({ data: { slug: 'facts-double-role', name: 'Facts Double Role' } });
  const film = await prisma.film.findUniqueOrThrow({ where: { slug: 'facts-twin-1' } });
  const cast = (character: string, billingOrder: number) =>
    ({ filmId: film.id, personId: person.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character, billingOrder }) as const;
  await prisma.credit.createMany({
    data: [cast('Twin A', 1), cast('Twin B', 2), { filmId: film.id, personId: person.id, kind: 'CREW', department: 'DIRECTING', job: 'Director' }],
  });
}

/**
 * The only films of 1905: `facts-released-twice-in-fr` has two French releases (a premiere and
 * the theatrical run) and one in the US; `facts-released-once-in-fr` one French release. A
 * facet counts films, so FR counts 2, not the 3 French releases.
 */
export async function insertFacetFixtures(prisma: PrismaClient) {
  const twice = await prisma.film.create({ data: { slug: 'facts-released-twice-in-fr', title: 'Released Twice', year: 1905, genres: ['Drama'] } });
  const once = await prisma.film.create({ data: { slug: 'facts-released-once-in-fr', title: 'Released Once', year: 1905, genres: ['Drama'] } });
  const rows: [number, string, ReleaseType, string][] = [
    [twice.id, 'FR', 'PREMIERE', '1905-03-01'],
    [twice.id, 'FR', 'THEATRICAL', '1905-04-01'],
    [twice.id, 'US', 'THEATRICAL', '1905-09-01'],
    [once.id, 'FR', 'THEATRICAL', '1905-05-01'],
  ];
  await prisma.release.createMany({ data: rows.map(([filmId, country, type, date]) => ({ filmId, country, type, date: day(date) })) });
}
