import { createHmac } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { CursorCodec } from '../../src/pagination/cursor.ts';

// The keyset cursor codec on its own (no database): what it accepts and, above all, every way a
// cursor it did not issue is refused. Through the API: tests/schema/connections.test.ts, list-errors.test.ts.

const SECRET = 'a-test-secret-of-some-length';
const codec = new CursorCodec(SECRET);
const ORDERING = 'Film|TITLE:ASC,YEAR:DESC';

/**
 * A cursor in the documented format (base64url JSON payload "." base64url of the first 16 bytes
 * of its HMAC-SHA256), signed with `secret`: how a holder of the key could sign any payload.
 */
function signed(payload: unknown, secret = SECRET): string {
  const encoded = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)).toString('base64url');
  return `${encoded}.${createHmac('sha256', secret).update(encoded).digest().subarray(0, 16).toString('base64url')}`;
}

/** The INVALID_CURSOR message decoding `cursor` raises (fails the test if it decodes). */
function refusal(cursor: string, ordering = ORDERING, arg: 'after' | 'before' = 'after'): string {
  try {
    codec.decode(cursor, ordering, arg);
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions['code']).toBe('INVALID_CURSOR');
    return (error as GraphQLError).message;
  }
  throw new Error(`decoded ${cursor}`);
}

const NOT_OURS = '`after` is not a cursor this API issued; use a cursor or pageInfo value from a previous page.';

test('a cursor decodes to the position it was issued for', () => {
  const position = { ordering: ORDERING, keys: ['Her', null], id: 42 };
  const cursor = codec.encode(position);
  expect(cursor).toMatch(/^[\w-]+\.[\w-]{22}$/);
  expect(codec.decode(cursor, ORDERING, 'after')).toEqual(position);
  // The same position under the same key always gives the same cursor.
  expect(new CursorCodec(SECRET).encode(position)).toBe(cursor);
});

test('the largest id, key count and lengths the format allows still decode', () => {
  const tenKeys = { ordering: ORDERING, keys: Array.from({ length: 10 }, (_, i) => `k${i}`), id: 2 ** 31 - 1 };
  expect(codec.decode(signed([1, ORDERING, tenKeys.keys, tenKeys.id]), ORDERING, 'after')).toEqual(tenKeys);
  expect(codec.decode(signed([1, ORDERING, ['k'.repeat(1000), null], 1]), ORDERING, 'after')).toEqual({
    ordering: ORDERING,
    keys: ['k'.repeat(1000), null],
    id: 1,
  });
  expect(codec.decode(signed([1, 'x'.repeat(500), [], 1]), 'x'.repeat(500), 'after')).toEqual({ ordering: 'x'.repeat(500), keys: [], id: 1 });
});

describe('a cursor this API did not issue is INVALID_CURSOR, whatever was changed', () => {
  const genuine = codec.encode({ ordering: ORDERING, keys: ['Her', '2013'], id: 7 });
  const [payload, tag] = genuine.split('.') as [string, string];
  const tagBytes = Buffer.from(tag, 'base64url');

  test.each([
    ['signed with another secret', new CursorCodec('another-secret-entirely').encode({ ordering: ORDERING, keys: ['Her', '2013'], id: 7 })],
    ['a tag of one byte (AA)', `${payload}.AA`],
    ['a tag one byte short', `${payload}.${tagBytes.subarray(0, 15).toString('base64url')}`],
    ['a tag one byte long', `${payload}.${Buffer.concat([tagBytes, Buffer.from([0])]).toString('base64url')}`],
    ['the full 32-byte HMAC as tag', `${payload}.${createHmac('sha256', SECRET).update(payload).digest().toString('base64url')}`],
    ['a tag with its last byte changed', `${payload}.${Buffer.concat([tagBytes.subarray(0, 15), Buffer.from([tagBytes[15]! ^ 0x80])]).toString('base64url')}`],
    ['the payload edited, tag kept', `${Buffer.from(JSON.stringify([1, ORDERING, ['Her', '2013'], 8])).toString('base64url')}.${tag}`],
    ['no tag', `${payload}.`],
    ['no dot at all', payload],
    ['no payload', `.${tag}`],
    ['a third segment', `${genuine}.${tag}`],
    ['an empty string', ''],
  ])('%s', (_name, cursor) => {
    expect(refusal(cursor)).toBe(NOT_OURS);
  });

  test('one of 4097 characters, even correctly signed; one of 4095 is read', () => {
    // Three keys of 1000 characters and a fourth of n. (No cursor is 4096 long: an unpadded
    // base64url payload is never 1 more than a multiple of 4 long, and the rest is 23.)
    const cursorOf = (length: number) => {
      for (let n = 0; n < 100; n++) {
        const cursor = signed([1, ORDERING, ['a', 'b', 'c'].map((c) => c.repeat(1000)).concat('d'.repeat(n)), 1]);
        if (cursor.length === length) return cursor;
      }
      throw new Error(`no cursor of ${length} characters`);
    };
    expect(codec.decode(cursorOf(4095), ORDERING, 'after').keys).toHaveLength(4);
    expect(refusal(cursorOf(4097))).toBe(NOT_OURS);
  });

  test.each([
    ['payload that is not JSON', 'not json'],
    ['another version', [2, ORDERING, [], 1]],
    ['id 0', [1, ORDERING, [], 0]],
    ['a negative id', [1, ORDERING, [], -1]],
    ['an id past 2^31 - 1', [1, ORDERING, [], 2 ** 31]],
    ['a fractional id', [1, ORDERING, [], 1.5]],
    ['an id as a string', [1, ORDERING, [], '1']],
    ['eleven keys', [1, ORDERING, Array.from({ length: 11 }, () => 'k'), 1]],
    ['a key of 1001 characters', [1, ORDERING, ['k'.repeat(1001)], 1]],
    ['a numeric key', [1, ORDERING, [1], 1]],
    ['an ordering of 501 characters', [1, 'x'.repeat(501), [], 1]],
    ['an ordering that is not a string', [1, 5, [], 1]],
    ['a fifth element', [1, ORDERING, [], 1, 'extra']],
    ['an object instead of a tuple', { v: 1, ordering: ORDERING, keys: [], id: 1 }],
  ])('correctly signed, but %s', (_name, payload) => {
    expect(refusal(signed(payload), payload instanceof Array && typeof payload[1] === 'string' ? payload[1] : ORDERING)).toBe(NOT_OURS);
  });
});

describe('a genuine cursor used elsewhere says where it belongs', () => {
  const cursor = codec.encode({ ordering: ORDERING, keys: ['Her', '2013'], id: 7 });

  test('on another list', () => {
    expect(refusal(cursor, 'Person|TITLE:ASC,YEAR:DESC', 'before')).toBe(
      '`before` was issued for another list; use cursors only with the field that returned them.',
    );
  });

  test('with another orderBy, naming both orderings', () => {
    expect(refusal(cursor, 'Film|YEAR:DESC')).toBe(
      "`after` was issued for another orderBy (TITLE:ASC,YEAR:DESC) than this request's (YEAR:DESC); restart paging without a cursor.",
    );
    const unordered = codec.encode({ ordering: 'Film|', keys: [], id: 7 });
    expect(refusal(unordered, 'Film|TITLE:ASC')).toBe(
      "`after` was issued for another orderBy (default order) than this request's (TITLE:ASC); restart paging without a cursor.",
    );
  });

  test('the argument it came in is named', () => {
    expect(refusal('garbage', ORDERING, 'before')).toBe('`before` is not a cursor this API issued; use a cursor or pageInfo value from a previous page.');
  });
});
