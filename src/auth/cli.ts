// `npm run keys -- create --name <name> --scopes <read,write,admin>` / `list [--all]` / `revoke <name|prefix>`:
// manage API keys on the configured database (DATABASE_URL, or the embedded one in DATA_DIR).
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import type { ApiKey } from '../generated/prisma/client.ts';
import { SCOPES, type Scope } from './identity.ts';
import { ApiKeys, fromApiScope, KEY_NAME, KeyNameTakenError } from './keys.ts';

const USAGE = `Usage:
  npm run keys -- create --name <name> --scopes <read|write|admin>[,…] [--json]
  npm run keys -- list [--all] [--json]
  npm run keys -- revoke <name or prefix> [--json]
Scopes imply the ones before them: admin ⊇ write ⊇ read (docs/writing.md#api-keys).`;

class UsageError extends Error {}

const describe = (key: ApiKey) => ({
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes.map(fromApiScope),
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

function parseScopes(value: string | undefined): Scope[] {
  const scopes = (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0)
    throw new UsageError(`--scopes takes a comma-separated list of ${SCOPES.join(', ')}${unknown.length ? ` (not: ${unknown.join(', ')})` : ''}.`);
  return scopes as Scope[];
}

async function run(keys: ApiKeys, argv: string[], print: (text: string, json: unknown) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const [command, ...rest] = positionals;
  if (command === 'create') {
    if (!values.name || !KEY_NAME.test(values.name))
      throw new UsageError('--name is required: 1–64 letters, digits, . _ : - (starting with a letter or digit).');
    const { key, token } = await keys.create({ name: values.name, scopes: parseScopes(values.scopes) });
    print(
      `Created key "${key.name}" (prefix ${key.prefix}, scopes ${key.scopes.map(fromApiScope).join(', ')}).\n` + `Token (shown once; store it now):\n${token}`,
      { ...describe(key), token },
    );
  } else if (command === 'list') {
    const list = await keys.list({ includeRevoked: values.all ?? false });
    const lines = list.map((k) => {
      const d = describe(k);
      return `${d.name}\t${d.prefix}\t${d.scopes.join(',')}\tcreated ${d.createdAt}\tlast used ${d.lastUsedAt ?? 'never'}${d.revokedAt ? `\trevoked ${d.revokedAt}` : ''}`;
    });
    print(lines.length ? lines.join('\n') : 'No keys.', list.map(describe));
  } else if (command === 'revoke') {
    if (rest.length !== 1) throw new UsageError('revoke takes one key name or prefix.');
    const key = await keys.revoke(rest[0]!);
    if (!key) throw new UsageError(`No key named or prefixed "${rest[0]}".`);
    print(`Revoked key "${key.name}" (prefix ${key.prefix}) at ${key.revokedAt!.toISOString()}.`, describe(key));
  } else {
    throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
}

const config = loadConfigOrExit();
const argv = process.argv.slice(2);
const json = argv.includes('--json');
let db: Database | undefined;
try {
  db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  // As the server does at start (MIGRATE_ON_START), so keys can be made before its first start.
  if (config.MIGRATE_ON_START) {
    const session = await db.openSession();
    await migrate(session).finally(() => session.close());
  }
  await run(new ApiKeys(db.prisma), argv, (text, value) => console.log(json ? JSON.stringify(value) : text));
  await db.markInitialized();
} catch (error) {
  const usage = error instanceof UsageError || error instanceof KeyNameTakenError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  console.error(usage ? `${(error as Error).message}\n\n${USAGE}` : `keys: ${(error as Error).message}`);
  process.exitCode = usage ? 2 : 1;
} finally {
  await db?.close();
}
