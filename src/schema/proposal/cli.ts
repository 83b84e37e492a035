// `npm run ingest -- <file> [--title …] [--url …] [--publisher …] [--published-on YYYY-MM-DD] [--json]`:
// store an article as a source on the configured database (DATABASE_URL, or the embedded one in
// DATA_DIR) and propose its facts, through the same write as the `ingestSource` mutation.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { openDatabaseForTool } from '../../db/for-tools.ts';
import { WriteEvents } from '../../events.ts';
import type { UserError } from '../write/write.ts';
import { runIngest } from './mutations.ts';

const USAGE = `Usage:
  npm run ingest -- <file> [--title <headline>] [--url <url>] [--publisher <outlet>] [--published-on YYYY-MM-DD] [--json]
The file is the article's text (UTF-8). Prints the source and its proposals (docs/ingestion.md#the-api).`;

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      url: { type: 'string' },
      publisher: { type: 'string' },
      'published-on': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'Give one file.' : 'No file given.');
  let url: URL | undefined;
  if (values.url !== undefined) {
    if (!URL.canParse(values.url)) throw new UsageError(`--url is not a URL: ${values.url}`);
    url = new URL(values.url);
  }
  const publishedOn = values['published-on'];
  if (publishedOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(publishedOn)) throw new UsageError('--published-on takes a date as YYYY-MM-DD.');
  return {
    file: positionals[0]!,
    json: values.json ?? false,
    input: {
      text: readFileSync(positionals[0]!, 'utf8'),
      title: values.title,
      url,
      publisher: values.publisher,
      publishedOn: publishedOn === undefined ? undefined : new Date(`${publishedOn}T00:00:00Z`),
    },
  };
}

const describeErrors = (errors: UserError[]) => errors.map((e) => `${e.code}${e.field ? ` at ${e.field.join('.')}` : ''}: ${e.message}`).join('\n');

const config = loadConfigOrExit();
let db: Database | undefined;
try {
  const command = parse(process.argv.slice(2));
  db = await openDatabaseForTool(config);
  const ctx = {
    prisma: db.prisma,
    identity: { kind: 'local' as const, name: 'cli', scopes: new Set(['read', 'write'] as const), credentialed: false },
    events: new WriteEvents(),
    written: [],
    idempotencyKey: null,
  };
  const payload = await runIngest(ctx, command.input, { actor: 'cli' });
  if (payload.userErrors.length > 0) {
    console.error(describeErrors(payload.userErrors));
    process.exitCode = 1;
  } else {
    const source = await db.prisma.source.findUniqueOrThrow({ where: { id: payload.source! }, select: { id: true, slug: true } });
    const proposals = await db.prisma.proposal.findMany({
      where: { sourceId: source.id },
      orderBy: { id: 'asc' },
      select: { key: true, kind: true, status: true, confidence: true, support: true, excerpt: true, values: true },
    });
    if (command.json) console.log(JSON.stringify({ source, deduplicated: payload.deduplicated, proposals }));
    else {
      console.log(`${payload.deduplicated ? 'Already ingested' : 'Ingested'} ${command.file} as source "${source.slug}": ${proposals.length} proposals.`);
      for (const p of proposals) console.log(`${p.kind}\t${p.confidence.toFixed(2)}\t${p.support}\t${p.key}\t"${p.excerpt}"`);
    }
  }
  await db.markInitialized();
} catch (error) {
  const usage =
    error instanceof UsageError || Boolean((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) || (error as { code?: string }).code === 'ENOENT';
  console.error(usage ? `${(error as Error).message}\n\n${USAGE}` : `ingest: ${(error as Error).message}`);
  process.exitCode = usage ? 2 : 1;
} finally {
  await db?.close();
}
