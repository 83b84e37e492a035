import type { Plugin } from 'graphql-yoga';

/** Response headers browser code may read: the request id, the rate-limit budget and the back-off. */
export const EXPOSED_HEADERS = ['x-request-id', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'retry-after'];
const PUBLIC_REQUEST_HEADERS = ['accept', 'content-type', 'x-request-id'];
/** The headers that carry credentials (auth.ts `hasCredentials`): only allowlisted origins may send them. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * CORS for a public read API with authenticated writes. Any origin may read anonymously
 * (`Access-Control-Allow-Origin: *`, which browsers never combine with credentials); only the
 * origins in CORS_ORIGINS get their origin echoed with `Access-Control-Allow-Credentials` and
 * may send `Authorization`/`x-api-key`. Hand-written instead of yoga's `cors` option: with
 * `origin: '*'` that reflects the caller's origin and then allows credentials, and it cannot
 * emit a literal `*` at all.
 */
export function useCors(options: { origins: readonly string[] }): Plugin {
  const allowlisted = new Set(options.origins);
  function corsHeaders(request: Request): Record<string, string> {
    const origin = request.headers.get('origin');
    const trusted = origin !== null && allowlisted.has(origin);
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': trusted ? origin : '*',
      'Access-Control-Expose-Headers': EXPOSED_HEADERS.join(', '),
    };
    if (trusted) headers['Access-Control-Allow-Credentials'] = 'true';
    if (request.method === 'OPTIONS') {
      headers['Access-Control-Allow-Methods'] = 'GET, POST';
      headers['Access-Control-Allow-Headers'] = [...PUBLIC_REQUEST_HEADERS, ...(trusted ? CREDENTIAL_HEADERS : [])].join(', ');
      headers['Access-Control-Max-Age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
    }
    return headers;
  }
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      // A preflight: answered here, before any GraphQL processing. Safari waits for a body on a
      // 204 without Content-Length.
      if (request.method === 'OPTIONS') endResponse(new fetchAPI.Response(null, { status: 204, headers: { 'Content-Length': '0' } }));
    },
    onResponse({ request, response }) {
      // Sent with or without Origin, so a response a shared cache stored for a non-browser client
      // still works for a browser; with an allowlist the answer depends on Origin, and a shared
      // cache must not hand one origin's headers to another.
      if (allowlisted.size > 0) appendVary(response.headers, 'Origin');
      for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
    },
  };
}

function appendVary(headers: Headers, name: string) {
  const vary = headers.get('vary');
  if (!vary) headers.set('vary', name);
  else if (!vary.split(',').some((v) => v.trim().toLowerCase() === name.toLowerCase())) headers.set('vary', `${vary}, ${name}`);
}
