import { cursorSecretWarning, loadConfig } from '../src/config.ts';
import { CursorCodec, DEVELOPMENT_CURSOR_SECRET } from '../src/pagination/cursor.ts';

test('CURSOR_SECRET is optional and, when given, at least 16 characters', () => {
  expect(loadConfig({}).CURSOR_SECRET).toBeUndefined();
  expect(loadConfig({ CURSOR_SECRET: 'a'.repeat(16) }).CURSOR_SECRET).toBe('a'.repeat(16));
  expect(() => loadConfig({ CURSOR_SECRET: 'short' })).toThrow('CURSOR_SECRET: must be at least 16 characters');
});

test('production without CURSOR_SECRET warns at start; development or a set secret does not', () => {
  expect(cursorSecretWarning({ NODE_ENV: 'production', CURSOR_SECRET: undefined })).toMatch(/^CURSOR_SECRET is unset/);
  expect(cursorSecretWarning({ NODE_ENV: 'production', CURSOR_SECRET: 'x'.repeat(32) })).toBeUndefined();
  expect(cursorSecretWarning({ NODE_ENV: 'development', CURSOR_SECRET: undefined })).toBeUndefined();
});

test('without a secret, cursors are signed with the documented development key', () => {
  const position = { ordering: 'Film|TITLE:ASC', keys: ['Her'], id: 1 };
  const cursor = new CursorCodec(undefined).encode(position);
  expect(new CursorCodec(DEVELOPMENT_CURSOR_SECRET).decode(cursor, 'Film|TITLE:ASC', 'after')).toEqual(position);
  expect(() => new CursorCodec('another-secret-of-length').decode(cursor, 'Film|TITLE:ASC', 'after')).toThrow(/not a cursor this API issued/);
});
