import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { invalidCursorError } from '../errors.ts';
import { DEVELOPMENT_CURSOR_SECRET } from './secret.ts';

/**
 * Every cursor of the API goes through this module, and every unusable one is INVALID_CURSOR:
 * - the lists we page ourselves (films, people, search) use CursorCodec's signed positions;
 * - the connections Pothos builds (relatedConnection, prismaConnection, filmographies) carry the
 *   Prisma plugin's id cursors (base64 "GPC:N:<id>"), whose format the plugin owns; they are
 *   checked by `prismaCursorArg` before the plugin parses them.
 */

/** PostgreSQL type of a sort key; cursor values travel as text and are cast back to it. */
export type KeyType = 'text' | 'int' | 'numeric' | 'float8' | 'date' | 'timestamptz';

/** What a cursor pins: the ordering it was issued for, the row's sort keys and its id. */
export interface CursorPosition {
  /**
   * "<list>|<binding>": the list that issued it (Film, Person, Search) and what it is bound to
   * within that list (an orderBy signature, a search fingerprint); a cursor fits only its own.
   */
  ordering: string;
  /** Sort key values of the row, as PostgreSQL text (null for a NULL key). */
  keys: (string | null)[];
  id: number;
}

/** The type of each sort key a list's cursors carry, checked on decode. */
export type CursorKeys = readonly { type: KeyType; nullable: boolean }[];

const VERSION = 1;
const payloadSchema = z.tuple([
  z.literal(VERSION),
  z.string().max(500),
  z.array(z.string().max(1000).nullable()).max(10),
  z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
]);

// Long enough to reject forgeries; a cursor is not a long-lived credential. 128 bits of tag.
const TAG_BYTES = 16;

type Arg = 'after' | 'before';

/** How a list words a cursor from another list, and one bound to something else in it. */
interface Wording {
  foreign(arg: Arg): string;
  rebound(arg: Arg, issued: string, wanted: string): string;
}

const binding = (ordering: string) => ordering.split('|')[1] || 'default order';
const ORDERED_LIST: Wording = {
  foreign: (arg) => `\`${arg}\` was issued for another list; use cursors only with the field that returned them.`,
  rebound: (arg, issued, wanted) =>
    `\`${arg}\` was issued for another orderBy (${binding(issued)}) than this request's (${binding(wanted)}); restart paging without a cursor.`,
};
const WORDING: Record<string, Wording> = {
  Search: {
    foreign: (arg) => `\`${arg}\` is not a search cursor this API issued; use a cursor or pageInfo.endCursor from a previous page.`,
    rebound: (arg) => `\`${arg}\` belongs to a search with another \`query\` or \`types\`; cursors only continue the search that issued them.`,
  },
};

/**
 * Opaque, tamper-evident cursors: base64url(JSON payload) "." base64url(HMAC-SHA256 tag).
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

  /**
   * The position a cursor pins, after checking its tag, that it belongs to `ordering` and, when
   * `keys` is given, that each key fits its column's type: the tag proves we signed a cursor, not
   * that what is inside is sane (a leaked or development key, or a release with another key layout).
   */
  decode(cursor: string, ordering: string, arg: Arg, keys?: CursorKeys): CursorPosition {
    const notOurs = () => invalidCursorError(`\`${arg}\` is not a cursor this API issued; use a cursor or pageInfo value from a previous page.`);
    const list = ordering.split('|')[0]!;
    const wording = WORDING[list] ?? ORDERED_LIST;
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
    const [, issuedFor, values, id] = parsed;
    if (issuedFor.split('|')[0] !== list) throw invalidCursorError(wording.foreign(arg));
    if (issuedFor !== ordering) throw invalidCursorError(wording.rebound(arg, issuedFor, ordering));
    if (keys) checkKeys(values, keys, arg);
    return { ordering, keys: values, id };
  }
}

function checkKeys(values: readonly (string | null)[], keys: CursorKeys, arg: Arg): void {
  // Only a cursor signed by an older release with another key layout could fail this.
  if (values.length !== keys.length) throw invalidCursorError(`\`${arg}\` no longer fits this ordering; restart paging without a cursor.`);
  values.forEach((value, i) => {
    const key = keys[i]!;
    if (value === null ? !key.nullable : !isValidKey(value, key.type)) {
      throw invalidCursorError(`\`${arg}\` holds a value that does not fit this ordering; use a cursor or pageInfo value from a previous page.`);
    }
  });
}

/**
 * Whether a cursor's key, as text, is a value PostgreSQL casts to `type` without an error (the
 * CAST would otherwise fail inside the page query). Each pattern admits what PostgreSQL prints
 * for the type (ISO DateStyle, as both engines here use) and nothing its input function refuses.
 */
export function isValidKey(value: string, type: KeyType): boolean {
  if (value.length > 100 && type !== 'text') return false;
  switch (type) {
    case 'text':
      // PostgreSQL text cannot hold NUL; a lone surrogate is not UTF-8.
      return !value.includes('\0') && !/\p{Cs}/u.test(value);
    case 'int':
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= 2 ** 31 - (value.startsWith('-') ? 0 : 1);
    case 'numeric':
      return /^-?\d{1,30}(\.\d{1,30})?$/.test(value);
    case 'float8': {
      const match = /^-?(?:\d+\.?\d*|\.\d+)(?:e([-+]?\d{1,3}))?$/i.exec(value);
      // Exponents past ±300 risk over- or underflow, which PostgreSQL refuses; its output never needs them here.
      return Boolean(match) && Number.isFinite(Number(value)) && Math.abs(Number(match![1] ?? 0)) <= 300;
    }
    case 'date':
      return isCalendarDate(value);
    case 'timestamptz': {
      const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::(\d{2}))?$/.exec(value);
      if (!match || !isCalendarDate(match[1]!)) return false;
      const [hour, minute, second, offsetHours, offsetMinutes = 0, offsetSeconds = 0] = match.slice(2).map((v) => Number(v ?? 0));
      return hour! < 24 && minute! < 60 && second! < 60 && offsetHours! <= 15 && offsetMinutes < 60 && offsetSeconds < 60;
    }
  }
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years below 100 as 19xx
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The Prisma plugin's id cursors: base64 "GPC:N:<id>". Checked before they reach Prisma, so a
// forged or foreign one is a client error, not a failed query; a connection's resolver (e.g.
// filmography) may read the id with `prismaCursorId`.
const PRISMA_ID_CURSOR = /^GPC:N:([1-9]\d{0,9})$/;

/** The id a Pothos id cursor names, or null when it is not one this API issued. */
export function prismaCursorId(cursor: string): number | null {
  const match = PRISMA_ID_CURSOR.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match !== null && Number(match[1]) <= 2 ** 31 - 1 ? Number(match[1]) : null;
}

/** Encodes a film id (or any row id) as the Prisma plugin would. */
export const prismaCursor = (id: number) => Buffer.from(`GPC:N:${id}`).toString('base64');

/** `after`/`before` of every Pothos-built connection (the builder's relay options). */
export const prismaCursorArg = (arg: Arg) =>
  z
    .string()
    .refine((cursor) => prismaCursorId(cursor) !== null, {
      message: `\`${arg}\` is not a cursor this API issued; use a cursor or pageInfo value from a previous page.`,
    })
    .nullish();
