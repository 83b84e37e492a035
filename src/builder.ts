/** The SchemaBuilder: plugins, scalars, auth scopes and Relay options; it defines no types (schema/index.ts builds the schema). */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { resolveUncachedNodesForType } from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { CountryCodeResolver, DateResolver, DateTimeResolver, JSONResolver, NonNegativeIntResolver, URLResolver } from 'graphql-scalars';
import type { GraphQLResolveInfo } from 'graphql';
import * as z from 'zod';
import type { Context } from './context.ts';
import { unauthorizedError } from './auth/identity.ts';
import { invalidCursorError, invalidIdError, userInputError } from './errors.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';
import { prismaCursorArg } from './pagination/cursor.ts';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE, PAGE_ARG_DESCRIPTIONS, pageSizeArg } from './pagination/page-size.ts';
import { createFieldComplexity } from './plugins/cost/model.ts';
import StablePathsPlugin from './plugins/compiled/stable-paths.ts';
import { followNodeRedirects } from './schema/merge/follow.ts';

// Every database id is a positive 32-bit integer; anything else in a global ID is malformed.
// A type without a row of its own is named by the rows it joins: `FilmographyEntry:<person>:<film>`.
const GLOBAL_ID = /^([A-Z][A-Za-z]*):([1-9]\d{0,9}(?::[1-9]\d{0,9})?)$/;
const COMPOSITE_ID_TYPES = new Set(['FilmographyEntry']);
const MAX_DB_ID = 2 ** 31 - 1;

