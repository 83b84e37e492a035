import type { GraphQLError } from 'graphql';

/** What the guard plugins learn about one HTTP request, read back by the request log and the response hooks. */
export interface RequestState {
  id: string;
  startedAt: number;
  /** Rate-limit identity, e.g. `ip:203.0.113.7`; later `key:<api key id>`. */
  client: string;
  operationName?: string | undefined;
  cost?: { requested: number; actual?: number; limit: number };
  rateLimit?: RateLimitStatus;
  errorCodes: string[];
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
