import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `/health` and `/ready` answered from `node:http` before the GraphQL layer. Load balancers and
 * orchestrators poll them every few seconds per instance; through yoga each poll built a
 * whatwg-node Request and Response and ran every plugin's onRequest (CORS, metrics, request log)
 * for an answer that is a bare status code. The answers are yoga's (src/yoga.ts keeps its own
 * endpoints for in-process use): any method, no body; `/ready` 503 with the reason as text when
 * the check throws.
 *
 * Returns true when it answered the request.
 */
export function answerProbe(req: IncomingMessage, res: ServerResponse, ready: () => Promise<boolean>): boolean {
  const url = req.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  if (path === '/health') {
    res.writeHead(200).end();
    return true;
  }
  if (path !== '/ready') return false;
  ready().then(
    (ok) => res.writeHead(ok ? 200 : 503).end(),
    (error: unknown) => {
      if (error instanceof Error) res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(error.message);
      else res.writeHead(503).end();
    },
  );
  return true;
}
