import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient as createSseClient } from 'graphql-sse';
import { WriteEvents } from '../../src/events.ts';
import type { LiveHub } from '../../src/live/hub.ts';
import { createLiveHub } from '../../src/yoga.ts';
import { createLogger } from '../../src/logger.ts';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { openSse, type SseReader } from '../helpers/sse.ts';

const CHANGES = /* GraphQL */ `
  subscription ($after: String, $types: [ChangeEntityType!]) {
    changes(after: $after, types: $types) {
      cursor
      revision {
        id
        action
        entityType
        entityId
        changes {
          field
          after
        }
      }
    }
  }
`;
const FILM_CHANGED = /* GraphQL */ `
  subscription ($id: ID!, $after: String) {
    filmChanged(id: $id, after: $after) {
      cursor
      revision {
        action
        changes {
          field
          after
        }
        entity {
          ... on Film {
            runtimeMinutes
          }
        }
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateFilmInput!) {
    updateFilm(input: $input) {
      film {
        version
      }
      userErrors {
        code
      }
    }
  }
`;

const api = useApi();
const events = new WriteEvents();
let client: Client;
let live: LiveHub;
let admin: Headers;
let film: { id: string; version: number };
const open: SseReader[] = [];

beforeAll(async () => {
  live = createLiveHub({ prisma: api.db.prisma, logger: createLogger('silent'), events, config: { LIVE_POLL_SECONDS: 0 } });
  client = createClient(api.db, { events, live, guard: { RATE_LIMIT_ENABLED: false }, liveConfig: { LIVE_HEARTBEAT_SECONDS: 1 } });
  admin = (await testKeys(api.db.prisma)).admin.headers;
  const row = await api.db.prisma.film.findFirstOrThrow({ orderBy: { id: 'asc' }, select: { id: true, version: true } });
  film = { id: encodeGlobalID('Film', row.id), version: row.version };
});
afterEach(() => {
  for (const reader of open.splice(0)) reader.close();
});
afterAll(() => live.close());

const subscribe = async (query: string, variables: Record<string, unknown> = {}, headers: Headers = {}, method: 'GET' | 'POST' = 'POST') => {
  const reader = await openSse((url, init) => client.yoga.fetch(url, init), 'http://cinegraph.test/graphql', { query, variables }, headers, method);
  open.push(reader);
  return reader;
};

/** Sets the film's runtime (an uncited admin fact with a note), returning nothing until it committed. */
const setRuntime = async (minutes: number) => {
  const result = await client.query(UPDATE, { input: { id: film.id, version: film.version, runtimeMinutes: minutes, note: 'live test' } }, admin);
  expect(result.data!['updateFilm'].userErrors).toEqual([]);
  film.version = result.data!['updateFilm'].film.version as number;
};

test('filmChanged streams each committed revision of the film, with the film as it is now and the SSE id = its feed cursor', async () => {
  const reader = await subscribe(FILM_CHANGED, { id: film.id });
  expect(reader.status).toBe(200);
  await setRuntime(121);
  const [event] = await reader.waitFor(1);
  const payload = reader.payloads()[0].data.filmChanged;
  expect(payload.revision).toEqual({ action: 'UPDATE', changes: [{ field: 'runtimeMinutes', after: 121 }], entity: { runtimeMinutes: 121 } });
  expect(event!.id).toBe(payload.cursor);
  const feed = await client.query('{ changes(first: 100) { edges { cursor } } }');
  expect(feed.data!['changes'].edges.at(-1).cursor).toBe(payload.cursor);
});

/** The feed cursors of the `next` events received, in order. */
const cursors = (reader: SseReader) => reader.payloads().map((p) => (Object.values(p.data)[0] as { cursor: string }).cursor);

test.each([
  ['the `after` argument', 'after'],
  ['the Last-Event-ID header', 'header'],
] as const)('a client dropped in the middle of a burst of writes resumes with %s: every revision once, in order', async (_name, how) => {
  const first = await subscribe(CHANGES, { types: ['FILM'] });
  const burst = (async () => {
    for (let i = 0; i < 12; i++) await setRuntime(130 + i);
  })();
  await first.waitFor(4);
  first.close();
  await first.ended;
  const last = first.events.filter((e) => e.event === 'next').at(-1)!.id!;
  const resumed =
    how === 'after' ? await subscribe(CHANGES, { types: ['FILM'], after: last }) : await subscribe(CHANGES, { types: ['FILM'] }, { 'last-event-id': last });
  await burst;
  const feed = await client.query('query ($after: String) { changes(after: $after, types: [FILM], first: 100) { edges { cursor } } }', {
    after: cursors(first)[0],
  });
  const expected = [cursors(first)[0], ...feed.data!['changes'].edges.map((e: { cursor: string }) => e.cursor)];
  expect(expected.length).toBeGreaterThanOrEqual(12);
  await resumed.waitFor(expected.length - first.payloads().length);
  await new Promise((r) => setTimeout(r, 300));
  expect([...cursors(first), ...cursors(resumed)]).toEqual(expected);
  expect(resumed.events.every((e) => e.event === 'next')).toBe(true);
});

