/** The ingestion mutations' schema: ingestSource and rejectProposal, their inputs and payloads. */
import { builder } from '../../builder.ts';
import { extract } from '../../ingest/extract.ts';
import type { Proposal } from '../../ingest/types.ts';
import { SourceRef } from '../citation/source.ts';
import { runWrite, type WriteContext } from '../write/run.ts';
import { loadEntity, userErrorsField, type Payload } from '../write/write.ts';
import { articleOf, ingestSource, ingestSourceSchema, MAX_ARTICLE_LENGTH, rejectProposal, rejectProposalSchema, sha256Of } from './edit.ts';
import { ProposalRef } from './proposal.ts';
import { CatalogueResolver } from './resolver.ts';

const IngestSourceInput = builder.inputType('IngestSourceInput', {
  description: 'An article to store as a source and propose facts from (docs/ingestion.md).',
  fields: (t) => ({
    text: t.string({ required: true, description: `The article's text, as published (1–${MAX_ARTICLE_LENGTH} characters). Citations index into it.` }),
    title: t.string({ description: "The article's headline." }),
    url: t.field({ type: 'URL', description: 'Where it was published (http or https). Unique among sources.' }),
    publisher: t.string({ description: 'The outlet that published it: the publication of a rating it gives.' }),
    publishedOn: t.field({ type: 'Date', description: 'Publication date: the year of a date the article gives without one is inferred from it.' }),
    slug: t.string({ description: "The source's URL key; by default derived from the title (or the URL)." }),
    note: t.string({ description: 'Why the source is added (stored on the change set).' }),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const IngestSourcePayload = builder.objectRef<Payload<{ source: number; proposalCount: number; deduplicated: boolean }>>('IngestSourcePayload').implement({
  description: 'The stored source and how many facts were proposed from it, or why nothing was stored.',
  fields: (t) => ({
    source: t.prismaField({
      type: SourceRef,
      nullable: true,
      description: 'The source: new, or the one that already had this exact text (`deduplicated`). Its `proposals` are the queue to review.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.source, (args) => ctx.prisma.source.findUnique(args)),
    }),
    proposalCount: t.int({ description: 'How many proposals the source has.', resolve: (p) => p.proposalCount ?? 0 }),
    deduplicated: t.boolean({
      description: 'True when a source with the same text (SHA-256) existed: it is returned and nothing was written.',
      resolve: (p) => p.deduplicated ?? false,
    }),
    userErrors: userErrorsField(t),
  }),
});

const RejectProposalInput = builder.inputType('RejectProposalInput', {
  description: 'A pending proposal to reject, at the version read.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The proposal (global ID).' }),
    version: t.int({ required: true, description: 'The `version` you read; a stale one is refused with CONFLICT.' }),
    reason: t.string({ required: true, description: 'Why (1–1000 characters), kept on the proposal.' }),
  }),
});

const RejectProposalPayload = builder.objectRef<Payload<{ proposal: number }>>('RejectProposalPayload').implement({
  description: 'The rejected proposal, or why it was not rejected.',
  fields: (t) => ({
    proposal: t.prismaField({
      type: ProposalRef,
      nullable: true,
      description: 'The proposal as it is after the write; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.proposal, (args) => ctx.prisma.proposal.findUnique(args)),
    }),
    userErrors: userErrorsField(t),
  }),
});

/**
 * ingestSource as a function, for the mutation and the CLI: the proposals are extracted before
 * the write's transaction (CPU and read-only lookups), unless the text is already a source.
 */
export async function runIngest(ctx: WriteContext, input: unknown, options: { actor?: string } = {}) {
  const parsed = ingestSourceSchema.safeParse(input);
  let proposals: Proposal[] = [];
  if (parsed.success && !(await ctx.prisma.source.findFirst({ where: { sha256: sha256Of(parsed.data.text) }, select: { id: true } }))) {
    proposals = await extract(articleOf(parsed.data), new CatalogueResolver(ctx.prisma));
  }
  return runWrite(ctx, { operation: 'ingestSource', input, schema: ingestSourceSchema, idempotent: true, kind: 'INGEST', ...options }, (w, data) =>
    ingestSource(w, data, proposals),
  );
}

builder.mutationFields((t) => ({
  ingestSource: t.field({
    type: IngestSourcePayload,
    authScopes: { write: true },
    description:
      'Store an article as a source and propose the facts it states, each citing its excerpt. Nothing enters the catalogue until an editor accepts a proposal. Scope `write`. Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: IngestSourceInput, required: true, description: 'The article and what is known of it.' }) },
    resolve: (_root, { input }, ctx) => runIngest(ctx, input),
  }),
  rejectProposal: t.field({
    type: RejectProposalPayload,
    authScopes: { write: true },
    description: 'Reject a pending proposal, with the reason. Scope `write`.',
    args: { input: t.arg({ type: RejectProposalInput, required: true, description: 'The proposal, the version read and the reason.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'rejectProposal', input, schema: rejectProposalSchema }, (w, parsed) => rejectProposal(w, parsed)),
  }),
}));
