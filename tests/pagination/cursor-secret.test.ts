import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { cursorSecretProblem, loadConfig } from '../../src/config.ts';
import { CursorCodec } from '../../src/pagination/cursor.ts';
import { DEVELOPMENT_CURSOR_SECRET } from '../../src/pagination/secret.ts';
import { tsxArgs } from '../helpers/tsx.ts';

test('CURSOR_SECRET is optional and, when given, at least 16 characters', () => {
  expect(loadConfig({}).CURSOR_SECRET).toBeUndefined();
  expect(loadConfig({ CURSOR_SECRET: 'a'.repeat(16) }).CURSOR_SECRET).toBe('a'.repeat(16));
  expect(() => loadConfig({ CURSOR_SECRET: 'short' })).toThrow('CURSOR_SECRET: must be at least 16 characters');
});

test('production without CURSOR_SECRET, or with the public development key, is a configuration error; development is not', () => {
  expect(cursorSecretProblem({ NODE_ENV: 'production', CURSOR_SECRET: undefined })).toMatch(/^required when NODE_ENV=production/);
  expect(cursorSecretProblem({ NODE_ENV: 'production', CURSOR_SECRET: DEVELOPMENT_CURSOR_SECRET })).toMatch(/public development key/);
  expect(cursorSecretProblem({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32) })).toBeUndefined();
  expect(cursorSecretProblem({ NODE_ENV: 'development', CURSOR_SECRET: undefined })).toBeUndefined();
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('CURSOR_SECRET: required when NODE_ENV=production');
  expect(loadConfig({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32) }).CURSOR_SECRET).toBe('x'.repeat(32));
});

test('npm start in production without CURSOR_SECRET exits 1 before opening any database, naming the variable', async () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const child = spawn(process.execPath, tsxArgs('src/index.ts'), {
    cwd: root,
    // An unreachable database: had start-up got that far, the error would name it instead.
    env: { ...process.env, NODE_ENV: 'production', CURSOR_SECRET: '', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'postgres://postgres@127.0.0.1:9/nowhere' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  expect(code).toBe(1);
  expect(output.trim()).toBe(
    'Invalid configuration:\n  CURSOR_SECRET: required when NODE_ENV=production: without it cursors are signed with the public development key and clients can forge them. ' +
      'Set a random string of at least 16 characters (e.g. `openssl rand -hex 32`), the same on every instance',
  );
}, 30_000);

test('without a secret, cursors are signed with the documented development key', () => {
  const position = { ordering: 'Film|TITLE:ASC', keys: ['Her'], id: 1 };
  const cursor = new CursorCodec(undefined).encode(position);
  expect(new CursorCodec(DEVELOPMENT_CURSOR_SECRET).decode(cursor, 'Film|TITLE:ASC', 'after')).toEqual(position);
  expect(() => new CursorCodec('another-secret-of-length').decode(cursor, 'Film|TITLE:ASC', 'after')).toThrow(/not a cursor this API issued/);
});
