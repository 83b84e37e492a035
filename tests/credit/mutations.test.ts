// createCredit / updateCredit / deleteCredit through the API: cast and crew rules, cited facts,
// every user error with its path, duplicates, versions, revisions and revert, and the crew
// relation PostgreSQL keeps through the generated column.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'Joaquin Phoenix plays Commodus in Gladiator, billed second. He also voices the narrator. Spike Jonze edited it. Jonze scored it too.';
const ERRORS = 'userErrors { field code message currentVersion }';
const CREDIT = 'credit { id kind department job character billingOrder voice version film { slug } person { slug } citations { field excerpt } }';
const CREATE = `mutation ($input: CreateCreditInput!) { createCredit(input: $input) { ${CREDIT} ${ERRORS} } }`;
const UPDATE = `mutation ($input: UpdateCreditInput!) { updateCredit(input: $input) { ${CREDIT} ${ERRORS} } }`;
const DELETE = `mutation ($input: DeleteCreditInput!) { deleteCredit(input: $input) { deletedIds ${ERRORS} } }`;
const REVERT = `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action entityId } ${ERRORS} } }`;

const api = useApi((db) => insertSource(db.prisma, 'gladiator-notes', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
let gladiator: string;
let phoenix: string;
let jonze: string;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
  const ids = await client.query(
    '{ film(slug: "gladiator") { id } phoenix: person(slug: "joaquin-phoenix") { id } jonze: person(slug: "spike-jonze") { id } }',
  );
  gladiator = ids.data!['film'].id;
  phoenix = ids.data!['phoenix'].id;
  jonze = ids.data!['jonze'].id;
});

type Errors = { userErrors: { code: string; field: string[] | null }[] };
const errs = (payload: Errors) => payload.userErrors.map((e) => [e.code, e.field]);
const cite = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'gladiator-notes', excerpt, ...(fields ? { fields } : {}) });
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);

async function call(document: string, input: Record<string, unknown>, headers: Headers = write) {
  const result = await client.query(document, { input }, headers);
  expect(result.errors).toBeUndefined();
  return Object.values(result.data!)[0] as Record<string, any> & Errors;
}

const commodus = () => ({
  filmId: gladiator,
  personId: phoenix,
  kind: 'CAST',
  character: 'Commodus',
  billingOrder: 2,
  citations: [cite('Joaquin Phoenix plays Commodus in Gladiator, billed second.')],
});
let commodusId: string;

