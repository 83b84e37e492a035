/** runWrite and the Writer: one transaction per mutation, user errors, retries, change set and revisions under the feed lock, post-commit invalidation and events. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createGraphQLError } from 'graphql-yoga';
import type * as z from 'zod';
import type { Context, EntityRef } from '../../context.ts';
import { WriteGateTimeout } from '../../db/gate.ts';
import { ErrorCode, type UserErrorCode } from '../../errors.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { ChangeSetKind, RevisionAction } from '../../generated/prisma/enums.ts';
import { diffFields, type FieldDiff, type PendingRevision } from './diff.ts';
import { claimIdempotencyKey, recordIdempotentResult, type IdempotencyClaim } from './idempotency.ts';
import { mayWriteUncited, parseInput } from './input.ts';
import { lockFeed } from './sql.ts';
import { UserErrorException, type Payload, type UserError } from './write.ts';

/** What a write needs from its caller: a GraphQL context, or the same pieces from an import job (`writes` optional there). */
export type WriteContext = Pick<Context, 'prisma' | 'identity' | 'events' | 'written' | 'idempotencyKey'> & Partial<Pick<Context, 'writes'>>;

export interface WriteOptions<S extends z.ZodType = z.ZodType> {
  /** The mutation (or job) applied, e.g. "updateFilm": the change set's operationName. */
  operation: string;
  /**
   * The raw input and its zod schema: parsed before the transaction opens, a failure answers
   * INVALID user errors with the path of each bad value (input.ts). By convention the parsed
   * input's `note` is the change set's note (with the admin scope it lets facts go uncited) and
   * its `idempotencyKey` (or the Idempotency-Key header) makes the write idempotent.
   */
  input: unknown;
  schema: S;
  /** Create and merge mutations: replay the first result of a retried idempotency key (idempotency.ts). */
  idempotent?: boolean;
  /** MUTATION by default; imports and ingestion say so. */
  kind?: ChangeSetKind;
  /** Who the change set names; by default the caller's key name (or "admin-token"). */
  actor?: string;
}

/** The conventional fields of a parsed input that runWrite reads. */
interface ConventionalInput {
  note?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}

// Prisma's defaults (2 s to get a connection, 5 s in all) fail writes that queue behind others
// on a busy pool; these match the statement timeout's order of magnitude instead.
const TRANSACTION = { maxWait: 10_000, timeout: 20_000 };
const ATTEMPTS = 3;

/**
 * The handle a write's callback gets: its transaction, and the ways to fail, cite, record a
 * revision and name what it touched. One per attempt of the transaction.
 */
export class Writer {
  readonly tx: Prisma.TransactionClient;
  readonly ctx: WriteContext;
  /** The caller may set facts without citations: admin scope and a note. */
  readonly mayWriteUncited: boolean;
  readonly revisions: PendingRevision[] = [];
  readonly #touched = new Map<string, EntityRef & { dbId?: number }>();

  readonly note: string | null;

  constructor(tx: Prisma.TransactionClient, ctx: WriteContext, note: string | null) {
    this.tx = tx;
    this.ctx = ctx;
    this.note = note;
    this.mayWriteUncited = mayWriteUncited(ctx, note);
  }

  /** Roll the write back and answer with this user error. */
  fail(code: UserErrorCode, message: string, field: string[] | null = null, extra: Partial<UserError> = {}): never {
    throw new UserErrorException([{ field, message, code, ...extra }]);
  }

  /** Roll the write back and answer with these user errors. */
  failAll(errors: UserError[]): never {
    throw new UserErrorException(errors);
  }

  /**
   * Append a revision of `entityType` (its GraphQL typename) to this write's change set: the diff
   * of `fields` between `before` and `after` (null before for a CREATE, null after for a DELETE).
   * Also invalidates the entity, and every cached read holding any entity of its type (a list
   * whose membership or order the change may alter).
   */
  revise(
    entityType: string,
    entityId: number,
    action: RevisionAction,
    change: { before: Record<string, unknown> | null; after: Record<string, unknown> | null; fields: readonly string[] },
    citationIds: number[] = [],
    revertOfId: number | null = null,
  ): FieldDiff {
    const diff = diffFields(change.before, change.after, change.fields);
    this.revisions.push({ entityType, entityId, action, diff, citationIds, revertOfId });
    this.touched(entityType, entityId);
    this.touched(entityType);
    return diff;
  }