/** `Type:id` from a global ID; INVALID_ID (a GraphQL error) when it is not one this API issues. */
export function decodeGlobalID(globalID: string) {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const match = GLOBAL_ID.exec(decoded);
  const parts = match?.[2]!.split(':').map(Number) ?? [];
  // Round-trip check rejects strings that merely base64-decode to something plausible.
  if (
    !match ||
    Buffer.from(decoded, 'utf8').toString('base64') !== globalID ||
    parts.some((part) => part > MAX_DB_ID) ||
    parts.length !== (COMPOSITE_ID_TYPES.has(match[1]!) ? 2 : 1)
  ) {
    throw invalidIdError(`"${globalID.slice(0, 100)}" is not a valid Cinegraph ID.`);
  }
  return { typename: match[1]!, id: match[2]! };
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  Scalars: {
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    CountryCode: { Input: string; Output: string };
    URL: { Input: URL; Output: URL | string };
    NonNegativeInt: { Input: number; Output: number };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string | number };
  };
}>({
  // scope-auth first, so authorization runs before argument validation and resolvers; stable
  // paths outside everything, so the Prisma plugin finds its plans under graphql-jit too.
  plugins: [StablePathsPlugin, ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  // Scopes (docs/writing.md#api-keys): every query field needs `read` (which everyone has unless
  // READ_REQUIRES_KEY), every mutation `write`, key management and uncited facts `admin`.
  scopeAuth: {
    authScopes: (ctx) => ({
      read: !ctx.readRequiresKey || ctx.identity.scopes.has('read'),
      write: ctx.identity.scopes.has('write'),
      admin: ctx.identity.scopes.has('admin'),
    }),
    unauthorizedError: (_parent, ctx, _info, result) => unauthorizedError(ctx.identity, result.failure),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    // A resolver that ignores `query` silently costs an extra statement per parent.
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'error',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    decodeGlobalID,
    // Descriptions of what the plugin generates (connection arguments and fields, PageInfo, Node,
    // node/nodes): every public element is described (eslint.schema.config.js checks it).
    firstArgOptions: { validate: pageSizeArg('first'), description: PAGE_ARG_DESCRIPTIONS.first },
    afterArgOptions: { validate: prismaCursorArg('after'), description: PAGE_ARG_DESCRIPTIONS.after },
    beforeArgOptions: { validate: prismaCursorArg('before'), description: PAGE_ARG_DESCRIPTIONS.before },
    lastArgOptions: { validate: pageSizeArg('last'), description: PAGE_ARG_DESCRIPTIONS.last },
    cursorFieldOptions: { description: 'Opaque position of this edge; pass it as `after` or `before` to page from here.' },
    nodeFieldOptions: { description: 'The item at the end of the edge.' },
    edgesFieldOptions: { description: 'The page: each item with its cursor.' },
    // `nodes` beside `edges` spares clients the edges { node } boilerplate.
    nodesOnConnection: { description: 'The items of the page, without cursors (same order as `edges`).' },
    pageInfoFieldOptions: { description: 'Where the page lies in the list and the cursors to move from it.' },
    pageInfoTypeOptions: { description: 'Relay paging state of a connection page.' },
    hasNextPageFieldOptions: { description: 'Whether items follow this page (page forwards with `after: endCursor`).' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page (page backwards with `before: startCursor`).' },
    startCursorFieldOptions: { description: "Cursor of the page's first edge; null when the page is empty." },
    endCursorFieldOptions: { description: "Cursor of the page's last edge; null when the page is empty." },
    nodeTypeOptions: { description: 'An object with a global `id`, refetchable with `node(id:)` (Relay Global Object Identification).' },
    idFieldOptions: { description: 'Global ID: opaque and stable; fetch the object again with `node(id:)`.' },
    // A merged-away film's or person's id answers with the survivor (docs/writing.md#merges).
    nodeQueryOptions: {
      description: 'Any object by its global ID (the `id` of any Node type). Null when none exists. A merged-away film or person answers with its survivor.',
      args: { id: { description: 'A global ID, as an `id` field returned it.' } },
      resolve: async (_root, args, ctx, info, resolveNode) =>
        (await followNodeRedirects(ctx, [args.id], [await resolveNode(args.id)], loadNodes(ctx, info)))[0],
    },
    // Checked before any id is loaded; the cost model also prices the list at its length.
    nodesQueryOptions: {
      description: `Objects by global ID, in the order given (at most ${MAX_NODE_IDS}); null in place of an id that names nothing.`,
      args: {
        ids: {
          description: `Global IDs, at most ${MAX_NODE_IDS} (an empty list gives an empty list).`,
          validate: z.array(z.unknown()).max(MAX_NODE_IDS, { message: `\`ids\` lists at most ${MAX_NODE_IDS} ids; split the request.` }),
        },
      },
      resolve: async (_root, args, ctx, info, resolveNodes) => followNodeRedirects(ctx, args.ids, await resolveNodes(args.ids), loadNodes(ctx, info)),
    },
  },
  // Only the cost model lives here; the limit is enforced per request by plugins/cost/cost.ts
  // (before execution, with a coded error and the figure reported in extensions.cost).
  complexity: {
    fieldComplexity: createFieldComplexity(),
    disabled: true,
  },
  validation: {
    validationError: (failure) => {
      const message = failure.issues.map((issue) => issue.message).join('; ');
      const paths = failure.issues.map((issue) => issue.path?.map((p) => (typeof p === 'object' ? p.key : p)));
      // One code for every unusable cursor, nested GPC ones included (keyset cursors: src/pagination/cursor.ts).
      if (paths.every((path) => path?.length === 1 && (path[0] === 'after' || path[0] === 'before'))) {
        return invalidCursorError(message);
      }
      return userInputError(message, {
        issues: failure.issues.map((issue, i) => ({ message: issue.message, path: paths[i] })),
      });
    },
  },
});

/** Loads nodes of one type by id as `nodes(ids:)` does (one batched statement): the survivors of redirected ids (schema/merge/follow.ts). */
function loadNodes(ctx: Context, info: GraphQLResolveInfo): (typename: string, ids: string[]) => Promise<unknown[]> {
  return (typename, ids) => resolveUncachedNodesForType(builder, ctx, info, ids, typename);
}

// `@specifiedBy(url:)` on every custom scalar: the standard its values follow, for clients and codegen.
builder.addScalarType('Date', DateResolver, { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6' });
builder.addScalarType('DateTime', DateTimeResolver, { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6' });
builder.addScalarType('CountryCode', CountryCodeResolver, {
  description: 'A country code as defined by ISO 3166-1 alpha-2 (upper case, e.g. "GB").',
  specifiedByURL: 'https://www.iso.org/iso-3166-country-codes.html',
});
// graphql-scalars parses URLs with the WHATWG URL parser (`new URL()`), not RFC 3986 as its description says.
builder.addScalarType('URL', URLResolver, {
  description: 'An absolute URL, as the WHATWG URL Standard parses it (e.g. "https://example.com/review").',
  specifiedByURL: 'https://url.spec.whatwg.org/',
});
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver, {
  description: 'An Int of 0 or more.',
  specifiedByURL: 'https://spec.graphql.org/October2021/#sec-Int',
});
builder.addScalarType('JSON', JSONResolver, { specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259' });

// Type-level scopes apply to every query field, node/nodes included (READ_REQUIRES_KEY).
builder.queryType({
  description: 'Reads: films, people, reviews, releases, sources and their citations, search, the change feed, and any object by global ID (`node`).',
  authScopes: { read: true },
});
builder.mutationType({
  description:
    'Writes: every mutation needs an API key with the `write` scope (some need `admin`), and every fact it sets needs a citation. See docs/writing.md.',
});
builder.subscriptionType({
  authScopes: { read: true },
  description:
    'Live updates over Server-Sent Events (`accept: text/event-stream`): revisions as they commit, resumable from the change feed. See docs/live.md.',
});