describe('createCredit', () => {
  test('a cast credit: department ACTING and job "Actor" by default, each stated fact cited, version 1, a CREATE revision', async () => {
    api.db.resetStatements();
    const payload = await call(CREATE, commodus());
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    expect(payload.credit).toMatchObject({
      kind: 'CAST',
      department: 'ACTING',
      job: 'Actor',
      character: 'Commodus',
      billingOrder: 2,
      voice: false,
      version: 1,
      film: { slug: 'gladiator' },
      person: { slug: 'joaquin-phoenix' },
    });
    expect(payload.credit.citations.map((c: { field: string }) => c.field).sort()).toEqual(['billingOrder', 'character', 'filmId', 'kind', 'personId']);
    commodusId = payload.credit.id;
    // key, BEGIN, film, person, insert, source, citations, feed lock, change set, revisions, COMMIT, payload read(s).
    expect(statements).toBeLessThanOrEqual(15);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Credit', entityId: dbId(commodusId) } });
    expect(revision.action).toBe('CREATE');
    expect(revision.diff).toEqual({
      filmId: { before: null, after: dbId(gladiator) },
      personId: { before: null, after: dbId(phoenix) },
      kind: { before: null, after: 'CAST' },
      department: { before: null, after: 'ACTING' },
      job: { before: null, after: 'Actor' },
      character: { before: null, after: 'Commodus' },
      billingOrder: { before: null, after: 2 },
      voice: { before: null, after: false },
    });
    const cast = await client.query('{ film(slug: "gladiator") { cast { character person { slug } } } }');
    expect(cast.data!['film'].cast).toContainEqual({ character: 'Commodus', person: { slug: 'joaquin-phoenix' } });
  });

  test('the same person, film, kind, job and character again is TAKEN; another character of the same person is not', async () => {
    const credits = await api.db.prisma.credit.count();
    expect(errs(await call(CREATE, commodus()))).toEqual([['TAKEN', null]]);
    expect(await api.db.prisma.credit.count()).toBe(credits);
    const narrator = await call(CREATE, {
      ...commodus(),
      character: 'Narrator',
      billingOrder: null,
      voice: true,
      citations: [cite('He also voices the narrator.')],
    });
    expect(narrator.credit).toMatchObject({ character: 'Narrator', voice: true, billingOrder: null });
  });

  test('a crew credit needs a department and a job; it lands in the film’s crew (the generated crewFilmId)', async () => {
    const payload = await call(CREATE, {
      filmId: gladiator,
      personId: jonze,
      kind: 'CREW',
      department: 'EDITING',
      job: 'Editor',
      citations: [cite('Spike Jonze edited it.')],
    });
    expect(payload.credit).toMatchObject({ kind: 'CREW', department: 'EDITING', job: 'Editor', character: null, billingOrder: null, voice: false });
    const crew = await client.query('{ film(slug: "gladiator") { crew { job person { slug } } } }');
    expect(crew.data!['film'].crew).toContainEqual({ job: 'Editor', person: { slug: 'spike-jonze' } });
    const row = await api.db.prisma.credit.findUniqueOrThrow({ where: { id: dbId(payload.credit.id) } });
    expect(row.crewFilmId).toBe(dbId(gladiator));
  });

  test.each([
    [
      'a crew credit without department and job',
      { kind: 'CREW' },
      [
        ['INVALID', ['input', 'department']],
        ['INVALID', ['input', 'job']],
      ],
    ],
    ['a crew credit with a character', { kind: 'CREW', department: 'SOUND', job: 'Composer', character: 'X' }, [['INVALID', ['input', 'character']]]],
    ['a crew credit in ACTING', { kind: 'CREW', department: 'ACTING', job: 'Stunts' }, [['INVALID', ['input', 'department']]]],
    ['a crew voice role', { kind: 'CREW', department: 'SOUND', job: 'Composer', voice: true }, [['INVALID', ['input', 'voice']]]],
    ['a crew billing order', { kind: 'CREW', department: 'SOUND', job: 'Composer', billingOrder: 1 }, [['INVALID', ['input', 'billingOrder']]]],
    ['a cast credit outside ACTING', { kind: 'CAST', department: 'SOUND' }, [['INVALID', ['input', 'department']]]],
    ['a negative billing order', { kind: 'CAST', billingOrder: -1 }, [['INVALID', ['input', 'billingOrder']]]],
    ['a billing order past smallint', { kind: 'CAST', billingOrder: 40_000 }, [['INVALID', ['input', 'billingOrder']]]],
    ['an empty job', { kind: 'CREW', department: 'SOUND', job: '' }, [['INVALID', ['input', 'job']]]],
    ['a film ID as the person', { kind: 'CAST', personId: 'RmlsbTox' }, [['INVALID', ['input', 'personId']]]],
    [
      'a film and a person that do not exist',
      { kind: 'CAST', filmId: encodeGlobalID('Film', 999_999), personId: encodeGlobalID('Person', 999_999) },
      [
        ['NOT_FOUND', ['input', 'filmId']],
        ['NOT_FOUND', ['input', 'personId']],
      ],
    ],
    [
      'no citation',
      { kind: 'CREW', department: 'SOUND', job: 'Composer', citations: null },
      [
        ['CITATION_REQUIRED', ['input', 'filmId']],
        ['CITATION_REQUIRED', ['input', 'personId']],
        ['CITATION_REQUIRED', ['input', 'kind']],
        ['CITATION_REQUIRED', ['input', 'department']],
        ['CITATION_REQUIRED', ['input', 'job']],
      ],
    ],
    [
      'an excerpt not in the source',
      { kind: 'CREW', department: 'SOUND', job: 'Composer', citations: [cite('Jonze directed it.')] },
      [['EXCERPT_NOT_FOUND', ['input', 'citations', '0', 'excerpt']]],
    ],
  ])('refuses %s and writes nothing', async (_name, fields, expected) => {
    const credits = await api.db.prisma.credit.count();
    const citations = await api.db.prisma.citation.count();
    expect(errs(await call(CREATE, { filmId: gladiator, personId: jonze, citations: [cite('Jonze scored it too.')], ...fields }))).toEqual(expected);
    expect([await api.db.prisma.credit.count(), await api.db.prisma.citation.count()]).toEqual([credits, citations]);
  });

  test('is idempotent with a key', async () => {
    const input = {
      filmId: gladiator,
      personId: jonze,
      kind: 'CREW',
      department: 'SOUND',
      job: 'Composer',
      citations: [cite('Jonze scored it too.')],
      idempotencyKey: 'score-1',
    };
    const first = await call(CREATE, input);
    expect(first.userErrors).toEqual([]);
    const again = await call(CREATE, input);
    expect(again.credit.id).toBe(first.credit.id);
    expect(again.userErrors).toEqual([]);
  });
});

