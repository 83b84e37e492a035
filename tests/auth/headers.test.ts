import { bearerToken, hasCredentials, resolveIdentity, tokenMatches } from '../../src/auth/identity.ts';
import type { ApiKeys } from '../../src/auth/keys.ts';

// Who a request is, from its headers, before any key lookup: the bearer token's syntax, the
// admin token (constant time) and the credentials that keep a request out of the shared cache.
// Keys themselves (the database lookup): tests/auth/identity.test.ts and tests/auth/api-keys.test.ts.

const TOKEN = 'the-admin-token-0123456789';
const headers = (entries: Record<string, string>) => new Headers(entries);
// No token of these tests is an API key: the lookup answers "unknown" and records that it was asked.
const asked: string[] = [];
const keys = { verify: async (token: string) => (asked.push(token), { status: 'unknown' as const }) } as unknown as ApiKeys;
const identity = (entries: Record<string, string>, adminToken: string | null = TOKEN) =>
  resolveIdentity(headers(entries), { adminToken: adminToken ?? undefined, keys });

describe('the admin token', () => {
  test.each([
    ['Bearer <token>', `Bearer ${TOKEN}`],
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['an upper-case scheme', `BEARER ${TOKEN}`],
    ['several spaces after the scheme', `Bearer    ${TOKEN}`],
    ['a tab after the scheme', `Bearer\t${TOKEN}`],
    ['trailing whitespace', `Bearer ${TOKEN}  `],
  ])('%s is the admin token, with every scope', async (_name, authorization) => {
    const who = await identity({ authorization });
    expect(who).toMatchObject({ kind: 'admin-token', name: 'admin-token', credentialed: true });
    expect([...who.scopes].sort()).toEqual(['admin', 'read', 'write']);
  });

  test.each([
    ['another token', 'Bearer not-the-admin-token-0123'],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['the token without its last character', `Bearer ${TOKEN.slice(0, -1)}`],
  ])('%s is looked up as a key and, unknown, leaves the caller anonymous but credentialed', async (_name, authorization) => {
    asked.length = 0;
    expect(await identity({ authorization })).toEqual({ kind: 'anonymous', scopes: new Set(), credentialed: true, rejected: 'unknown' });
    expect(asked).toEqual([bearerToken(headers({ authorization }))]);
  });

  test.each([
    ['another scheme', `Basic ${TOKEN}`],
    ['no space after the scheme', `Bearer${TOKEN}`],
    ['text before the scheme', `xBearer ${TOKEN}`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['the scheme alone', 'Bearer '],
    ['an empty header', ''],
  ])('%s is no bearer token at all: anonymous, credentialed, nothing looked up', async (_name, authorization) => {
    asked.length = 0;
    expect(bearerToken(headers({ authorization }))).toBeUndefined();
    expect(await identity({ authorization })).toEqual({ kind: 'anonymous', scopes: new Set(), credentialed: true });
    expect(asked).toEqual([]);
  });

  test('the token as an x-api-key header is credentialed, not the admin', async () => {
    expect(await identity({ 'x-api-key': TOKEN })).toEqual({ kind: 'anonymous', scopes: new Set(), credentialed: true });
  });

  test('no credentials at all: anonymous', async () => {
    expect(await identity({ accept: 'application/json' })).toEqual({ kind: 'anonymous', scopes: new Set(), credentialed: false });
  });

  test('without a configured admin token, the same token is only looked up as a key', async () => {
    expect(await identity({ authorization: `Bearer ${TOKEN}` }, null)).toMatchObject({ kind: 'anonymous', rejected: 'unknown' });
    expect(await identity({ authorization: `Bearer ${TOKEN}` }, '')).toMatchObject({ kind: 'anonymous', rejected: 'unknown' });
  });
});

test('hasCredentials: Authorization or x-api-key, whatever their value', () => {
  expect(hasCredentials(headers({ authorization: 'anything' }))).toBe(true);
  expect(hasCredentials(headers({ 'x-api-key': 'k' }))).toBe(true);
  expect(hasCredentials(headers({ 'x-api-key': '' }))).toBe(true);
  expect(hasCredentials(headers({ cookie: 'session=1', 'x-api-token': 'k' }))).toBe(false);
});

test('tokenMatches compares the whole token, whatever the lengths', () => {
  expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
  expect(tokenMatches(`${TOKEN} `, TOKEN)).toBe(false);
  expect(tokenMatches('', TOKEN)).toBe(false);
  expect(tokenMatches(TOKEN.toUpperCase(), TOKEN)).toBe(false);
  expect(tokenMatches('é', 'e')).toBe(false);
});
