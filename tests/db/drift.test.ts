// The migrated database is exactly what prisma/schema.prisma describes: what `prisma migrate
// diff` would report as drift (tables, columns, types, nullability, defaults, keys, indexes,
// foreign-key actions, enums) is compared against the live catalog, and every model is
// exercised through the generated client.
import * as enums from '../../src/generated/prisma/enums.ts';
import { getDatamodel } from '../../src/generated/pothos-types.ts';
import type { SqlSession } from '../../src/db/sql.ts';
import {
  expectedCatalog,
  readCatalog,
  readCheckConstraints,
  readExtensionsAndFunctions,
  readIndexDefinitions,
  readTriggers,
  type Catalog,
} from '../helpers/catalog.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { HAND_WRITTEN_FUNCTIONS, HAND_WRITTEN_GENERATED_COLUMNS, HAND_WRITTEN_INDEXES, HAND_WRITTEN_TRIGGERS } from '../helpers/hand-written.ts';
import { parsePrismaSchema } from '../helpers/prisma-schema.ts';
import { countEveryModel, roundTripEveryModel } from '../helpers/round-trip.ts';

let db: TestDatabase;
let session: SqlSession;
let actual: Catalog;
let expected: Catalog;
const dmmf = getDatamodel().datamodel.models;
const models = Object.keys(dmmf).sort();

beforeAll(async () => {
  db = await createTestDatabase();
  session = await db.openSession();
  actual = await readCatalog(session);
  expected = expectedCatalog();
});
afterAll(async () => {
  await session?.close();
  await db?.close();
});

test("the schema reader sees the same models, fields and enums as Prisma's generated client", () => {
  const parsed = parsePrismaSchema();
  expect([...parsed.models.keys()].sort()).toEqual(models);
  for (const name of models) {
    const text = parsed.models.get(name)!.fields.map((f) => ({ name: f.name, optional: f.optional, list: f.list }));
    const generated = dmmf[name]!.fields.map((f) => ({ name: f.name, optional: !f.isRequired, list: f.isList }));
    expect({ model: name, fields: text }).toEqual({ model: name, fields: generated });
  }
  const generatedEnums = Object.fromEntries(Object.entries(enums).map(([name, values]) => [name, Object.values(values as Record<string, string>)]));
  expect(Object.fromEntries(parsed.enums)).toEqual(generatedEnums);
});

test("every model has a table, and the only other table is Prisma's migration ledger", () => {
  expect(Object.keys(actual.tables).sort()).toEqual([...models, '_prisma_migrations'].sort());
});

test.each(models)('%s has exactly the columns the schema declares, with matching type, nullability and default', (model) => {
  expect(actual.tables[model]!.columns).toEqual(expected.tables[model]!.columns);
});

test('the type mapping covers every native type the schema uses', () => {
  // Guards the expected side: were @db attributes ignored, these would read int4/text/timestamp(3).
  const types = (model: string) => Object.fromEntries(expected.tables[model]!.columns.map((c) => [c.name, c.type]));
  expect(types('Film')).toMatchObject({ year: 'int2', genres: '_text', createdAt: 'timestamptz(3)', tmdbId: 'int4' });
  expect(types('Release')).toMatchObject({ country: 'bpchar(2)', date: 'date', type: 'ReleaseType' });
  expect(types('Review')).toMatchObject({ originalScore: 'float8', publishedOn: 'date', normalizedScore: 'int2' });
  expect(types('Source')).toMatchObject({ sha256: 'bpchar(64)' });
  expect(types('Credit')).toMatchObject({ voice: 'bool', department: 'Department' });
});

test.each(models)('%s has its primary key, unique constraints and @@index indexes under Prisma’s names, and no others', (model) => {
  expect(actual.tables[model]!.indexes).toEqual(expected.tables[model]!.indexes);
});

test.each(models)('%s has a foreign key for each relation it owns, with the onDelete rule the schema states', (model) => {
  expect(actual.tables[model]!.foreignKeys).toEqual(expected.tables[model]!.foreignKeys);
});

