// `npm run keys -- create --name <name> --scopes <read,write,admin>` / `list [--all]` / `revoke <name|prefix>`:
// manage API keys on the configured database (DATABASE_URL, or the embedded one in DATA_DIR).
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openDatabaseForTool } from '../db/for-tools.ts';
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

type Command =
  | { kind: 'create'; name: string; scopes: Scope[]; json: boolean }
  | { kind: 'list'; all: boolean; json: boolean }
  | { kind: 'revoke'; key: string; json: boolean };

/** The command line, checked before the database is opened (a usage error costs no start-up). */
function parse(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, scopes: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const [command, ...rest] = positionals;
  const json = values.json ?? false;
  if (command === 'create') {
    if (!values.name || !KEY_NAME.test(values.name))
      throw new UsageError('--name is required: 1–64 letters, digits, . _ : - (starting with a letter or digit).');
    return { kind: 'create', name: values.name, scopes: parseScopes(values.scopes), json };
  }
  if (command === 'list') return { kind: 'list', all: values.all ?? false, json };
  if (command === 'revoke') {
    if (rest.length !== 1) throw new UsageError('revoke takes one key name or prefix.');
    return { kind: 'revoke', key: rest[0]!, json };
  }
  throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
}

async function run(keys: ApiKeys, command: Command, print: (text: string, json: unknown) => void): Promise<void> {
  if (command.kind === 'create') {
    const { key, token } = await keys.create({ name: command.name, scopes: command.scopes });
    print(
      `Created key "${key.name}" (prefix ${key.prefix}, scopes ${key.scopes.map(fromApiScope).join(', ')}).\n` + `Token (shown once; store it now):\n${token}`,
      { ...describe(key), token },
    );
  } else if (command.kind === 'list') {
    const list = await keys.list({ includeRevoked: command.all });
    const lines = list.map((k) => {
      const d = describe(k);
      return `${d.name}\t${d.prefix}\t${d.scopes.join(',')}\tcreated ${d.createdAt}\tlast used ${d.lastUsedAt ?? 'never'}${d.revokedAt ? `\trevoked ${d.revokedAt}` : ''}`;
    });
    print(lines.length ? lines.join('\n') : 'No keys.', list.map(describe));
  } else {
    const key = await keys.revoke(command.key);
    if (!key) throw new UsageError(`No key named or prefixed "${command.key}".`);
    print(`Revoked key "${key.name}" (prefix ${key.prefix}) at ${key.revokedAt!.toISOString()}.`, describe(key));
  }
}

const usage = (error: unknown) =>
  error instanceof UsageError || error instanceof KeyNameTakenError || Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'));

const config = loadConfigOrExit();
let db: Database | undefined;
try {
  const command = parse(process.argv.slice(2));
  db = await openDatabaseForTool(config);
  await run(new ApiKeys(db.prisma), command, (text, value) => console.log(command.json ? JSON.stringify(value) : text));
  await db.markInitialized();
} catch (error) {
  console.error(usage(error) ? `${(error as Error).message}\n\n${USAGE}` : `keys: ${(error as Error).message}`);
  process.exitCode = usage(error) ? 2 : 1;
} finally {
  await db?.close();
}
