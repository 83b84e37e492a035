import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { bearer, testKeys } from '../helpers/keys.ts';

const TOKEN = 'test-admin-token-0123456789';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      token
      apiKey {
        id
        name
        prefix
        scopes
        revokedAt
        lastUsedAt
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;
const REVOKE = 'mutation ($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { apiKey { name revokedAt } userErrors { field code } } }';
const LIST = 'query ($all: Boolean) { apiKeys(includeRevoked: $all) { name scopes revokedAt } }';
const WRITE = 'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { userErrors { code } } }';

const api = useApi();
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
beforeAll(async () => {
  client = createClient(api.db, { adminToken: TOKEN });
  keys = await testKeys(api.db.prisma);
});

const admin = bearer(TOKEN);
const canWrite = async (token: string) => {
  const result = await client.query(WRITE, { input: { id: Buffer.from('Film:999999').toString('base64'), version: 1 } }, bearer(token));
  return result.errors ? codes(result)[0] : result.data!['deleteFilm'].userErrors[0].code;
};

test('the admin token bootstraps the first key: createApiKey returns its token once, and the token works with its scopes', async () => {
  const result = await client.query(CREATE, { input: { name: 'importer', scopes: ['WRITE'] } }, admin);
  const { token, apiKey, userErrors } = result.data!['createApiKey'];
  expect(userErrors).toEqual([]);
  expect(apiKey).toMatchObject({ name: 'importer', scopes: ['WRITE'], revokedAt: null, lastUsedAt: null });
  expect(token).toMatch(new RegExp(`^cg_${apiKey.prefix}_`));
  expect(await canWrite(token)).toBe('NOT_FOUND');
  const listed = await client.query(LIST, {}, admin);
  expect(listed.data!['apiKeys'][0]).toEqual({ name: 'importer', scopes: ['WRITE'], revokedAt: null });
  expect(JSON.stringify(listed.data)).not.toContain(token);
});

test('revokeApiKey stops the key at once; apiKeys lists it only with includeRevoked', async () => {
  const { token, apiKey } = (await client.query(CREATE, { input: { name: 'temporary', scopes: ['WRITE', 'READ'] } }, keys.admin.headers)).data!['createApiKey'];
  expect(await canWrite(token)).toBe('NOT_FOUND');
  const revoked = await client.query(REVOKE, { input: { id: apiKey.id } }, keys.admin.headers);
  expect(revoked.data!['revokeApiKey']).toEqual({ apiKey: { name: 'temporary', revokedAt: expect.any(String) }, userErrors: [] });
  expect(await canWrite(token)).toBe('UNAUTHENTICATED');
  const live = (await client.query(LIST, {}, admin)).data!['apiKeys'].map((k: { name: string }) => k.name);
  const all = (await client.query(LIST, { all: true }, admin)).data!['apiKeys'].map((k: { name: string }) => k.name);
  expect(live).not.toContain('temporary');
  expect(all).toContain('temporary');
});

test.each([
  ['a name in use', { name: 'importer', scopes: ['READ'] }, [['TAKEN', ['input', 'name']]]],
  ['a malformed name', { name: 'has spaces', scopes: ['READ'] }, [['INVALID', ['input', 'name']]]],
  ['no scope', { name: 'empty', scopes: [] }, [['INVALID', ['input', 'scopes']]]],
])('createApiKey refuses %s', async (_name, input, expected) => {
  const result = await client.query(CREATE, { input }, admin);
  expect(result.data!['createApiKey'].apiKey).toBeNull();
  expect(result.data!['createApiKey'].token).toBeNull();
  expect(result.data!['createApiKey'].userErrors.map((e: { code: string; field: string[] }) => [e.code, e.field])).toEqual(expected);
});

test('revokeApiKey answers NOT_FOUND for an unknown key and INVALID for an id of another type', async () => {
  const unknown = await client.query(REVOKE, { input: { id: Buffer.from('ApiKey:99999').toString('base64') } }, admin);
  expect(unknown.data!['revokeApiKey'].userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
  const film = await client.query(REVOKE, { input: { id: 'RmlsbTox' } }, admin);
  expect(film.data!['revokeApiKey'].userErrors).toEqual([{ field: ['input', 'id'], code: 'INVALID' }]);
});

test('keys are not nodes: node(id:) does not resolve an ApiKey id', async () => {
  const { apiKey } = (await client.query(CREATE, { input: { name: 'hidden', scopes: ['READ'] } }, admin)).data!['createApiKey'];
  const result = await client.query(`{ node(id: "${apiKey.id}") { id } }`, {}, admin);
  expect(result.data).toEqual({ node: null });
});
