/**
 * Reads that follow redirects: `node(id:)`, `nodes(ids:)`, and `film` / `person` by `id` or
 * `slug` answer with the survivor of a merge when given the merged-away record's id or slug,
 * marked so that `redirectedFrom` / `redirectedFromSlug` say so (redirect.ts). Imported by
 * builder.ts (the node fields), so it imports no builder.
 */
import { brandWithType } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Context } from '../../context.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';

/** The types merges redirect. */
export type RedirectedType = 'Film' | 'Person';
const REDIRECTED: ReadonlySet<string> = new Set<RedirectedType>(['Film', 'Person']);

/** What the client asked for when it reached a record through a redirect. */
export interface RedirectedFrom {
  /** the merged-away record's global id */
  id: string;
  slug: string;
}

// Keyed by the row object the resolver returned: a mark is per lookup, not per record (the same
// survivor read directly in the same response is another, unmarked object).
const marks = new WeakMap<object, RedirectedFrom>();

/** How this row was reached: null unless through a redirect. */
export function redirectedFrom(row: object): RedirectedFrom | null {
  return marks.get(row) ?? null;
}

/** A copy of `row` marked as reached through a redirect (a copy, so the same record read directly stays unmarked). */
function mark<T extends object>(row: T, typename: RedirectedType, from: { fromId: number; fromSlug: string }): T {
  const copy = { ...row };
  // The copy lost the non-enumerable type brand the node fields resolve the concrete type by.
  brandWithType(copy, typename as unknown as Parameters<typeof brandWithType>[1]);
  marks.set(copy, { id: encodeGlobalID(typename, from.fromId), slug: from.fromSlug });
  return copy;
}

interface RedirectRow {
  entityType: string;
  fromId: number;
  fromSlug: string;
  filmId: number | null;
  personId: number | null;
}

const target = (r: RedirectRow) => (r.entityType === 'Film' ? r.filmId : r.personId)!;

/**
 * `nodes(ids:)` (and `node(id:)`) with redirects: the ids are loaded as usual (`loaded`, one
 * batched statement per type); only the Films and People that came back null are looked up
 * among the redirects (one statement), and their survivors loaded (`load`, one batched
 * statement per type). So a request without redirected ids costs nothing more, and one with
 * any number of them two statements more: never one per id.
 */
export async function followNodeRedirects(
  ctx: Pick<Context, 'prisma'>,
  ids: readonly ({ typename: string; id: string } | null | undefined)[],
  loaded: readonly unknown[],
  load: (typename: RedirectedType, ids: string[]) => Promise<unknown[]>,
): Promise<unknown[]> {
  const missing = ids.flatMap((id, i) =>
    id && loaded[i] == null && REDIRECTED.has(id.typename) ? [{ i, typename: id.typename as RedirectedType, id: Number(id.id) }] : [],
  );
  if (missing.length === 0) return [...loaded];
  const redirects = await ctx.prisma.redirect.findMany({
    where: { OR: [...REDIRECTED].map((entityType) => ({ entityType, fromId: { in: missing.filter((m) => m.typename === entityType).map((m) => m.id) } })) },
    select: { entityType: true, fromId: true, fromSlug: true, filmId: true, personId: true },
  });
  const byKey = new Map(redirects.map((r) => [`${r.entityType}:${r.fromId}`, r]));
  const survivors = new Map<string, unknown>();
  await Promise.all(
    [...REDIRECTED].map(async (typename) => {
      const targets = [...new Set(redirects.filter((r) => r.entityType === typename).map((r) => String(target(r))))];
      if (targets.length === 0) return;
      const rows = await load(typename as RedirectedType, targets);
      targets.forEach((id, i) => survivors.set(`${typename}:${id}`, rows[i]));
    }),
  );
  const result = [...loaded];
  for (const m of missing) {
    const redirect = byKey.get(`${m.typename}:${m.id}`);
    const row = redirect && survivors.get(`${m.typename}:${target(redirect)}`);
    if (row && typeof row === 'object') result[m.i] = mark(row, m.typename, redirect);
  }
  return result;
}

/**
 * `film(id: | slug:)` / `person(id: | slug:)` with redirects: `find` reads the record by the
 * given key; only when none matches is the key looked up among the redirects, and the survivor
 * read with the same selection. One statement for a live record, three through a redirect.
 */
export async function findFollowingRedirect<R extends object, W extends { id?: number; slug?: string }>(
  prisma: PrismaClient,
  typename: RedirectedType,
  where: W,
  find: (where: W | { id: number }) => Promise<R | null>,
): Promise<R | null> {
  const row = await find(where);
  if (row || (where.id === undefined && where.slug === undefined)) return row;
  const redirect = await prisma.redirect.findFirst({
    where: { entityType: typename, ...(where.id !== undefined ? { fromId: where.id } : { fromSlug: where.slug! }) },
    select: { entityType: true, fromId: true, fromSlug: true, filmId: true, personId: true },
  });
  if (!redirect) return null;
  const survivor = await find({ id: target(redirect) });
  return survivor && mark(survivor, typename, redirect);
}
