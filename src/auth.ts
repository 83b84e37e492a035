import { createHash, timingSafeEqual } from 'node:crypto';

/** Who is calling, derived once per request from its headers (see context.ts). */
export interface Identity {
  /** The request carries credentials (Authorization or x-api-key): never served from or stored in the shared cache. */
  credentialed: boolean;
  /** The request presented the configured ADMIN_TOKEN. */
  admin: boolean;
  /** An ADMIN_TOKEN is configured at all; without one, mutations are disabled. */
  adminConfigured: boolean;
}

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

export function identify(headers: Headers, adminToken: string | undefined): Identity {
  const authorization = headers.get('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return {
    credentialed: hasCredentials(headers),
    admin: Boolean(adminToken && bearer && tokenMatches(bearer, adminToken)),
    adminConfigured: Boolean(adminToken),
  };
}
