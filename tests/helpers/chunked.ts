import { once } from 'node:events';
import { Agent, request } from 'node:http';

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
  // A connection of its own, kept alive as browsers do. With `Connection: close` the server
  // closes the socket right after its answer while body bytes are still unread, and the kernel
  // then resets the connection: a client still writing sees EPIPE, often before the answer.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const req = request(url, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', 'transfer-encoding': 'chunked', ...headers },
  });
  let written = 0;
  let writtenBeforeResponse = -1;
  let sentAll = false;
  const responded = new Promise<import('node:http').IncomingMessage>((resolve) => req.once('response', resolve));
  const closed = once(req, 'close').catch(() => undefined);
  const response = new Promise<ChunkedResult>((resolve, reject) => {
    void responded.then((res) => {
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
      if (!req.write(part)) await Promise.race([once(req, 'drain'), responded, closed]);
    }
    if (writtenBeforeResponse < 0 && !req.destroyed) {
      sentAll = true;
      req.end();
    }
  })().catch(() => undefined);
  try {
    const result = await response;
    await writer;
    return result;
  } finally {
    req.destroy();
    agent.destroy();
  }
}

/** `count` chunks of `size` bytes of `x`, lazily. */
export function* filler(count: number, size: number): Generator<string> {
  const chunk = 'x'.repeat(size);
  for (let i = 0; i < count; i++) yield chunk;
}
