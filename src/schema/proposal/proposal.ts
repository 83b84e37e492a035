/**
 * Proposal: a fact the extractor proposes from a source, for an editor to accept or reject;
 * `Source.proposals` and the `proposals` root field.
 * Siblings: mutations.ts and edit.ts (ingestSource, rejectProposal) · accept.ts and accept-writes.ts (acceptProposal,
 * acceptProposals) · resolver.ts (names → catalogue entities).
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { invalidIdError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ProposalKind, ProposalStatus } from '../../generated/prisma/enums.ts';
import { totalCountField } from '../connection.ts';
import { CitationKindEnum } from '../enums.ts';

export const ProposalKindEnum = builder.enumType('ProposalKind', {
  description: 'What a proposal proposes; the shape of its `values` follows (docs/ingestion.md#proposals).',
  values: {
    FILM: { description: 'A film: { title, year, resolution }.' },
    PERSON: { description: 'A person: { name, resolution }.' },
    ALIAS: { description: "Another spelling of a person's name: { name, personName }." },
    CAST_CREDIT: { description: 'A part played: { character, voice }; `refs` name the film and the person.' },
    CREW_CREDIT: { description: 'A job: { job, department }; `refs` name the film and the person.' },
    RELEASE: { description: 'A release: { country, date, type }; a date without a year is `--MM-DD`.' },
    REVIEW: { description: 'A review: { publication, publicationResolution, critic, quotes, rating }.' },
    GENRE: { description: "A film's genre: { genre }." },
    CERTIFICATION: { description: 'An age rating: { country, rating }.' },
    RUNTIME: { description: 'A running time: { minutes }.' },
    EXTERNAL_ID: { description: 'An id in another database: { source, value }.' },
  } as const satisfies Record<ProposalKind, { description: string }>,
});

export const ProposalStatusEnum = builder.enumType('ProposalStatus', {
  description: 'PENDING until an editor accepts or rejects it.',
  values: {
    PENDING: { description: 'Waiting for an editor.' },
    ACCEPTED: { description: 'Accepted: written to the catalogue through the write API; `result` is what it wrote.' },
    REJECTED: { description: 'Rejected; `rejectReason` says why.' },
  } as const satisfies Record<ProposalStatus, { description: string }>,
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
  select: { id: true, resultType: true, resultId: true },
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
    result: t.node({
      description:
        'Once accepted: what it wrote or resolved to — the Film, Person, Credit, Release or Review; the Person for an alias, the Film for a genre, runtime or external id, the Release for a certification. Null while pending or rejected, or once that record is deleted.',
      id: (p) => (p.resultType !== null && p.resultId !== null ? { type: p.resultType, id: p.resultId } : null),
    }),
    version: t.exposeInt('version', { description: 'Bumped when it is accepted or rejected; send it back to act on the proposal.' }),
    source: t.relation('source', { description: 'The source it was proposed from.' }),
  }),
});

function proposalWhere(args: { status?: ProposalStatus | null; kinds?: readonly ProposalKind[] | null }): Prisma.ProposalWhereInput {
  return { ...(args.status ? { status: args.status } : {}), ...(args.kinds ? { kind: { in: [...args.kinds] } } : {}) };
}

/** `Source.proposals` and `proposals`: one type. */
const ProposalConnection = builder.connectionObject(
  {
    type: ProposalRef,
    name: 'ProposalConnection',
    description: 'A page of proposals.',
    fields: (t) => ({ totalCount: totalCountField(t, 'Proposals matching the arguments (all pages); counted only when selected.') }),
  },
  { name: 'ProposalEdge', description: 'A proposal and its cursor.' },
);

builder.prismaObjectField('Source', 'proposals', (t) =>
  t.relatedConnection(
    'proposals',
    {
      cursor: 'id',
      totalCount: true,
      description: 'The facts proposed from this source, in the order the extractor gave them.',
      args: {
        status: t.arg({ type: ProposalStatusEnum, description: 'Only proposals in this status.' }),
        kinds: t.arg({ type: [ProposalKindEnum], description: 'Only proposals of these kinds.' }),
      },
      query: (args) => ({ where: proposalWhere(args), orderBy: { id: 'asc' } }),
    },
    ProposalConnection,
  ),
);

builder.queryFields((t) => ({
  proposals: t.prismaConnection(
    {
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
    },
    ProposalConnection,
  ),
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
