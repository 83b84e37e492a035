import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';

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

const GENRES = ['Drama', 'Comedy', 'Thriller', 'Romance', 'Horror', 'Documentary', 'Animation', 'Action', 'Science Fiction', 'Crime', 'Family', 'War'];
// Few words, so titles repeat (remakes, common titles): TITLE ordering has real ties.
const TITLE_WORDS = [
  ['The', 'A', 'Last', 'Little', 'Dark', 'Silent', 'Red'],
  ['Night', 'River', 'House', 'Garden', 'Storm', 'Letter', 'Road', 'Summer', 'Stranger'],
];
const CATALOG_COUNTRIES = ['US', 'GB', 'FR', 'DE', 'JP', 'IN', 'BR', 'KR', 'IT', 'ES', 'MX', 'SE'];
const CREW_JOBS = [
  { department: 'WRITING', job: 'Writer' },
  { department: 'CAMERA', job: 'Director of Photography' },
  { department: 'EDITING', job: 'Editor' },
  { department: 'SOUND', job: 'Original Music Composer' },
  { department: 'PRODUCTION', job: 'Producer' },
] as const;

export interface CatalogOptions {
  films: number;
  seed?: number;
  /** Slug/name prefix, so several catalogs can share a database. */
  prefix?: string;
}

type Row = Record<string, string | number | boolean | Date | string[] | null | undefined>;

/**
 * Rows per INSERT in `bulkInsert`. The test databases keep the server's 5 s statement_timeout;
 * one statement of 24 000 credits (a 3 000-film catalog) passed it once on a busy CI machine.
 */
const BULK_CHUNK_ROWS = 2_000;

/**
 * INSERT … SELECT FROM unnest(text[] …), BULK_CHUNK_ROWS rows per statement: a few array
 * parameters instead of one parameter per value, which is what makes thousands of rows quick on
 * PGlite (createMany of 15 000 credits took ~8 s there; this takes well under one). `types` maps
 * each column to the SQL type its text is cast to; text[] columns travel '|'-joined.
 */
async function bulkInsert(prisma: PrismaClient, table: string, types: Record<string, string>, rows: Row[]) {
  // One updatedAt for the whole table, as a single statement would give.
  const now = new Date().toISOString();
  for (let start = 0; start < rows.length; start += BULK_CHUNK_ROWS) {
    await insertChunk(prisma, table, types, rows.slice(start, start + BULK_CHUNK_ROWS), now);
  }
}

async function insertChunk(prisma: PrismaClient, table: string, types: Record<string, string>, rows: Row[], now: string) {
  const columns = Object.keys(types);
  const text = (v: Row[string]) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join('|') : String(v));
  const arrays = [...columns.map((c) => rows.map((r) => text(r[c]))), rows.map(() => now)];
  const casts = [
    ...columns.map((c, i) => (types[c] === 'text[]' ? `string_to_array(u.c${i}, '|')` : `CAST(u.c${i} AS ${types[c]})`)),
    `CAST(u.c${columns.length} AS timestamptz)`,
  ];
  const names = [...columns, 'updatedAt'].map((c) => `"${c}"`).join(', ');
  const aliases = arrays.map((_a, i) => `c${i}`).join(', ');
  await prisma.$executeRaw`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(names)})
    SELECT ${Prisma.raw(casts.join(', '))} FROM unnest(${Prisma.join(arrays.map((a) => Prisma.sql`CAST(${a} AS text[])`))}) AS u(${Prisma.raw(aliases)})`;
}

/**
 * A deterministic catalog with realistic shapes for list features: 1–3 genres per film, ~10 %
 * of films without a year, titles and years that repeat, createdAt in import batches (ties),
 * ~8 credits per film drawn from a people pool with a few prolific people, ~20 % of films
 * without reviews (and some reviews unscored), ~15 % without releases. Slugs are
 * `<prefix>film-N` / `<prefix>person-N`, so the seed's own facts stay intact beside it.
 */
