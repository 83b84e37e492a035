// The seed on an empty migrated database: what it loads, that a re-run is a no-op, that every
// citation points at the exact text it quotes, and that edited seed data converges.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { herArticle } from '../../seed/her.ts';
import { isEmpty, seed, seedArticles, SEED_DIR, type SeedReport } from '../../seed/seed.ts';
import { openDatabase } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import type { SqlSession } from '../../src/db/sql.ts';
import { createPostgresDatabase, createTestDatabase, onPostgres, type TestDatabase } from '../helpers/db.ts';
import { dumpTables } from '../helpers/dump.ts';
import { countEveryModel } from '../helpers/round-trip.ts';

let db: TestDatabase;
let session: SqlSession;
let emptyBefore: boolean;
let firstReport: SeedReport[];
let firstStatements: string[];
const articleText = readFileSync(path.join(SEED_DIR, 'her-review.txt'), 'utf8');

// Counted by hand from seed/her.ts: 5 films (Her plus four earlier films), 3 people, 1 alias,
// 8 credits (Jonze directs/writes Her and directs two, Phoenix and Johansson in Her, Phoenix in
// two), 2 outlets, 2 unsigned reviews with 3 quotes, 2 releases, and 37 cite entries
// (films 7, people 3, alias 1, credits 13, outlets 2, reviews 2, quotes 3, releases 6).
const EXPECTED_ROWS = {
  Film: 5,
  Person: 3,
  PersonAlias: 1,
  Credit: 8,
  Publication: 2,
  Critic: 0,
  CriticPublication: 0,
  Review: 2,
  ReviewQuote: 3,
  Release: 2,
  Source: 1,
  Citation: 37,
  // The seed writes facts, not through the write API: no keys, change sets or revisions.
  ApiKey: 0,
  ChangeSet: 0,
  Revision: 0,
  IdempotencyKey: 0,
  Redirect: 0,
  Proposal: 0,
  // The catalogue-import models: the article states no dataset record, rating, company or money.
  Rating: 0,
  FilmTitle: 0,
  Company: 0,
  FilmCompany: 0,
  FilmMoney: 0,
  Conflict: 0,
  ImportRun: 0,
  ImportRecord: 0,
};
const TOTAL_ROWS = Object.values(EXPECTED_ROWS).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
  session = await db.openSession();
  await migrate(session);
  emptyBefore = await isEmpty(db.prisma);
  db.resetStatements();
  firstReport = await seed(db.prisma);
  firstStatements = [...db.statements];
});
afterAll(async () => {
  await session?.close();
  await db?.close();
});

test('seeding an empty database creates every row and reports exactly how many', async () => {
  expect(emptyBefore).toBe(true);
  expect(await isEmpty(db.prisma)).toBe(false);
  expect(TOTAL_ROWS).toBe(64);
  expect(firstReport).toEqual([{ source: 'her-review', created: TOTAL_ROWS, updated: 0, deleted: 0 }]);
});

test('the seed writes each kind of record in one statement, not one per record', () => {
  // Per kind a read of the existing rows and one INSERT of the missing ones (nine kinds), the
  // source's lock, the citations' read and their one INSERT, and the commit: 64 rows, 22
  // statements (record by record it was 94).
  const inserts = firstStatements.filter((sql) => /^INSERT INTO/.test(sql.trim()));
  expect(inserts).toHaveLength(10);
  expect(inserts.filter((sql) => sql.includes('"Citation"'))).toHaveLength(1);
  expect(firstStatements.length).toBeLessThanOrEqual(24);
});

test('the seed loads exactly the entities the article names, one row each', async () => {
  expect(await countEveryModel(db.prisma)).toEqual(EXPECTED_ROWS);
  const slugs = async (rows: Promise<{ slug: string }[]>) => (await rows).map((r) => r.slug).sort();
  expect(await slugs(db.prisma.film.findMany())).toEqual(['being-john-malkovich', 'gladiator', 'her', 'walk-the-line', 'where-the-wild-things-are']);
  expect(await slugs(db.prisma.person.findMany())).toEqual(['joaquin-phoenix', 'scarlett-johansson', 'spike-jonze']);
  expect(await slugs(db.prisma.publication.findMany())).toEqual(['la-times', 'the-verge']);
});

test('seeding again changes nothing: the report is 0/0/0 and every row is identical, ids and updatedAt included', async () => {
  const before = await dumpTables(session);
  expect(before['Citation']).toHaveLength(EXPECTED_ROWS.Citation);
  expect(await seed(db.prisma)).toEqual([{ source: 'her-review', created: 0, updated: 0, deleted: 0 }]);
  expect(await dumpTables(session)).toEqual(before);
});

test('the source row holds the article verbatim, with the SHA-256 of that text', async () => {
  const source = await db.prisma.source.findUniqueOrThrow({ where: { slug: 'her-review' } });
  expect(source.text).toBe(articleText);
  expect(source.sha256).toBe(createHash('sha256').update(articleText, 'utf8').digest('hex'));
  // The article's title, address, publisher and date are not part of the text we hold.
  expect(source).toMatchObject({ title: null, url: null, publisher: null, publishedOn: null });
});

test("every citation's excerpt is exactly the span [start, end) of its source's text", async () => {
  const citations = await db.prisma.citation.findMany({ include: { source: true } });
  expect(citations).toHaveLength(EXPECTED_ROWS.Citation);
  for (const c of citations) {
    expect(c.start).toBeGreaterThanOrEqual(0);
    expect(c.end).toBeLessThanOrEqual(c.source.text.length);
    expect({ id: c.id, span: c.source.text.slice(c.start!, c.end!) }).toEqual({ id: c.id, span: c.excerpt });
  }
});

