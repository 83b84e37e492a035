/** The SchemaBuilder: plugins, scalars, auth scopes and Relay options; it defines no types (schema/index.ts builds the schema). */
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { CountryCodeResolver, DateResolver, DateTimeResolver, JSONResolver, NonNegativeIntResolver, URLResolver } from 'graphql-scalars';
import { z } from 'zod';
import type { Context } from './context.ts';
import { unauthorizedError } from './auth/identity.ts';
import { invalidCursorError, invalidIdError, userInputError } from './errors.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';
import { prismaCursorArg } from './pagination/cursor.ts';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE, pageSizeArg } from './pagination/page-size.ts';
import { createFieldComplexity } from './plugins/cost/model.ts';

// Every database id is a positive 32-bit integer; anything else in a global ID is malformed.
const GLOBAL_ID = /^([A-Z][A-Za-z]*):([1-9]\d{0,9})$/;

/** `Type:id` from a global ID; INVALID_ID (a GraphQL error) when it is not one this API issues. */
export function decodeGlobalID(globalID: string) {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const match = GLOBAL_ID.exec(decoded);
  // Round-trip check rejects strings that merely base64-decode to something plausible.
  if (!match || Buffer.from(decoded, 'utf8').toString('base64') !== globalID || Number(match[2]) > 2 ** 31 - 1) {
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
  // scope-auth first, so authorization runs before argument validation and resolvers.
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, ValidationPlugin, ComplexityPlugin],
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
    // `nodes` beside `edges` spares clients the edges { node } boilerplate.
    nodesOnConnection: true,
    decodeGlobalID,
    firstArgOptions: { validate: pageSizeArg('first') },
    afterArgOptions: { validate: prismaCursorArg('after') },
    beforeArgOptions: { validate: prismaCursorArg('before') },
    lastArgOptions: { validate: pageSizeArg('last') },
    // Checked before any id is loaded; the cost model also prices the list at its length.
    nodesQueryOptions: {
      args: { ids: { validate: z.array(z.unknown()).max(MAX_NODE_IDS, { message: `\`ids\` lists at most ${MAX_NODE_IDS} ids; split the request.` }) } },
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

builder.addScalarType('Date', DateResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('CountryCode', CountryCodeResolver);
builder.addScalarType('URL', URLResolver);
builder.addScalarType('NonNegativeInt', NonNegativeIntResolver);
builder.addScalarType('JSON', JSONResolver);

// Type-level scopes apply to every query field, node/nodes included (READ_REQUIRES_KEY).
builder.queryType({ authScopes: { read: true } });
builder.mutationType({
  description:
    'Writes: every mutation needs an API key with the `write` scope (some need `admin`), and every fact it sets needs a citation. See docs/writing.md.',
});
builder.subscriptionType({
  authScopes: { read: true },
  description:
    'Live updates over Server-Sent Events (`accept: text/event-stream`): revisions as they commit, resumable from the change feed. See docs/live.md.',
});
