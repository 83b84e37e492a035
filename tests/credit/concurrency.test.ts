// 1,000 concurrent conflicting writes on one credit: the same version, the same new duplicate,
// and updates racing a delete. Exactly one wins each race; every other client gets a typed user
// error; no duplicate and no orphan citation is left; the credit's state equals its revisions
// replayed. On PGlite the writes are serialised by the engine; the outcome must be the same.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client, type GraphQLResponse } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

// CONCURRENCY_WRITERS lowers it for a quick run on a crowded host; the figure is the default.
const WRITERS = Number(process.env.CONCURRENCY_WRITERS ?? 1_000);
// A thousand writes on a shared two-core host take minutes when it is busy: each test may take up to 25 (PostgreSQL with the host at a load of 30: about 10 for the first).
const TIMEOUT = 1_500_000;
const TEXT = Array.from({ length: WRITERS }, (_, i) => `Take ${i}: billed ${i}.`).join(' ');
const ERRORS = 'userErrors { code field currentVersion }';
const CREATE = `mutation ($input: CreateCreditInput!) { createCredit(input: $input) { credit { id } ${ERRORS} } }`;
const UPDATE = `mutation ($input: UpdateCreditInput!) { updateCredit(input: $input) { credit { version billingOrder } ${ERRORS} } }`;
const DELETE = `mutation ($input: DeleteCreditInput!) { deleteCredit(input: $input) { deletedIds ${ERRORS} } }`;

const api = useApi((db) => insertSource(db.prisma, 'takes', TEXT).then(() => undefined));
let client: Client;
let write: Headers;
let film: number;
let person: number;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  write = (await testKeys(api.db.prisma)).write.headers;
  film = (await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'walk-the-line' } })).id;
  person = (await api.db.prisma.person.findUniqueOrThrow({ where: { slug: 'scarlett-johansson' } })).id;
}, TIMEOUT);

let busy = 0;
/**
 * One client: an answer of DATABASE_UNAVAILABLE (HTTP 503, Retry-After) is the write gate's
 * bounded wait running out under this load (docs/writing.md#what-a-write-costs), a typed and
 * retryable error: the client retries it, as a real client would, until it gets its answer.
 */
async function send(query: string, input: Record<string, unknown>) {
  for (;;) {
    const result = await client.query(query, { input }, write);
    if (!(result.status === 503 && result.errors?.[0]?.extensions?.['code'] === 'DATABASE_UNAVAILABLE')) return result;
    busy++;
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
  }
}

const take = (i: number) => [{ sourceSlug: 'takes', excerpt: `Take ${i}: billed ${i}.` }];
const payloads = (results: (GraphQLResponse & { status: number })[]) => {
  // Every client gets an answer of the API: HTTP 200, no GraphQL error (no 5xx, no DATABASE_UNAVAILABLE).
  expect(results.filter((r) => r.status !== 200 || r.errors !== undefined).map((r) => r.errors ?? r.status)).toEqual([]);
  return results.map(
    (r) => Object.values(r.data!)[0] as Record<string, any> & { userErrors: { code: string; field: string[] | null; currentVersion: number | null }[] },
  );
};
const orphanCitations = () =>
  api.db.prisma.citation.count({
    where: { creditId: null, filmId: null, personId: null, personAliasId: null, publicationId: null, reviewId: null, reviewQuoteId: null, releaseId: null },
  });

let creditId: string;

test(
  `${WRITERS} concurrent creates of the same new credit: one credit, every other client TAKEN, the winner's citations only`,
  async () => {
    const citations = await api.db.prisma.citation.count();
    const results = payloads(
      await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          send(CREATE, {
            filmId: encodeGlobalID('Film', film),
            personId: encodeGlobalID('Person', person),
            kind: 'CAST',
            character: 'June',
            billingOrder: i,
            citations: take(i),
          }),
        ),
      ),
    );
    const won = results.filter((p) => p.userErrors.length === 0);
    expect(won).toHaveLength(1);
    expect(
      results
        .filter((p) => p.userErrors.length > 0)
        .every((p) => p.credit === null && JSON.stringify(p.userErrors) === JSON.stringify([{ code: 'TAKEN', field: null, currentVersion: null }])),
    ).toBe(true);
    creditId = won[0]!.credit.id;
    expect(await api.db.prisma.credit.count({ where: { filmId: film, personId: person, character: 'June' } })).toBe(1);
    // filmId, personId, kind, character, billingOrder: the winner's five citations, nobody else's.
    expect(await api.db.prisma.citation.count()).toBe(citations + 5);
    expect(
      await api.db.prisma.revision.count({ where: { entityType: 'Credit', entityId: Number(Buffer.from(creditId, 'base64').toString().split(':')[1]) } }),
    ).toBe(1);
    expect(await orphanCitations()).toBe(0);
  },
  TIMEOUT,
);

