import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../../errors.ts';

/**
 * MAX_BODY_BYTES on the bytes actually read. A `Content-Length` above the limit is refused on
 * arrival (limits.ts), and Node's HTTP parser reads exactly the `Content-Length` it accepted, so
 * such a body needs no counting. A chunked body has no length: its bytes are counted as they
 * stream, and the body stream errors once the count passes the limit, so the parser never holds
 * more than the limit plus one chunk and the rest of the body is never read.
 *
 * graphql-yoga's own `maxRequestBodySize` (turned off in yoga.ts) counts every body, declared
 * length or not, through a TransformStream and a stream pipeline per request; ending that
 * pipeline aborts an AbortController, whose DOMException and its stack trace were ~4 % of the CPU
 * of a `{ __typename }` request (docs/benchmarks.md#where-a-requests-cpu-goes).
 */
export function useStreamedBodyLimit(options: { maxBodyBytes: number }): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (requestParser == null || request.body == null || request.headers.has('content-length')) return;
      setRequestParser((req) => requestParser(countedBody(req, options.maxBodyBytes, fetchAPI)));
    },
  };
}

function tooLarge(maxBodyBytes: number) {
  return createGraphQLError(`The request body is larger than the limit of ${maxBodyBytes} bytes.`, {
    extensions: { code: ErrorCode.DOCUMENT_TOO_LARGE, http: { status: 413 } },
  });
}

/** The request with its body counted as it streams, erroring past `maxBodyBytes`. */
function countedBody(request: Request, maxBodyBytes: number, fetchAPI: { Request: typeof Request; TransformStream: typeof TransformStream }): Request {
  let read = 0;
  // A request made in process (yoga.fetch) carries the platform's stream; one from node:http,
  // whatwg-node's: each pipes only into its own kind.
  const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
  const counted = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBodyBytes) controller.error(tooLarge(maxBodyBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    // Node's fetch needs it for a streamed body; the DOM's RequestInit does not declare it.
    duplex: 'half',
  } as RequestInit);
}
