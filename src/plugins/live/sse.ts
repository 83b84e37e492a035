/** Subscriptions' SSE responses: yoga's event format (graphql-sse "distinct connections") plus `id:` lines for resuming, a configurable heartbeat and a clean end. */
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { requestState } from '../request-state.ts';

/**
 * Hand-written in place of yoga's built-in SSE result processor, which it copies event for event
 * (`event: next` / `data: <result>`, `event: complete`), for three things that one cannot do: it
 * pings every 12 s fixed (300 ms under NODE_ENV=test), it writes no `id:` lines, so neither
 * EventSource nor a proxy could resume with Last-Event-ID, and it cannot be told to end.
 * Each event's id is the feed cursor the subscription's resolver left in the request state
 * (schema/live/stream.ts sets `liveCursor` just before it yields), so Last-Event-ID on a
 * reconnect is the cursor to resume after. `heartbeatMs` writes an SSE comment line that
 * clients ignore and proxies see as traffic.
 */
export function useLiveSse({ heartbeatMs }: { heartbeatMs: number }): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !(request.headers.get('accept') ?? '').includes('text/event-stream')) return;
      setResultProcessor((iterable, fetchAPI) => {
        const encoder = new fetchAPI.TextEncoder();
        const iterator = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
        let heartbeat: NodeJS.Timeout | undefined;
        const stream = new fetchAPI.ReadableStream<Uint8Array>({
          start(controller) {
            // A first comment flushes the headers through proxies and browsers that wait for a byte.
            controller.enqueue(encoder.encode(':\n\n'));
            heartbeat = setInterval(() => {
              if (controller.desiredSize === null) clearInterval(heartbeat);
              else controller.enqueue(encoder.encode(':\n\n'));
            }, heartbeatMs);
          },
          async pull(controller) {
            try {
              const next = await iterator.next();
              if (!next.done) {
                const id = requestState(request).liveCursor;
                controller.enqueue(encoder.encode(`${id ? `id: ${id}\n` : ''}event: next\ndata: ${stringify(next.value)}\n\n`));
                return;
              }
              controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
              clearInterval(heartbeat);
              controller.close();
            } catch (error) {
              clearInterval(heartbeat);
              controller.error(error);
            }
          },
          async cancel() {
            clearInterval(heartbeat);
            await iterator.return?.();
          },
        });
        return new fetchAPI.Response(stream, {
          status: 200,
          headers: { 'content-type': 'text/event-stream', connection: 'keep-alive', 'cache-control': 'no-cache', 'content-encoding': 'none' },
        });
      }, 'text/event-stream');
    },
  };
}

/** A result as yoga sends it: errors in their JSON form without the internal `http` and `unexpected` extensions, nor `extensions.http`. */
function stringify(value: unknown): string {
  const result = value as { errors?: readonly { toJSON?: () => unknown }[]; extensions?: Record<string, unknown> };
  const withoutInternals = (extensions: Record<string, unknown> | undefined) => {
    if (!extensions) return undefined;
    const rest = Object.fromEntries(Object.entries(extensions).filter(([key]) => key !== 'http' && key !== 'unexpected'));
    return Object.keys(rest).length ? rest : undefined;
  };
  return JSON.stringify({
    ...result,
    ...(result.errors
      ? {
          errors: result.errors.map((error) => {
            const json = (error.toJSON ? error.toJSON() : error) as { extensions?: Record<string, unknown> };
            return { ...json, extensions: withoutInternals(json.extensions) };
          }),
        }
      : {}),
    extensions: withoutInternals(result.extensions),
  });
}