test('the schema states 39 relations: Restrict on filmographies, reviewed outlets and cited sources, SetNull on critics, key history and reverted revisions, Cascade on redirects and proposals', () => {
  const keys = Object.entries(actual.tables).flatMap(([table, t]) => t.foreignKeys.map((k) => ({ table, ...k })));
  const rule = (table: string, column: string) => keys.find((k) => k.table === table && k.columns[0] === column)?.onDelete;
  expect(keys).toHaveLength(39);
  expect(rule('Credit', 'personId')).toBe('Restrict');
  expect(rule('Review', 'publicationId')).toBe('Restrict');
  expect(rule('Citation', 'sourceId')).toBe('Restrict');
  expect(rule('Review', 'criticId')).toBe('SetNull');
  // A change set outlives the key that wrote it; a revision outlives the one it reverted.
  expect(rule('ChangeSet', 'apiKeyId')).toBe('SetNull');
  expect(rule('Revision', 'revertOfId')).toBe('SetNull');
  expect(rule('Revision', 'changeSetId')).toBe('Cascade');
  // A redirect goes with the record it points at (no dangling redirects).
  expect(rule('Redirect', 'filmId')).toBe('Cascade');
  expect(rule('Redirect', 'personId')).toBe('Cascade');
  expect(rule('Proposal', 'sourceId')).toBe('Cascade');
  // A company that distributed films is removed only after those parts.
  expect(rule('FilmCompany', 'companyId')).toBe('Restrict');
  expect(keys.filter((k) => k.onDelete === 'Cascade')).toHaveLength(32);
  // Updates cascade everywhere but into the generated Credit.crewFilmId, which PostgreSQL refuses
  // (it follows the film through filmId instead).
  expect(keys.filter((k) => k.onUpdate !== 'Cascade').map((k) => [k.table, k.columns[0], k.onUpdate])).toEqual([['Credit', 'crewFilmId', 'NoAction']]);
});

test('the generated columns are exactly the allow-listed ones, with their expressions', async () => {
  const rows = await session.query<{ table: string; column: string; expression: string }>(
    `SELECT table_name::text AS table, column_name::text AS column, generation_expression::text AS expression
       FROM information_schema.columns WHERE table_schema = 'public' AND is_generated = 'ALWAYS' ORDER BY 1, 2`,
  );
  expect(rows.map((r) => ({ ...r, expression: r.expression.replace(/\s+/g, ' ').trim() }))).toEqual(
    HAND_WRITTEN_GENERATED_COLUMNS.map(({ table, column, expression }) => ({ table, column, expression })),
  );
});

test('Credit.crewFilmId holds the film on crew credits and NULL on cast credits, whatever writes them', async () => {
  const prisma = db.prisma;
  const film = await prisma.film.findUniqueOrThrow({ where: { slug: 'her' }, select: { id: true } });
  const wrong = await session.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Credit" WHERE "crewFilmId" IS DISTINCT FROM CASE WHEN kind = 'CREW' THEN "filmId" END`,
  );
  expect(wrong[0]!.n).toBe(0);
  const crew = await prisma.credit.findMany({ where: { filmId: film.id, kind: 'CREW' }, select: { crewFilmId: true } });
  expect(crew.length).toBeGreaterThan(0);
  expect(crew.every((c) => c.crewFilmId === film.id)).toBe(true);
  // A kind change moves the row between the two lists; writing the column itself is refused.
  const cast = await prisma.credit.findFirstOrThrow({ where: { filmId: film.id, kind: 'CAST' }, select: { id: true } });
  await prisma
    .$transaction(async (tx) => {
      const moved = await tx.credit.update({
        where: { id: cast.id },
        data: { kind: 'CREW', department: 'SOUND', job: 'Drift probe', billingOrder: null, character: '' },
      });
      expect(moved.crewFilmId).toBe(film.id);
      await tx.credit.update({ where: { id: cast.id }, data: { kind: 'CAST', department: 'ACTING', job: 'Actor' } });
      throw new Error('rollback');
    })
    .catch((error: Error) => expect(error.message).toBe('rollback'));
  await expect(prisma.credit.update({ where: { id: cast.id }, data: { crewFilmId: film.id } })).rejects.toThrow(/generated column|crewFilmId/i);
});

test("every enum type has exactly the schema's values, in order", () => {
  expect(actual.enums).toEqual(expected.enums);
  expect(actual.enums['Department']).toHaveLength(11);
});

test('the hand-written CHECK constraints of the migration all exist', async () => {
  expect(await readCheckConstraints(session)).toEqual([
    'Citation.Citation_exactly_one_target',
    'Citation.Citation_locator',
    'Credit.Credit_cast_shape',
    'Film.Film_runtime_positive',
    'Film.Film_year_range',
    'FilmMoney.FilmMoney_amount',
    'Rating.Rating_value_range',
    'Redirect.Redirect_one_target',
    'Release.Release_country_alpha2',
    'Review.Review_normalizedScore_range',
    'Review.Review_score_scale',
    'Source.Source_dataset_shape',
  ]);
});

test('every hand-written index the schema cannot express exists with exactly its allow-listed definition', async () => {
  const names = HAND_WRITTEN_INDEXES.map((i) => i.name);
  expect(await readIndexDefinitions(session, names)).toEqual(Object.fromEntries(HAND_WRITTEN_INDEXES.map((i) => [i.name, i.definition])));
});

test("the extensions schema.prisma declares are installed (besides PostgreSQL's built-in plpgsql), and no others", async () => {
  const { extensions } = await readExtensionsAndFunctions(session);
  expect(parsePrismaSchema().extensions).toEqual(['pg_trgm', 'unaccent']);
  expect(extensions).toEqual([...parsePrismaSchema().extensions, 'plpgsql'].sort());
});

