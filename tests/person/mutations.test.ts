// createPerson / updatePerson / deletePerson and the alias mutations, through the API: cited
// facts, every user error with its path, versions, idempotency, revisions and the feed, revert,
// and deletePerson's IN_USE / cascade.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT =
  'Greta Gerwig (IMDb nm1950086, TMDB 45400, Wikidata Q4439) wrote and directed Lady Bird. Some reviews spell her Greta Gerwick. ' +
  'Born Greta Celeste Gerwig in Sacramento.';
const ERRORS = 'userErrors { field code message currentVersion }';
const PERSON = 'person { id slug name imdbId tmdbId wikidataId version citations { field excerpt } aliases { id name version } }';
const CREATE = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { ${PERSON} ${ERRORS} } }`;
const UPDATE = `mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { ${PERSON} ${ERRORS} } }`;
const DELETE = `mutation ($input: DeletePersonInput!) { deletePerson(input: $input) { deletedIds ${ERRORS} } }`;
const CREATE_ALIAS = `mutation ($input: CreatePersonAliasInput!) { createPersonAlias(input: $input) { personAlias { id name version citations { field excerpt } } person { slug } ${ERRORS} } }`;
const UPDATE_ALIAS = `mutation ($input: UpdatePersonAliasInput!) { updatePersonAlias(input: $input) { personAlias { id name version } ${ERRORS} } }`;
const DELETE_ALIAS = `mutation ($input: DeletePersonAliasInput!) { deletePersonAlias(input: $input) { deletedIds ${ERRORS} } }`;
const REVERT = `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action entityId } ${ERRORS} } }`;

const api = useApi((db) => insertSource(db.prisma, 'gerwig', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
});

type Errors = { userErrors: { code: string; field: string[] | null }[] };
const errs = (payload: Errors) => payload.userErrors.map((e) => [e.code, e.field]);
const cite = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'gerwig', excerpt, ...(fields ? { fields } : {}) });
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);

async function call(document: string, input: Record<string, unknown>, headers: Headers = write) {
  const result = await client.query(document, { input }, headers);
  expect(result.errors).toBeUndefined();
  return Object.values(result.data!)[0] as Record<string, any> & Errors;
}

const greta = {
  name: 'Greta Gerwig',
  imdbId: 'nm1950086',
  tmdbId: 45400,
  wikidataId: 'Q4439',
  citations: [cite('Greta Gerwig (IMDb nm1950086, TMDB 45400, Wikidata Q4439)')],
};
let gretaId: string;

describe('createPerson', () => {
  test('creates a person with every fact cited, a slug from the name, at version 1, with a CREATE revision in the feed', async () => {
    api.db.resetStatements();
    const payload = await call(CREATE, greta);
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    expect(payload.person).toMatchObject({ slug: 'greta-gerwig', name: 'Greta Gerwig', imdbId: 'nm1950086', tmdbId: 45400, wikidataId: 'Q4439', version: 1 });
    expect(payload.person.citations.map((c: { field: string }) => c.field).sort()).toEqual(['imdbId', 'name', 'tmdbId', 'wikidataId']);
    gretaId = payload.person.id;
    // key lookup, BEGIN, slug probe, insert, source, citations, feed lock, change set, revisions, COMMIT, payload read.
    expect(statements).toBeLessThanOrEqual(13);
    const feed = await client.query(
      '{ changes(types: [PERSON], first: 10) { nodes { action entityId changes { field before after } changeSet { operationName actor } citations { field } } } }',
    );
    const created = feed.data!['changes'].nodes.find((n: { entityId: string }) => n.entityId === gretaId);
    expect(created).toMatchObject({ action: 'CREATE', changeSet: { operationName: 'createPerson', actor: keys.write.name } });
    expect(created.changes).toContainEqual({ field: 'name', before: null, after: 'Greta Gerwig' });
    expect(created.citations).toHaveLength(4);
  });

  test('an external id in use is TAKEN at its field; a derived slug in use is numbered', async () => {
    expect(errs(await call(CREATE, greta))).toEqual([['TAKEN', ['input', 'imdbId']]]);
    const second = await call(CREATE, { name: 'Greta Gerwig', citations: [cite('Greta Gerwig')] });
    expect(second.person.slug).toBe('greta-gerwig-2');
    expect(errs(await call(CREATE, { name: 'Greta Gerwig', slug: 'greta-gerwig', citations: [cite('Greta Gerwig')] }))).toEqual([['TAKEN', ['input', 'slug']]]);
  });

  test.each([
    ['no citation', { name: 'Someone' }, [['CITATION_REQUIRED', ['input', 'name']]]],
    ['an excerpt the source lacks', { name: 'Someone', citations: [cite('Noah Baumbach')] }, [['EXCERPT_NOT_FOUND', ['input', 'citations', '0', 'excerpt']]]],
    ['an unknown source', { name: 'Someone', citations: [{ sourceSlug: 'nope', excerpt: 'x' }] }, [['NOT_FOUND', ['input', 'citations', '0', 'sourceSlug']]]],
    ['an empty name', { name: '', citations: [cite('Greta')] }, [['INVALID', ['input', 'name']]]],
    ['a film IMDb id', { name: 'Someone', imdbId: 'tt1798709', citations: [cite('Greta')] }, [['INVALID', ['input', 'imdbId']]]],
    ['a bad slug', { name: 'Someone', slug: 'Bad Slug', citations: [cite('Greta')] }, [['INVALID', ['input', 'slug']]]],
    ['a zero tmdbId', { name: 'Someone', tmdbId: 0, citations: [cite('Greta')] }, [['INVALID', ['input', 'tmdbId']]]],
  ])('refuses %s and writes nothing', async (_name, input, expected) => {
    const people = await api.db.prisma.person.count();
    expect(errs(await call(CREATE, input))).toEqual(expected);
    expect(await api.db.prisma.person.count()).toBe(people);
  });

  test('uncited facts need the admin scope and a note', async () => {
    const forbidden = await client.query(CREATE, { input: { name: 'Uncited Person', note: 'from the credits' } }, write);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    const admin = await call(CREATE, { name: 'Uncited Person', note: 'from the credits' }, keys.admin.headers);
    expect(admin.userErrors).toEqual([]);
    expect(admin.person.citations).toEqual([]);
  });

  test('is idempotent with a key: a retry returns the first person and writes nothing', async () => {
    const input = { name: 'Greta Celeste Gerwig', citations: [cite('Greta Celeste Gerwig')], idempotencyKey: 'gcg-1' };
    const first = await call(CREATE, input);
    const people = await api.db.prisma.person.count();
    const again = await call(CREATE, input);
    expect(again.person.id).toBe(first.person.id);
    expect(await api.db.prisma.person.count()).toBe(people);
    expect(errs(await call(CREATE, { ...input, name: 'Greta' }))).toEqual([['IDEMPOTENCY_KEY_REUSED', ['input', 'idempotencyKey']]]);
  });
});

describe('updatePerson', () => {
  test('changes a cited fact and bumps the version; a stale version is a CONFLICT with the current one', async () => {
    const payload = await call(UPDATE, { id: gretaId, version: 1, name: 'Greta Celeste Gerwig', citations: [cite('Born Greta Celeste Gerwig')] });
    expect(payload.userErrors).toEqual([]);
    expect(payload.person).toMatchObject({ name: 'Greta Celeste Gerwig', version: 2 });
    const stale = await call(UPDATE, { id: gretaId, version: 1, name: 'Greta', citations: [cite('Greta')] });
    expect(stale.userErrors).toEqual([{ field: ['input', 'version'], code: 'CONFLICT', currentVersion: 2, message: expect.stringMatching(/changed since/) }]);
    expect(stale.person).toBeNull();
  });

  test.each([
    [
      'an unknown person',
      () => ({ id: encodeGlobalID('Person', 999_999), version: 1, name: 'X', citations: [cite('Greta')] }),
      [['NOT_FOUND', ['input', 'id']]],
    ],
    ['a film id', () => ({ id: encodeGlobalID('Film', 1), version: 1, name: 'X', citations: [cite('Greta')] }), [['INVALID', ['input', 'id']]]],
    ['nothing to change', () => ({ id: gretaId, version: 2, citations: [cite('Greta')] }), [['INVALID', ['input']]]],
    ['a null name', () => ({ id: gretaId, version: 2, name: null, citations: [cite('Greta')] }), [['INVALID', ['input', 'name']]]],
    ['an uncited change', () => ({ id: gretaId, version: 2, tmdbId: 1 }), [['CITATION_REQUIRED', ['input', 'tmdbId']]]],
    ['version 0', () => ({ id: gretaId, version: 0, name: 'X', citations: [cite('Greta')] }), [['INVALID', ['input', 'version']]]],
  ])('refuses %s and changes nothing', async (_name, input, expected) => {
    const before = await api.db.prisma.person.findUniqueOrThrow({ where: { id: dbId(gretaId) } });
    expect(errs(await call(UPDATE, input()))).toEqual(expected);
    expect(await api.db.prisma.person.findUniqueOrThrow({ where: { id: dbId(gretaId) } })).toEqual(before);
  });

  test('a slug needs no citation; revertRevision sets the name back under the version check', async () => {
    const renamed = await call(UPDATE, { id: gretaId, version: 2, slug: 'greta' });
    expect(renamed.person).toMatchObject({ slug: 'greta', version: 3 });
    const updates = await api.db.prisma.revision.findMany({
      where: { entityType: 'Person', entityId: dbId(gretaId), action: 'UPDATE' },
      orderBy: { id: 'asc' },
    });
    const update = updates.find((r) => 'name' in (r.diff as object))!;
    const stale = await call(REVERT, { id: encodeGlobalID('Revision', update.id), version: 2 });
    expect(errs(stale)).toEqual([['CONFLICT', ['input', 'version']]]);
    const reverted = await call(REVERT, { id: encodeGlobalID('Revision', update.id), version: 3 });
    expect(reverted.userErrors).toEqual([]);
    expect(reverted.revision).toEqual({ action: 'REVERT', entityId: gretaId });
    expect(await api.db.prisma.person.findUniqueOrThrow({ where: { id: dbId(gretaId) } })).toMatchObject({ name: 'Greta Gerwig', slug: 'greta', version: 4 });
    const history = await client.query(`{ person(slug: "greta") { revisions { nodes { action } } } }`);
    expect(history.data!['person'].revisions.nodes.map((n: { action: string }) => n.action)).toEqual(['REVERT', 'UPDATE', 'UPDATE', 'CREATE']);
  });
});

describe('aliases', () => {
  let aliasId: string;

  test('createPersonAlias adds a cited spelling; the same spelling again is TAKEN at name', async () => {
    const payload = await call(CREATE_ALIAS, { personId: gretaId, name: 'Greta Gerwick', citations: [cite('Greta Gerwick')] });
    expect(payload.userErrors).toEqual([]);
    expect(payload.personAlias).toMatchObject({ name: 'Greta Gerwick', version: 1, citations: [{ field: 'name', excerpt: 'Greta Gerwick' }] });
    expect(payload.person).toEqual({ slug: 'greta' });
    aliasId = payload.personAlias.id;
    expect(errs(await call(CREATE_ALIAS, { personId: gretaId, name: 'Greta Gerwick', citations: [cite('Greta Gerwick')] }))).toEqual([
      ['TAKEN', ['input', 'name']],
    ]);
    expect(errs(await call(CREATE_ALIAS, { personId: encodeGlobalID('Person', 999_999), name: 'X', citations: [cite('Greta')] }))).toEqual([
      ['NOT_FOUND', ['input', 'personId']],
    ]);
    expect(errs(await call(CREATE_ALIAS, { personId: gretaId, name: 'Greta G.' }))).toEqual([['CITATION_REQUIRED', ['input', 'name']]]);
    expect(errs(await call(CREATE_ALIAS, { personId: gretaId, name: ' padded ', citations: [cite('Greta')] }))).toEqual([['INVALID', ['input', 'name']]]);
  });

  test('updatePersonAlias respells at the version read; a spelling the person has is TAKEN; revert sets it back', async () => {
    await call(CREATE_ALIAS, { personId: gretaId, name: 'Greta C. Gerwig', citations: [cite('Greta Celeste Gerwig')] });
    const respelled = await call(UPDATE_ALIAS, { id: aliasId, version: 1, name: 'G. Gerwick', citations: [cite('Gerwick')] });
    expect(respelled.personAlias).toEqual({ id: aliasId, name: 'G. Gerwick', version: 2 });
    expect(errs(await call(UPDATE_ALIAS, { id: aliasId, version: 2, name: 'Greta C. Gerwig', citations: [cite('Greta')] }))).toEqual([
      ['TAKEN', ['input', 'name']],
    ]);
    expect(errs(await call(UPDATE_ALIAS, { id: aliasId, version: 1, name: 'X', citations: [cite('Greta')] }))).toEqual([['CONFLICT', ['input', 'version']]]);
    const update = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'PersonAlias', entityId: dbId(aliasId), action: 'UPDATE' } });
    expect(update.diff).toEqual({ name: { before: 'Greta Gerwick', after: 'G. Gerwick' } });
    const reverted = await call(REVERT, { id: encodeGlobalID('Revision', update.id), version: 2 });
    expect(reverted.revision).toEqual({ action: 'REVERT', entityId: aliasId });
    expect(await api.db.prisma.personAlias.findUniqueOrThrow({ where: { id: dbId(aliasId) } })).toMatchObject({ name: 'Greta Gerwick', version: 3 });
  });

  test('deletePersonAlias removes it with its citations and lists them', async () => {
    const citations = await api.db.prisma.citation.findMany({ where: { personAliasId: dbId(aliasId) } });
    expect(citations.length).toBeGreaterThan(0);
    expect(errs(await call(DELETE_ALIAS, { id: aliasId, version: 2 }))).toEqual([['CONFLICT', ['input', 'version']]]);
    const payload = await call(DELETE_ALIAS, { id: aliasId, version: 3, note: 'not a spelling in use' });
    expect(payload.userErrors).toEqual([]);
    expect([...payload.deletedIds].sort()).toEqual([aliasId, ...citations.map((c) => encodeGlobalID('Citation', c.id))].sort());
    expect(await api.db.prisma.citation.count({ where: { id: { in: citations.map((c) => c.id) } } })).toBe(0);
    expect(errs(await call(DELETE_ALIAS, { id: aliasId, version: 3 }))).toEqual([['NOT_FOUND', ['input', 'id']]]);
  });
});

describe('deletePerson', () => {
  test('a person with credits is IN_USE without cascade, and nothing changes', async () => {
    const phoenix = await api.db.prisma.person.findUniqueOrThrow({ where: { slug: 'joaquin-phoenix' }, include: { credits: true } });
    expect(phoenix.credits.length).toBeGreaterThan(0);
    const payload = await call(DELETE, { id: encodeGlobalID('Person', phoenix.id), version: phoenix.version });
    expect(payload.deletedIds).toEqual([]);
    expect(errs(payload)).toEqual([['IN_USE', ['input', 'cascade']]]);
    expect(await api.db.prisma.credit.count({ where: { personId: phoenix.id } })).toBe(phoenix.credits.length);
  });

  test('with cascade: the person, their aliases, credits and every citation of those go, each listed and revised; the films stay', async () => {
    const person = await api.db.prisma.person.findUniqueOrThrow({ where: { slug: 'scarlett-johansson' }, include: { credits: true, aliases: true } });
    expect(person.aliases.length).toBeGreaterThan(0);
    const citations = await api.db.prisma.citation.findMany({
      where: {
        OR: [{ personId: person.id }, { personAliasId: { in: person.aliases.map((a) => a.id) } }, { creditId: { in: person.credits.map((c) => c.id) } }],
      },
    });
    const films = await api.db.prisma.film.count();
    api.db.resetStatements();
    const payload = await call(DELETE, { id: encodeGlobalID('Person', person.id), version: person.version, cascade: true, note: 'test' });
    const statements = api.db.statements.length;
    expect(payload.userErrors).toEqual([]);
    const expected = [
      encodeGlobalID('Person', person.id),
      ...person.aliases.map((a) => encodeGlobalID('PersonAlias', a.id)),
      ...person.credits.map((c) => encodeGlobalID('Credit', c.id)),
      ...citations.map((c) => encodeGlobalID('Citation', c.id)),
    ];
    expect([...payload.deletedIds].sort()).toEqual(expected.sort());
    expect(await api.db.prisma.person.findUnique({ where: { id: person.id } })).toBeNull();
    expect(await api.db.prisma.citation.count({ where: { id: { in: citations.map((c) => c.id) } } })).toBe(0);
    expect(await api.db.prisma.film.count()).toBe(films);
    const revisions = await api.db.prisma.revision.findMany({ where: { changeSet: { operationName: 'deletePerson' } } });
    expect(revisions.map((r) => encodeGlobalID(r.entityType, r.entityId)).sort()).toEqual(expected.sort());
    expect(new Set(revisions.map((r) => r.action))).toEqual(new Set(['DELETE']));
    // A credit's DELETE revision shows the character as the API does, never the generated crewFilmId.
    const credit = revisions.find((r) => r.entityType === 'Credit')!;
    expect(Object.keys(credit.diff as object)).not.toContain('crewFilmId');
    // key, BEGIN, person with credits and aliases (3), citations, credits, person, feed lock, change set, revisions, COMMIT.
    expect(statements).toBeLessThanOrEqual(14);
  });

  test('reverting a CREATE deletes the person (IN_USE once they have credits)', async () => {
    const created = await call(CREATE, { name: 'Short Lived', note: 'test' }, keys.admin.headers);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Person', entityId: dbId(created.person.id), action: 'CREATE' } });
    const reverted = await call(REVERT, { id: encodeGlobalID('Revision', revision.id), version: 1 });
    expect(reverted.revision).toEqual({ action: 'DELETE', entityId: created.person.id });
    expect(await api.db.prisma.person.findUnique({ where: { id: dbId(created.person.id) } })).toBeNull();

    const withCredits = await call(CREATE, { name: 'Has Credits', note: 'test' }, keys.admin.headers);
    const film = await api.db.prisma.film.findFirstOrThrow();
    await api.db.prisma.credit.create({ data: { filmId: film.id, personId: dbId(withCredits.person.id), kind: 'CREW', department: 'SOUND', job: 'Mixer' } });
    const rev = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Person', entityId: dbId(withCredits.person.id), action: 'CREATE' } });
    expect(errs(await call(REVERT, { id: encodeGlobalID('Revision', rev.id), version: 1 }))).toEqual([['IN_USE', ['input', 'cascade']]]);
  });
});