test('nodeChanged follows one entity by global id, and only it; an id of another kind is INVALID_ID', async () => {
  const [one, two] = await api.db.prisma.film.findMany({ orderBy: { id: 'asc' }, take: 2, select: { id: true, version: true } });
  const reader = await subscribe('subscription ($id: ID!) { nodeChanged(id: $id) { revision { entityType entityId action } } }', { id: film.id });
  const elsewhere = await subscribe('subscription ($id: ID!) { nodeChanged(id: $id) { revision { entityId } } }', { id: encodeGlobalID('Film', two!.id) });
  const notFilm = await subscribe(FILM_CHANGED, { id: encodeGlobalID('Person', 1) });
  const notEditable = await subscribe('subscription ($id: ID!) { nodeChanged(id: $id) { cursor } }', { id: encodeGlobalID('ApiKey', 1) });
  await setRuntime(99);
  await reader.waitFor(1);
  expect(reader.payloads()).toEqual([
    { data: { nodeChanged: { revision: { entityType: 'FILM', entityId: encodeGlobalID('Film', one!.id), action: 'UPDATE' } } } },
  ]);
  for (const refused of [notFilm, notEditable]) {
    await refused.waitFor(2);
    expect(refused.payloads()[0].errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['INVALID_ID']);
    expect(refused.events[1]!.event).toBe('complete');
  }
  expect(elsewhere.events).toEqual([]);
});

test('heartbeats: an idle stream gets an SSE comment line every LIVE_HEARTBEAT_SECONDS', async () => {
  const reader = await subscribe(CHANGES);
  await new Promise((r) => setTimeout(r, 2_300));
  // The first flush, then one a second.
  expect(reader.comments).toBeGreaterThanOrEqual(3);
  expect(reader.events).toEqual([]);
});

test('a bad cursor is INVALID_CURSOR, from `after` or from Last-Event-ID', async () => {
  const viaArg = await subscribe(CHANGES, { after: 'nope' });
  const viaHeader = await subscribe(CHANGES, {}, { 'last-event-id': 'nope' });
  for (const reader of [viaArg, viaHeader]) {
    await reader.waitFor(1);
    expect(reader.payloads()[0].errors[0].extensions.code).toBe('INVALID_CURSOR');
  }
});

test('the graphql-sse client (distinct connections mode) receives the events', async () => {
  const sse = createSseClient({
    url: 'http://cinegraph.test/graphql',
    fetchFn: (url: string, init: RequestInit) => client.yoga.fetch(url, init),
    retryAttempts: 0,
  });
  const iterator = sse.iterate<{ filmChanged: { revision: { changes: { field: string; after: unknown }[] } } }>({
    query: 'subscription ($id: ID!) { filmChanged(id: $id) { revision { changes { field after } } } }',
    variables: { id: film.id },
  });
  const next = iterator.next();
  await new Promise((r) => setTimeout(r, 300));
  await setRuntime(88);
  const result = await next;
  expect(result.value.data.filmChanged.revision.changes).toEqual([{ field: 'runtimeMinutes', after: 88 }]);
  await iterator.return?.();
  sse.dispose();
});

test('EventSource style: a GET with the operation in the query string and Last-Event-ID replays what came after that id', async () => {
  await setRuntime(61);
  await setRuntime(62);
  const feed = await client.query('{ changes(types: [FILM], first: 100) { edges { cursor } } }');
  const edges = feed.data!['changes'].edges as { cursor: string }[];
  const reader = await subscribe(CHANGES, { types: ['FILM'] }, { 'last-event-id': edges.at(-2)!.cursor }, 'GET');
  expect(reader.status).toBe(200);
  await reader.waitFor(1);
  expect(reader.events.map((e) => e.id)).toEqual([edges.at(-1)!.cursor]);
});
