import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  test('documented defaults for the caching, auth, database and shutdown knobs', () => {
    expect(loadConfig({})).toMatchObject({
      RESPONSE_CACHE: true,
      RESPONSE_CACHE_TTL_MS: 60_000,
      RESPONSE_CACHE_MAX_ENTRIES: 1_000,
      RESPONSE_CACHE_MAX_BYTES: 8 * 1_048_576,
      RESPONSE_CACHE_ADMIT_AFTER: 2,
      REDIS_KEY_PREFIX: 'cinegraph:response-cache:',
      GRAPHQL_JIT: true,
      GRAPHQL_JIT_AFTER: 2,
      PLAN_CACHE: true,
      DB_POOL_MAX: 10,
      DB_CONNECT_TIMEOUT_MS: 2_000,
      DB_STATEMENT_TIMEOUT_MS: 5_000,
      DB_PREPARED_STATEMENTS: 200,
      DB_PLAN_CACHE_MODE: 'by_statement',
      SHUTDOWN_GRACE_MS: 10_000,
      SHUTDOWN_DRAIN_MS: 0,
      HTTP_REQUEST_TIMEOUT_MS: 30_000,
    });
    const defaults = loadConfig({});
    expect(defaults.REDIS_URL).toBeUndefined();
    expect(defaults.ADMIN_TOKEN).toBeUndefined();
    expect(defaults.READ_REQUIRES_KEY).toBe(false);
    // Unset: the embedded database's own default (src/db/client.ts PGLITE_SHARED_BUFFERS_MB).
    expect(defaults.PGLITE_SHARED_BUFFERS_MB).toBeUndefined();
  });

  test('reads every knob from the environment', () => {
    expect(
      loadConfig({
        RESPONSE_CACHE: 'false',
        RESPONSE_CACHE_TTL_MS: '5000',
        RESPONSE_CACHE_ADMIT_AFTER: '1',
        REDIS_URL: 'redis://cache:6379/2',
        GRAPHQL_JIT: 'true',
        ADMIN_TOKEN: 'a-long-enough-admin-token',
        READ_REQUIRES_KEY: 'true',
        DB_POOL_MAX: '4',
        PGLITE_SHARED_BUFFERS_MB: '64',
        DB_CONNECT_TIMEOUT_MS: '500',
        DB_STATEMENT_TIMEOUT_MS: '1500',
        SHUTDOWN_DRAIN_MS: '2000',
        HTTP_REQUEST_TIMEOUT_MS: '5000',
      }),
    ).toMatchObject({
      RESPONSE_CACHE: false,
      RESPONSE_CACHE_TTL_MS: 5_000,
      RESPONSE_CACHE_ADMIT_AFTER: 1,
      REDIS_URL: 'redis://cache:6379/2',
      GRAPHQL_JIT: true,
      ADMIN_TOKEN: 'a-long-enough-admin-token',
      READ_REQUIRES_KEY: true,
      DB_POOL_MAX: 4,
      PGLITE_SHARED_BUFFERS_MB: 64,
      DB_CONNECT_TIMEOUT_MS: 500,
      DB_STATEMENT_TIMEOUT_MS: 1_500,
      SHUTDOWN_DRAIN_MS: 2_000,
      HTTP_REQUEST_TIMEOUT_MS: 5_000,
    });
  });

  test.each([
    ['REDIS_URL', 'localhost:6379', 'REDIS_URL: must be a redis:// or rediss:// URL'],
    ['RESPONSE_CACHE', 'maybe', 'RESPONSE_CACHE: expected true or false'],
    ['RESPONSE_CACHE_TTL_MS', '0', 'RESPONSE_CACHE_TTL_MS'],
    ['RESPONSE_CACHE_ADMIT_AFTER', '0', 'RESPONSE_CACHE_ADMIT_AFTER'],
    ['RESPONSE_CACHE_TTL_MS', 'soon', 'RESPONSE_CACHE_TTL_MS'],
    ['GRAPHQL_JIT', 'on', 'GRAPHQL_JIT: expected true or false'],
    ['GRAPHQL_JIT_AFTER', '0', 'GRAPHQL_JIT_AFTER'],
    ['ADMIN_TOKEN', 'short', 'ADMIN_TOKEN: must be at least 16 characters'],
    ['DB_POOL_MAX', '0', 'DB_POOL_MAX'],
    ['PGLITE_SHARED_BUFFERS_MB', '0', 'PGLITE_SHARED_BUFFERS_MB: must be an integer between 1 and 1024'],
    ['PGLITE_SHARED_BUFFERS_MB', '32MB', 'PGLITE_SHARED_BUFFERS_MB: must be an integer between 1 and 1024'],
    ['DB_CONNECT_TIMEOUT_MS', '-1', 'DB_CONNECT_TIMEOUT_MS'],
    ['DB_PREPARED_STATEMENTS', '-1', 'DB_PREPARED_STATEMENTS'],
    ['DB_PLAN_CACHE_MODE', 'generic', 'DB_PLAN_CACHE_MODE'],
    ['DB_STATEMENT_TIMEOUT_MS', '10', 'DB_STATEMENT_TIMEOUT_MS'],
    ['SHUTDOWN_DRAIN_MS', '1e9', 'SHUTDOWN_DRAIN_MS'],
    ['HTTP_REQUEST_TIMEOUT_MS', '500', 'HTTP_REQUEST_TIMEOUT_MS'],
  ])('a bad %s (%s) is refused with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('configuration of the HTTP surface', () => {
  test('defaults: introspection (and suggestions) on, no credentialed CORS origin, no form posts', () => {
    expect(loadConfig({})).toMatchObject({ INTROSPECTION: true, CORS_ORIGINS: [], ALLOW_FORM_POSTS: false });
  });

  test('CORS_ORIGINS is a comma-separated list of origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173,' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ INTROSPECTION: 'false', ALLOW_FORM_POSTS: 'true' })).toMatchObject({ INTROSPECTION: false, ALLOW_FORM_POSTS: true });
  });

  test.each([
    ['*', 'the wildcard'],
    ['https://app.example.com/', 'a trailing slash'],
    ['https://app.example.com/graphql', 'a path'],
    ['app.example.com', 'no scheme'],
    ['ftp://files.example.com', 'another scheme'],
    ['https://App.Example.com', 'upper case (browsers send the host in lower case)'],
    ['https://ok.example.com,https://ok.example.com:99999', 'a bad port in the second entry'],
  ])('CORS_ORIGINS=%s (%s) is refused with a message naming it', (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS(\.\d+)?: must be comma-separated origins such as https:\/\/app\.example\.com/);
  });
});
