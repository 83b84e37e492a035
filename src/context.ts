import type { Identity } from './auth/identity.ts';
import type { ApiKeys } from './auth/keys.ts';
import type { WriteGate } from './db/gate.ts';
import type { WriteEvents } from './events.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { LiveHub } from './live/hub.ts';
import type { CursorCodec } from './pagination/cursor.ts';

/** A record a mutation wrote, by GraphQL typename and global ID (as clients and the response cache see it). */
export interface EntityRef {
  typename: string;
  /** Absent: every cached read holding any entity of the type (lists whose membership may have changed). */
  id?: string;
}

/** Built once per request in yoga.ts; resolvers read the database only through `prisma`. */
export interface Context {
  prisma: PrismaClient;
  /** Signs and checks the keyset cursors of `films` and `people` (CURSOR_SECRET). */
  cursors: CursorCodec;
  /** The caller, resolved once per request (auth/identity.ts, plugins/identity.ts). */
  identity: Identity;
  /** READ_REQUIRES_KEY: query fields need the `read` scope (builder.ts scopeAuth). */
  readRequiresKey: boolean;
  /** The API key store (admin mutations createApiKey/revokeApiKey, query apiKeys). */
  keys: ApiKeys;
  /** The request's Idempotency-Key header, if any (schema/write/idempotency.ts). */
  idempotencyKey: string | null;
  /** Post-commit hook of writes: "these revisions committed" (events.ts). */
  events: WriteEvents;
  /** Bounds the write transactions running at once, so writes cannot take every pooled connection (db/gate.ts). */
  writes: WriteGate;
  /**
   * Every entity a mutation changed (`w.touched` in schema/write/run.ts), after its transaction
   * committed; the response cache drops cached reads that contained any of them once the
   * mutation has finished.
   */
  written: EntityRef[];
  /** The process's live-subscription hub (live/hub.ts): subscriptions listen to it. */
  live: LiveHub;
  /** The HTTP request (its state in plugins/request-state.ts, the SSE Last-Event-ID header). */
  request: Request;
}