test('the only functions of our own are the allow-listed ones, with their volatility', async () => {
  const { functions } = await readExtensionsAndFunctions(session);
  expect(functions).toEqual(HAND_WRITTEN_FUNCTIONS.map(({ signature, volatility }) => ({ signature, volatility })));
});

test('the only triggers of our own are the allow-listed ones, each with exactly its definition', async () => {
  expect(await readTriggers(session)).toEqual(Object.fromEntries(HAND_WRITTEN_TRIGGERS.map((t) => [t.name, t.definition])));
});

test('the CHECK constraints reject rows the Prisma schema cannot rule out', async () => {
  const prisma = db.prisma;
  const source = await prisma.source.findUniqueOrThrow({ where: { slug: 'her-review' } });
  const film = await prisma.film.findUniqueOrThrow({ where: { slug: 'her' } });
  const person = await prisma.person.findUniqueOrThrow({ where: { slug: 'spike-jonze' } });
  const publication = await prisma.publication.findUniqueOrThrow({ where: { slug: 'la-times' } });
  const citation = { sourceId: source.id, kind: 'STATED' as const, excerpt: 'Her', start: 0, end: 3 };
  const release = { filmId: film.id, date: new Date('2014-03-01T00:00:00Z'), type: 'DIGITAL' as const };
  const before = await prisma.citation.count();

  await expect(prisma.citation.create({ data: { ...citation, filmId: film.id, personId: person.id } })).rejects.toThrow(/Citation_exactly_one_target/);
  await expect(prisma.citation.create({ data: citation })).rejects.toThrow(/Citation_exactly_one_target/);
  await expect(prisma.citation.create({ data: { ...citation, filmId: film.id, start: 5, end: 5 } })).rejects.toThrow(/Citation_locator/);
  await expect(prisma.citation.create({ data: { ...citation, filmId: film.id, recordFile: 'title.basics', recordKey: 'tt1' } })).rejects.toThrow(
    /Citation_locator/,
  );
  await expect(
    prisma.citation.create({ data: { sourceId: source.id, kind: 'STATED', filmId: film.id, recordFile: 'title.basics', recordKey: null } }),
  ).rejects.toThrow(/Citation_locator/);
  const redirect = { fromId: 2_000_000_000, fromSlug: 'gone' };
  await expect(prisma.redirect.create({ data: { ...redirect, entityType: 'Film', personId: person.id } })).rejects.toThrow(/Redirect_one_target/);
  await expect(prisma.redirect.create({ data: { ...redirect, entityType: 'Person', filmId: film.id, personId: person.id } })).rejects.toThrow(
    /Redirect_one_target/,
  );
  await expect(prisma.release.create({ data: { ...release, country: 'us' } })).rejects.toThrow(/Release_country_alpha2/);
  // Three letters never reach the CHECK: character(2) refuses them first.
  await expect(prisma.release.create({ data: { ...release, country: 'usa' } })).rejects.toThrow(/too long/);
  await expect(prisma.film.create({ data: { slug: 'too-old', title: 'x', year: 1869 } })).rejects.toThrow(/Film_year_range/);
  await expect(prisma.film.create({ data: { slug: 'no-runtime', title: 'x', runtimeMinutes: 0 } })).rejects.toThrow(/Film_runtime_positive/);
  await expect(prisma.credit.create({ data: { filmId: film.id, personId: person.id, kind: 'CAST', department: 'DIRECTING', job: 'Actor' } })).rejects.toThrow(
    /Credit_cast_shape/,
  );
  const review = { filmId: film.id, publicationId: publication.id };
  await expect(prisma.review.create({ data: { ...review, normalizedScore: 101 } })).rejects.toThrow(/Review_normalizedScore_range/);
  await expect(prisma.review.create({ data: { ...review, originalScore: 5, scoreScale: 4 } })).rejects.toThrow(/Review_score_scale/);

  // The same shapes inside the limits are accepted (so the rejections above are the CHECKs, not the test data).
  const ok = await prisma.release.create({ data: { ...release, country: 'US' } });
  const okCitation = await prisma.citation.create({ data: { ...citation, releaseId: ok.id } });
  await prisma.citation.delete({ where: { id: okCitation.id } });
  await prisma.release.delete({ where: { id: ok.id } });
  expect(await prisma.citation.count()).toBe(before);
});

test('every model is usable through the client: one row of each is created, read back field for field and deleted', async () => {
  const before = await countEveryModel(db.prisma);
  expect(Object.keys(before).sort()).toEqual(models);
  const exercised = await roundTripEveryModel(db.prisma);
  expect(exercised.sort()).toEqual(models);
  expect(await countEveryModel(db.prisma)).toEqual(before);
});
