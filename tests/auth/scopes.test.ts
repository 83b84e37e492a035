import { ANONYMOUS, impliedScopes, missingScopes, unauthorizedError, type Identity } from '../../src/auth/identity.ts';

// The scope rules on their own (no database): which scopes a grant implies, which scopes a
// scope-auth failure names, and the error a caller gets for each kind of identity.

const sorted = (scopes: ReadonlySet<string>) => [...scopes].sort();

describe('implied scopes', () => {
  test.each([
    ['nothing', [], []],
    ['read', ['read'], ['read']],
    ['write', ['write'], ['read', 'write']],
    ['admin', ['admin'], ['admin', 'read', 'write']],
    ['read and admin, in any order', ['admin', 'read'], ['admin', 'read', 'write']],
    ['write twice', ['write', 'write'], ['read', 'write']],
  ] as const)('a grant of %s', (_name, granted, expected) => {
    expect(sorted(impliedScopes(granted))).toEqual(expected);
  });
});

describe('the scopes a failure needed', () => {
  test.each([
    ['no failure', undefined, []],
    ['a value that is not a failure', 'write', []],
    ['one scope', { kind: 'scope', scope: 'write' }, ['write']],
    [
      'nested any/all failures, least first, each once',
      { kind: 'any', failures: [{ scope: 'admin' }, { kind: 'all', failures: [{ scope: 'read' }, { scope: 'admin' }] }, { scope: 'write' }] },
      ['read', 'write', 'admin'],
    ],
    ['scopes that are not ours, and a scope that is not a string', { failures: [{ scope: 'superuser' }, { scope: 3 }, null, { scope: 'read' }] }, ['read']],
  ] as const)('%s', (_name, failure, expected) => {
    expect(missingScopes(failure)).toEqual(expected);
  });
});

describe('the error for a field the caller may not use', () => {
  const how = (scope: string) => `send \`Authorization: Bearer <API key>\` with a key that has the \`${scope}\` scope (docs/writing.md#api-keys)`;

  test.each([
    ['no key', ANONYMOUS, `This needs an API key: ${how('write')}.`],
    ['a revoked key', { ...ANONYMOUS, credentialed: true, rejected: 'revoked' }, `This API key has been revoked; ${how('write')}.`],
    ['a token that is no key', { ...ANONYMOUS, credentialed: true, rejected: 'unknown' }, `The bearer token is not a valid API key; ${how('write')}.`],
  ] as const)('%s: UNAUTHENTICATED, naming the least scope that would do', (_name, identity, message) => {
    const error = unauthorizedError(identity as Identity, { kind: 'any', failures: [{ scope: 'admin' }, { scope: 'write' }] });
    expect(error.message).toBe(message);
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED' });
  });

  test('a failure that names no scope asks for `read`', () => {
    expect(unauthorizedError(ANONYMOUS, {}).message).toBe(`This needs an API key: ${how('read')}.`);
  });

  test('a valid key without the scope: FORBIDDEN, with every scope that would do', () => {
    const key: Identity = { kind: 'key', keyId: 7, name: 'ci-bot', scopes: impliedScopes(['read']), credentialed: true };
    const error = unauthorizedError(key, { kind: 'any', failures: [{ scope: 'admin' }, { scope: 'write' }] });
    expect(error.message).toBe('The API key "ci-bot" lacks the `write` scope this needs.');
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', requiredScopes: ['write', 'admin'] });
  });
});