  /** Invalidate cached reads holding this entity (or, without an id, any entity of the type) once the write commits. */
  touched(typename: string, id?: number): void {
    const key = id === undefined ? typename : `${typename}:${id}`;
    if (!this.#touched.has(key)) this.#touched.set(key, id === undefined ? { typename } : { typename, id: encodeGlobalID(typename, id) });
  }

  get touchedEntities(): EntityRef[] {
    return [...this.#touched.values()];
  }
}

/**
 * Runs one write: `fn` inside an interactive transaction, then, still inside it, the change set
 * and its revisions (under the feed lock, sql.ts) and the idempotent result; after the commit,
 * cache invalidation (ctx.written) and the post-commit hook (ctx.events). Expected failures —
 * `w.fail`, input errors, unique violations (TAKEN), vanished rows (NOT_FOUND) — roll everything
 * back and come back as `userErrors`; serialisation failures and deadlocks are retried; anything
 * else is a real error (masked, logged) and rolls back too.
 */
export async function runWrite<S extends z.ZodType, T extends object>(
  ctx: WriteContext,
  options: WriteOptions<S>,
  fn: (w: Writer, input: z.output<S>) => Promise<T>,
): Promise<Payload<T>> {
  let attempt = 0;
  for (;;) {
    attempt++;
    try {
      const input = parseInput(options.schema, options.input) as z.output<S> & ConventionalInput;
      const attemptOnce = () => attemptWrite(ctx, options, input, fn);
      return await (ctx.writes ? ctx.writes.run(attemptOnce) : attemptOnce());
    } catch (error) {
      if (error instanceof UserErrorException) return { userErrors: error.errors } as Payload<T>;
      const mapped = userErrorOf(error);
      if (mapped) return { userErrors: [mapped] } as Payload<T>;
      if (isRetryable(error) && attempt < ATTEMPTS) continue;
      if (isTransactionStartTimeout(error) || error instanceof WriteGateTimeout) {
        throw createGraphQLError('The database is busy; retry shortly.', {
          extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': '1' } } },
        });
      }
      throw error;
    }
  }
}

async function attemptWrite<S extends z.ZodType, T extends object>(
  ctx: WriteContext,
  options: WriteOptions<S>,
  input: z.output<S> & ConventionalInput,
  fn: (w: Writer, input: z.output<S>) => Promise<T>,
): Promise<Payload<T>> {
  let writer: Writer | undefined;
  const note = input.note ?? null;
  type Outcome = { replayed: Payload<T> } | { payload: Payload<T>; committed: Awaited<ReturnType<typeof appendRevisions>> };
  const outcome = await ctx.prisma.$transaction(async (tx): Promise<Outcome> => {
    let claim: IdempotencyClaim | undefined;
    if (options.idempotent) {
      // The request as sent, minus the key itself: a retry must repeat it exactly.
      const request: Record<string, unknown> = { ...(options.input as Record<string, unknown>) };
      delete request['idempotencyKey'];
      claim = await claimIdempotencyKey(tx, ctx, options.operation, { key: input.idempotencyKey, request });
      if (claim && 'replay' in claim) return { replayed: claim.replay as Payload<T> };
    }
    const w = (writer = new Writer(tx, ctx, note));
    const result = await fn(w, input);
    const committed = await appendRevisions(w, ctx, options, note);
    const payload = { ...result, userErrors: [] } as Payload<T>;
    if (claim) await recordIdempotentResult(tx, claim, payload);
    return { payload, committed };
  }, TRANSACTION);
  if ('replayed' in outcome) return outcome.replayed;
  ctx.written.push(...writer!.touchedEntities);
  if (outcome.committed) ctx.events.publish(outcome.committed);
  return outcome.payload;
}

async function appendRevisions(w: Writer, ctx: WriteContext, options: WriteOptions, note: string | null) {
  if (w.revisions.length === 0) return null;
  await lockFeed(w.tx);
  const actor = options.actor ?? ctx.identity.name ?? 'anonymous';
  const kind = options.kind ?? 'MUTATION';
  const changeSet = await w.tx.changeSet.create({
    data: { kind, actor, apiKeyId: ctx.identity.keyId ?? null, operationName: options.operation, note },
    select: { id: true },
  });
  const revisions = await w.tx.revision.createManyAndReturn({
    data: w.revisions.map((r) => ({ ...r, diff: r.diff as Prisma.InputJsonObject, changeSetId: changeSet.id })),
    select: { id: true, entityType: true, entityId: true, action: true },
  });
  w.touched('Revision');
  w.touched('ChangeSet');
  return { changeSetId: changeSet.id, kind, actor, operationName: options.operation, revisions };
}

/** A database refusal that is the client's doing, as a user error. */
export function userErrorOf(error: unknown): UserError | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return undefined;
  if (error.code === 'P2002') {
    const fields = uniqueFields(error);
    return {
      field: fields.length === 1 ? ['input', fields[0]!] : null,
      code: 'TAKEN',
      message: `${fields.join(', ') || 'A unique value'} is already used by another record.`,
    };
  }
  if (error.code === 'P2025' || error.code === 'P2003') {
    return { field: null, code: 'NOT_FOUND', message: 'A record the input refers to no longer exists.' };
  }
  return undefined;
}

/** The columns of a violated unique constraint: PGlite's adapter names them, pg's names the index ("Film_slug_key"). */
function uniqueFields(error: Prisma.PrismaClientKnownRequestError): string[] {
  const cause = (error.meta?.['driverAdapterError'] as { cause?: { constraint?: { fields?: string[]; index?: string } } } | undefined)?.cause;
  // PGlite quotes camelCase column names ("imdbId").
  if (cause?.constraint?.fields) return cause.constraint.fields.map((f) => f.replace(/^"(.*)"$/, '$1'));
  const index = cause?.constraint?.index;
  const model = error.meta?.['modelName'];
  if (index && typeof model === 'string' && index.startsWith(`${model}_`) && index.endsWith('_key')) return index.slice(model.length + 1, -4).split('_');
  return [];
}

/** Serialisation failures and deadlocks: the transaction may succeed if run again. */
function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string; kind?: string } } } };
  const cause = e.meta?.driverAdapterError?.cause;
  return e.code === 'P2034' || cause?.kind === 'TransactionWriteConflict' || cause?.originalCode === '40001' || cause?.originalCode === '40P01';
}

/** Prisma could not get a connection for the transaction within maxWait (a saturated pool). */
function isTransactionStartTimeout(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2028';
}