export async function insertCatalog(prisma: PrismaClient, options: CatalogOptions): Promise<void> {
  const random = rng(options.seed ?? 7);
  const prefix = options.prefix ?? 'cat-';
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const sample = <T>(items: readonly T[], n: number) => {
    const pool = [...items];
    return Array.from({ length: Math.min(n, pool.length) }, () => pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  };
  const peopleCount = Math.max(20, Math.round(options.films * 1.5));
  const base = Date.UTC(2026, 0, 1);

  await bulkInsert(
    prisma,
    'Person',
    { slug: 'text', name: 'text', createdAt: 'timestamptz' },
    Array.from({ length: peopleCount }, (_, i) => ({
      slug: `${prefix}person-${i}`,
      name: `${pick(['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Femi', 'Goro', 'Hana'])} ${pick(['Moreau', 'Okafor', 'Sato', 'Silva', 'Weber', 'Young'])}`,
      createdAt: new Date(base + Math.floor(i / 25) * 60_000),
    })),
  );
  await prisma.publication.createMany({
    data: Array.from({ length: 8 }, (_, i) => ({ slug: `${prefix}outlet-${i}`, name: `Outlet ${i}` })),
  });
  await bulkInsert(
    prisma,
    'Film',
    { slug: 'text', title: 'text', year: 'smallint', genres: 'text[]', createdAt: 'timestamptz' },
    Array.from({ length: options.films }, (_, i) => ({
      slug: `${prefix}film-${i}`,
      title: `${pick(TITLE_WORDS[0]!)} ${pick(TITLE_WORDS[1]!)}`,
      year: random() < 0.1 ? null : random() < 0.6 ? int(1995, 2025) : int(1930, 1994),
      genres: sample(GENRES, int(1, 3)),
      // Imported in batches of 40: CREATED_AT ties within a batch.
      createdAt: new Date(base + Math.floor(i / 40) * 3_600_000),
    })),
  );
  const byId = { orderBy: { id: 'asc' as const }, select: { id: true } };
  const films = await prisma.film.findMany({ where: { slug: { startsWith: `${prefix}film-` } }, ...byId, select: { id: true, year: true } });
  const people = (await prisma.person.findMany({ where: { slug: { startsWith: `${prefix}person-` } }, ...byId })).map((p) => p.id);
  const outlets = (await prisma.publication.findMany({ where: { slug: { startsWith: `${prefix}outlet-` } }, ...byId })).map((p) => p.id);
  // Prolific people: a tenth of the pool gets half of all credits.
  const stars = people.slice(0, Math.ceil(people.length / 10));
  const person = () => (random() < 0.5 ? pick(stars) : pick(people));

  const credits: Row[] = [];
  const reviews: Row[] = [];
  const releases: Row[] = [];
  for (const film of films) {
    const used = new Set<number>();
    const fresh = () => {
      let id = person();
      while (used.has(id)) id = person();
      used.add(id);
      return id;
    };
    credits.push({ filmId: film.id, personId: fresh(), kind: 'CREW', department: 'DIRECTING', job: 'Director' });
    const castSize = int(3, 6);
    for (let c = 0; c < castSize; c++) {
      credits.push({ filmId: film.id, personId: fresh(), kind: 'CAST', department: 'ACTING', job: 'Actor', character: `Role ${c + 1}`, billingOrder: c + 1 });
    }
    for (const crew of sample(CREW_JOBS, int(1, 3))) {
      credits.push({ filmId: film.id, personId: fresh(), kind: 'CREW', department: crew.department, job: crew.job });
    }
    if (random() >= 0.2) {
      for (const outlet of sample(outlets, int(1, 5))) {
        const scored = random() >= 0.1;
        const score = int(0, 10);
        reviews.push({
          filmId: film.id,
          publicationId: outlet,
          originalScore: scored ? score : null,
          scoreScale: scored ? 10 : null,
          normalizedScore: scored ? score * 10 : null,
        });
      }
    }
    if (random() >= 0.15) {
      const year = film.year ?? int(1990, 2025);
      for (const country of sample(CATALOG_COUNTRIES, int(1, 4))) {
        releases.push({
          filmId: film.id,
          country,
          type: pick(RELEASE_TYPES),
          // Month granularity: films share release dates (ties on RELEASE_DATE).
          date: new Date(Date.UTC(year + (random() < 0.3 ? 1 : 0), int(0, 11), 1)),
        });
      }
    }
  }
  const int4 = 'int';
  await bulkInsert(
    prisma,
    'Credit',
    { filmId: int4, personId: int4, kind: '"CreditKind"', department: '"Department"', job: 'text', character: 'text', billingOrder: 'smallint' },
    credits.map((c) => ({ character: '', billingOrder: null, ...c })),
  );
  await bulkInsert(
    prisma,
    'Review',
    { filmId: int4, publicationId: int4, originalScore: 'float8', scoreScale: 'float8', normalizedScore: 'smallint' },
    reviews,
  );
  await bulkInsert(prisma, 'Release', { filmId: int4, country: 'char(2)', type: '"ReleaseType"', date: 'date' }, releases);
}
