/**
 * Search: the `search` root field, its result union and connection.
 * Siblings: query.ts (words, arguments, what a cursor is bound to) · sql.ts (the ranking statement).
 */
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Film, Person, Publication } from '../../generated/prisma/client.ts';
import type { CursorPosition } from '../../pagination/cursor.ts';
import { decodeCursors } from '../../pagination/keyset.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageSizeArg, requestedPageSize } from '../../pagination/page-size.ts';
import { MAX_QUERY_LENGTH, queryArg, SEARCH_CURSOR_KEYS, SEARCH_TYPES, searchOrdering, searchTerms, typesArg, TYPE_RANK, type SearchType } from './query.ts';
import { runSearch, SEARCH_WINDOW, type SearchField } from './sql.ts';
import { FilmRef } from '../film/film.ts';
import { PersonRef } from '../person/person.ts';
import { PublicationRef } from '../review/outlet.ts';

const SearchTypeEnum = builder.enumType('SearchType', {
  values: {
    FILM: { description: 'Films: title, original title, alternative titles, synopsis.' },
    PERSON: { description: 'People: name and aliases.' },
    PUBLICATION: { description: 'Publications: name.' },
  } as const satisfies Record<SearchType, { description: string }>,
  description: 'What `search` looks through.',
});

const SearchFieldEnum = builder.enumType('SearchField', {
  values: {
    TITLE: { description: "A film's title." },
    ORIGINAL_TITLE: { description: "A film's original title." },
    ALTERNATIVE_TITLE: { description: 'One of a film\'s alternative or localized titles (e.g. "Elle" for *Her* in France).' },
    SYNOPSIS: { description: "A word of a film's synopsis (stemmed English)." },
    NAME: { description: "A person's or a publication's name." },
    ALIAS: { description: 'Another spelling of a person’s name.' },
  } as const satisfies Record<SearchField, { description: string }>,
  description:
    'The field whose match gave a result its score. TITLE, ORIGINAL_TITLE, ALTERNATIVE_TITLE, SYNOPSIS: films; NAME: people and publications; ALIAS: another spelling of a person’s name.',
});

// The union's members are Prisma rows, which do not say which model they came from; the
// resolver records it here as it loads them.
const resultTypes = new WeakMap<object, 'Film' | 'Person' | 'Publication'>();

const SearchResult = builder.unionType('SearchResult', {
  description: 'What `search` finds: a film, a person or a publication.',
  types: [FilmRef, PersonRef, PublicationRef],
  resolveType: (row) => resultTypes.get(row)!,
});

// Rows carry only the columns the client's selection needs (the Prisma plugin plans them), as
// every Prisma object's rows do; the full model type is what Pothos expects of a member.
type ResultRow = Film | Person | Publication;

interface SearchEdgeShape {
  cursor: string;
  node: ResultRow;
  score: number;
  matchedField: SearchField;
}

interface SearchConnectionShape {
  edges: SearchEdgeShape[];
  totalCount: number;
  totalCountIsExact: boolean;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const SearchEdge = builder.objectRef<SearchEdgeShape>('SearchEdge').implement({
  description: 'A search result, its score and its cursor.',
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Opaque position of this result; pass it as `after` or `before` (with the same `query` and `types`).' }),
    node: t.field({ type: SearchResult, description: 'The film, person or publication found.', resolve: (edge) => edge.node }),
    score: t.exposeFloat('score', { description: 'Relevance; higher is better. How it is computed: docs/search.md#score.' }),
    matchedField: t.expose('matchedField', { type: SearchFieldEnum, description: 'The field whose match gave the score.' }),
  }),
});

const SearchConnection = builder.objectRef<SearchConnectionShape>('SearchConnection').implement({
  description: `A page of search results, most relevant first, within the best ${SEARCH_WINDOW}.`,
  fields: (t) => ({
    edges: t.field({ type: [SearchEdge], description: 'The page: each result with its score and cursor.', resolve: (c) => c.edges }),
    nodes: t.field({ type: [SearchResult], description: 'The results of the page, without scores or cursors.', resolve: (c) => c.edges.map((e) => e.node) }),
    pageInfo: t.field({
      type: builder.pageInfoRef(),
      description: 'Where the page lies in the results and the cursors to move from it.',
      resolve: (c) => c.pageInfo,
    }),
    totalCount: t.int({
      description:
        'How many rows match. Exact when `totalCountIsExact`; otherwise a lower bound: a broad query stops counting once its candidates fill the search window (docs/search.md#totalcount-and-totalcountisexact).',
      resolve: (c) => c.totalCount,
    }),
    totalCountIsExact: t.boolean({
      description: 'False when more rows match than `totalCount` (and than the pages reach).',
      resolve: (c) => c.totalCountIsExact,
    }),
  }),
});

