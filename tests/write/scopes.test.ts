// Every mutation of the schema needs a scope: this test introspects the Mutation type and calls
// each field without a key, with a revoked key and with a read-only key, so a mutation added
// without `authScopes` fails here. Arguments are made up from the field's input types; scope-auth
// runs before argument validation and resolvers, so any well-typed value reaches the check.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { countEveryModel } from '../helpers/round-trip.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { schema } from '../../src/schema/index.ts';

const SCALARS: Record<string, unknown> = {
  ID: Buffer.from('Film:1').toString('base64'),
  String: 'x',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  Date: '2020-01-01',
  DateTime: '2020-01-01T00:00:00Z',
  CountryCode: 'US',
  URL: 'https://example.com/',
  NonNegativeInt: 1,
  JSON: {},
};

/** A value of `type`: required fields only, one element per list. */
function sample(type: GraphQLInputType): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [sample(inner.ofType)];
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  if (isScalarType(inner)) {
    if (!(inner.name in SCALARS)) throw new Error(`No sample value for scalar ${inner.name}: add one to SCALARS`);
    return SCALARS[inner.name];
  }
  if (isInputObjectType(inner)) {
    return Object.fromEntries(
      Object.values(inner.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sample(f.type)]),
    );
  }
  throw new Error(`Unexpected input type ${String(type)}`);
}

const mutations = Object.values(schema.getMutationType()!.getFields()).map((field) => {
  const args = field.args as readonly GraphQLArgument[];
  const vars = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  // Every mutation returns a payload object; __typename selects something whatever its fields.
  const selection = 'getFields' in named ? ' { __typename }' : '';
  return {
    name: field.name,
    document: `mutation${vars ? `(${vars})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
  };
});

const api = useApi();
let client: Client;
let callers: Record<'none' | 'revoked' | 'read', { headers: Headers; code: string; message: RegExp }>;

beforeAll(async () => {
  client = createClient(api.db);
  const keys = await testKeys(api.db.prisma);
  callers = {
    none: { headers: {}, code: 'UNAUTHENTICATED', message: /needs an API key/ },
    revoked: { headers: keys.revoked.headers, code: 'UNAUTHENTICATED', message: /revoked/ },
    read: { headers: keys.read.headers, code: 'FORBIDDEN', message: /lacks the `(write|admin)` scope/ },
  };
});

test('the schema has the mutations this test is about', () => {
  expect(mutations.map((m) => m.name)).toEqual(
    expect.arrayContaining([
      ...['createFilm', 'updateFilm', 'deleteFilm', 'revertRevision', 'createApiKey', 'revokeApiKey'],
      ...['createReview', 'updateReview', 'deleteReview', 'addReviewQuote', 'updateReviewQuote', 'removeReviewQuote'],
      ...['createPublication', 'updatePublication', 'deletePublication', 'createCritic', 'updateCritic', 'deleteCritic'],
      ...['createSource', 'updateSource', 'deleteSource', 'addCitation', 'removeCitation'],
      ...['createPerson', 'updatePerson', 'deletePerson', 'createPersonAlias', 'updatePersonAlias', 'deletePersonAlias'],
      ...['createCredit', 'updateCredit', 'deleteCredit', 'createRelease', 'updateRelease', 'deleteRelease'],
    ]),
  );
});

describe.each(['none', 'revoked', 'read'] as const)('with %s credentials', (who) => {
  test.each(mutations.map((m) => [m.name, m] as const))('%s is refused before it runs and writes nothing', async (_name, mutation) => {
    const before = await countEveryModel(api.db.prisma);
    const changeSets = await api.db.prisma.changeSet.count();
    const result = await client.query(mutation.document, mutation.variables, callers[who].headers);
    expect(codes(result)).toEqual([callers[who].code]);
    expect(result.errors![0]!.message).toMatch(callers[who].message);
    expect(result.data).toBeNull();
    expect(await countEveryModel(api.db.prisma)).toEqual(before);
    expect(await api.db.prisma.changeSet.count()).toBe(changeSets);
  });
});
