import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Identity } from '../auth/identity.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { ErrorCode } from '../errors.ts';
import { requestState } from './request-state.ts';

/**
 * Resolves the caller's identity once per request, before the rate limiter's admission charge
 * (the next plugin), so a request with a valid API key is charged to `key:<id>` and one without
 * to its IP. The context reads the identity from the request state (yoga.ts). The only guard
 * step that may touch the database, and only for a bearer token in the API key format (one
 * lookup by primary key); everything else stays off the database until execution.
 */
export function useIdentity(resolve: (request: Request) => Promise<Identity>): Plugin {
  return {
    async onParams({ request }) {
      const state = requestState(request);
      try {
        state.identity = await resolve(request);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        throw createGraphQLError('The database is unavailable; retry shortly.', {
          extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': '1' } } },
        });
      }
      if (state.identity.kind === 'key') state.client = `key:${state.identity.keyId}`;
      else if (state.identity.kind === 'admin-token') state.client = 'key:admin-token';
    },
  };
}