const MODELS = {
  FILM: { typeName: 'Film', load: (ctx: Context, query: object, ids: number[]) => ctx.prisma.film.findMany({ ...query, where: { id: { in: ids } } }) },
  PERSON: { typeName: 'Person', load: (ctx: Context, query: object, ids: number[]) => ctx.prisma.person.findMany({ ...query, where: { id: { in: ids } } }) },
  PUBLICATION: {
    typeName: 'Publication',
    load: (ctx: Context, query: object, ids: number[]) => ctx.prisma.publication.findMany({ ...query, where: { id: { in: ids } } }),
  },
} as const satisfies Record<SearchType, { typeName: 'Film' | 'Person' | 'Publication'; load: unknown }>;

const TYPE_BY_RANK = Object.fromEntries(Object.entries(TYPE_RANK).map(([type, rank]) => [rank, type])) as Record<number, SearchType>;

/**
 * One findMany per type on the page, with the client's selection under `edges.node` and `nodes`
 * planned by the Prisma plugin, so nested relations cost no statement per result.
 */
async function loadRows(ctx: Context, info: GraphQLResolveInfo, idsByType: Map<SearchType, number[]>) {
  const rows = new Map<string, ResultRow>();
  await Promise.all(
    [...idsByType].map(async ([type, ids]) => {
      const model = MODELS[type];
      const query = queryFromInfo({
        context: ctx,
        info,
        typeName: model.typeName,
        paths: [['edges', 'node'], ['nodes']],
        select: { id: true },
      });
      for (const row of (await model.load(ctx, query, ids)) as ResultRow[]) {
        resultTypes.set(row, model.typeName);
        rows.set(`${type}:${row.id}`, row);
      }
    }),
  );
  return rows;
}

builder.queryFields((t) => ({
  search: t.field({
    type: SearchConnection,
    description: `Films, people and publications matching \`query\`, most relevant first: full-text and trigram (typo-tolerant), accent- and case-insensitive; the last word also matches as a prefix. Pages reach the best ${SEARCH_WINDOW} results, forwards (\`first\`/\`after\`) or backwards (\`last\`/\`before\`).`,
    args: {
      query: t.arg.string({
        required: true,
        description: `Words to find, 1–${MAX_QUERY_LENGTH} characters with at least one letter or digit.`,
        validate: queryArg,
      }),
      types: t.arg({ type: [SearchTypeEnum], required: false, description: 'Types to search (default: all).', validate: typesArg }),
      first: t.arg.int({
        required: false,
        description: `Page size from the top (or from \`after\`), 0–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}). Not with \`last\`.`,
        validate: pageSizeArg('first'),
      }),
      after: t.arg.string({ required: false, description: 'An `endCursor` or edge `cursor` of this search: the page starts after that result.' }),
      last: t.arg.int({
        required: false,
        description: `Page size from the bottom of the window (or from \`before\`), 0–${MAX_PAGE_SIZE}: pages backwards. Not with \`first\`.`,
        validate: pageSizeArg('last'),
      }),
      before: t.arg.string({ required: false, description: 'A `startCursor` or edge `cursor` of this search: the page ends before that result.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const terms = searchTerms(args.query);
      const types = SEARCH_TYPES.filter((type) => !args.types || args.types.includes(type));
      const ordering = searchOrdering(terms, types);
      // Cursors are checked (signature, search binding, key types) before any SQL runs.
      const { after: afterPosition, before: beforePosition } = decodeCursors(ctx.cursors, ordering, SEARCH_CURSOR_KEYS, args);
      const key = (position: CursorPosition | undefined) => position && { score: position.keys[0]!, type: Number(position.keys[1]), id: position.id };
      const after = key(afterPosition) ?? null;
      const before = key(beforePosition) ?? null;
      const backward = args.last != null;
      const size = requestedPageSize(args);

      // One row more than the page tells whether more results lie beyond it in the paging direction.
      const found = await runSearch(ctx.prisma, { terms, types, after, before, backward, take: size + 1 });
      const more = found.hits.length > size;
      // Hits come in ranking order; paging backwards, the extra row is the first one.
      const page = backward ? found.hits.slice(Math.max(0, found.hits.length - size)) : found.hits.slice(0, size);
      const idsByType = new Map<SearchType, number[]>();
      for (const hit of page) {
        const type = TYPE_BY_RANK[hit.type]!;
        idsByType.set(type, [...(idsByType.get(type) ?? []), hit.id]);
      }
      const rows = await loadRows(ctx, info, idsByType);
      const edges = page.flatMap((hit) => {
        const node = rows.get(`${TYPE_BY_RANK[hit.type]}:${hit.id}`);
        // A row deleted between the ranking statement and the load is left out of the page.
        if (!node) return [];
        const cursor = ctx.cursors.encode({ ordering, keys: [hit.score, String(hit.type)], id: hit.id });
        return [{ cursor, node, score: Number(hit.score), matchedField: hit.field }];
      });
      // On the side a cursor came from, its own result (at least) lies beyond the page, as in
      // every keyset list of the API (src/pagination/keyset.ts).
      return {
        edges,
        totalCount: found.total,
        totalCountIsExact: found.exact,
        pageInfo: {
          hasNextPage: backward ? before !== null : more,
          hasPreviousPage: backward ? more : after !== null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
}));
