import type { GraphQLError } from 'graphql';
import type { Identity } from '../auth/identity.ts';

/** What the guard plugins learn about one HTTP request, read back by the request log and the response hooks. */
export interface RequestState {
  id: string;
  startedAt: number;
  /** Rate-limit identity: `key:<api key id>` (or `key:admin-token`) when a valid key is sent, else `ip:203.0.113.7`. */
  client: string;
  /** Who is calling, resolved once in onParams (plugins/identity.ts); the context reads it. */
  identity?: Identity;
  operationName?: string | undefined;
  cost?: { requested: number; actual?: number; limit: number };
  rateLimit?: RateLimitStatus;
  errorCodes: string[];
  /** A subscription's latest event: its change-feed cursor, the SSE event id (plugins/live/sse.ts). */
  liveCursor?: string;
}

export interface RateLimitStatus {
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
  windowSeconds: number;
  allowed: boolean;
}

const states = new WeakMap<Request, RequestState>();

/** The state of `request`, created on first use (the request log creates it first). */
export function requestState(request: Request): RequestState {
  let state = states.get(request);
  if (!state) {
    state = { id: '', startedAt: performance.now(), client: 'unknown', errorCodes: [] };
    states.set(request, state);
  }
  return state;
}

export function errorCode(error: GraphQLError | { extensions?: Record<string, unknown> }): string {
  const code = error.extensions?.['code'];
  return typeof code === 'string' ? code : 'UNKNOWN';
}
