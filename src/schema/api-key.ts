import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { KEY_NAME, KeyNameTakenError, fromApiScope } from '../auth/keys.ts';
import { builder } from '../builder.ts';
import type { ApiKey } from '../generated/prisma/client.ts';
import { ApiScope } from '../generated/prisma/enums.ts';
import { globalId, parseInput } from './write/input.ts';
import { UserErrorException, userErrorsField, type Payload } from './write/write.ts';

// API key management (docs/writing.md#api-keys): admin only, declared on each root field. Keys
// are credentials, not catalogue entities: no revisions, no node(id:) (their ids are global IDs
// of a type `node` does not resolve, so nobody can look one up without the admin scope).

export const ApiScopeEnum = builder.enumType('ApiScope', {
  description: 'What a key may do; each implies the ones before it: ADMIN ⊇ WRITE ⊇ READ.',
  values: {
    READ: { description: 'Every query field, when the server requires a key for reads (READ_REQUIRES_KEY).' },
    WRITE: { description: 'Every mutation, with cited facts.' },
    ADMIN: { description: 'Key management, merges, and facts without citations (with a note).' },
  } satisfies Record<ApiScope, { description: string }>,
});

const ApiKeyRef = builder.prismaObject('ApiKey', {
  description: 'A credential for the API. Its secret is never shown again after creation; only a hash is stored.',
  fields: (t) => ({
    id: t.id({ description: 'Global ID, for revokeApiKey.', resolve: (key) => encodeGlobalID('ApiKey', key.id) }),
    name: t.exposeString('name', { description: 'Unique name, recorded as the actor of its writes.' }),
    prefix: t.exposeString('prefix', { description: 'The public part of the token (`cg_<prefix>_…`), to recognise it.' }),
    scopes: t.field({ type: [ApiScopeEnum], description: 'The scopes granted (implied ones not listed).', resolve: (key) => key.scopes }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last request with it (updated at most once a minute); null if never used.',
    }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it is live.' }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  description: 'A new API key.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique name: 1–64 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or digit.' }),
    scopes: t.field({ type: [ApiScopeEnum], required: true, description: 'The scopes to grant (at least one).' }),
  }),
});

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', {
  description: 'The key to revoke.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The key (ApiKey.id).' }) }),
});

const createSchema = z.object({
  name: z.string().regex(KEY_NAME, 'name is 1–64 letters, digits, . _ : - starting with a letter or digit'),
  scopes: z.array(z.enum(ApiScope)).min(1, 'scopes must grant at least one scope'),
});
const revokeSchema = z.object({ id: globalId('ApiKey') });

const CreateApiKeyPayload = builder.objectRef<Payload<{ apiKey: ApiKey; token: string }>>('CreateApiKeyPayload').implement({
  description: 'The new key and its token, or why it was not created.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, nullable: true, description: 'The key; null on failure.', resolve: (p) => p.apiKey ?? null }),
    token: t.string({
      nullable: true,
      description: 'The token to send as `Authorization: Bearer <token>`. Shown this once: store it now.',
      resolve: (p) => p.token ?? null,
    }),
    userErrors: userErrorsField(t),
  }),
});

const RevokeApiKeyPayload = builder.objectRef<Payload<{ apiKey: ApiKey }>>('RevokeApiKeyPayload').implement({
  description: 'The revoked key, or why it was not revoked.',
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, nullable: true, description: 'The key, with `revokedAt` set; null on failure.', resolve: (p) => p.apiKey ?? null }),
    userErrors: userErrorsField(t),
  }),
});

/** User errors of these non-revision writes, as runWrite would report them. */
async function withUserErrors<T extends object>(fn: () => Promise<T>): Promise<Payload<T>> {
  try {
    return { ...(await fn()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorException) return { userErrors: error.errors } as Payload<T>;
    if (error instanceof KeyNameTakenError) return { userErrors: [{ field: ['input', 'name'], code: 'TAKEN', message: error.message }] } as Payload<T>;
    throw error;
  }
}

builder.queryFields((t) => ({
  apiKeys: t.prismaField({
    type: [ApiKeyRef],
    authScopes: { admin: true },
    description: 'The API keys, newest first. Scope `admin`.',
    args: { includeRevoked: t.arg.boolean({ defaultValue: false, description: 'Also list revoked keys.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.apiKey.findMany({ ...query, where: args.includeRevoked ? {} : { revokedAt: null }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    authScopes: { admin: true },
    description: 'Create an API key; its token is in the payload, once. Scope `admin` (or the ADMIN_TOKEN bootstrap).',
    args: { input: t.arg({ type: CreateApiKeyInput, required: true, description: "The key's name and scopes." }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => {
        const { name, scopes } = parseInput(createSchema, input);
        const { key, token } = await ctx.keys.create({ name, scopes: scopes.map(fromApiScope) });
        return { apiKey: key, token };
      }),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    authScopes: { admin: true },
    description: 'Revoke an API key: requests with it are refused (UNAUTHENTICATED) from now on. Scope `admin`.',
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true, description: 'The key to revoke.' }) },
    resolve: (_root, { input }, ctx) =>
      withUserErrors(async () => {
        const { id } = parseInput(revokeSchema, input);
        const key = await ctx.prisma.apiKey.findUnique({ where: { id } });
        if (!key) throw new UserErrorException([{ field: ['input', 'id'], code: 'NOT_FOUND', message: 'No API key with that id.' }]);
        return { apiKey: (await ctx.keys.revoke(key.prefix))! };
      }),
  }),
}));
