// createRelease / updateRelease / deleteRelease through the API: country codes and release types
// against the CountryCode scalar and the ReleaseType enum, cited facts, every user error with its
// path, duplicates (one per film, country, type and date, also under concurrency), versions,
// revisions, revert and the feed.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Gladiator opened in France on 20 June 2000, rated "Tous publics". It premiered in Los Angeles on 1 May 2000. Rated R in the US.';
const ERRORS = 'userErrors { field code message currentVersion }';
const RELEASE = 'release { id country date type certification note version film { slug } citations { field excerpt } }';
const CREATE = `mutation ($input: CreateReleaseInput!) { createRelease(input: $input) { ${RELEASE} ${ERRORS} } }`;
const UPDATE = `mutation ($input: UpdateReleaseInput!) { updateRelease(input: $input) { ${RELEASE} ${ERRORS} } }`;
const DELETE = `mutation ($input: DeleteReleaseInput!) { deleteRelease(input: $input) { deletedIds ${ERRORS} } }`;
const REVERT = `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action entityId } ${ERRORS} } }`;

const api = useApi((db) => insertSource(db.prisma, 'gladiator-dates', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
let gladiator: string;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
  gladiator = (await client.query('{ film(slug: "gladiator") { id } }')).data!['film'].id;
});

type Errors = { userErrors: { code: string; field: string[] | null }[] };
const errs = (payload: Errors) => payload.userErrors.map((e) => [e.code, e.field]);
const cite = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'gladiator-dates', excerpt, ...(fields ? { fields } : {}) });
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);

async function call(document: string, input: Record<string, unknown>, headers: Headers = write) {
  const result = await client.query(document, { input }, headers);
  expect(result.errors).toBeUndefined();
  return Object.values(result.data!)[0] as Record<string, any> & Errors;
}

const france = () => ({
  filmId: gladiator,
  country: 'fr',
  date: '2000-06-20',
  type: 'THEATRICAL',
  certification: 'TP',
  citations: [cite('Gladiator opened in France on 20 June 2000, rated "Tous publics"')],
});
let franceId: string;

