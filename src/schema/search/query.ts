import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalidCursorError } from '../../errors.ts';

/** Longer strings are not names or titles; capping them bounds the work of one search. */
export const MAX_QUERY_LENGTH = 200;

export const SEARCH_TYPES = ['FILM', 'PERSON', 'PUBLICATION'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Tie-break rank of each type (and the `type` column of the ranking SQL). */
export const TYPE_RANK: Record<SearchType, number> = { FILM: 1, PERSON: 2, PUBLICATION: 3 };

export const queryArg = z
  .string()
  .max(MAX_QUERY_LENGTH, { message: `\`query\` must be at most ${MAX_QUERY_LENGTH} characters` })
  .refine((q) => q.trim().length > 0, { message: '`query` must not be empty or whitespace only', abort: true })
  .refine((q) => tokenize(q).length > 0, { message: '`query` must contain at least one letter or digit' });

export const typesArg = z
  .array(z.enum(SEARCH_TYPES))
  .min(1, { message: '`types` must name at least one type (omit it to search every type)' })
  .max(SEARCH_TYPES.length, { message: `\`types\` lists at most ${SEARCH_TYPES.length} types` })
  .nullish();

/**
 * Words of the query: runs of letters and digits, lowercased. Everything else separates words,
 * so punctuation can never reach to_tsquery's syntax (`&`, `|`, `!`, `:`, quotes).
 */
export function tokenize(query: string): string[] {
  return query.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export interface SearchTerms {
  /** The words joined by single spaces: what trigram similarity and exact/prefix matches compare. */
  text: string;
  /** A to_tsquery expression: every word must occur; the last may be a prefix (type-ahead). */
  tsquery: string;
}

export function searchTerms(query: string): SearchTerms {
  const words = tokenize(query);
  return {
    text: words.join(' '),
    tsquery: words.map((w, i) => `'${w}'${i === words.length - 1 ? ':*' : ''}`).join(' & '),
  };
}

/** Position of one result in the ranking: score desc, then type rank, then id. */
export interface SearchKey {
  /** Fixed-point decimal string as the database computed it, so keyset comparisons are exact. */
  score: string;
  type: number;
  id: number;
}

// "search:<fingerprint>:<score>:<type>:<id>", base64. The fingerprint binds a cursor to the
// query and types it was issued for: continuing another search from it would skip or repeat rows.
const CURSOR = /^search:([0-9a-f]{12}):(\d{1,6}\.\d{4}):([123]):([1-9]\d{0,9})$/;

export function fingerprint(terms: SearchTerms, types: readonly SearchType[]): string {
  return createHash('sha256')
    .update(JSON.stringify([terms.text, [...types].sort()]))
    .digest('hex')
    .slice(0, 12);
}

export function encodeCursor(print: string, key: SearchKey): string {
  return Buffer.from(`search:${print}:${key.score}:${key.type}:${key.id}`, 'utf8').toString('base64');
}

export function decodeCursor(cursor: string, print: string): SearchKey {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  const match = CURSOR.exec(decoded);
  if (!match || Buffer.from(decoded, 'utf8').toString('base64') !== cursor || Number(match[4]) > 2 ** 31 - 1) {
    throw invalidCursorError('`after` is not a search cursor this API issued; use a cursor or pageInfo.endCursor from a previous page.');
  }
  if (match[1] !== print) {
    throw invalidCursorError('`after` belongs to a search with another `query` or `types`; cursors only continue the search that issued them.');
  }
  return { score: match[2]!, type: Number(match[3]), id: Number(match[4]) };
}
