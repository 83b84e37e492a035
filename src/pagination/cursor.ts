import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { invalidCursorError } from '../errors.ts';

/**
 * Signs cursors when CURSOR_SECRET is unset. Public on purpose (README): it only keeps
 * development and tests working; production deployments set their own secret, shared by every
 * instance behind the load balancer so each accepts the others' cursors.
 */
export const DEVELOPMENT_CURSOR_SECRET = 'cinegraph-development-cursor-secret';

/** What a keyset cursor pins: the ordering it was issued for, the row's sort keys and its id. */
export interface CursorPosition {
  /** Ordering signature (e.g. "Film|TITLE:ASC,YEAR:DESC"); a cursor only fits the ordering it came from. */
  ordering: string;
  /** Sort key values of the row, as PostgreSQL text (null for a NULL key). */
  keys: (string | null)[];
  id: number;
}

const VERSION = 1;
const payloadSchema = z.tuple([
  z.literal(VERSION),
  z.string().max(500),
  z.array(z.string().max(1000).nullable()).max(10),
  z.number().int().min(1).max(2 ** 31 - 1),
]);

// Long enough to reject forgeries; a cursor is not a long-lived credential. 128 bits of tag.
const TAG_BYTES = 16;

/**
 * Opaque, tamper-evident keyset cursors: base64url(JSON payload) "." base64url(HMAC-SHA256 tag).
 * Hand-written rather than a JWT library: the payload is four values and needs no header,
 * algorithm negotiation or expiry, and node:crypto already provides HMAC and a constant-time compare.
 */
export class CursorCodec {
  readonly #secret: string;

  constructor(secret: string | undefined) {
    this.#secret = secret ?? DEVELOPMENT_CURSOR_SECRET;
  }

  #tag(payload: string): Buffer {
    return createHmac('sha256', this.#secret).update(payload).digest().subarray(0, TAG_BYTES);
  }

  encode(position: CursorPosition): string {
    const payload = Buffer.from(JSON.stringify([VERSION, position.ordering, position.keys, position.id])).toString('base64url');
    return `${payload}.${this.#tag(payload).toString('base64url')}`;
  }

  /** The position a cursor pins, after checking its tag and that it belongs to `ordering`. */
  decode(cursor: string, ordering: string, arg: 'after' | 'before'): CursorPosition {
    const notOurs = () =>
      invalidCursorError(`\`${arg}\` is not a cursor this API issued; use a cursor or pageInfo value from a previous page.`);
    const [payload, tag, ...rest] = cursor.split('.');
    if (!payload || !tag || rest.length > 0 || cursor.length > 4096) throw notOurs();
    const expected = this.#tag(payload);
    const given = Buffer.from(tag, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw notOurs();
    let parsed: z.infer<typeof payloadSchema>;
    try {
      parsed = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    } catch {
      throw notOurs();
    }
    const [, issuedFor, keys, id] = parsed;
    if (issuedFor.split('|')[0] !== ordering.split('|')[0]) {
      throw invalidCursorError(`\`${arg}\` was issued for another list; use cursors only with the field that returned them.`);
    }
    if (issuedFor !== ordering) {
      throw invalidCursorError(
        `\`${arg}\` was issued for another orderBy (${describe(issuedFor)}) than this request's (${describe(ordering)}); restart paging without a cursor.`,
      );
    }
    return { ordering, keys, id };
  }
}

function describe(ordering: string): string {
  return ordering.split('|')[1] || 'default order';
}
