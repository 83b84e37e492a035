/** Reading a text/event-stream response in tests: events as they arrive, comments (heartbeats) counted. */

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseReader {
  status: number;
  events: SseEvent[];
  /** Comment lines (`:`) seen: the first flush and the heartbeats. */
  comments: number;
  /** Resolves once `count` events (of any kind) have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<SseEvent[]>;
  /** The `next` events' payloads, parsed. */
  payloads<T = any>(): T[];
  /** Resolves when the stream ends (the server closed it). */
  ended: Promise<void>;
  /** Drop the connection (as a client going away would). */
  close(): void;
}

/** Opens `fetchImpl(url, init)` with accept text/event-stream and reads its events in the background. */
export async function openSse(
  fetchImpl: (url: string, init: RequestInit) => Response | Promise<Response>,
  url: string,
  body: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
  method: 'POST' | 'GET' = 'POST',
): Promise<SseReader> {
  const controller = new AbortController();
  // GET is what a browser EventSource sends: the operation in the query string.
  const query = new URLSearchParams({ query: body.query, ...(body.variables ? { variables: JSON.stringify(body.variables) } : {}) });
  const response = await fetchImpl(method === 'GET' ? `${url}?${query.toString()}` : url, {
    method,
    headers: { accept: 'text/event-stream', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
    signal: controller.signal,
  });
  const reader: SseReader = {
    status: response.status,
    events: [],
    comments: 0,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (reader.events.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} events; got ${JSON.stringify(reader.events)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return reader.events.slice(0, count);
    },
    payloads: () => reader.events.filter((e) => e.event === 'next').map((e) => JSON.parse(e.data)),
    ended: Promise.resolve(),
    close: () => {
      controller.abort();
      // In-process (yoga.fetch) responses ignore the signal: cancelling the body ends the stream.
      void stream.cancel().catch(() => undefined);
    },
  };
  const stream = response.body!.getReader();
  reader.ended = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await stream.read();
        if (done) break;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let comment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            comment = false;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') event.data += value;
          }
          if (comment) reader.comments++;
          else reader.events.push(event);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  reader.ended.catch(() => undefined);
  return reader;
}
