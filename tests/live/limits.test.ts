import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WriteEvents } from '../../src/events.ts';
import type { LiveHub } from '../../src/live/hub.ts';
import { createLogger } from '../../src/logger.ts';
import { createLiveHub, type LiveConfig } from '../../src/yoga.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { openSse, type SseReader } from '../helpers/sse.ts';

const CHANGES = 'subscription { changes { cursor } }';
const api = useApi();
const hubs: LiveHub[] = [];
const open: SseReader[] = [];
afterEach(() => {
  for (const reader of open.splice(0)) reader.close();
});
afterAll(() => hubs.forEach((hub) => hub.close()));

function server(config: Partial<LiveConfig>, guard: Record<string, unknown> = { RATE_LIMIT_ENABLED: false }) {
  const events = new WriteEvents();
  const live = createLiveHub({ prisma: api.db.prisma, logger: createLogger('silent'), events, config: { LIVE_POLL_SECONDS: 0, ...config } });
  hubs.push(live);
  return { live, client: createClient(api.db, { events, live, guard, liveConfig: config }) };
}

const subscribe = async (client: Client, headers: Record<string, string> = {}, base?: string) => {
  const reader = base
    ? await openSse(fetch, `${base}/graphql`, { query: CHANGES }, headers)
    : await openSse((url, init) => client.yoga.fetch(url, init), 'http://cinegraph.test/graphql', { query: CHANGES }, headers);
  open.push(reader);
  return reader;
};
/** The error codes of the first event, once it arrived (a refused subscription sends one `next` with errors, then `complete`). */
const refusal = async (reader: SseReader) => {
  await reader.waitFor(2);
  expect(reader.events.map((e) => e.event)).toEqual(['next', 'complete']);
  return (reader.payloads()[0].errors as { extensions: Record<string, unknown> }[]).map((e) => e.extensions);
};
const settle = () => new Promise((r) => setTimeout(r, 200));

test('a client over LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT is refused with TOO_MANY_SUBSCRIPTIONS; dropping one frees its slot', async () => {
  const { live, client } = server({ LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: 2 });
  // Over HTTP: a client going away is seen as its connection closing.
  const http = createServer(client.yoga);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const first = await subscribe(client, {}, base);
  await subscribe(client, {}, base);
  expect(live.subscriptions).toBe(2);
  expect(await refusal(await subscribe(client, {}, base))).toEqual([expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'client', limit: 2 })]);
  first.close();
  await settle();
  expect(live.subscriptions).toBe(1);
  const again = await subscribe(client, {}, base);
  await settle();
  expect(again.events).toEqual([]);
  expect(live.subscriptions).toBe(2);
  for (const reader of open.splice(0)) reader.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

test('the process cap LIVE_MAX_SUBSCRIPTIONS refuses the next subscription of any client', async () => {
  const { client } = server({ LIVE_MAX_SUBSCRIPTIONS: 1, LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: 5 });
  await subscribe(client);
  expect(await refusal(await subscribe(client))).toEqual([expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'server', limit: 1 })]);
});

test("a subscription is priced and charged to the client's rate budget when it opens", async () => {
  const { client } = server({}, { RATE_LIMIT_ENABLED: true, RATE_LIMIT_POINTS: 25 });
  const first = await subscribe(client);
  await settle();
  expect(first.events).toEqual([]);
  // 1 point on arrival plus the rest of its price (10 for the field, 1 for `cursor`): 11, twice is 22, a third is over 25.
  await subscribe(client);
  expect(await refusal(await subscribe(client))).toEqual([expect.objectContaining({ code: 'RATE_LIMITED' })]);
});

test('shutdown (LiveHub.close) ends every open stream with `complete`, and refuses new ones with SERVICE_UNAVAILABLE', async () => {
  const { live, client } = server({});
  const reader = await subscribe(client);
  live.close();
  await reader.ended;
  expect(reader.events.map((e) => e.event)).toEqual(['complete']);
  expect(live.subscriptions).toBe(0);
  expect(await refusal(await subscribe(client))).toEqual([expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' })]);
});