test(
  `${WRITERS} concurrent updates of the credit at the same version: one wins, every other gets CONFLICT with the new version`,
  async () => {
    const id = Number(Buffer.from(creditId, 'base64').toString().split(':')[1]);
    const before = await api.db.prisma.credit.findUniqueOrThrow({ where: { id } });
    const citations = await api.db.prisma.citation.count({ where: { creditId: id } });
    const started = Date.now();
    const results = payloads(
      await Promise.all(
        Array.from({ length: WRITERS }, (_, i) => send(UPDATE, { id: creditId, version: before.version, billingOrder: WRITERS + i, citations: take(i) })),
      ),
    );
    const elapsed = Date.now() - started;
    const won = results.map((p, i) => ({ p, i })).filter(({ p }) => p.userErrors.length === 0);
    expect(won).toHaveLength(1);
    const winner = won[0]!;
    // Billing orders from WRITERS up: none equals the current one (below WRITERS), so no update is a no-op success.
    expect(winner.p.credit).toEqual({ version: before.version + 1, billingOrder: WRITERS + winner.i });
    for (const { p } of results.map((p, i) => ({ p, i })).filter(({ i }) => i !== winner.i)) {
      expect(p).toEqual({ credit: null, userErrors: [{ code: 'CONFLICT', field: ['input', 'version'], currentVersion: before.version + 1 }] });
    }
    expect(await api.db.prisma.citation.count({ where: { creditId: id } })).toBe(citations + 1);
    expect(await orphanCitations()).toBe(0);
    console.log(`${WRITERS} concurrent updateCredit on one credit: ${elapsed} ms, ${busy} busy answers retried so far`);
  },
  TIMEOUT,
);

test(
  `${WRITERS} concurrent updates racing deletes of the credit: every client gets success or a typed user error, and the state equals the revisions replayed`,
  async () => {
    const id = Number(Buffer.from(creditId, 'base64').toString().split(':')[1]);
    const start = (await api.db.prisma.credit.findUniqueOrThrow({ where: { id } })).version;
    // Versions spread over the next few, so several updates apply in turn before a delete wins.
    const results = payloads(
      await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          i % 10 === 9
            ? send(DELETE, { id: creditId, version: start + (i % 7) })
            : send(UPDATE, { id: creditId, version: start + (i % 7), billingOrder: i, citations: take(i) }),
        ),
      ),
    );
    for (const p of results) {
      for (const e of p.userErrors) expect(['CONFLICT', 'NOT_FOUND']).toContain(e.code);
    }
    const ok = results.filter((p) => p.userErrors.length === 0);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const deleted = ok.filter((p) => 'deletedIds' in p);
    expect(deleted.length).toBeLessThanOrEqual(1);

    // Replay every Credit revision of this credit in commit order.
    let state: Record<string, unknown> | null = null;
    for (const r of await api.db.prisma.revision.findMany({ where: { entityType: 'Credit', entityId: id }, orderBy: { id: 'asc' } })) {
      if (r.action === 'DELETE') state = null;
      else state = { ...(state ?? {}), ...Object.fromEntries(Object.entries(r.diff as Record<string, { after: unknown }>).map(([f, d]) => [f, d.after])) };
    }
    const row = await api.db.prisma.credit.findUnique({ where: { id } });
    if (state === null) expect(row).toBeNull();
    else
      expect(Object.fromEntries(Object.keys(state).map((k) => [k, k === 'character' ? row!.character || null : (row as Record<string, unknown>)[k]]))).toEqual(
        state,
      );
    expect(state === null).toBe(deleted.length === 1);
    expect(await api.db.prisma.credit.count({ where: { filmId: film, personId: person, character: 'June' } })).toBe(state === null ? 0 : 1);
    expect(await orphanCitations()).toBe(0);
  },
  TIMEOUT,
);
