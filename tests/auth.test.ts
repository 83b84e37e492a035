import { hasCredentials, identify, tokenMatches } from '../src/auth.ts';

// Who a request is, from its headers alone (no database). What each identity may do through the
// API: tests/film/mutations.test.ts (admin writes) and tests/plugins/response-cache/response-cache.test.ts (shared cache).

const TOKEN = 'the-admin-token-0123456789';
const headers = (entries: Record<string, string>) => new Headers(entries);

describe('identify', () => {
  test.each([
    ['Bearer <token>', `Bearer ${TOKEN}`],
    ['a lower-case scheme', `bearer ${TOKEN}`],
    ['an upper-case scheme', `BEARER ${TOKEN}`],
    ['several spaces after the scheme', `Bearer    ${TOKEN}`],
    ['a tab after the scheme', `Bearer\t${TOKEN}`],
    ['trailing whitespace', `Bearer ${TOKEN}  `],
  ])('%s is the admin', (_name, authorization) => {
    expect(identify(headers({ authorization }), TOKEN)).toEqual({ credentialed: true, admin: true, adminConfigured: true });
  });

  test.each([
    ['another token', 'Bearer not-the-admin-token-0123'],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['the token without its last character', `Bearer ${TOKEN.slice(0, -1)}`],
    ['another scheme', `Basic ${TOKEN}`],
    ['no space after the scheme', `Bearer${TOKEN}`],
    ['text before the scheme', `xBearer ${TOKEN}`],
    ['two tokens', `Bearer ${TOKEN} ${TOKEN}`],
    ['the scheme alone', 'Bearer '],
    ['an empty header', ''],
  ])('%s is not the admin, but credentialed', (_name, authorization) => {
    expect(identify(headers({ authorization }), TOKEN)).toEqual({ credentialed: true, admin: false, adminConfigured: true });
  });

  test('the token as an API key is credentialed, not the admin', () => {
    expect(identify(headers({ 'x-api-key': TOKEN }), TOKEN)).toEqual({ credentialed: true, admin: false, adminConfigured: true });
  });

  test('no credentials at all: anonymous', () => {
    expect(identify(headers({ accept: 'application/json' }), TOKEN)).toEqual({ credentialed: false, admin: false, adminConfigured: true });
  });

  test('without a configured token nobody is the admin, not even with an empty bearer', () => {
    expect(identify(headers({ authorization: `Bearer ${TOKEN}` }), undefined)).toEqual({ credentialed: true, admin: false, adminConfigured: false });
    expect(identify(headers({ authorization: 'Bearer x' }), '')).toEqual({ credentialed: true, admin: false, adminConfigured: false });
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
