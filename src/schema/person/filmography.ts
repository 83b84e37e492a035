import type { IndirectInclude } from '@pothos/plugin-prisma';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Credit, Film, Prisma } from '../../generated/prisma/client.ts';
import { prismaCursor, prismaCursorId } from '../../pagination/cursor.ts';
import { requestedPageSize } from '../../pagination/page-size.ts';
import { creditOrder, CreditRef } from '../credit.ts';
import { FilmRef } from '../film/film.ts';

/**
 * Newest film first (films without a year last), then by title, then film id — so one film's
 * credits are adjacent; within a film, cast before crew, in billing order, then department,
 * job and id (as `Film.credits`).
 */
const filmographyCreditOrder = [
  { film: { year: { sort: 'desc', nulls: 'last' } } },
  { film: { title: 'asc' } },
  { filmId: 'asc' },
  ...creditOrder,
] satisfies Prisma.CreditOrderByWithRelationInput[];

interface FilmographyEntry {
  personId: number;
  film: Film;
  roles: Credit[];
}

/** The global id's local part: the person and the film, `<personId>:<filmId>`. */
const entryKey = (personId: number, filmId: number) => `${personId}:${filmId}`;

/**
 * `node(id:)` / `nodes(ids:)`: every requested entry in one statement (the credits of those
 * person–film pairs with their films), grouped per pair. The films and roles carry every column,
 * so the client's scalar selections need no further statement; relations under them are batched
 * by the Prisma plugin per request.
 */
async function loadEntries(keys: string[], ctx: Context): Promise<(FilmographyEntry | null)[]> {
  const pairs = keys.map((key) => key.split(':').map(Number) as [number, number]);
  const credits = await ctx.prisma.credit.findMany({
    where: { OR: pairs.map(([personId, filmId]) => ({ personId, filmId })) },
    include: { film: true },
    orderBy: creditOrder,
  });
  const byKey = new Map<string, FilmographyEntry>();
  for (const { film, ...credit } of credits) {
    const key = entryKey(credit.personId, credit.filmId);
    const entry = byKey.get(key);
    if (entry) entry.roles.push(credit);
    else byKey.set(key, { personId: credit.personId, film, roles: [credit] });
  }
  // A pair with no credit (removed since, or never there) is no entry: null, as for other nodes.
  return keys.map((key) => byKey.get(key) ?? null);
}

const FilmographyEntryRef = builder.objectRef<FilmographyEntry>('FilmographyEntry');

builder.node(FilmographyEntryRef, {
  description:
    "One film of a person's filmography with every role they had on it. Its id is stable (the person and the film), so a client can refetch it with `node(id:)`.",
  id: { resolve: (entry) => entryKey(entry.personId, entry.film.id) },
  loadMany: (keys, ctx) => loadEntries(keys, ctx),
  fields: (t) => ({
    film: t.field({ type: FilmRef, description: 'The film.', resolve: (entry) => entry.film }),
    roles: t.field({
      type: [CreditRef],
      description: 'Cast roles (billing order) before crew roles (department, job).',
      resolve: (entry) => entry.roles,
    }),
    asCast: t.boolean({ description: 'Whether any role is a cast role.', resolve: (entry) => entry.roles.some((r) => r.kind === 'CAST') }),
    jobs: t.stringList({
      description: 'Distinct jobs in role order, e.g. ["Director", "Writer"]; "Actor" for cast roles.',
      resolve: (entry) => [...new Set(entry.roles.map((r) => r.job))],
    }),
  }),
});

/**
 * Where the client selects fields of a Film / Credit under this connection: through `nodes` or
 * `edges.node`. `nestedSelection` takes such a multi-path include at run time (it is how the
 * plugin plans its own connections), though its declared `path` type is a single path — hence
 * the `as never` where it is passed.
 */
const under = (typeName: string, field: string): IndirectInclude => ({
  getType: () => typeName,
  paths: [
    [{ name: 'nodes' }, { name: field }],
    [{ name: 'edges' }, { name: 'node' }, { name: field }],
  ],
});

// A Pothos connection, so its cursors are the Prisma plugin's id cursors (here the film id),
// checked by the builder-wide `after`/`before` validation before the resolver reads them.

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/**
 * Relay paging over a list that is already complete in memory. A cursor naming a film that is
 * not in the list (e.g. a credit removed since) gives an empty page, as elsewhere in the API.
 */
function pageOf(entries: FilmographyEntry[], args: PageArgs) {
  const position = (cursor: string) => entries.findIndex((e) => e.film.id === prismaCursorId(cursor));
  let start = 0;
  let end = entries.length;
  if (args.after) {
    const at = position(args.after);
    start = at < 0 ? end : at + 1;
  }
  if (args.before) {
    const at = position(args.before);
    end = at < 0 ? start : Math.max(start, at);
  }
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  if (args.first == null && args.last == null) end = Math.min(end, start + requestedPageSize(args));
  const edges = entries.slice(start, end).map((node) => ({ cursor: prismaCursor(node.film.id), node }));
  return {
    edges,
    totalCount: entries.length,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < entries.length,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

builder.prismaObjectField('Person', 'filmography', (t) =>
  t.connection(
    {
      type: FilmographyEntryRef,
      description:
        "One entry per film with all of this person's roles on it: newest film first (films " +
        'without a year last), then by title, then film id. Pages of at most 100 entries.',
      // A person's credits are loaded whole with the page of people (relationJoins: no extra
      // statement per person) and grouped per film here; paging a grouped list in SQL would
      // need one query per person.
      // The base selects hold what grouping, `asCast` and `jobs` need, whatever the client asks
      // for; the client's selections under `roles` and `film` are merged into them.
      select: (_args, _ctx, nestedSelection) => ({
        credits: nestedSelection(
          {
            orderBy: filmographyCreditOrder,
            select: {
              id: true,
              filmId: true,
              kind: true,
              job: true,
              film: nestedSelection({ select: { id: true } }, under('Film', 'film') as never),
            },
          },
          under('Credit', 'roles') as never,
        ),
      }),
      resolve: (person, args) => {
        const entries: FilmographyEntry[] = [];
        // Rows carry the base columns plus whatever the client selected under `roles` / `film`.
        for (const credit of person.credits as (Credit & { film: Film })[]) {
          const last = entries.at(-1);
          if (last && last.film.id === credit.filmId) last.roles.push(credit);
          else entries.push({ personId: person.id, film: credit.film, roles: [credit] });
        }
        return pageOf(entries, args);
      },
    },
    {
      name: 'FilmographyConnection',
      description: "A page of a person's filmography: one entry per film.",
      fields: (c) => ({ totalCount: c.int({ description: 'Number of films.', resolve: (page) => page.totalCount }) }),
    },
    { name: 'FilmographyEntryEdge', description: 'A filmography entry and its cursor.' },
  ),
);
