import contentType from 'content-type';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/** Bodies graphql-yoga has a parser for and that need a CORS preflight from another origin. */
const GRAPHQL_TYPES = new Set(['application/json', 'application/graphql+json', 'application/graphql']);
/**
 * The CORS-safelisted body types: a page on any site can POST these without a preflight, so a
 * query (or, with a leaked token in a cookie-less setup, anything) is sendable cross-site.
 * text/plain has no parser in yoga at all; the other two are off unless ALLOW_FORM_POSTS.
 */
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

function unsupported(message: string, headers?: Record<string, string>) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, http: { status: 415, ...(headers ? { headers } : {}) } } });
}

type Verdict = { normalized: string } | { refused: string };

/**
 * The request body's media type, per RFC 9110 §8.3.1: type, subtype and parameter names are
 * case-insensitive, whitespace around `;` is allowed, and the charset value is case-insensitive
 * too. graphql-yoga compares the raw header byte for byte (`APPLICATION/JSON` was a 415), so an
 * acceptable type is rewritten to its lower-case form before yoga picks a parser.
 */
function judge(header: string | null, allowForms: boolean): Verdict {
  if (!header) return { refused: 'A POST needs a `Content-Type`; send `application/json`.' };
  let parsed: contentType.ParsedMediaType;
  try {
    // The first of a comma-joined list, as yoga does (some clients send duplicates).
    parsed = contentType.parse(header.split(',')[0]!);
  } catch {
    return { refused: `\`Content-Type: ${header.slice(0, 100)}\` is not a valid media type; send \`application/json\`.` };
  }
  const { type, parameters } = parsed;
  if (FORM_TYPES.has(type) && !allowForms) {
    return { refused: `\`${type}\` bodies are not accepted (browsers send them cross-site without a preflight); send \`application/json\`.` };
  }
  if (!GRAPHQL_TYPES.has(type) && !FORM_TYPES.has(type)) {
    return { refused: `\`${type}\` bodies are not accepted; send \`application/json\`.` };
  }
  const charset = parameters['charset']?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8') {
    return { refused: `Only UTF-8 request bodies are accepted, not charset=${charset.slice(0, 40)}.` };
  }
  if (charset) parameters['charset'] = charset;
  return { normalized: contentType.format({ type, parameters }) };
}

/**
 * What a POST body may be: its media type (above) and its content coding. Compressed bodies are
 * refused rather than inflated: graphql-yoga does not decompress, and a decompressing server
 * would have to apply MAX_BODY_BYTES to the inflated size (a 100 kB gzip body can inflate to
 * 100 MB). RFC 9110 §15.5.16 gives 415 for an unacceptable coding, and RFC 7694 the
 * `Accept-Encoding` response header that tells the client which codings it may use.
 */
export function useRequestFormat(options: { endpoint: string; allowForms: boolean }): Plugin {
  return {
    onRequest({ request, url }) {
      if (request.method !== 'POST' || url.pathname !== options.endpoint) return;
      const header = request.headers.get('content-type');
      const verdict = judge(header, options.allowForms);
      if ('normalized' in verdict && verdict.normalized !== header) request.headers.set('content-type', verdict.normalized);
    },
    // Refused here rather than in onRequest, so the answer is a GraphQL error response like any
    // other (negotiated content type, `extensions.cost`, request log).
    onRequestParse({ request, url }) {
      if (request.method !== 'POST' || url.pathname !== options.endpoint) return;
      const coding = request.headers.get('content-encoding')?.trim().toLowerCase();
      if (coding && coding !== 'identity') {
        throw unsupported(`\`Content-Encoding: ${coding.slice(0, 40)}\` is not accepted; send the body uncompressed.`, { 'Accept-Encoding': 'identity' });
      }
      const verdict = judge(request.headers.get('content-type'), options.allowForms);
      if ('refused' in verdict) throw unsupported(verdict.refused);
    },
  };
}
