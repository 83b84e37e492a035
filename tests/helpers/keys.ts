import type { Scope } from '../../src/auth/identity.ts';
import { ApiKeys } from '../../src/auth/keys.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';

export type Headers = Record<string, string>;

export const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

let made = 0;

/** A live API key with `scopes` (named uniquely), as `Authorization` headers, with its token and row id. */
export async function apiKey(prisma: PrismaClient, scopes: Scope[], name = `test-${scopes.join('-')}-${process.pid}-${++made}`) {
  const { key, token } = await new ApiKeys(prisma).create({ name, scopes });
  return { headers: bearer(token), token, id: key.id, name: key.name, prefix: key.prefix };
}

/** The usual cast of callers of a write test: one key per scope, and a revoked write key. */
export async function testKeys(prisma: PrismaClient) {
  const [read, write, admin, revoked] = await Promise.all([
    apiKey(prisma, ['read']),
    apiKey(prisma, ['write']),
    apiKey(prisma, ['admin']),
    apiKey(prisma, ['write']),
  ]);
  await new ApiKeys(prisma).revoke(revoked.prefix);
  return { read, write, admin, revoked };
}
