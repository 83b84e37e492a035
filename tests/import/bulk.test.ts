// A batch's rows travel in the statement's text as a dollar-quoted literal (src/import/bulk.ts):
// whatever the text holds — quotes, backslashes, the default tag itself, placeholders — the
// database reads back exactly that text.
import { FILM_INSERT_COLUMNS, insertCreated, literal, type NewRow } from '../../src/import/bulk.ts';
import { ImportWriter } from '../../src/import/writer.ts';
import { diffFields } from '../../src/schema/write/diff.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
let migrated: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
  migrated = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
  await migrated?.close();
});

test.each([
  ['plain', '[{"title":"Her"}]'],
  ['quotes and backslashes', `[{"title":"It's \\"Her\\" \\\\ 'you'"}]`],
  ['the default tag', '[{"title":"$rows$ and $rows0$"}]'],
  ['placeholders and an open tag', '[{"title":"$1 $$ $rows"}]'],
  ['non-ASCII', '[{"title":"Amélie – 天国と地獄"}]'],
])('a literal of %s reads back as the same text', async (_name, text) => {
  const [{ v }] = await db.prisma.$queryRawUnsafe<[{ v: string }]>(`SELECT ${literal(text)}::text AS v`);
  expect(v).toBe(text);
  expect(literal(text).startsWith('$rows')).toBe(true);
});

test('the tag is one the text does not contain', () => {
  expect(literal('x')).toBe('$rows$x$rows$');
  expect(literal('a $rows$ b $rows0$')).toBe('$rows1$a $rows$ b $rows0$$rows1$');
});

// insertCreated builds each new row's citations and CREATE revision in SQL: they must be what the
// API's Writer would have written for the same row (diffFields: every set field from null, an
// empty array set, a null left out), cited to the row's record, in the rows' order.
test('new rows get their record citations and the CREATE revisions the API would write', async () => {
  await migrated.prisma.$transaction(async (tx) => {
    const source = await tx.source.create({
      data: { kind: 'DATASET', slug: 'bulk-test', title: 'Bulk test', dataset: 'bulk', snapshot: '1', text: '', sha256: '0'.repeat(64) },
    });
    const changeSet = await tx.changeSet.create({ data: { kind: 'IMPORT', actor: 'import:bulk' } });
    let sets = 0;
    const w = new ImportWriter(tx, () => {
      sets++;
      return Promise.resolve(changeSet.id);
    });
    const films: NewRow[] = [
      {
        data: { slug: 'her-x', imdbId: 'tt9000001', title: 'Her X', year: 2013, genres: [], titleType: 'FEATURE' },
        key: 'tt9000001',
        cites: [
          { field: 'title', fields: ['primaryTitle'] },
          { field: 'year', fields: ['startYear'] },
        ],
      },
      {
        data: { slug: 'it-s-y', imdbId: 'tt9000002', title: 'It\'s "Y" $rows$', originalTitle: 'Y', runtimeMinutes: 90, genres: ['Drama', 'Comedy'] },
        key: 'tt9000002',
        cites: [{ field: 'title', fields: ['primaryTitle'] }],
      },
    ];
    const filmIds = await insertCreated(w, { table: 'Film', columns: FILM_INSERT_COLUMNS, target: 'filmId', sourceId: source.id, file: 'title.basics' }, films);
    const people = await tx.person.createManyAndReturn({ data: [{ name: 'P', slug: 'p-bulk-insert-created' }], select: { id: true } });
    const credit = { filmId: filmIds[1]!, personId: people[0]!.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: '', billingOrder: null };
    const creditIds = await insertCreated(
      w,
      {
        table: 'Credit',
        columns: { filmId: 'int', personId: 'int', kind: '"CreditKind"', department: '"Department"', job: 'text', character: 'text', billingOrder: 'smallint' },
        target: 'creditId',
        sourceId: source.id,
        file: 'title.principals',
      },
      [{ data: credit, key: 'tt9000002/1', cites: [{ field: null, fields: ['nconst', 'category'] }] }],
    );
    expect(sets).toBe(2);
    expect(
      (await tx.film.findMany({ where: { id: { in: filmIds } }, orderBy: { id: 'asc' }, select: { imdbId: true, title: true, genres: true } })).map(
        (f) => f.title,
      ),
    ).toEqual(['Her X', `It's "Y" $rows$`]);
    const revisions = await tx.revision.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, entityType: true, entityId: true, action: true, diff: true, citationIds: true },
    });
    expect(revisions.map((r) => [r.entityType, r.entityId, r.action])).toEqual([
      ['Film', filmIds[0], 'CREATE'],
      ['Film', filmIds[1], 'CREATE'],
      ['Credit', creditIds[0], 'CREATE'],
    ]);
    const rows = [...films.map((f) => f.data), credit];
    revisions.forEach((r, i) => expect(r.diff).toEqual(diffFields(null, rows[i]!, Object.keys(rows[i]!))));
    expect(w.inserted).toEqual(revisions.map(({ id, entityType, entityId, action }) => ({ id, entityType, entityId, action })));
    const citations = await tx.citation.findMany({
      where: { sourceId: source.id },
      orderBy: { id: 'asc' },
      select: { id: true, field: true, recordFile: true, recordKey: true, recordFields: true, filmId: true, creditId: true },
    });
    expect(citations.map((c) => ({ ...c, id: undefined }))).toEqual([
      { id: undefined, field: 'title', recordFile: 'title.basics', recordKey: 'tt9000001', recordFields: ['primaryTitle'], filmId: filmIds[0], creditId: null },
      { id: undefined, field: 'year', recordFile: 'title.basics', recordKey: 'tt9000001', recordFields: ['startYear'], filmId: filmIds[0], creditId: null },
      { id: undefined, field: 'title', recordFile: 'title.basics', recordKey: 'tt9000002', recordFields: ['primaryTitle'], filmId: filmIds[1], creditId: null },
      {
        id: undefined,
        field: null,
        recordFile: 'title.principals',
        recordKey: 'tt9000002/1',
        recordFields: ['nconst', 'category'],
        filmId: null,
        creditId: creditIds[0],
      },
    ]);
    expect(revisions.map((r) => r.citationIds)).toEqual([[citations[0]!.id, citations[1]!.id], [citations[2]!.id], [citations[3]!.id]]);
    expect(w.touchedTypes).toEqual(['Film', 'Credit']);
  });
});

test('insertCreated refuses a column whose JSON would differ from the API revisions', async () => {
  const w = new ImportWriter(db.prisma, () => Promise.resolve(0));
  await expect(
    insertCreated(w, { table: 'Release', columns: { filmId: 'int', date: 'date' }, target: 'releaseId', sourceId: 1, file: 'x' }, [
      { data: {}, key: 'k', cites: [] },
    ]),
  ).rejects.toThrow('Release.date (date) would be diffed unlike');
});
