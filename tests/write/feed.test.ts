import { encodeGlobalID } from '@pothos/plugin-relay';
import type { CommittedChange } from '../../src/events.ts';
import { WriteEvents } from '../../src/events.ts';
import { onPostgres } from '../helpers/db.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Paterson (2016) runs 118 minutes. A comedy and a drama. Poems every day.';
const CREATE = /* GraphQL */ `
  mutation CreateIt($input: CreateFilmInput!) {
    createFilm(input: $input) {
      film {
        id
        version
      }
      userErrors {
        code
        field
      }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation ($input: UpdateFilmInput!) {
    updateFilm(input: $input) {
      film {
        id
        version
      }
      userErrors {
        code
        field
      }
    }
  }
`;
const CHANGES = /* GraphQL */ `
  query ($after: String, $first: Int, $types: [ChangeEntityType!], $since: DateTime) {
    changes(after: $after, first: $first, types: $types, since: $since) {
      edges {
        cursor
        node {
          id
        }
      }
      nodes {
        id
        action
        entityType
        entityId
        createdAt
        changes {
          field
          before
          after
        }
        changeSet {
          actor
          operationName
          note
          kind
        }
        citations {
          field
          excerpt
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;

const api = useApi((db) => insertSource(db.prisma, 'paterson', TEXT).then(() => undefined));
const events = new WriteEvents();
const published: CommittedChange[] = [];
events.subscribe((change) => published.push(change));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;

beforeAll(async () => {
  client = createClient(api.db, { events, guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
});

const cite = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'paterson', excerpt, ...(fields ? { fields } : {}) });
const changes = async (variables: Record<string, unknown> = {}) => {
  const result = await client.query(CHANGES, variables);
  expect(result.errors).toBeUndefined();
  return result.data!['changes'];
};
const create = async (title: string, slug: string) => {
  const result = await client.query(CREATE, { input: { title, slug, citations: [cite('Paterson', ['title'])] } }, write);
  expect(result.data!['createFilm'].userErrors).toEqual([]);
  return result.data!['createFilm'].film as { id: string; version: number };
};

test('a write appends one change set with its revisions; the feed shows diff, actor, operation, note and citations', async () => {
  const film = await create('Paterson', 'paterson');
  const update = await client.query(
    UPDATE,
    { input: { id: film.id, version: 1, year: 2016, runtimeMinutes: 118, note: 'from the review', citations: [cite('Paterson (2016) runs 118 minutes.')] } },
    write,
  );
  expect(update.data!['updateFilm'].userErrors).toEqual([]);
  const feed = await changes();
  expect(feed.nodes.map((n: { action: string; entityId: string }) => [n.action, n.entityId])).toEqual([
    ['CREATE', film.id],
    ['UPDATE', film.id],
  ]);
  expect(feed.nodes[1]).toMatchObject({
    entityType: 'FILM',
    changes: [
      { field: 'runtimeMinutes', before: null, after: 118 },
      { field: 'year', before: null, after: 2016 },
    ],
    changeSet: { actor: keys.write.name, operationName: 'updateFilm', note: 'from the review', kind: 'MUTATION' },
  });
  expect(feed.nodes[1].citations.map((c: { field: string; excerpt: string }) => c.field).sort()).toEqual(['runtimeMinutes', 'year']);
  expect(feed.nodes[0].changes).toEqual([
    { field: 'genres', before: null, after: [] },
    { field: 'slug', before: null, after: 'paterson' },
    { field: 'title', before: null, after: 'Paterson' },
  ]);
  expect(feed.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false, endCursor: feed.edges[1].cursor });
});

test('Film.revisions lists its revisions newest first, paged like every connection', async () => {
  const result = await client.query('{ film(slug: "paterson") { revisions(first: 1) { nodes { action } pageInfo { hasNextPage endCursor } } } }');
  const revisions = result.data!['film'].revisions;
  expect(revisions.nodes).toEqual([{ action: 'UPDATE' }]);
  expect(revisions.pageInfo.hasNextPage).toBe(true);
  const next = await client.query(`{ film(slug: "paterson") { revisions(first: 5, after: "${revisions.pageInfo.endCursor}") { nodes { action } } } }`);
  expect(next.data!['film'].revisions.nodes).toEqual([{ action: 'CREATE' }]);
  const person = await client.query('{ person(slug: "spike-jonze") { revisions { nodes { id } } version } }');
  expect(person.data!['person']).toEqual({ revisions: { nodes: [] }, version: 1 });
});

test('changes pages forward from a cursor, an empty page keeps the cursor, and types and since filter', async () => {
  const first = await changes({ first: 1 });
  expect(first.nodes).toHaveLength(1);
  expect(first.pageInfo.hasNextPage).toBe(true);
  const rest = await changes({ after: first.pageInfo.endCursor });
  expect(rest.nodes.map((n: { action: string }) => n.action)).toEqual(['UPDATE']);
  expect(rest.pageInfo.hasPreviousPage).toBe(true);
  const empty = await changes({ after: rest.pageInfo.endCursor });
  expect(empty.nodes).toEqual([]);
  expect(empty.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, endCursor: rest.pageInfo.endCursor });
  expect((await changes({ types: ['PERSON'] })).nodes).toEqual([]);
  expect((await changes({ types: ['PERSON', 'FILM'] })).nodes).toHaveLength(2);
  const later = new Date(Date.parse(rest.nodes[0].createdAt) + 1).toISOString();
  expect((await changes({ since: later })).nodes).toEqual([]);
  expect((await changes({ since: rest.nodes[0].createdAt })).nodes.map((n: { id: string }) => n.id)).toContain(rest.nodes[0].id);
});

test('a cursor that is not from the feed is INVALID_CURSOR; first above 100 and an empty types list are BAD_USER_INPUT', async () => {
  const films = await client.query('{ films(first: 1) { pageInfo { endCursor } } }');
  expect(codes(await client.query(CHANGES, { after: films.data!['films'].pageInfo.endCursor }))).toEqual(['INVALID_CURSOR']);
  expect(codes(await client.query(CHANGES, { after: 'WzEsIkNoYW5nZXN8aWQiLFtdLDJd.forged' }))).toEqual(['INVALID_CURSOR']);
  expect(codes(await client.query(CHANGES, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await client.query(CHANGES, { types: [] }))).toEqual(['BAD_USER_INPUT']);
});

test('the post-commit hook publishes each committed write once, with the ids the feed shows; a refused write publishes nothing', async () => {
  published.length = 0;
  const film = await create('Paterson again', 'paterson-again');
  const refused = await client.query(UPDATE, { input: { id: film.id, version: 99, year: 2016, citations: [cite('(2016)')] } }, write);
  expect(refused.data!['updateFilm'].userErrors[0].code).toBe('CONFLICT');
  const feed = await changes({ types: ['FILM'], first: 100 });
  const last = feed.nodes.at(-1);
  expect(published).toEqual([
    {
      changeSetId: expect.any(Number),
      kind: 'MUTATION',
      actor: keys.write.name,
      operationName: 'createFilm',
      revisions: [{ id: Number(Buffer.from(last.id, 'base64').toString().split(':')[1]), entityType: 'Film', entityId: expect.any(Number), action: 'CREATE' }],
    },
  ]);
  expect(encodeGlobalID('Film', published[0]!.revisions[0]!.entityId)).toBe(film.id);
});

test('a listener that throws does not fail the write or the other listeners', async () => {
  const failing = events.subscribe(() => {
    throw new Error('listener bug');
  });
  published.length = 0;
  await create('Paterson three', 'paterson-three');
  failing();
  expect(published).toHaveLength(1);
});

test('the feed replayed from the start rebuilds each film as it is now', async () => {
  const films = new Map<string, Record<string, unknown>>();
  let after: string | null = null;
  for (;;) {
    const page = await changes({ after, first: 100, types: ['FILM'] });
    for (const node of page.nodes) {
      const state = films.get(node.entityId) ?? {};
      for (const { field, after: value } of node.changes) state[field] = value;
      films.set(node.entityId, node.action === 'DELETE' ? {} : state);
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  for (const [id, state] of films) {
    const row = await api.db.prisma.film.findUniqueOrThrow({ where: { id: Number(Buffer.from(id, 'base64').toString().split(':')[1]) } });
    expect(Object.fromEntries(Object.keys(state).map((k) => [k, (row as Record<string, unknown>)[k]]))).toEqual(state);
  }
});

describe('concurrent writers', () => {
  const WRITERS = onPostgres ? 120 : 30;

  test(`${WRITERS} concurrent writes: a poller resuming from its cursor during the writes sees every revision exactly once, in id order`, async () => {
    const start = (await changes({ first: 100 })).pageInfo.endCursor as string | null;
    let done = false;
    const polled: string[] = [];
    let busy = 0;
    const poller = (async () => {
      let cursor = start;
      for (;;) {
        const finished = done; // read before polling: a poll that starts after the last commit sees everything
        // A poller waits between polls, as a real one does: on embedded PGlite (one connection)
        // a loop that polls back-to-back can keep the writers' transactions from ever starting.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const result = await client.query(CHANGES, { after: cursor, first: 100 });
        // The writers hold the pool's connections: a read may wait past DB_CONNECT_TIMEOUT_MS and get
        // the retryable 503, as any client would; it retries from the same cursor.
        if (codes(result).join() === 'DATABASE_UNAVAILABLE') {
          busy++;
          continue;
        }
        expect(result.errors).toBeUndefined();
        const page = result.data!['changes'];
        polled.push(...page.nodes.map((n: { id: string }) => n.id));
        cursor = page.pageInfo.endCursor;
        if (finished && !page.pageInfo.hasNextPage) return;
      }
    })();
    const results = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        client.query(CREATE, { input: { title: `Concurrent ${i}`, slug: `concurrent-${i}`, citations: [cite('Paterson', ['title'])] } }, write),
      ),
    );
    done = true;
    await poller;
    expect(results.filter((r) => r.data?.['createFilm']?.userErrors?.length === 0)).toHaveLength(WRITERS);
    const all: string[] = [];
    let cursor = start;
    for (;;) {
      const page = await changes({ after: cursor, first: 100 });
      all.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor;
    }
    const dbIds = all.map((id) => Number(Buffer.from(id, 'base64').toString().split(':')[1]));
    expect(all).toHaveLength(WRITERS);
    expect(dbIds).toEqual([...dbIds].sort((a, b) => a - b));
    // Had a revision committed after one with a higher id, the poller would have moved past it.
    expect(polled).toEqual(all);
    expect(busy).toBeLessThan(50);
  });
});
