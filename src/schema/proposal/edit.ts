/** The ingestion writes: ingestSource (a source and the facts proposed from it) and rejectProposal, their zod schemas. */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ProposalKind as DbProposalKind } from '../../generated/prisma/enums.ts';
import type { Article, Proposal, ProposalKind } from '../../ingest/types.ts';
import { slugify } from '../film/facts.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText } from '../write/write.ts';

/**
 * The longest article ingestSource takes. Extraction is synchronous CPU work on the request's
 * event loop (~8 ms per 1,000 characters warm, docs/ingestion.md#speed-and-determinism): 50,000
 * characters, a long feature, keep one request under half a second.
 */
export const MAX_ARTICLE_LENGTH = 50_000;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const ingestSourceSchema = z.object({
  text: z
    .string({ error: 'text must be a string' })
    .max(MAX_ARTICLE_LENGTH, `text is at most ${MAX_ARTICLE_LENGTH} characters`)
    .refine((t) => t.trim().length > 0, 'text must not be empty or blank'),
  title: userText('title', 1, 500).nullish(),
  url: z
    .instanceof(URL)
    .refine((u) => u.protocol === 'http:' || u.protocol === 'https:', 'url must be an http(s) URL')
    .refine((u) => u.href.length <= 2_000, 'url is at most 2000 characters')
    .transform((u) => u.href)
    .nullish(),
  publisher: userText('publisher', 1, 200).nullish(),
  publishedOn: z
    .date()
    .refine((d) => d.getUTCFullYear() >= 1870 && d.getUTCFullYear() <= 2200, 'publishedOn must be between 1870 and 2200')
    .nullish(),
  slug: z.string().max(100, 'slug is at most 100 characters').regex(SLUG, 'slug is lower-case letters and digits in words joined by single hyphens').nullish(),
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});
export type IngestSourceInput = z.output<typeof ingestSourceSchema>;

export const rejectProposalSchema = z.object({
  id: globalId('Proposal'),
  version: versionSchema,
  reason: userText('reason', 1, 1_000),
});

/** The article the extractor reads, from the parsed input. */
export function articleOf(input: IngestSourceInput): Article {
  return {
    text: input.text,
    title: input.title ?? null,
    url: input.url ?? null,
    publisher: input.publisher ?? null,
    publishedOn: input.publishedOn ? input.publishedOn.toISOString().slice(0, 10) : null,
  };
}

/** What a Source revision diffs: its text is represented by its hash (offsets are valid against that exact text). */
const SOURCE_FIELDS = ['slug', 'title', 'url', 'publisher', 'publishedOn', 'sha256'] as const;

const KIND: Record<ProposalKind, DbProposalKind> = {
  film: 'FILM',
  person: 'PERSON',
  alias: 'ALIAS',
  castCredit: 'CAST_CREDIT',
  crewCredit: 'CREW_CREDIT',
  release: 'RELEASE',
  review: 'REVIEW',
  genre: 'GENRE',
  certification: 'CERTIFICATION',
  runtime: 'RUNTIME',
  externalId: 'EXTERNAL_ID',
};

export const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

/** A free slug for a new source: the one asked for (TAKEN if used), else from the title or URL, numbered when needed. */
async function sourceSlug(w: Writer, input: IngestSourceInput, sha256: string): Promise<string> {
  if (input.slug) return input.slug;
  const lastSegment = input.url ? (new URL(input.url).pathname.split('/').filter(Boolean).at(-1) ?? '') : '';
  const stem = slugify(input.title ?? lastSegment, `source-${sha256.slice(0, 8)}`);
  const taken = new Set((await w.tx.source.findMany({ where: { slug: { startsWith: stem } }, select: { slug: true } })).map((s) => s.slug));
  if (!taken.has(stem)) return stem;
  let n = 2;
  while (taken.has(`${stem}-${n}`)) n++;
  return `${stem}-${n}`;
}

/**
 * Stores the source and the proposals extracted from it (before the transaction: extraction is
 * pure), unless a source with the same text exists: then that source is the answer and nothing
 * is written (`deduplicated`). Concurrent ingests of one text are serialised on its hash, so they
 * cannot both create it.
 */
export async function ingestSource(
  w: Writer,
  input: IngestSourceInput,
  proposals: readonly Proposal[],
): Promise<{ source: number; proposalCount: number; deduplicated: boolean }> {
  const sha256 = sha256Of(input.text);
  await w.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`source:${sha256}`}, 0))`;
  const existing = await w.tx.source.findFirst({ where: { sha256 }, select: { id: true, _count: { select: { proposals: true } } }, orderBy: { id: 'asc' } });
  if (existing) return { source: existing.id, proposalCount: existing._count.proposals, deduplicated: true };

  const values = {
    slug: await sourceSlug(w, input, sha256),
    title: input.title ?? null,
    url: input.url ?? null,
    publisher: input.publisher ?? null,
    publishedOn: input.publishedOn ?? null,
    sha256,
  };
  const source = await w.tx.source.create({ data: { ...values, text: input.text }, select: { id: true } });
  w.revise('Source', source.id, 'CREATE', {
    before: null,
    after: { ...values, publishedOn: values.publishedOn?.toISOString().slice(0, 10) ?? null },
    fields: SOURCE_FIELDS,
  });
  if (proposals.length > 0) {
    await w.tx.proposal.createMany({
      data: proposals.map((p): Prisma.ProposalCreateManyInput => ({
        sourceId: source.id,
        key: p.key,
        kind: KIND[p.kind],
        values: p.values as unknown as Prisma.InputJsonObject,
        support: p.support,
        reason: p.reason,
        confidence: p.confidence,
        excerpt: p.excerpt.text,
        start: p.excerpt.start,
        end: p.excerpt.end,
        alsoCited: p.alsoCited as unknown as Prisma.InputJsonArray,
        refs: p.refs as Prisma.InputJsonObject,
      })),
    });
  }
  w.touched('Proposal');
  return { source: source.id, proposalCount: proposals.length, deduplicated: false };
}

/** Marks a pending proposal rejected, with the reason and who rejected it, at the version read. */
export async function rejectProposal(w: Writer, input: z.output<typeof rejectProposalSchema>): Promise<{ proposal: number }> {
  const current = await w.tx.proposal.findUnique({ where: { id: input.id }, select: { version: true, status: true } });
  if (!current) w.fail('NOT_FOUND', 'No proposal has this ID.', ['input', 'id']);
  if (current.version !== input.version)
    w.fail('CONFLICT', `Proposal is at version ${current.version}, not ${input.version}: it changed since you read it.`, ['input', 'version'], {
      currentVersion: current.version,
    });
  if (current.status !== 'PENDING') w.fail('NOT_PENDING', `The proposal is already ${current.status.toLowerCase()}.`, ['input', 'id']);
  const updated = await w.tx.proposal.updateMany({
    where: { id: input.id, version: input.version, status: 'PENDING' },
    data: { status: 'REJECTED', rejectReason: input.reason, reviewedBy: w.ctx.identity.name ?? 'anonymous', reviewedAt: new Date(), version: { increment: 1 } },
  });
  if (updated.count === 0) {
    const now = await w.tx.proposal.findUnique({ where: { id: input.id }, select: { version: true } });
    w.fail('CONFLICT', 'The proposal changed while it was being rejected.', ['input', 'version'], { currentVersion: now?.version ?? null });
  }
  w.touched('Proposal', input.id);
  return { proposal: input.id };
}
