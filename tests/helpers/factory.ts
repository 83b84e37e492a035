import type { PrismaClient } from '../../src/generated/prisma/client.ts';

/** Small deterministic PRNG (mulberry32) so synthetic data is identical on every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  films: number;
  people?: number;
  creditsPerFilm?: number;
  reviewsPerFilm?: number;
  releasesPerFilm?: number;
  seed?: number;
}

const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'JP', 'IN', 'BR', 'KR'];
const RELEASE_TYPES = ['PREMIERE', 'LIMITED', 'THEATRICAL', 'DIGITAL', 'PHYSICAL', 'TV'] as const;
const JOBS = [
  { department: 'DIRECTING', job: 'Director' },
  { department: 'WRITING', job: 'Writer' },
  { department: 'CAMERA', job: 'Director of Photography' },
  { department: 'EDITING', job: 'Editor' },
] as const;

/**
 * Insert synthetic films (slugs `synthetic-film-N`) with people, credits, publications,
 * reviews and releases, in a handful of multi-row INSERTs. Deterministic for a given seed.
 */
export async function insertSyntheticCatalog(prisma: PrismaClient, options: SyntheticOptions): Promise<void> {
  const random = rng(options.seed ?? 42);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const peopleCount = options.people ?? Math.max(10, Math.ceil(options.films * 2));

  await prisma.person.createMany({
    data: Array.from({ length: peopleCount }, (_, i) => ({ slug: `synthetic-person-${i}`, name: `Synthetic Person ${i}` })),
  });
  await prisma.publication.createMany({
    data: Array.from({ length: 5 }, (_, i) => ({ slug: `synthetic-outlet-${i}`, name: `Synthetic Outlet ${i}` })),
  });
  await prisma.film.createMany({
    data: Array.from({ length: options.films }, (_, i) => ({
      slug: `synthetic-film-${i}`,
      title: `Synthetic Film ${i}`,
      year: 1950 + Math.floor(random() * 75),
      genres: [pick(['Drama', 'Comedy', 'Science Fiction', 'Thriller', 'Romance'])],
    })),
  });
  const films = await prisma.film.findMany({ where: { slug: { startsWith: 'synthetic-film-' } }, select: { id: true } });
  const people = await prisma.person.findMany({ where: { slug: { startsWith: 'synthetic-person-' } }, select: { id: true } });
  const outlets = await prisma.publication.findMany({ where: { slug: { startsWith: 'synthetic-outlet-' } }, select: { id: true } });

  const credits = [];
  const reviews = [];
  const releases = [];
  for (const film of films) {
    const used = new Set<number>();
    for (let c = 0; c < (options.creditsPerFilm ?? 6); c++) {
      let person = pick(people).id;
      while (used.has(person)) person = pick(people).id;
      used.add(person);
      const crew = c % 3 === 2;
      const job = pick(JOBS);
      credits.push({
        filmId: film.id,
        personId: person,
        kind: crew ? ('CREW' as const) : ('CAST' as const),
        department: crew ? job.department : ('ACTING' as const),
        job: crew ? job.job : 'Actor',
        character: crew ? '' : `Character ${c}`,
        billingOrder: crew ? null : c + 1,
      });
    }
    for (let r = 0; r < (options.reviewsPerFilm ?? 2); r++) {
      const score = Math.floor(random() * 101);
      reviews.push({ filmId: film.id, publicationId: outlets[r % outlets.length]!.id, originalScore: score, scoreScale: 100, normalizedScore: score });
    }
    for (let r = 0; r < (options.releasesPerFilm ?? 2); r++) {
      const day = Math.floor(random() * 3650);
      releases.push({
        filmId: film.id,
        country: COUNTRIES[r % COUNTRIES.length]!,
        type: RELEASE_TYPES[r % RELEASE_TYPES.length]!,
        date: new Date(Date.UTC(2000, 0, 1 + day)),
      });
    }
  }
  await prisma.credit.createMany({ data: credits });
  await prisma.review.createMany({ data: reviews });
  await prisma.release.createMany({ data: releases });
}
