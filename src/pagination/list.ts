import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { CursorCodec } from './cursor.ts';
import { decodeCursors, keysetPage, type KeysetArgs, type KeysetPage, type SortKey } from './keyset.ts';

/** One keyset-paged list (films, people): where its rows come from and how a page of them loads. */
export interface KeysetList<Row extends { id: number }> {
  /** The node type, whose selection under `nodes` and `edges.node` the Prisma plugin plans. */
  typeName: string;
  /** Sort keys and the signature its cursors are bound to ("<list>|<orderBy>"). */
  ordering: { keys: SortKey[]; signature: string };
  /** `FROM … WHERE …` of the listed rows, each row's id named by `idExpr`. */
  source: Prisma.Sql;
  idExpr: Prisma.Sql;
  /** Loads the page's rows by id with the planned Prisma query (one statement, relations included). */
  load: (query: object, ids: number[]) => Promise<Row[]>;
}

/** Fields of the connection that run a statement only when selected (and once, even when aliased). */
export type LazyFields = Record<string, () => Promise<unknown>>;

/** Memoized so a field selected twice (aliases) still runs its statement once. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** A list's page: its rows' ids and cursors in order, whether pages lie either side, and its lazy `totalCount`. */
export interface ListPage extends KeysetPage {
  totalCount: () => Promise<number>;
}

/**
 * The page step every keyset list shares: decode the cursors (before any SQL), one statement for
 * the page's ids and sort keys, and a lazy `totalCount`. Hot documents answered in SQL
 * (plugins/compiled/sql) load the rows themselves.
 */
export async function keysetListPage<Row extends { id: number }>(
  ctx: { prisma: PrismaClient; cursors: CursorCodec },
  args: KeysetArgs,
  list: Omit<KeysetList<Row>, 'typeName' | 'load'>,
): Promise<ListPage> {
  const { keys, signature } = list.ordering;
  const cursors = decodeCursors(ctx.cursors, signature, keys, args);
  const page = await keysetPage(ctx.prisma, { codec: ctx.cursors, ordering: signature, source: list.source, idExpr: list.idExpr, keys, args, ...cursors });
  const totalCount = once(async () => {
    const [row] = await ctx.prisma.$queryRaw<{ count: number }[]>`SELECT CAST(count(*) AS int) AS "count" ${list.source}`;
    return row!.count;
  });
  return { ...page, totalCount };
}

/**
 * The skeleton every keyset list shares: the page (keysetListPage), one statement to load those
 * rows with the client's selection, and a lazy `totalCount` (plus the list's own lazy fields)
 * beside the Relay connection.
 */
export async function resolveKeysetList<Row extends { id: number }, Extra extends LazyFields>(
  ctx: { prisma: PrismaClient; cursors: CursorCodec },
  info: GraphQLResolveInfo,
  args: KeysetArgs,
  list: KeysetList<Row>,
  extras: Extra = {} as Extra,
) {
  const { totalCount, ...page } = await keysetListPage(ctx, args, list);
  const query = queryFromInfo({ context: ctx, info, typeName: list.typeName, select: { id: true }, paths: [['nodes'], ['edges', 'node']] });
  const ids = page.rows.map((r) => r.id);
  const loaded = ids.length ? await list.load(query, ids) : [];
  return toConnection(page, loaded, { totalCount, ...extras });
}

/** Relay connection result for Pothos: edges in page order with their rows loaded by id. */
function toConnection<T extends { id: number }, Extra extends object>(page: KeysetPage, loaded: T[], extra: Extra) {
  const byId = new Map(loaded.map((row) => [row.id, row]));
  // A row deleted between the two statements is dropped rather than failing the page.
  const edges = page.rows.filter((r) => byId.has(r.id)).map((r) => ({ cursor: r.cursor, node: byId.get(r.id)! }));
  return {
    ...extra,
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
