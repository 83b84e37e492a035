// Film.criticScoreAverage and Film.firstReleaseDate (the CRITIC_SCORE / RELEASE_DATE sort keys,
// migration 20261128200100_list_scale) always equal the aggregates they stand for, whoever writes
// reviews and releases: the seed, bulk inserts, and single creates, updates, moves and deletes.
import { Prisma } from '../../src/generated/prisma/client.ts';
import { insertSyntheticCatalog } from '../helpers/factory.ts';
import { useApi } from '../helpers/graphql.ts';

const api = useApi(async (db) => {
  await insertSyntheticCatalog(db.prisma, { films: 40, reviewsPerFilm: 3, releasesPerFilm: 2 });
});

/** Films whose stored keys differ from the aggregates, and how many films have each key. */
async function audit() {
  const [row] = await api.db.prisma.$queryRaw<{ mismatched: string[] | null; scored: number; released: number; films: number }[]>(Prisma.sql`
    WITH agg AS (
      SELECT f."slug", f."criticScoreAverage", f."firstReleaseDate",
             (SELECT AVG(r."normalizedScore")::double precision FROM "Review" r WHERE r."filmId" = f."id" AND r."normalizedScore" IS NOT NULL) AS "average",
             (SELECT MIN(r."date") FROM "Release" r WHERE r."filmId" = f."id") AS "first"
      FROM "Film" f)
    SELECT array_agg("slug" ORDER BY "slug") FILTER (WHERE "criticScoreAverage" IS DISTINCT FROM "average" OR "firstReleaseDate" IS DISTINCT FROM "first") AS "mismatched",
           CAST(count("average") AS int) AS "scored", CAST(count("first") AS int) AS "released", CAST(count(*) AS int) AS "films"
    FROM agg`);
  return row!;
}

async function keys(slug: string) {
  const film = await api.db.prisma.film.findUniqueOrThrow({ where: { slug }, select: { criticScoreAverage: true, firstReleaseDate: true } });
  return { criticScoreAverage: film.criticScoreAverage, firstReleaseDate: film.firstReleaseDate?.toISOString().slice(0, 10) ?? null };
}

test('after the seed and a bulk-inserted catalogue every film holds exactly its aggregates', async () => {
  const result = await audit();
  expect(result.mismatched).toBeNull();
  expect(result.films).toBeGreaterThan(40);
  // The synthetic films are all reviewed with scores and released; the seed adds films without either.
  expect(result.scored).toBeGreaterThanOrEqual(40);
  expect(result.released).toBeGreaterThanOrEqual(40);
  expect(result.scored).toBeLessThan(result.films);
});

test('creating, rescoring, unscoring, moving and deleting reviews keeps both films’ critic scores', async () => {
  const prisma = api.db.prisma;
  const a = await prisma.film.create({ data: { slug: 'scale-review-a', title: 'Scale Review A' } });
  const b = await prisma.film.create({ data: { slug: 'scale-review-b', title: 'Scale Review B' } });
  const outlet = await prisma.publication.create({ data: { slug: 'scale-outlet', name: 'Scale Outlet' } });
  expect(await keys('scale-review-a')).toEqual({ criticScoreAverage: null, firstReleaseDate: null });

  const first = await prisma.review.create({ data: { filmId: a.id, publicationId: outlet.id, normalizedScore: 80 } });
  expect((await keys('scale-review-a')).criticScoreAverage).toBe(80);
  await prisma.review.createMany({
    data: [
      { filmId: a.id, publicationId: outlet.id, normalizedScore: 50 },
      { filmId: a.id, publicationId: outlet.id, normalizedScore: null },
      { filmId: b.id, publicationId: outlet.id, normalizedScore: 10 },
    ],
  });
  expect((await keys('scale-review-a')).criticScoreAverage).toBe(65);
  expect((await keys('scale-review-b')).criticScoreAverage).toBe(10);

  await prisma.review.update({ where: { id: first.id }, data: { normalizedScore: 90 } });
  expect((await keys('scale-review-a')).criticScoreAverage).toBe(70);
  await prisma.review.update({ where: { id: first.id }, data: { filmId: b.id } });
  expect((await keys('scale-review-a')).criticScoreAverage).toBe(50);
  expect((await keys('scale-review-b')).criticScoreAverage).toBe(50);
  await prisma.review.updateMany({ where: { filmId: a.id }, data: { normalizedScore: null } });
  expect((await keys('scale-review-a')).criticScoreAverage).toBeNull();
  await prisma.review.deleteMany({ where: { filmId: b.id, normalizedScore: 10 } });
  expect((await keys('scale-review-b')).criticScoreAverage).toBe(90);
  await prisma.review.deleteMany({ where: { filmId: b.id } });
  expect((await keys('scale-review-b')).criticScoreAverage).toBeNull();
  expect((await audit()).mismatched).toBeNull();
});

test('adding, redating, moving and deleting releases keeps both films’ first release dates', async () => {
  const prisma = api.db.prisma;
  const a = await prisma.film.create({ data: { slug: 'scale-release-a', title: 'Scale Release A' } });
  const b = await prisma.film.create({ data: { slug: 'scale-release-b', title: 'Scale Release B' } });
  const day = (d: string) => new Date(`${d}T00:00:00Z`);
  const us = await prisma.release.create({ data: { filmId: a.id, country: 'US', date: day('2014-01-10'), type: 'THEATRICAL' } });
  expect((await keys('scale-release-a')).firstReleaseDate).toBe('2014-01-10');
  await prisma.release.createMany({
    data: [
      { filmId: a.id, country: 'FR', date: day('2013-10-12'), type: 'PREMIERE' },
      { filmId: b.id, country: 'DE', date: day('2015-03-27'), type: 'THEATRICAL' },
    ],
  });
  expect((await keys('scale-release-a')).firstReleaseDate).toBe('2013-10-12');
  expect((await keys('scale-release-b')).firstReleaseDate).toBe('2015-03-27');

  await prisma.release.update({ where: { id: us.id }, data: { date: day('2012-05-01') } });
  expect((await keys('scale-release-a')).firstReleaseDate).toBe('2012-05-01');
  await prisma.release.update({ where: { id: us.id }, data: { filmId: b.id } });
  expect((await keys('scale-release-a')).firstReleaseDate).toBe('2013-10-12');
  expect((await keys('scale-release-b')).firstReleaseDate).toBe('2012-05-01');
  await prisma.release.deleteMany({ where: { filmId: a.id } });
  expect((await keys('scale-release-a')).firstReleaseDate).toBeNull();
  expect((await audit()).mismatched).toBeNull();
});

test('deleting a film with reviews and releases leaves the other films’ keys as they were', async () => {
  const prisma = api.db.prisma;
  const before = await audit();
  await prisma.film.delete({ where: { slug: 'scale-release-b' } });
  const after = await audit();
  expect(after.mismatched).toBeNull();
  expect(after.films).toBe(before.films - 1);
  expect(after.released).toBe(before.released - 1);
});
