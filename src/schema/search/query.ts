import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { CursorKeys } from '../../pagination/cursor.ts';

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
  return query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
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

/** The sort keys a search cursor carries (score, type rank), checked when it is decoded. */
export const SEARCH_CURSOR_KEYS: CursorKeys = [
  { type: 'numeric', nullable: false },
  { type: 'int', nullable: false },
];

/**
 * What a search cursor is bound to: the query's words and the types searched. Continuing
 * another search from a cursor would skip or repeat rows.
 */
export function searchOrdering(terms: SearchTerms, types: readonly SearchType[]): string {
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([terms.text, [...types].sort()]))
    .digest('hex')
    .slice(0, 12);
  return `Search|${fingerprint}`;
}
