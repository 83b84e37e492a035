/**
 * Proposal: a fact the extractor proposes from a source, for an editor to accept or reject;
 * `Source.proposals` and the `proposals` root field.
 * Siblings: mutations.ts and edit.ts (ingestSource, rejectProposal) · resolver.ts (names → catalogue entities).
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { invalidIdError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { ProposalKind, ProposalStatus } from '../../generated/prisma/enums.ts';
import { CitationKindEnum } from '../enums.ts';

export const ProposalKindEnum = builder.enumType(ProposalKind, {
  name: 'ProposalKind',
  description: 'What a proposal proposes; the shape of its `values` follows (docs/ingestion.md#proposals).',
});

export const ProposalStatusEnum = builder.enumType(ProposalStatus, {
  name: 'ProposalStatus',
  description: 'PENDING until an editor accepts or rejects it.',
});

interface ExcerptValue {
  start: number;
  end: number;
  text: string;
}

const ProposalExcerpt = builder.objectRef<ExcerptValue>('ProposalExcerpt').implement({
  description: 'A span of the source text: `source.text.slice(start, end) === text` (offsets in UTF-16 code units).',
  fields: (t) => ({
    start: t.exposeInt('start', { description: 'Offset of the first character.' }),
    end: t.exposeInt('end', { description: 'Offset after the last character.' }),
    text: t.exposeString('text', { description: 'The excerpt, verbatim.' }),
  }),
});

const ProposalRefs = builder.objectRef<{ film?: string; person?: string }>('ProposalRefs').implement({
  description: "The keys of the proposals (of the same source) this one depends on: a credit needs its film's and its person's.",
  fields: (t) => ({
    film: t.string({ nullable: true, description: "The film proposal's `key`.", resolve: (r) => r.film ?? null }),
    person: t.string({ nullable: true, description: "The person proposal's `key`.", resolve: (r) => r.person ?? null }),
  }),
});

export const ProposalRef = builder.prismaNode('Proposal', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'A fact proposed from a source, citing the excerpt that states it. Nothing enters the catalogue until an editor accepts it.',
  fields: (t) => ({
    key: t.exposeString('key', { description: "Stable within the source: other proposals' `refs` name this one by it." }),
    kind: t.expose('kind', { type: ProposalKindEnum, description: 'What is proposed.' }),
    status: t.expose('status', { type: ProposalStatusEnum, description: 'PENDING, ACCEPTED or REJECTED.' }),
    values: t.field({
      type: 'JSON',
      description:
        'The proposed values; the shape depends on `kind` (docs/ingestion.md#proposals). Films, people and publications carry `resolution`: EXISTING with the matched entity (global ID), or NEW.',
      select: { values: true },
      resolve: (p) => p.values,
    }),
    support: t.expose('support', { type: CitationKindEnum, description: 'STATED: the excerpt says it. INFERRED: reasoned; `reason` says from what.' }),
    reason: t.exposeString('reason', { description: 'The pattern that matched and, when INFERRED, what was inferred from what.' }),
    confidence: t.exposeFloat('confidence', { description: 'How likely an editor is to accept it as it stands, in [0, 1].' }),
    excerpt: t.field({
      type: ProposalExcerpt,
      description: 'The excerpt that states (or, when INFERRED, supports) the fact.',
      select: { excerpt: true, start: true, end: true },
      resolve: (p) => ({ start: p.start, end: p.end, text: p.excerpt }),
    }),
    alsoCited: t.field({
      type: [ProposalExcerpt],
      description: 'Further excerpts stating the same fact, in text order.',
      select: { alsoCited: true },
      resolve: (p) => p.alsoCited as unknown as ExcerptValue[],
    }),
    refs: t.field({
      type: ProposalRefs,
      description: 'The proposals this one depends on, by key.',
      select: { refs: true },
      resolve: (p) => p.refs as { film?: string; person?: string },
    }),
    rejectReason: t.exposeString('rejectReason', { nullable: true, description: 'Why an editor rejected it.' }),
    reviewedBy: t.exposeString('reviewedBy', { nullable: true, description: 'The key name of the editor who accepted or rejected it.' }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true, description: 'When it was accepted or rejected.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was proposed.' }),
    version: t.exposeInt('version', { description: 'Bumped when it is accepted or rejected; send it back to act on the proposal.' }),
    source: t.relation('source', { description: 'The source it was proposed from.' }),
  }),
});

function proposalWhere(args: { status?: ProposalStatus | null; kinds?: readonly ProposalKind[] | null }): Prisma.ProposalWhereInput {
  return { ...(args.status ? { status: args.status } : {}), ...(args.kinds ? { kind: { in: [...args.kinds] } } : {}) };
}

builder.prismaObjectField('Source', 'proposals', (t) =>
  t.relatedConnection('proposals', {
    cursor: 'id',
    totalCount: true,
    description: 'The facts proposed from this source, in the order the extractor gave them.',
    args: {
      status: t.arg({ type: ProposalStatusEnum, description: 'Only proposals in this status.' }),
      kinds: t.arg({ type: [ProposalKindEnum], description: 'Only proposals of these kinds.' }),
    },
    query: (args) => ({ where: proposalWhere(args), orderBy: { id: 'asc' } }),
  }),
);

builder.queryFields((t) => ({
  proposals: t.prismaConnection({
    type: 'Proposal',
    cursor: 'id',
    description: 'Proposals of every source, oldest first: the editors’ queue (`status: PENDING`).',
    args: {
      status: t.arg({ type: ProposalStatusEnum, description: 'Only proposals in this status.' }),
      kinds: t.arg({ type: [ProposalKindEnum], description: 'Only proposals of these kinds.' }),
      source: t.arg.id({ description: 'Only proposals from this source (global ID).' }),
    },
    totalCount: (_parent, args, ctx) => ctx.prisma.proposal.count({ where: { ...proposalWhere(args), ...sourceWhere(args.source) } }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.proposal.findMany({ ...query, where: { ...proposalWhere(args), ...sourceWhere(args.source) }, orderBy: { id: 'asc' } }),
  }),
}));

function sourceWhere(id: string | null | undefined): Prisma.ProposalWhereInput {
  if (id == null) return {};
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(id);
  } catch {
    throw invalidIdError('`source` is not a valid global ID.');
  }
  if (decoded.typename !== 'Source' || !/^\d{1,9}$/.test(decoded.id)) throw invalidIdError('`source` must be a Source ID.');
  return { sourceId: Number(decoded.id) };
}
