/**
 * Who is calling: the identity of one request, resolved once from its `Authorization` header
 * before the rate limiter charges it (plugins/identity.ts), then read by scope-auth (builder.ts)
 * and by writes (the actor of a change set). Siblings: keys.ts (API keys: token format, hashing,
 * create/list/revoke) · cli.ts (`npm run keys`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createGraphQLError } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import type { ApiKeys } from './keys.ts';

/** What a caller may do. Each scope implies the ones below it: admin ⊇ write ⊇ read. */
export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

/** The scopes a key granted `granted` holds, with the implied ones. */
export function impliedScopes(granted: Iterable<Scope>): ReadonlySet<Scope> {
  const rank = Math.max(-1, ...[...granted].map((s) => SCOPES.indexOf(s)));
  return new Set(SCOPES.slice(0, rank + 1));
}

export interface Identity {
  /**
   * anonymous: no usable credentials; key: a valid API key; admin-token: the ADMIN_TOKEN bootstrap;
   * local: a command-line tool run with the database's own credentials (e.g. `npm run ingest`).
   */
  kind: 'anonymous' | 'key' | 'admin-token' | 'local';
  /** The API key's id (kind key). */
  keyId?: number;
  /** Recorded as the actor of the caller's writes: the key's name, or "admin-token". */
  name?: string;
  /** Effective scopes (implied ones included). */
  scopes: ReadonlySet<Scope>;
  /** The request carries credentials (Authorization or x-api-key): never served from or stored in the shared cache. */
  credentialed: boolean;
  /** A bearer token was sent but not accepted: why (the answer to a field that needs a scope says so). */
  rejected?: 'unknown' | 'revoked';
}

export const ANONYMOUS: Identity = { kind: 'anonymous', scopes: new Set(), credentialed: false };

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time token check: both sides are hashed first so the comparison takes the same
 * time whatever the length or prefix of the presented token.
 */
export function tokenMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export function hasCredentials(headers: Headers): boolean {
  return headers.has('authorization') || headers.has('x-api-key');
}

/** The token of `Authorization: Bearer <token>`, or undefined (other schemes are not ours and are ignored). */
export function bearerToken(headers: Headers): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(headers.get('authorization') ?? '')?.[1];
}

/**
 * The identity of a request. The admin token is checked first (no database); a token in the API
 * key format costs one indexed lookup by its prefix. A token that is neither leaves the caller
 * anonymous (reads stay public) with the reason kept for the error of any field that needs a scope.
 */
export async function resolveIdentity(headers: Headers, options: { adminToken?: string | undefined; keys: ApiKeys }): Promise<Identity> {
  const credentialed = hasCredentials(headers);
  const token = bearerToken(headers);
  if (!token) return credentialed ? { ...ANONYMOUS, credentialed } : ANONYMOUS;
  if (options.adminToken && tokenMatches(token, options.adminToken)) {
    return { kind: 'admin-token', name: 'admin-token', scopes: impliedScopes(['admin']), credentialed };
  }
  const found = await options.keys.verify(token);
  if (found.status !== 'valid') return { ...ANONYMOUS, credentialed, rejected: found.status };
  return { kind: 'key', keyId: found.key.id, name: found.key.name, scopes: impliedScopes(found.key.scopes), credentialed };
}

/** The scope names a scope-auth failure needed (nested any/all failures flattened). */
export function missingScopes(failure: unknown): Scope[] {
  const found = new Set<Scope>();
  const walk = (f: unknown) => {
    if (!f || typeof f !== 'object') return;
    const { scope, failures } = f as { scope?: unknown; failures?: unknown[] };
    if (typeof scope === 'string' && (SCOPES as string[]).includes(scope)) found.add(scope as Scope);
    failures?.forEach(walk);
  };
  walk(failure);
  return [...found].sort((a, b) => SCOPES.indexOf(a) - SCOPES.indexOf(b));
}

/**
 * The error of a field the caller may not use: UNAUTHENTICATED without a usable key (none,
 * unknown, revoked), FORBIDDEN for a valid key that lacks the scope. Raised by scope-auth.
 */
export function unauthorizedError(identity: Identity, failure: unknown) {
  const needed = missingScopes(failure);
  // Any of the needed scopes would do (scope-auth's default is "any"): name the least of them.
  const scope = needed[0] ?? 'read';
  const how = `send \`Authorization: Bearer <API key>\` with a key that has the \`${scope}\` scope (docs/writing.md#api-keys)`;
  if (identity.kind === 'anonymous') {
    const message =
      identity.rejected === 'revoked'
        ? `This API key has been revoked; ${how}.`
        : identity.rejected === 'unknown'
          ? `The bearer token is not a valid API key; ${how}.`
          : `This needs an API key: ${how}.`;
    return createGraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  }
  return createGraphQLError(`The API key "${identity.name}" lacks the \`${scope}\` scope this needs.`, {
    extensions: { code: ErrorCode.FORBIDDEN, requiredScopes: needed },
  });
}
