import * as z from 'zod';

/**
 * Page sizes of every connection: Pothos' own (relatedConnection, prismaConnection), the keyset
 * lists (films, people), search and filmographies. One place for the numbers, the validator and
 * the default, so a list cannot drift from the others.
 */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first`/`last`: 0 to MAX_PAGE_SIZE, or absent. */
export const pageSizeArg = (arg: 'first' | 'last') =>
  z
    .number()
    .int()
    .min(0, { message: `\`${arg}\` must be between 0 and ${MAX_PAGE_SIZE}` })
    .max(MAX_PAGE_SIZE, { message: `\`${arg}\` must be between 0 and ${MAX_PAGE_SIZE}` })
    .nullish();

/** The page a request asks for: `first`, else `last`, else the default (validated arguments). */
export function requestedPageSize(args: { first?: number | null; last?: number | null }): number {
  return args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
}

/** `nodes(ids:)` takes at most this many ids (GitHub's limit too): 6,000 ids took 1.1–1.8 s of CPU a request. */
export const MAX_NODE_IDS = 100;

/** What the Relay arguments mean, worded once for every connection (Pothos' and our own keyset lists). */
export const PAGE_ARG_DESCRIPTIONS = {
  first: `Page size from the start (or from \`after\`), 0–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}). Not with \`last\`.`,
  after: 'A cursor (`pageInfo.endCursor` or an edge `cursor`) of this list: the page starts after it.',
  last: `Page size from the end (or from \`before\`), 0–${MAX_PAGE_SIZE}: pages backwards. Not with \`first\`.`,
  before: 'A cursor (`pageInfo.startCursor` or an edge `cursor`) of this list: the page ends before it.',
} as const;
