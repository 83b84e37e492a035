/** API keys: the token format, hashed storage, constant-time verification, and create/list/revoke (CLI and admin mutations). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Prisma, type ApiKey, type ApiScope, type PrismaClient } from '../generated/prisma/client.ts';
import type { Scope } from './identity.ts';

/**
 * API keys: `cg_<prefix>_<secret>`, 12 hex characters of public prefix (listed, used to find
 * the key and to revoke it) and 32 random bytes of secret (base64url). Only the SHA-256 of the
 * whole token is stored, so a database leak yields no usable key; the token is shown once.
 * Hand-written rather than a library: random bytes, a hash and a constant-time compare are all
 * node:crypto needs to do, and the format is ours (GitHub's and Stripe's keys are the model).
 */
const TOKEN = /^cg_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** lastUsedAt is written at most this often per key (and process), so reads with a key stay reads. */
const TOUCH_INTERVAL_MS = 60_000;

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

export const toApiScope = (scope: Scope): ApiScope => scope.toUpperCase() as ApiScope;
export const fromApiScope = (scope: ApiScope): Scope => scope.toLowerCase() as Scope;

export type KeyCheck = { status: 'valid'; key: { id: number; name: string; scopes: Scope[] } } | { status: 'unknown' | 'revoked' };

export class KeyNameTakenError extends Error {
  override name = 'KeyNameTakenError';
}

/** The key store of one server (or CLI run): verification for requests, and management. */
export class ApiKeys {
  readonly #prisma: PrismaClient;
  readonly #touched = new Map<number, number>();

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /** Is `token` a live key? One indexed lookup by prefix, then a constant-time compare of hashes. */
  async verify(token: string): Promise<KeyCheck> {
    const match = TOKEN.exec(token);
    if (!match) return { status: 'unknown' };
    const key = await this.#prisma.apiKey.findUnique({ where: { prefix: match[1]! } });
    if (!key || !timingSafeEqual(Buffer.from(sha256(token), 'hex'), Buffer.from(key.secretHash, 'hex'))) return { status: 'unknown' };
    if (key.revokedAt) return { status: 'revoked' };
    await this.#touch(key.id);
    return { status: 'valid', key: { id: key.id, name: key.name, scopes: key.scopes.map(fromApiScope) } };
  }

  async #touch(id: number): Promise<void> {
    const now = Date.now();
    if (now - (this.#touched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.#touched.set(id, now);
    // The condition keeps several instances from writing it more often than once a minute between them.
    await this.#prisma.apiKey.updateMany({
      where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - TOUCH_INTERVAL_MS) } }] },
      data: { lastUsedAt: new Date(now) },
    });
  }

  /** A new key; the token is returned once and never stored. */
  async create(input: { name: string; scopes: Scope[] }, prisma: Pick<PrismaClient, 'apiKey'> = this.#prisma): Promise<{ key: ApiKey; token: string }> {
    const prefix = randomBytes(6).toString('hex');
    const token = `cg_${prefix}_${randomBytes(32).toString('base64url')}`;
    const scopes = [...new Set(input.scopes)].map(toApiScope);
    try {
      const key = await prisma.apiKey.create({ data: { name: input.name, prefix, secretHash: sha256(token), scopes } });
      return { key, token };
    } catch (error) {
      // The name is unique; a prefix clash (48 random bits) would need ~16 million keys to be likely.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw new KeyNameTakenError(`A key named "${input.name}" already exists (names stay taken after a key is revoked).`);
      }
      throw error;
    }
  }

  /** Every key, newest first (revoked ones too when asked). */
  list(options: { includeRevoked?: boolean } = {}): Promise<ApiKey[]> {
    return this.#prisma.apiKey.findMany({
      where: options.includeRevoked ? {} : { revokedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** Revoke by name or prefix; null when no key matches. Revoking twice keeps the first time. */
  async revoke(nameOrPrefix: string, prisma: Pick<PrismaClient, 'apiKey'> = this.#prisma): Promise<ApiKey | null> {
    const key = await prisma.apiKey.findFirst({ where: { OR: [{ name: nameOrPrefix }, { prefix: nameOrPrefix }] } });
    if (!key) return null;
    if (key.revokedAt) return key;
    return prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
  }
}
