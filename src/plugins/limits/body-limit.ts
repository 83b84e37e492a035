import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../../errors.ts';
import { translateParseErrors } from './parse-errors.ts';

/**
 * MAX_BODY_BYTES on the bytes actually read. A `Content-Length` above the limit is refused on
 * arrival (limits.ts), but a chunked body has none: it is counted as it streams by
 * graphql-yoga's `maxRequestBodySize` (set to the same limit in yoga.ts), which errors the body
 * stream once the count passes the limit, so the parser never holds more than the limit plus one
 * chunk and the rest of the body is never read. Yoga reports that as `REQUEST_ENTITY_TOO_LARGE`;
 * this turns it into our code, so clients see one code for one limit whatever the framing.
 */
export function useStreamedBodyLimit(options: { maxBodyBytes: number }): Plugin {
  return {
    onRequestParse: translateParseErrors((error) =>
      (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE'
        ? createGraphQLError(`The request body is larger than the limit of ${options.maxBodyBytes} bytes.`, {
            extensions: { code: ErrorCode.DOCUMENT_TOO_LARGE, http: { status: 413 } },
          })
        : undefined,
    ),
  };
}
