import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { errorCode, requestState } from './request-state.ts';

// Printable, no spaces, bounded: a client's id lands in our logs and in a response header.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One JSON log line per request: id (accepted from x-request-id when sane, else generated, and
 * echoed in the response header), method, path, status, duration, client, operation name, cost
 * and error codes. Headers are never logged, so Authorization, cookies and API keys cannot leak.
 */
export function useRequestLog({ logger }: { logger: Logger }): Plugin {
  return {
    onRequest({ request }) {
      const state = requestState(request);
      const given = request.headers.get('x-request-id');
      state.id = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
      state.startedAt = performance.now();
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request) requestState(request).operationName = args.operationName ?? getOperationAST(args.document, args.operationName)?.name?.value;
    },
    onResultProcess({ request, result }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      requestState(request).errorCodes = (result.errors ?? []).map(errorCode);
    },
    onResponse({ request, response }) {
      const state = requestState(request);
      if (!state.id) return;
      response.headers.set('x-request-id', state.id);
      const url = new URL(request.url);
      logger.info(
        {
          reqId: state.id,
          method: request.method,
          path: url.pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - state.startedAt) * 100) / 100,
          client: state.client,
          operationName: state.operationName,
          cost: state.cost,
          errorCodes: state.errorCodes.length ? state.errorCodes : undefined,
        },
        'request',
      );
    },
  };
}
