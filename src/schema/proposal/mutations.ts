/** The ingestion mutations' schema: ingestSource, rejectProposal, acceptProposal and acceptProposals, their inputs and payloads. */
import { builder } from '../../builder.ts';
import { extract } from '../../ingest/extract.ts';
import type { Proposal } from '../../ingest/types.ts';
import { SourceRef } from '../citation/source.ts';
import { runWrite, type WriteContext } from '../write/run.ts';
import { loadEntity, UserErrorRef, userErrorsField, type Payload, type UserError } from '../write/write.ts';
import { acceptProposal, acceptProposals, acceptProposalSchema, acceptProposalsSchema, type AcceptOutcome } from './accept.ts';
import { articleOf, ingestSource, ingestSourceSchema, MAX_ARTICLE_LENGTH, rejectProposal, rejectProposalSchema, sha256Of } from './edit.ts';
import { ProposalKindEnum, ProposalRef } from './proposal.ts';
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

const AcceptProposalInput = builder.inputType('AcceptProposalInput', {
  description: 'A pending proposal to accept, at the version read, optionally with corrected values (docs/ingestion.md#accepting).',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The proposal (global ID).' }),
    version: t.int({ required: true, description: 'The `version` you read; a stale one is refused with CONFLICT.' }),
    edits: t.field({
      type: 'JSON',
      description:
        'Values to write instead of the proposed ones, by the names of `values` (e.g. `{"date": "2014-01-10"}` for a release whose year the article omits, `{"character": "Doc"}`, `{"billingOrder": 1}`); checked like the write API\'s inputs, errors at ["input", "edits", name].',
    }),
    withDependencies: t.boolean({
      description:
        'Also accept the pending proposals it depends on (`refs`: a credit’s film and person), in the same transaction. Without it, a dependency not yet accepted is DEPENDENCY_NOT_ACCEPTED.',
    }),
    note: t.string({ description: 'Why (stored on the change set).' }),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const AcceptProposalPayload = builder.objectRef<Payload<{ proposal: number; accepted: number[] }>>('AcceptProposalPayload').implement({
  description: 'The accepted proposal (its `result` is what it wrote), or why nothing was written.',
  fields: (t) => ({
    proposal: t.prismaField({
      type: ProposalRef,
      nullable: true,
      description: 'The proposal as it is after the write; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.proposal, (args) => ctx.prisma.proposal.findUnique(args)),
    }),
    accepted: t.prismaField({
      type: [ProposalRef],
      description: 'Every proposal this write accepted: its dependencies first (with `withDependencies`), then the proposal itself.',
      resolve: async (query, payload, _args, ctx) => {
        const ids = payload.accepted ?? [];
        const rows = await ctx.prisma.proposal.findMany({ ...query, where: { id: { in: ids } } });
        return ids.map((id) => rows.find((r) => r.id === id)!).filter(Boolean);
      },
    }),
    userErrors: userErrorsField(t),
  }),
});

const AcceptProposalsInput = builder.inputType('AcceptProposalsInput', {
  description: 'Accept, in bulk, the pending proposals of one source the extractor is confident of.',
  fields: (t) => ({
    sourceId: t.id({ required: true, description: 'The source (global ID).' }),
    minConfidence: t.float({ required: true, description: 'Accept the pending proposals whose `confidence` is at least this (0–1).' }),
    kinds: t.field({ type: [ProposalKindEnum], description: 'Only proposals of these kinds (default: all).' }),
    withDependencies: t.boolean({ description: 'Also accept pending dependencies below the threshold (or outside `kinds`) of the proposals accepted.' }),
    note: t.string({ description: 'Why (stored on the change set).' }),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const AcceptProposalOutcome = builder.objectRef<AcceptOutcome>('AcceptProposalOutcome').implement({
  description: 'What bulk acceptance did with one proposal.',
  fields: (t) => ({
    proposal: t.prismaField({
      type: ProposalRef,
      description: 'The proposal as it is after the write.',
      resolve: (query, outcome, _args, ctx) => ctx.prisma.proposal.findUniqueOrThrow({ ...query, where: { id: outcome.proposal } }),
    }),
    accepted: t.exposeBoolean('accepted', {
      description: 'True when it was accepted and written; false when refused (see `userErrors`; nothing of it was written).',
    }),
    userErrors: t.field({
      type: [UserErrorRef],
      description: 'Why it was refused (fields refer to acceptProposal’s input); empty when accepted.',
      resolve: (o): UserError[] => o.userErrors,
    }),
  }),
});

const AcceptProposalsPayload = builder
  .objectRef<Payload<{ outcomes: AcceptOutcome[]; acceptedCount: number; failedCount: number }>>('AcceptProposalsPayload')
  .implement({
    description: 'What bulk acceptance did, proposal by proposal, in dependency order.',
    fields: (t) => ({
      acceptedCount: t.int({ description: 'How many proposals were accepted (dependencies included).', resolve: (p) => p.acceptedCount ?? 0 }),
      failedCount: t.int({ description: 'How many were refused (each outcome says why); the others were still written.', resolve: (p) => p.failedCount ?? 0 }),
      outcomes: t.field({
        type: [AcceptProposalOutcome],
        description: 'One per proposal considered, in the order accepted.',
        resolve: (p) => p.outcomes ?? [],
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
  acceptProposal: t.field({
    type: AcceptProposalPayload,
    authScopes: { write: true },
    description:
      'Accept a pending proposal: write the fact through the write API (validation, revisions, change feed), cited to its excerpts, in one transaction. Scope `write`. Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: AcceptProposalInput, required: true, description: 'The proposal, the version read, and optional edits.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'acceptProposal', input, schema: acceptProposalSchema, idempotent: true }, (w, parsed) => acceptProposal(w, parsed)),
  }),
  acceptProposals: t.field({
    type: AcceptProposalsPayload,
    authScopes: { write: true },
    description:
      'Accept the pending proposals of a source at or above a confidence, in dependency order, in one transaction; a refused proposal is reported and skipped. Scope `write`. Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: AcceptProposalsInput, required: true, description: 'The source, the confidence threshold and optionally the kinds.' }) },
    resolve: (_root, { input }, ctx) => runAcceptAll(ctx, input),
  }),
}));

/** acceptProposals as a function, for the mutation and the CLI. */
export function runAcceptAll(ctx: WriteContext, input: unknown, options: { actor?: string } = {}) {
  return runWrite(ctx, { operation: 'acceptProposals', input, schema: acceptProposalsSchema, idempotent: true, ...options }, (w, parsed) =>
    acceptProposals(w, parsed),
  );
}
