import { readFileSync } from 'node:fs';
import { getNamedType, isScalarType, isSpecifiedScalarType, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLScalarType } from 'graphql';
import { schema } from '../../src/schema/index.ts';
import { printSchemaFile, SCHEMA_FILE } from '../../src/schema/printed.ts';

test('schema.graphql is the printed current schema (run `npm run schema:print` and commit it)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile());
});

test('the public contract keeps its Relay shape: Node interface, node/nodes, connections with totalCount', () => {
  const node = schema.getType('Node') as GraphQLInterfaceType;
  expect(Object.keys(node.getFields())).toEqual(['id']);
  expect(String(node.getFields().id!.type)).toBe('ID!');
  const query = schema.getQueryType()!.getFields();
  expect([String(query.node!.type), query.node!.args.map((a) => `${a.name}: ${String(a.type)}`)]).toEqual(['Node', ['id: ID!']]);
  expect([String(query.nodes!.type), query.nodes!.args.map((a) => `${a.name}: ${String(a.type)}`)]).toEqual(['[Node]!', ['ids: [ID!]!']]);
  for (const type of ['FilmConnection', 'PersonConnection', 'CreditConnection', 'ReviewConnection', 'FilmographyConnection']) {
    expect(String((schema.getType(type) as GraphQLObjectType).getFields().totalCount?.type)).toBe('Int!');
  }
});

test('connections have readable names, and fields over the same nodes share one connection type', () => {
  const typeOf = (parent: string, field: string) => getNamedType((schema.getType(parent) as GraphQLObjectType).getFields()[field]!.type).name;
  expect([typeOf('Query', 'films'), typeOf('Query', 'people'), typeOf('Film', 'credits'), typeOf('Person', 'credits')]).toEqual([
    'FilmConnection',
    'PersonConnection',
    'CreditConnection',
    'CreditConnection',
  ]);
  expect([typeOf('Film', 'reviews'), typeOf('Critic', 'reviews'), typeOf('Publication', 'reviews')]).toEqual([
    'ReviewConnection',
    'ReviewConnection',
    'ReviewConnection',
  ]);
  const generated = Object.keys(schema.getTypeMap()).filter((name) => /^Query[A-Z]|ConnectionEdge$|[a-z](Credits|Reviews|Citations)Connection$/.test(name));
  expect(generated).toEqual([]);
});

test('every custom scalar says which standard its values follow (@specifiedBy)', () => {
  const scalars = Object.values(schema.getTypeMap()).filter((type): type is GraphQLScalarType => isScalarType(type) && !isSpecifiedScalarType(type));
  expect(scalars.map((s) => [s.name, s.specifiedByURL?.startsWith('https://')])).toEqual(scalars.map((s) => [s.name, true]));
  expect(scalars.length).toBeGreaterThanOrEqual(6);
});
