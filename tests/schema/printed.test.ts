import { readFileSync } from 'node:fs';
import { printSchemaFile, SCHEMA_FILE } from '../../src/schema/printed.ts';

test('schema.graphql is the printed current schema (run `npm run schema:print` and commit it)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile());
});

test('the public contract keeps its Relay shape: Node interface, node/nodes, connections with totalCount', () => {
  const sdl = printSchemaFile();
  expect(sdl).toMatch(/interface Node \{\n\s+id: ID!\n\}/);
  expect(sdl).toMatch(/node\(id: ID!\): Node\n/);
  expect(sdl).toMatch(/nodes\(ids: \[ID!\]!\): \[Node\]!/);
  for (const type of ['QueryFilmsConnection', 'QueryPeopleConnection', 'FilmCreditsConnection', 'PersonCreditsConnection']) {
    expect(sdl).toMatch(new RegExp(`type ${type} \\{[^}]*totalCount: Int!`));
  }
});
