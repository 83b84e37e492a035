/**
 * Accepting proposals: acceptProposal (one, optionally with the pending proposals it depends on)
 * and acceptProposals (a source's pending proposals above a confidence, in dependency order,
 * each on a savepoint so one refusal leaves the others written). The proposal is claimed at its
 * version first, so a concurrent or repeated accept is CONFLICT or NOT_PENDING and writes
 * nothing. Siblings: accept-writes.ts and accept-facts.ts (what each kind writes), accept-input.ts (edits,
 * citations), mutations.ts (the schema).
 */
import * as z from 'zod';
import { ProposalKind } from '../../generated/prisma/enums.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import { userErrorOf, type Writer } from '../write/run.ts';
import { UserErrorException, type UserError } from '../write/write.ts';
import { parseEdits, type AcceptResult, type Dependencies, type Edits, type ProposalRow, type SourceRow } from './accept-input.ts';
import { writeProposal } from './accept-writes.ts';

export const acceptProposalSchema = z.object({
  id: globalId('Proposal'),
  version: versionSchema,
  // Checked against the proposal's kind once it is read (accept-input.ts parseEdits).
  edits: z.unknown().optional(),
  withDependencies: z.boolean().nullish(),
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const acceptProposalsSchema = z.object({
  sourceId: globalId('Source'),
  minConfidence: z.number({ error: 'minConfidence must be a number' }).min(0, 'minConfidence is between 0 and 1').max(1, 'minConfidence is between 0 and 1'),
  kinds: z.array(z.enum(ProposalKind)).nullish(),
  withDependencies: z.boolean().nullish(),
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

/** Dependency order: entities before the facts about them, releases before the certifications stored on them. */
export const ACCEPT_ORDER: readonly ProposalKind[] = [
  'FILM',
  'PERSON',
  'ALIAS',
  'CAST_CREDIT',
  'CREW_CREDIT',
  'RELEASE',
  'REVIEW',
  'GENRE',
  'CERTIFICATION',
  'RUNTIME',
  'EXTERNAL_ID',
];

const PROPOSAL_SELECT = {
  id: true,
  sourceId: true,
  key: true,
  kind: true,
  values: true,
  support: true,
  reason: true,
  confidence: true,
  excerpt: true,
  start: true,
  end: true,
  alsoCited: true,
  refs: true,
  status: true,
  version: true,
  resultType: true,
  resultId: true,
} as const;

/** One acceptance run (a mutation's transaction): the source, whether pending dependencies come along, and what it accepted. */
class Acceptance {
  /** Proposal ids accepted so far, in order. */
  readonly accepted: number[] = [];
  readonly #w: Writer;
  readonly #source: SourceRow;
  readonly #withDependencies: boolean;

  constructor(w: Writer, source: SourceRow, withDependencies: boolean) {
    this.#w = w;
    this.#source = source;
    this.#withDependencies = withDependencies;
  }

  /** Claims `row` at `version`, accepts (or refuses) its dependencies, writes it and records the result on it. */
  async accept(row: ProposalRow, version: number, edits: Edits, chain: readonly string[] = []): Promise<AcceptResult> {
    const w = this.#w;
    const claimed = await w.tx.proposal.updateMany({
      where: { id: row.id, version, status: 'PENDING' },
      data: { status: 'ACCEPTED', reviewedBy: w.ctx.identity.name ?? 'anonymous', reviewedAt: new Date(), version: { increment: 1 } },
    });
    if (claimed.count === 0) await refuseClaim(w, row.id, version, row.key);
    const deps = await this.#dependencies(row, [...chain, row.key]);
    const result = await writeProposal(w, this.#source, row, edits, deps);
    await w.tx.proposal.update({ where: { id: row.id }, data: { resultType: result.type, resultId: result.id }, select: { id: true } });
    this.accepted.push(row.id);
    w.touched('Proposal', row.id);
    return result;
  }

  /**
   * The entities a proposal's `refs` name: an accepted proposal's result; a pending one accepted
   * now with `withDependencies`; otherwise (pending, rejected, missing) DEPENDENCY_NOT_ACCEPTED,
   * naming every such key.
   */
  async #dependencies(row: ProposalRow, chain: readonly string[]): Promise<Dependencies> {
    const refs = Object.entries(row.refs as Record<string, string | undefined>).filter((e): e is ['film' | 'person', string] => typeof e[1] === 'string');
    if (refs.length === 0) return {};
    const rows = await this.#w.tx.proposal.findMany({ where: { sourceId: row.sourceId, key: { in: refs.map(([, key]) => key) } }, select: PROPOSAL_SELECT });
    const deps: Dependencies = {};
    const blocked: string[] = [];
    for (const [role, key] of refs) {
      const dep = rows.find((r) => r.key === key) as ProposalRow | undefined;
      if (dep?.status === 'ACCEPTED' && dep.resultType !== null && dep.resultId !== null) {
        deps[role] = { type: dep.resultType as AcceptResult['type'], id: dep.resultId };
      } else if (dep?.status === 'PENDING' && this.#withDependencies && !chain.includes(key)) {
        deps[role] = await this.accept(dep, dep.version, {}, chain);
      } else {
        blocked.push(`${key} (${dep ? dep.status.toLowerCase() : 'missing'})`);
      }
    }
    if (blocked.length > 0) {
      const how = this.#withDependencies || blocked.every((b) => !b.endsWith('(pending)')) ? '' : ', or pass withDependencies: true';
      this.#w.fail('DEPENDENCY_NOT_ACCEPTED', `${row.key} depends on ${blocked.join(' and ')}: accept ${blocked.length > 1 ? 'them' : 'it'} first${how}.`, [
        'input',
        'id',
      ]);
    }
    return deps;
  }
}

/** Why a proposal could not be claimed at `version`: gone, changed since read (CONFLICT), or no longer pending. */
async function refuseClaim(w: Writer, id: number, version: number, key?: string): Promise<never> {
  const now = await w.tx.proposal.findUnique({ where: { id }, select: { version: true, status: true } });
  const prefix = key ? `${key}: ` : '';
  if (!now) return w.fail('NOT_FOUND', `${prefix}No proposal has this ID.`, ['input', 'id']);
  if (now.version !== version)
    return w.fail('CONFLICT', `${prefix}Proposal is at version ${now.version}, not ${version}: it changed since you read it.`, ['input', 'version'], {
      currentVersion: now.version,
    });
  return w.fail('NOT_PENDING', `${prefix}The proposal is already ${now.status.toLowerCase()}.`, ['input', 'id']);
}

async function sourceOf(w: Writer, id: number, field: string[]): Promise<SourceRow> {
  const source = await w.tx.source.findUnique({ where: { id }, select: { id: true, text: true } });
  if (!source) return w.fail('NOT_FOUND', 'No source has this ID.', field);
  return source;
}

/** acceptProposal: the proposal (and, with `withDependencies`, the pending ones it needs), written in the mutation's one transaction. */
export async function acceptProposal(w: Writer, input: z.output<typeof acceptProposalSchema>): Promise<{ proposal: number; accepted: number[] }> {
  const row = (await w.tx.proposal.findUnique({ where: { id: input.id }, select: PROPOSAL_SELECT })) as ProposalRow | null;
  if (!row) return w.fail('NOT_FOUND', 'No proposal has this ID.', ['input', 'id']);
  if (row.version !== input.version || row.status !== 'PENDING') await refuseClaim(w, row.id, input.version);
  const edits = parseEdits(row.kind, input.edits);
  const acceptance = new Acceptance(w, await sourceOf(w, row.sourceId, ['input', 'id']), input.withDependencies ?? false);
  await acceptance.accept(row, input.version, edits);
  return { proposal: row.id, accepted: acceptance.accepted };
}

/** What happened to one proposal of a bulk acceptance. */
export interface AcceptOutcome {
  proposal: number;
  accepted: boolean;
  userErrors: UserError[];
}

/**
 * acceptProposals: every pending proposal of the source at or above `minConfidence` (of `kinds`),
 * in dependency order (ACCEPT_ORDER, then id), in one transaction. Each proposal runs on a
 * savepoint: a refusal (a user error) undoes only that proposal's writes and is reported in its
 * outcome; the others commit. A dependency refused earlier (or below the threshold, without
 * `withDependencies`) makes the dependent one DEPENDENCY_NOT_ACCEPTED.
 */
export async function acceptProposals(
  w: Writer,
  input: z.output<typeof acceptProposalsSchema>,
): Promise<{ outcomes: AcceptOutcome[]; acceptedCount: number; failedCount: number }> {
  const source = await sourceOf(w, input.sourceId, ['input', 'sourceId']);
  const rows = (await w.tx.proposal.findMany({
    where: { sourceId: source.id, status: 'PENDING', confidence: { gte: input.minConfidence }, ...(input.kinds ? { kind: { in: input.kinds } } : {}) },
    select: PROPOSAL_SELECT,
    orderBy: { id: 'asc' },
  })) as ProposalRow[];
  rows.sort((a, b) => ACCEPT_ORDER.indexOf(a.kind) - ACCEPT_ORDER.indexOf(b.kind) || a.id - b.id);
  const acceptance = new Acceptance(w, source, input.withDependencies ?? false);
  const outcomes: AcceptOutcome[] = [];
  for (const row of rows) {
    if (acceptance.accepted.includes(row.id)) continue; // taken along as another's dependency
    const mark = { accepted: acceptance.accepted.length, revisions: w.revisions.length };
    await w.tx.$executeRawUnsafe('SAVEPOINT accept_proposal');
    try {
      await acceptance.accept(row, row.version, {});
      await w.tx.$executeRawUnsafe('RELEASE SAVEPOINT accept_proposal');
      for (const id of acceptance.accepted.slice(mark.accepted)) outcomes.push({ proposal: id, accepted: true, userErrors: [] });
    } catch (error) {
      const mapped = userErrorOf(error);
      const errors = error instanceof UserErrorException ? error.errors : mapped ? [{ ...mapped, message: `${row.key}: ${mapped.message}` }] : null;
      if (!errors) throw error;
      await w.tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT accept_proposal');
      acceptance.accepted.splice(mark.accepted);
      w.revisions.splice(mark.revisions);
      outcomes.push({ proposal: row.id, accepted: false, userErrors: errors });
    }
  }
  w.touched('Proposal');
  const acceptedCount = outcomes.filter((o) => o.accepted).length;
  return { outcomes, acceptedCount, failedCount: outcomes.length - acceptedCount };
}
