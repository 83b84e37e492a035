import { once } from 'node:events';
import { request } from 'node:http';

export interface ChunkedResult {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] };
  /** Body bytes the client had handed to its socket when the response's headers arrived. */
  writtenBeforeResponse: number;
  /** Whether the client got to send the whole body. */
  sentAll: boolean;
}

/**
 * POST `parts` with `Transfer-Encoding: chunked` (no Content-Length), one chunk each, waiting
 * for the socket to drain between chunks and stopping as soon as the response arrives: a server
 * that answers before reading everything is seen doing so.
 */
export async function postChunked(url: string, parts: Iterable<string | Buffer>, headers: Record<string, string> = {}): Promise<ChunkedResult> {
  const req = request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'transfer-encoding': 'chunked', ...headers },
  });
  let written = 0;
  let writtenBeforeResponse = -1;
  let sentAll = false;
  const response = new Promise<ChunkedResult>((resolve, reject) => {
    req.on('response', (res) => {
      writtenBeforeResponse = written;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {}, writtenBeforeResponse, sentAll }));
      res.on('error', reject);
    });
    req.on('error', (error) => (writtenBeforeResponse < 0 ? reject(error) : undefined));
  });
  // The writer stops at the response; the server may then close the connection under it.
  const writer = (async () => {
    for (const part of parts) {
      if (writtenBeforeResponse >= 0 || req.destroyed) return;
      written += Buffer.byteLength(part);
      if (!req.write(part)) await Promise.race([once(req, 'drain'), once(req, 'response'), once(req, 'close')]);
    }
    if (writtenBeforeResponse < 0 && !req.destroyed) {
      sentAll = true;
      req.end();
    }
  })().catch(() => undefined);
  const result = await response;
  await writer;
  req.destroy();
  return result;
}

/** `count` chunks of `size` bytes of `x`, lazily. */
export function* filler(count: number, size: number): Generator<string> {
  const chunk = 'x'.repeat(size);
  for (let i = 0; i < count; i++) yield chunk;
}
