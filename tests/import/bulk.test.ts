// A batch's rows travel in the statement's text as a dollar-quoted literal (src/import/bulk.ts):
// whatever the text holds — quotes, backslashes, the default tag itself, placeholders — the
// database reads back exactly that text.
import { literal } from '../../src/import/bulk.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seeded: false });
});
afterAll(async () => {
  await db?.close();
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
