// `npm run ingest -- <file> [--title …] [--url …] [--publisher …] [--published-on YYYY-MM-DD] [--json] [--accept-above <confidence>]`:
// store an article as a source on the configured database (DATABASE_URL, or the embedded one in
// DATA_DIR) and propose its facts, through the same write as the `ingestSource` mutation; with
// --accept-above, then accept the proposals at or above that confidence (as `acceptProposals`).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { openDatabaseForTool } from '../../db/for-tools.ts';
import { WriteEvents } from '../../events.ts';
import type { UserError } from '../write/write.ts';
import { runAcceptAll, runIngest } from './mutations.ts';

const USAGE = `Usage:
  npm run ingest -- <file> [--title <headline>] [--url <url>] [--publisher <outlet>] [--published-on YYYY-MM-DD] [--json] [--accept-above <0-1>]
The file is the article's text (UTF-8). Prints the source and its proposals (docs/ingestion.md#the-api);
--accept-above accepts the pending ones at or above that confidence (docs/ingestion.md#accepting).`;

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
      'accept-above': { type: 'string' },
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
  const acceptAbove = values['accept-above'] === undefined ? undefined : Number(values['accept-above']);
  if (acceptAbove !== undefined && !(acceptAbove >= 0 && acceptAbove <= 1)) throw new UsageError('--accept-above takes a confidence between 0 and 1.');
  return {
    acceptAbove,
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
    let acceptance: Awaited<ReturnType<typeof runAcceptAll>> | undefined;
    if (command.acceptAbove !== undefined) {
      acceptance = await runAcceptAll(ctx, { sourceId: encodeGlobalID('Source', source.id), minConfidence: command.acceptAbove }, { actor: 'cli' });
      if (acceptance.userErrors.length > 0) console.error(describeErrors(acceptance.userErrors));
      if (acceptance.userErrors.length > 0 || acceptance.failedCount) process.exitCode = 1;
    }
    const proposals = await db.prisma.proposal.findMany({
      where: { sourceId: source.id },
      orderBy: { id: 'asc' },
      select: { id: true, key: true, kind: true, status: true, confidence: true, support: true, excerpt: true, values: true },
    });
    const keyOf = (id: number) => proposals.find((p) => p.id === id)?.key;
    const accepted = acceptance && {
      acceptedCount: acceptance.acceptedCount ?? 0,
      failedCount: acceptance.failedCount ?? 0,
      outcomes: (acceptance.outcomes ?? []).map((o) => ({ key: keyOf(o.proposal), accepted: o.accepted, userErrors: o.userErrors })),
    };
    if (command.json) console.log(JSON.stringify({ source, deduplicated: payload.deduplicated, proposals, ...(accepted ? { accepted } : {}) }));
    else {
      console.log(`${payload.deduplicated ? 'Already ingested' : 'Ingested'} ${command.file} as source "${source.slug}": ${proposals.length} proposals.`);
      for (const p of proposals) console.log(`${p.kind}\t${p.confidence.toFixed(2)}\t${p.support}\t${p.status}\t${p.key}\t"${p.excerpt}"`);
      if (accepted) {
        console.log(`Accepted ${accepted.acceptedCount} at or above ${command.acceptAbove}; refused ${accepted.failedCount}.`);
        for (const o of accepted.outcomes.filter((x) => !x.accepted)) console.log(`refused\t${o.key}\t${describeErrors(o.userErrors)}`);
      }
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