describe('updateCredit', () => {
  test('changes cited facts at the version read; null erases the character; a stale version is a CONFLICT', async () => {
    api.db.resetStatements();
    const payload = await call(UPDATE, { id: commodusId, version: 1, billingOrder: 1, citations: [cite('billed second')] });
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    expect(payload.credit).toMatchObject({ billingOrder: 1, version: 2, character: 'Commodus' });
    expect(statements).toBeLessThanOrEqual(13);
    const stale = await call(UPDATE, { id: commodusId, version: 1, billingOrder: 3, citations: [cite('billed second')] });
    expect(stale.userErrors).toEqual([{ field: ['input', 'version'], code: 'CONFLICT', currentVersion: 2, message: expect.any(String) }]);
    // The seed credits Phoenix on Gladiator with no character named: erasing Commodus would duplicate it.
    expect(errs(await call(UPDATE, { id: commodusId, version: 2, character: null, citations: [cite('Joaquin Phoenix plays')] }))).toEqual([['TAKEN', null]]);
    const cameo = await call(CREATE, { filmId: gladiator, personId: jonze, kind: 'CAST', character: 'Cameo', note: 'test' }, keys.admin.headers);
    const erased = await call(UPDATE, { id: cameo.credit.id, version: 1, character: null, citations: [cite('Spike Jonze')] });
    expect(erased.userErrors).toEqual([]);
    expect(erased.credit).toMatchObject({ character: null, version: 2 });
    expect((await api.db.prisma.credit.findUniqueOrThrow({ where: { id: dbId(cameo.credit.id) } })).character).toBe('');
    const back = await call(UPDATE, { id: cameo.credit.id, version: 2, character: 'Cameo', citations: [cite('Spike Jonze')] });
    expect(back.credit).toMatchObject({ character: 'Cameo', version: 3 });
  });

  test.each([
    ['a change that duplicates another credit', () => ({ character: 'Narrator' }), [['TAKEN', null]]],
    ['a cast credit moved out of ACTING', () => ({ department: 'SOUND' }), [['INVALID', ['input', 'department']]]],
    ['nothing to change', () => ({}), [['INVALID', ['input']]]],
    ['an uncited change', () => ({ voice: true, citations: null }), [['CITATION_REQUIRED', ['input', 'voice']]]],
    ['an unknown credit', () => ({ id: encodeGlobalID('Credit', 999_999), voice: true }), [['NOT_FOUND', ['input', 'id']]]],
    ['a kind (fixed once created)', () => ({ kind: 'CREW' }), 'BAD_USER_INPUT'],
  ])('refuses %s and changes nothing', async (_name, fields, expected) => {
    const before = await api.db.prisma.credit.findUniqueOrThrow({ where: { id: dbId(commodusId) } });
    const result = await client.query(UPDATE, { input: { id: commodusId, version: before.version, citations: [cite('Joaquin Phoenix')], ...fields() } }, write);
    if (typeof expected === 'string') expect(result.errors!.map((e) => e.extensions?.['code'])).toEqual([expected]);
    else expect(errs(result.data!['updateCredit'])).toEqual(expected);
    expect(await api.db.prisma.credit.findUniqueOrThrow({ where: { id: dbId(commodusId) } })).toEqual(before);
  });

  test('Credit.revisions lists its history; revertRevision undoes an update and, for a CREATE, deletes the credit', async () => {
    const history = await client.query(
      'query ($id: ID!) { node(id: $id) { ... on Credit { revisions { nodes { action changes { field before after } } } } } }',
      { id: commodusId },
    );
    const nodes = history.data!['node'].revisions.nodes;
    expect(nodes.map((n: { action: string }) => n.action)).toEqual(['UPDATE', 'CREATE']);
    expect(nodes[0].changes).toEqual([{ field: 'billingOrder', before: 2, after: 1 }]);
    const billing = await api.db.prisma.revision.findFirstOrThrow({
      where: { entityType: 'Credit', entityId: dbId(commodusId), action: 'UPDATE' },
      orderBy: { id: 'asc' },
    });
    const reverted = await call(REVERT, { id: encodeGlobalID('Revision', billing.id), version: 2 });
    expect(reverted.revision).toEqual({ action: 'REVERT', entityId: commodusId });
    expect(await api.db.prisma.credit.findUniqueOrThrow({ where: { id: dbId(commodusId) } })).toMatchObject({ billingOrder: 2, version: 3 });

    const created = await call(
      CREATE,
      { filmId: gladiator, personId: jonze, kind: 'CREW', department: 'CAMERA', job: 'Grip', note: 'test' },
      keys.admin.headers,
    );
    const rev = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Credit', entityId: dbId(created.credit.id), action: 'CREATE' } });
    const undone = await call(REVERT, { id: encodeGlobalID('Revision', rev.id), version: 1 });
    expect(undone.revision).toEqual({ action: 'DELETE', entityId: created.credit.id });
    expect(await api.db.prisma.credit.findUnique({ where: { id: dbId(created.credit.id) } })).toBeNull();
  });
});