test('every inferred citation explains the inference in a note', async () => {
  const inferred = await db.prisma.citation.findMany({ where: { kind: 'INFERRED' } });
  expect(inferred).toHaveLength(11);
  for (const c of inferred) expect({ excerpt: c.excerpt, note: c.note?.trim() || null }).toEqual({ excerpt: c.excerpt, note: expect.any(String) });
});

test('every seeded entity is backed by at least one citation', async () => {
  const targets = {
    Film: 'filmId',
    Person: 'personId',
    PersonAlias: 'personAliasId',
    Credit: 'creditId',
    Publication: 'publicationId',
    Review: 'reviewId',
    ReviewQuote: 'reviewQuoteId',
    Release: 'releaseId',
  };
  for (const [table, column] of Object.entries(targets)) {
    const uncited = await session.query(`SELECT t.id FROM "${table}" t WHERE NOT EXISTS (SELECT 1 FROM "Citation" c WHERE c."${column}" = t.id)`);
    expect({ table, uncited }).toEqual({ table, uncited: [] });
  }
});

test('the misspelling "Johannson" resolves to Scarlett Johansson through an alias, not to a second person', async () => {
  const alias = await db.prisma.personAlias.findFirstOrThrow({ where: { name: 'Johannson' }, include: { person: true, citations: true } });
  expect(alias.person).toMatchObject({ slug: 'scarlett-johansson', name: 'Scarlett Johansson' });
  expect(alias.citations.map((c) => c.excerpt)).toEqual(['Phoenix and Johannson do an incredible job']);
  expect(alias.citations[0]!.note).toMatch(/Misspelling/);
  expect(await db.prisma.person.count({ where: { name: { contains: 'johan', mode: 'insensitive' } } })).toBe(1);
  // The quote itself keeps the outlet's spelling.
  expect(await db.prisma.reviewQuote.count({ where: { text: { contains: 'Johannson' } } })).toBe(1);
});

test('nothing the article does not state is filled in: years, runtimes, external ids, scores stay null', async () => {
  for (const film of await db.prisma.film.findMany()) {
    expect(film).toMatchObject({ year: null, runtimeMinutes: null, imdbId: null, tmdbId: null, wikidataId: null, originalTitle: null });
  }
  for (const person of await db.prisma.person.findMany()) {
    expect(person).toMatchObject({ imdbId: null, tmdbId: null, wikidataId: null });
  }
  for (const review of await db.prisma.review.findMany()) {
    expect(review).toMatchObject({ criticId: null, url: null, originalScore: null, scoreScale: null, normalizedScore: null, publishedOn: null });
  }
  for (const release of await db.prisma.release.findMany()) {
    expect(release).toMatchObject({ certification: null, note: null });
  }
});

test('edited seed data converges: a removed citation is deleted and a changed title is updated in place', async () => {
  const edited = structuredClone(herArticle);
  const her = edited.films.find((f) => f.slug === 'her')!;
  her.cite = her.cite.filter((c) => c.field !== 'synopsis');
  edited.films.find((f) => f.slug === 'walk-the-line')!.title = 'Walk The Line';

  const before = await dumpTables(session);
  expect(await seedArticles(db.prisma, [edited])).toEqual([{ source: 'her-review', created: 0, updated: 1, deleted: 1 }]);
  const after = await dumpTables(session);

  const removed = before['Citation']!.filter((c) => c['field'] === 'synopsis');
  expect(removed).toHaveLength(1);
  expect(after['Citation']).toEqual(before['Citation']!.filter((c) => c !== removed[0]));
  const renamed = (rows: Record<string, unknown>[]) => rows.find((f) => f['slug'] === 'walk-the-line')!;
  expect(renamed(after['Film']!)).toEqual({ ...renamed(before['Film']!), title: 'Walk The Line', updatedAt: expect.any(Date) });
  expect((renamed(after['Film']!)['updatedAt'] as Date) > (renamed(before['Film']!)['updatedAt'] as Date)).toBe(true);
  expect(after['Film']!.filter((f) => f['slug'] !== 'walk-the-line')).toEqual(before['Film']!.filter((f) => f['slug'] !== 'walk-the-line'));
  for (const table of Object.keys(before).filter((t) => t !== 'Citation' && t !== 'Film')) {
    expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
  }

  // Back to the real data: the citation returns (as a new row), the title is restored, and it is stable again.
  expect(await seed(db.prisma)).toEqual([{ source: 'her-review', created: 1, updated: 1, deleted: 0 }]);
  expect(await countEveryModel(db.prisma)).toEqual(EXPECTED_ROWS);
  expect(await db.prisma.film.findUniqueOrThrow({ where: { slug: 'walk-the-line' } })).toMatchObject({
    id: renamed(before['Film']!)['id'],
    title: 'Walk the Line',
  });
  expect(await seed(db.prisma)).toEqual([{ source: 'her-review', created: 0, updated: 0, deleted: 0 }]);
});

(onPostgres ? test : test.skip)('two seeders racing on one fresh PostgreSQL database load a single copy of everything', async () => {
  const created = await createPostgresDatabase();
  const [a, b] = [await openDatabase({ databaseUrl: created.url }), await openDatabase({ databaseUrl: created.url })];
  try {
    const migrator = await a.openSession();
    await migrate(migrator);
    await migrator.close();
    const reports = (await Promise.all([seed(a.prisma), seed(b.prisma)])).flat();
    expect(reports.map((r) => r.created).sort((x, y) => x - y)).toEqual([0, TOTAL_ROWS]);
    expect(await countEveryModel(a.prisma)).toEqual(EXPECTED_ROWS);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await created.drop();
  }
});