describe('createRelease', () => {
  test('creates a cited release, the country stored upper case, at version 1, with a CREATE revision in the feed', async () => {
    api.db.resetStatements();
    const payload = await call(CREATE, france());
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    expect(payload.release).toMatchObject({
      country: 'FR',
      date: '2000-06-20',
      type: 'THEATRICAL',
      certification: 'TP',
      note: null,
      version: 1,
      film: { slug: 'gladiator' },
    });
    expect(payload.release.citations.map((c: { field: string }) => c.field).sort()).toEqual(['certification', 'country', 'date', 'filmId', 'type']);
    franceId = payload.release.id;
    // key, BEGIN, film, insert, source, citations, feed lock, change set, revisions, COMMIT, payload read(s).
    expect(statements).toBeLessThanOrEqual(14);
    const feed = await client.query('{ changes(types: [RELEASE]) { nodes { action entityId changeSet { operationName } } } }');
    expect(feed.data!['changes'].nodes).toContainEqual({ action: 'CREATE', entityId: franceId, changeSet: { operationName: 'createRelease' } });
    const listed = await client.query('{ releases(country: "FR") { nodes { id } } }');
    expect(listed.data!['releases'].nodes).toContainEqual({ id: franceId });
  });

  test('a second release of the film with the same country, type and date is TAKEN; another type on that date is not', async () => {
    expect(errs(await call(CREATE, { ...france(), country: 'FR' }))).toEqual([['TAKEN', null]]);
    const premiere = await call(CREATE, {
      filmId: gladiator,
      country: 'US',
      date: '2000-05-01',
      type: 'PREMIERE',
      releaseNote: 'Los Angeles',
      citations: [cite('It premiered in Los Angeles on 1 May 2000.')],
    });
    expect(premiere.release).toMatchObject({ country: 'US', type: 'PREMIERE', note: 'Los Angeles' });
    expect(premiere.release.citations.map((c: { field: string }) => c.field)).toContain('releaseNote');
  });

  test.each([
    ['an unknown film', { filmId: encodeGlobalID('Film', 999_999) }, [['NOT_FOUND', ['input', 'filmId']]]],
    ['a person ID as the film', { filmId: encodeGlobalID('Person', 1) }, [['INVALID', ['input', 'filmId']]]],
    ['a date before 1870', { date: '1850-01-01' }, [['INVALID', ['input', 'date']]]],
    ['an empty certification', { certification: '' }, [['INVALID', ['input', 'certification']]]],
    ['a certification of 21 characters', { certification: 'x'.repeat(21) }, [['INVALID', ['input', 'certification']]]],
    ['no citation', { citations: null }, ['filmId', 'country', 'date', 'type', 'certification'].map((f) => ['CITATION_REQUIRED', ['input', f]])],
    [
      'a citation field that is not a fact',
      { citations: [cite('Gladiator', ['note'])] },
      [
        ['INVALID', ['input', 'citations', '0', 'fields']],
        ...['filmId', 'country', 'date', 'type', 'certification'].map((f) => ['CITATION_REQUIRED', ['input', f]]),
      ],
    ],
  ])('refuses %s and writes nothing', async (_name, fields, expected) => {
    const releases = await api.db.prisma.release.count();
    expect(errs(await call(CREATE, { ...france(), date: '2000-06-21', ...fields }))).toEqual(expected);
    expect(await api.db.prisma.release.count()).toBe(releases);
  });

  test.each([
    ['a country that is not ISO 3166-1', { country: 'XX' }],
    ['a three-letter country', { country: 'FRA' }],
    ['a release type that does not exist', { type: 'STREAMING' }],
    ['a malformed date', { date: '2000-13-40' }],
  ])('refuses %s as the CountryCode / ReleaseType / Date types do: BAD_USER_INPUT, nothing written', async (_name, fields) => {
    const releases = await api.db.prisma.release.count();
    const result = await client.query(CREATE, { input: { ...france(), ...fields } }, write);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await api.db.prisma.release.count()).toBe(releases);
  });

  test('is idempotent with a key', async () => {
    const input = { ...france(), date: '2000-06-22', type: 'DIGITAL', idempotencyKey: 'fr-digital' };
    const first = await call(CREATE, input);
    const again = await call(CREATE, input);
    expect(again.release.id).toBe(first.release.id);
    expect(again.userErrors).toEqual([]);
  });

  test('50 concurrent creates of the same release: one row, every other client TAKEN', async () => {
    const input = { ...france(), date: '2000-07-01', type: 'LIMITED' };
    // A 503 (the write gate's bounded wait ran out on a loaded host) is typed and retryable: the client retries it.
    const send = async (): Promise<Errors & { release: unknown }> => {
      for (;;) {
        const r = await client.query(CREATE, { input }, write);
        if (r.status === 503 && codes(r)[0] === 'DATABASE_UNAVAILABLE') continue;
        expect([r.status, r.errors]).toEqual([200, undefined]);
        return r.data!['createRelease'];
      }
    };
    const payloads = await Promise.all(Array.from({ length: 50 }, send));
    expect(payloads.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors.length > 0).every((p) => p.release === null && JSON.stringify(errs(p)) === '[["TAKEN",null]]')).toBe(true);
    expect(await api.db.prisma.release.count({ where: { filmId: dbId(gladiator), country: 'FR', type: 'LIMITED' } })).toBe(1);
  }, 600_000);
});

