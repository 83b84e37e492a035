/** Idempotency-Key for create and merge mutations: the first result is stored with the write and replayed to retries for 24 h. */
import { createHash } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { WriteContext } from './run.ts';
import { UserErrorException } from './write.ts';

/** How long a result is replayed (Stripe's window; the issue asks for 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

// Printable ASCII without spaces, like the header values clients generate (UUIDs, ULIDs, hashes).
const KEY = /^[\x21-\x7e]{1,255}$/;

export interface IdempotencyClaim {
  /** The row this write owns: its result is stored there before it commits. */
  id?: number;
  /** A result an earlier request with the same key and request already committed: return it, write nothing. */
  replay?: unknown;
}

/** JSON with object keys sorted, so the same request hashes the same whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

const fail = (field: string[] | null, message: string, code: 'INVALID' | 'IDEMPOTENCY_KEY_REUSED' = 'INVALID'): never => {
  throw new UserErrorException([{ field, message, code }]);
};

/**
 * Idempotency for create and merge mutations: the key (the `Idempotency-Key` header or the
 * input's `idempotencyKey`) is claimed as the first statement of the write's transaction, with
 * `INSERT … ON CONFLICT DO NOTHING`. PostgreSQL makes a concurrent duplicate's insert wait until
 * the first transaction ends: if it committed, the duplicate finds its stored result and returns
 * it (writing nothing); if it rolled back, the duplicate's insert succeeds and it writes. The
 * result is stored in the same transaction as the write, so a committed write always has it and
 * a failed one (user errors included) leaves no key behind: a retry then runs afresh. Keys are
 * per caller (an API key, or the admin token) and expire after 24 h; an expired one is deleted
 * when its key is reused (and now and then in bulk).
 */
export async function claimIdempotencyKey(
  tx: Prisma.TransactionClient,
  ctx: WriteContext,
  operation: string,
  given: { key: string | null | undefined; request: unknown },
): Promise<IdempotencyClaim | undefined> {
  const header = ctx.idempotencyKey;
  if (given.key != null && header != null && given.key !== header) {
    fail(['input', 'idempotencyKey'], 'idempotencyKey differs from the Idempotency-Key header; send one of them.');
  }
  const key = given.key ?? header;
  if (key == null) return undefined;
  if (!KEY.test(key)) fail(given.key != null ? ['input', 'idempotencyKey'] : null, 'An idempotency key is 1–255 printable ASCII characters without spaces.');
  const actor = ctx.identity.kind === 'key' ? `key:${ctx.identity.keyId}` : (ctx.identity.name ?? 'anonymous');
  const requestHash = createHash('sha256')
    .update(canonical({ operation, request: given.request }))
    .digest('hex');
  const now = new Date();
  const insert = () =>
    tx.idempotencyKey.createManyAndReturn({
      data: [{ actor, key, requestHash, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) }],
      skipDuplicates: true,
      select: { id: true },
    });
  let [claimed] = await insert();
  if (!claimed) {
    const existing = await tx.idempotencyKey.findUniqueOrThrow({ where: { actor_key: { actor, key } } });
    if (existing.expiresAt <= now) {
      await tx.idempotencyKey.delete({ where: { id: existing.id } });
      [claimed] = await insert();
      // Another request re-claimed the expired key between the two statements: it is theirs now.
      if (!claimed) return claimIdempotencyKey(tx, ctx, operation, given);
    } else if (existing.requestHash !== requestHash) {
      fail(
        given.key != null ? ['input', 'idempotencyKey'] : null,
        `This idempotency key was used for a different request (${existing.createdAt.toISOString()}); use a new key for a new request.`,
        'IDEMPOTENCY_KEY_REUSED',
      );
    } else {
      return { replay: existing.response };
    }
  }
  // A sweep in about one claim of a hundred keeps the table near one day of keys without a scheduler.
  if (Math.random() < 0.01) await tx.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return { id: claimed!.id };
}

export async function recordIdempotentResult(tx: Prisma.TransactionClient, claim: IdempotencyClaim, result: unknown): Promise<void> {
  if (claim.id === undefined) return;
  await tx.idempotencyKey.update({ where: { id: claim.id }, data: { response: result as Prisma.InputJsonValue } });
}