describe('deleteCredit', () => {
  test('removes the credit with its citations, lists them, revises each; a stale version is a CONFLICT; gone is NOT_FOUND', async () => {
    const citations = await api.db.prisma.citation.findMany({ where: { creditId: dbId(commodusId) } });
    expect(citations.length).toBeGreaterThan(0);
    expect(errs(await call(DELETE, { id: commodusId, version: 1 }))).toEqual([['CONFLICT', ['input', 'version']]]);
    api.db.resetStatements();
    const payload = await call(DELETE, { id: commodusId, version: 3 });
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    const expected = [commodusId, ...citations.map((c) => encodeGlobalID('Citation', c.id))];
    expect([...payload.deletedIds].sort()).toEqual(expected.sort());
    expect(await api.db.prisma.citation.count({ where: { id: { in: citations.map((c) => c.id) } } })).toBe(0);
    const revisions = await api.db.prisma.revision.findMany({ where: { changeSet: { operationName: 'deleteCredit' } } });
    expect(revisions.map((r) => encodeGlobalID(r.entityType, r.entityId)).sort()).toEqual(expected.sort());
    expect(statements).toBeLessThanOrEqual(10);
    expect(errs(await call(DELETE, { id: commodusId, version: 3 }))).toEqual([['NOT_FOUND', ['input', 'id']]]);
  });
});