describe('updateRelease', () => {
  test('changes cited facts at the version read; null erases the certification; a stale version is a CONFLICT', async () => {
    api.db.resetStatements();
    const payload = await call(UPDATE, {
      id: franceId,
      version: 1,
      releaseNote: 'Nationwide',
      certification: null,
      citations: [cite('Gladiator opened in France')],
    });
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    expect(payload.release).toMatchObject({ certification: null, note: 'Nationwide', version: 2 });
    expect(statements).toBeLessThanOrEqual(13);
    const stale = await call(UPDATE, { id: franceId, version: 1, certification: 'U', citations: [cite('Gladiator')] });
    expect(stale.userErrors).toEqual([{ field: ['input', 'version'], code: 'CONFLICT', currentVersion: 2, message: expect.any(String) }]);
  });

  test.each([
    ['a change onto another release of the film', () => ({ date: '2000-06-22', type: 'DIGITAL' }), [['TAKEN', null]]],
    ['nothing to change', () => ({}), [['INVALID', ['input']]]],
    ['an uncited change', () => ({ certification: '12', citations: null }), [['CITATION_REQUIRED', ['input', 'certification']]]],
    ['an unknown release', () => ({ id: encodeGlobalID('Release', 999_999), certification: '12' }), [['NOT_FOUND', ['input', 'id']]]],
    ['a film ID', () => ({ id: gladiator, certification: '12' }), [['INVALID', ['input', 'id']]]],
  ])('refuses %s and changes nothing', async (_name, fields, expected) => {
    const before = await api.db.prisma.release.findUniqueOrThrow({ where: { id: dbId(franceId) } });
    expect(errs(await call(UPDATE, { id: franceId, version: before.version, citations: [cite('Gladiator')], ...fields() }))).toEqual(expected);
    expect(await api.db.prisma.release.findUniqueOrThrow({ where: { id: dbId(franceId) } })).toEqual(before);
  });

  test('a date change is diffed as ISO strings, listed by Release.revisions, and reverted back to a date', async () => {
    const moved = await call(UPDATE, { id: franceId, version: 2, date: '2000-06-21', citations: [cite('20 June 2000')] });
    expect(moved.release).toMatchObject({ date: '2000-06-21', version: 3 });
    const history = await client.query(
      'query ($id: ID!) { node(id: $id) { ... on Release { revisions { nodes { id action changes { field before after } } } } } }',
      {
        id: franceId,
      },
    );
    const nodes = history.data!['node'].revisions.nodes;
    expect(nodes.map((n: { action: string }) => n.action)).toEqual(['UPDATE', 'UPDATE', 'CREATE']);
    expect(nodes[0].changes).toEqual([{ field: 'date', before: '2000-06-20T00:00:00.000Z', after: '2000-06-21T00:00:00.000Z' }]);
    const reverted = await call(REVERT, { id: nodes[0].id, version: 3 });
    expect(reverted.revision).toEqual({ action: 'REVERT', entityId: franceId });
    const row = await api.db.prisma.release.findUniqueOrThrow({ where: { id: dbId(franceId) } });
    expect([row.date.toISOString(), row.version]).toEqual(['2000-06-20T00:00:00.000Z', 4]);
    // Reverting the update of certification and note restores both.
    const back = await call(REVERT, { id: nodes[1].id, version: 4 });
    expect(back.userErrors).toEqual([]);
    expect(await api.db.prisma.release.findUniqueOrThrow({ where: { id: dbId(franceId) } })).toMatchObject({ certification: 'TP', note: null, version: 5 });
  });
});

describe('deleteRelease', () => {
  test('removes the release with its citations and lists them; reverting a CREATE deletes; a DELETE is not revertible', async () => {
    const citations = await api.db.prisma.citation.findMany({ where: { releaseId: dbId(franceId) } });
    expect(errs(await call(DELETE, { id: franceId, version: 4 }))).toEqual([['CONFLICT', ['input', 'version']]]);
    api.db.resetStatements();
    const payload = await call(DELETE, { id: franceId, version: 5 });
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    const expected = [franceId, ...citations.map((c) => encodeGlobalID('Citation', c.id))];
    expect([...payload.deletedIds].sort()).toEqual(expected.sort());
    expect(statements).toBeLessThanOrEqual(10);
    expect(await api.db.prisma.citation.count({ where: { id: { in: citations.map((c) => c.id) } } })).toBe(0);
    const deletion = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Release', entityId: dbId(franceId), action: 'DELETE' } });
    expect(errs(await call(REVERT, { id: encodeGlobalID('Revision', deletion.id), version: 5 }))).toEqual([['NOT_REVERTIBLE', ['input', 'id']]]);

    const created = await call(
      CREATE,
      { filmId: gladiator, country: 'US', date: '2000-05-05', type: 'THEATRICAL', certification: 'R', note: 'test' },
      keys.admin.headers,
    );
    const rev = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Release', entityId: dbId(created.release.id), action: 'CREATE' } });
    const undone = await call(REVERT, { id: encodeGlobalID('Revision', rev.id), version: 1 });
    expect(undone.revision).toEqual({ action: 'DELETE', entityId: created.release.id });
    expect(await api.db.prisma.release.findUnique({ where: { id: dbId(created.release.id) } })).toBeNull();
  });
});
