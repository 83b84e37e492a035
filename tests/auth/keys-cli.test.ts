// `npm run keys` end to end: the CLI in a child process against this run's engine (a PostgreSQL
// database of its own, or an embedded database in a temporary folder), then the key it printed
// used against the API on the same database.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { openDatabase, type Database } from '../../src/db/client.ts';
import { runKeysCli } from '../helpers/cli.ts';
import { createPostgresDatabase, onPostgres } from '../helpers/db.ts';
import { codes, createClient } from '../helpers/graphql.ts';
import { bearer } from '../helpers/keys.ts';

let env: Record<string, string>;
let cleanup: () => Promise<void>;
const open = (): Promise<Database> => openDatabase(env['DATABASE_URL'] ? { databaseUrl: env['DATABASE_URL'] } : { dataDir: env['DATA_DIR'] });

beforeAll(async () => {
  if (onPostgres) {
    const created = await createPostgresDatabase();
    env = { DATABASE_URL: created.url };
    cleanup = created.drop;
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'cinegraph-keys-cli-'));
    env = { DATABASE_URL: '', DATA_DIR: dir };
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
});
afterAll(() => cleanup?.());

/** A mutation the write scope allows that answers without any data: deleting a film that does not exist. */
async function tryWrite(token: string) {
  const db = await open();
  try {
    const result = await createClient(db).query(
      'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { userErrors { code } } }',
      {
        input: { id: encodeGlobalID('Film', 999_999), version: 1 },
      },
      bearer(token),
    );
    return result.errors ? codes(result) : result.data!['deleteFilm'].userErrors.map((e: { code: string }) => e.code);
  } finally {
    await db.close();
  }
}

test('create prints the token once, stores only its hash, and the key writes through the API', async () => {
  const created = await runKeysCli(['create', '--name', 'editor', '--scopes', 'write', '--json'], env);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const key = JSON.parse(created.stdout) as { name: string; prefix: string; scopes: string[]; token: string; revokedAt: null };
  expect(key).toMatchObject({ name: 'editor', scopes: ['write'], revokedAt: null });
  expect(key.token).toMatch(new RegExp(`^cg_${key.prefix}_[A-Za-z0-9_-]{43}$`));

  const db = await open();
  const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { name: 'editor' } });
  await db.close();
  expect(row.secretHash).toBe(createHash('sha256').update(key.token).digest('hex'));
  // The secret is everything after `cg_<prefix>_` (base64url: it may itself hold `_`).
  expect(JSON.stringify(row)).not.toContain(key.token.slice(`cg_${key.prefix}_`.length));

  expect(await tryWrite(key.token)).toEqual(['NOT_FOUND']);

  const text = await runKeysCli(['create', '--name', 'reader', '--scopes', 'read'], env);
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^Created key "reader" \(prefix [0-9a-f]{12}, scopes read\)\.\nToken \(shown once; store it now\):\ncg_[0-9a-f]{12}_\S{43}\n$/);
  expect(await tryWrite(text.stdout.trim().split('\n').at(-1)!)).toEqual(['FORBIDDEN']);
});

test('list shows live keys newest first without secrets; revoke by name stops the key at once', async () => {
  const listed = await runKeysCli(['list', '--json'], env);
  expect(listed.code).toBe(0);
  const keys = JSON.parse(listed.stdout) as { name: string; scopes: string[]; lastUsedAt: string | null }[];
  expect(keys.map((k) => [k.name, k.scopes])).toEqual([
    ['reader', ['read']],
    ['editor', ['write']],
  ]);
  expect(keys[1]!.lastUsedAt).not.toBeNull();
  expect(listed.stdout).not.toMatch(/cg_|secretHash|token/);

  const db = await open();
  const { key, token } = await import('../../src/auth/keys.ts').then(async ({ ApiKeys }) => new ApiKeys(db.prisma).create({ name: 'ci', scopes: ['write'] }));
  await db.close();
  const revoked = await runKeysCli(['revoke', key.prefix], env);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toMatch(/^Revoked key "ci" \(prefix [0-9a-f]{12}\) at \d{4}-/);
  expect(await tryWrite(token)).toEqual(['UNAUTHENTICATED']);
  const all = JSON.parse((await runKeysCli(['list', '--all', '--json'], env)).stdout) as { name: string; revokedAt: string | null }[];
  expect(all.map((k) => [k.name, k.revokedAt !== null])).toEqual([
    ['ci', true],
    ['reader', false],
    ['editor', false],
  ]);
});

test.each([
  ['an unknown scope', ['create', '--name', 'x', '--scopes', 'write,root'], /--scopes takes a comma-separated list of read, write, admin \(not: root\)/],
  ['a name in use', ['create', '--name', 'editor', '--scopes', 'read'], /A key named "editor" already exists/],
  ['a malformed name', ['create', '--name', 'no spaces please', '--scopes', 'read'], /--name is required/],
  ['an unknown key to revoke', ['revoke', 'nobody'], /No key named or prefixed "nobody"/],
  ['no command', [], /No command given/],
])('%s exits with code 2 and the usage', async (_name, args, message) => {
  const result = await runKeysCli(args, env);
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/Usage:\n {2}npm run keys -- create/);
});
