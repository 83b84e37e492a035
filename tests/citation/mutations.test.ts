// Source and citation mutations through the API: a cited source's text is fixed, deleting a
// cited source needs cascade (which lists the facts left uncited), addCitation cites an existing
// fact of any type, removeCitation keeps the last citation of a fact unless admin states a note.
import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';

const TEXT =
  'Her runs 126 minutes. It was written and directed by Spike Jonze. The Verge liked it. Early cuts: runs 123 minutes, runs 124 minutes, runs 125 minutes.';
const ERRORS = 'userErrors { field code message currentVersion }';
const SOURCE = 'id version slug title url publisher publishedOn text sha256';
const M = {
  createSource: `mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { ${SOURCE} } ${ERRORS} } }`,
  updateSource: `mutation ($input: UpdateSourceInput!) { updateSource(input: $input) { source { ${SOURCE} } ${ERRORS} } }`,
  deleteSource: `mutation ($input: DeleteSourceInput!) { deleteSource(input: $input) { deletedIds unbackedFacts { entityType entityId field } ${ERRORS} } }`,
  addCitation: `mutation ($input: AddCitationInput!) { addCitation(input: $input) { citation { id version field excerpt start end source { slug } } ${ERRORS} } }`,
  removeCitation: `mutation ($input: RemoveCitationInput!) { removeCitation(input: $input) { deletedIds ${ERRORS} } }`,
  updateFilm: `mutation ($input: UpdateFilmInput!) { updateFilm(input: $input) { film { version } ${ERRORS} } }`,
  revertRevision: `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action } ${ERRORS} } }`,
};

const api = useApi();
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let herId: number;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  // A film of its own: the seeded ones carry citations without `field`, which back every fact of their record.
  herId = (await api.db.prisma.film.create({ data: { slug: 'her-again', title: 'Her' } })).id;
});

async function run(kind: keyof typeof M, input: Record<string, unknown>, headers: Headers = keys.write.headers) {
  const result = await client.query(M[kind], { input }, headers);
  expect(result.errors).toBeUndefined();
  return result.data![kind];
}
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);
let made = 0;

async function source(text = TEXT) {
  const payload = await run('createSource', { slug: `article-${++made}`, text, title: 'An article' });
  expect(payload.userErrors).toEqual([]);
  return payload.source;
}

/** Cites Her's runtime to `slug` (a fresh version each time). */
async function citeRuntime(slug: string, runtimeMinutes = 126) {
  const film = await api.db.prisma.film.findUniqueOrThrow({ where: { id: herId } });
  const payload = await run('updateFilm', {
    id: encodeGlobalID('Film', herId),
    version: film.version,
    runtimeMinutes,
    citations: [{ sourceSlug: slug, excerpt: `runs ${runtimeMinutes} minutes` }],
  });
  expect(payload.userErrors).toEqual([]);
}

describe('sources', () => {
  test('createSource stores the text with its SHA-256 and a CREATE revision; a retried key returns the same source', async () => {
    const input = { slug: 'the-article', text: TEXT, url: 'https://example.com/a', publisher: 'Example', publishedOn: '2014-01-02', idempotencyKey: 'src-1' };
    const payload = await run('createSource', input);
    expect(payload).toEqual({
      source: {
        id: expect.any(String),
        version: 1,
        slug: 'the-article',
        title: null,
        url: 'https://example.com/a',
        publisher: 'Example',
        publishedOn: '2014-01-02',
        text: TEXT,
        sha256: createHash('sha256').update(TEXT).digest('hex'),
      },
      userErrors: [],
    });
    expect((await run('createSource', input)).source.id).toBe(payload.source.id);
    expect(await api.db.prisma.revision.count({ where: { entityType: 'Source', entityId: dbId(payload.source.id), action: 'CREATE' } })).toBe(1);
  });

  test.each([
    ['an empty text', { text: '' }, ['input', 'text'], 'INVALID'],
    ['a bad slug', { slug: 'Bad Slug' }, ['input', 'slug'], 'INVALID'],
    ['a taken slug', { slug: 'her-review' }, ['input', 'slug'], 'TAKEN'],
    ['a mailto url', { url: 'mailto:a@example.com' }, ['input', 'url'], 'INVALID'],
  ])('createSource refuses %s', async (_name, extra, field, code) => {
    const payload = await run('createSource', { slug: `refused-${++made}`, text: TEXT, ...extra });
    expect(payload.source).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
  });

  test('updateSource changes the text of an uncited source (new SHA-256) but refuses it, IN_USE, once cited; other fields stay editable', async () => {
    const s = await source();
    const edited = await run('updateSource', { id: s.id, version: 1, text: `${TEXT} Edited.` });
    expect(edited.source).toMatchObject({ version: 2, text: `${TEXT} Edited.` });
    expect(edited.source.sha256).not.toBe(s.sha256);
    await citeRuntime(s.slug);
    const refused = await run('updateSource', { id: s.id, version: 2, text: 'Something else.' });
    expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'text'], code: 'IN_USE', message: expect.stringMatching(/1 citation/) })]);
    const renamed = await run('updateSource', { id: s.id, version: 2, title: 'Renamed' });
    expect(renamed.source).toMatchObject({ version: 3, title: 'Renamed', text: `${TEXT} Edited.` });
    expect((await run('updateSource', { id: s.id, version: 2, title: 'Stale' })).userErrors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', currentVersion: 3 }),
    ]);
    // Reverting the text edit is a text change too: refused while cited.
    const textRevision = await api.db.prisma.revision.findFirstOrThrow({
      where: { entityType: 'Source', entityId: dbId(s.id), action: 'UPDATE' },
      orderBy: { id: 'asc' },
    });
    expect((await run('revertRevision', { id: encodeGlobalID('Revision', textRevision.id), version: 3 })).userErrors).toEqual([
      expect.objectContaining({ code: 'IN_USE' }),
    ]);
  });

  test('deleteSource is IN_USE while cited; with cascade it removes the citations and lists the facts left uncited', async () => {
    const s = await source();
    await api.db.prisma.citation.deleteMany({ where: { filmId: herId, field: 'runtimeMinutes' } });
    await citeRuntime(s.slug, 125);
    const citations = await api.db.prisma.citation.findMany({ where: { sourceId: dbId(s.id) } });
    expect(citations).toHaveLength(1);
    expect((await run('deleteSource', { id: s.id, version: 1 })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'cascade'], code: 'IN_USE' }),
    ]);
    const payload = await run('deleteSource', { id: s.id, version: 1, cascade: true });
    expect(payload).toEqual({
      deletedIds: [s.id, encodeGlobalID('Citation', citations[0]!.id)],
      unbackedFacts: [{ entityType: 'FILM', entityId: encodeGlobalID('Film', herId), field: 'runtimeMinutes' }],
      userErrors: [],
    });
    expect(await api.db.prisma.citation.count({ where: { sourceId: dbId(s.id) } })).toBe(0);
    const deletes = await api.db.prisma.revision.findMany({ where: { changeSet: { operationName: 'deleteSource' } } });
    expect(deletes.map((r) => [r.entityType, r.action]).sort()).toEqual([
      ['Citation', 'DELETE'],
      ['Source', 'DELETE'],
    ]);
  });

  test('deleteSource cascade leaves out facts another source still backs', async () => {
    const [a, b] = [await source(), await source()];
    await citeRuntime(a.slug, 124);
    await run('addCitation', {
      entityId: encodeGlobalID('Film', herId),
      field: 'runtimeMinutes',
      citation: { sourceSlug: b.slug, excerpt: 'runs 126 minutes' },
    });
    const payload = await run('deleteSource', { id: a.id, version: 1, cascade: true });
    expect(payload.unbackedFacts).toEqual([]);
    expect(payload.userErrors).toEqual([]);
  });
});

describe('citations', () => {
  test('addCitation cites an existing fact of a film, located server-side, with a Citation CREATE revision', async () => {
    const s = await source();
    const payload = await run('addCitation', {
      entityId: encodeGlobalID('Film', herId),
      field: 'title',
      citation: { sourceSlug: s.slug, excerpt: 'Her', fields: ['ignored'] },
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.citation).toMatchObject({ version: 1, field: 'title', excerpt: 'Her', start: 0, end: 3, source: { slug: s.slug } });
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Citation', entityId: dbId(payload.citation.id) } });
    expect(revision.action).toBe('CREATE');
    const created = await client.query('query ($id: ID!) { node(id: $id) { ... on Citation { revisions { nodes { action } } } } }', {
      id: payload.citation.id,
    });
    expect(created.data!['node'].revisions.nodes).toEqual([{ action: 'CREATE' }]);
  });

  test('addCitation cites a seeded review quote and a publication', async () => {
    const s = await source();
    const quote = await api.db.prisma.reviewQuote.findFirstOrThrow();
    const verge = await api.db.prisma.publication.findUniqueOrThrow({ where: { slug: 'the-verge' } });
    expect(
      (await run('addCitation', { entityId: encodeGlobalID('Publication', verge.id), field: 'name', citation: { sourceSlug: s.slug, excerpt: 'The Verge' } }))
        .userErrors,
    ).toEqual([]);
    // A quote's text is not in this source: the excerpt must be found there.
    expect(
      (await run('addCitation', { entityId: encodeGlobalID('ReviewQuote', quote.id), field: 'text', citation: { sourceSlug: s.slug, excerpt: quote.text } }))
        .userErrors,
    ).toEqual([expect.objectContaining({ field: ['input', 'citation', 'excerpt'], code: 'EXCERPT_NOT_FOUND' })]);
  });

  test.each([
    ['an ID of a type without facts', () => ({ entityId: encodeGlobalID('Source', 1) }), ['input', 'entityId'], 'INVALID'],
    ['a record that does not exist', () => ({ entityId: encodeGlobalID('Film', 999_999) }), ['input', 'entityId'], 'NOT_FOUND'],
    ['a field that is not a fact', () => ({ field: 'slug' }), ['input', 'field'], 'INVALID'],
    ['a fact that is not set', () => ({ field: 'tmdbId' }), ['input', 'field'], 'INVALID'],
    ['an unknown source', () => ({ citation: { sourceSlug: 'nope', excerpt: 'Her' } }), ['input', 'citation', 'sourceSlug'], 'NOT_FOUND'],
    [
      'an excerpt not in the source',
      () => ({ citation: { sourceSlug: 'her-review', excerpt: 'not there at all' } }),
      ['input', 'citation', 'excerpt'],
      'EXCERPT_NOT_FOUND',
    ],
  ])('addCitation refuses %s', async (_name, extra, field, code) => {
    const before = await api.db.prisma.citation.count();
    const payload = await run('addCitation', {
      entityId: encodeGlobalID('Film', herId),
      field: 'title',
      citation: { sourceSlug: 'her-review', excerpt: 'Her' },
      ...extra(),
    });
    expect(payload.citation).toBeNull();
    expect(payload.userErrors).toEqual([expect.objectContaining({ field, code })]);
    expect(await api.db.prisma.citation.count()).toBe(before);
  });

  test('removeCitation removes one of two citations of a fact, refuses the last, and admin with a note may remove it', async () => {
    const [a, b] = [await source(), await source()];
    const film = encodeGlobalID('Film', herId);
    const versionBefore = (await api.db.prisma.film.findUniqueOrThrow({ where: { id: herId } })).version;
    // Her's runtime, backed by exactly two citations: one to a, then one to b.
    await api.db.prisma.citation.deleteMany({ where: { filmId: herId, field: 'runtimeMinutes' } });
    await citeRuntime(a.slug, 123);
    const second = (await run('addCitation', { entityId: film, field: 'runtimeMinutes', citation: { sourceSlug: b.slug, excerpt: '126 minutes' } })).citation;
    const first = await api.db.prisma.citation.findFirstOrThrow({ where: { filmId: herId, field: 'runtimeMinutes', sourceId: dbId(a.id) } });
    expect((await run('removeCitation', { id: second.id, version: 1 })).userErrors).toEqual([]);
    const refused = await run('removeCitation', { id: encodeGlobalID('Citation', first.id), version: 1 });
    expect(refused.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'CITATION_REQUIRED' })]);
    expect((await run('removeCitation', { id: encodeGlobalID('Citation', first.id), version: 1, note: 'wrong article' })).userErrors).toEqual([
      expect.objectContaining({ code: 'CITATION_REQUIRED' }),
    ]);
    const removed = await run('removeCitation', { id: encodeGlobalID('Citation', first.id), version: 1, note: 'wrong article' }, keys.admin.headers);
    expect(removed).toEqual({ deletedIds: [encodeGlobalID('Citation', first.id)], userErrors: [] });
    expect((await run('removeCitation', { id: encodeGlobalID('Citation', first.id), version: 1 })).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND' }),
    ]);
    // Citations are separate records: the film's version did not move for them.
    expect((await api.db.prisma.film.findUniqueOrThrow({ where: { id: herId } })).version).toBe(versionBefore + 1);
  });

  test('reverting an addCitation removes the citation; a Citation DELETE is not revertible', async () => {
    const s = await source();
    const added = (await run('addCitation', { entityId: encodeGlobalID('Film', herId), field: 'title', citation: { sourceSlug: s.slug, excerpt: 'Her' } }))
      .citation;
    const created = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Citation', entityId: dbId(added.id), action: 'CREATE' } });
    expect(await run('revertRevision', { id: encodeGlobalID('Revision', created.id), version: 1 })).toEqual({ revision: { action: 'DELETE' }, userErrors: [] });
    const deleted = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Citation', entityId: dbId(added.id), action: 'DELETE' } });
    expect((await run('revertRevision', { id: encodeGlobalID('Revision', deleted.id), version: 1 })).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_REVERTIBLE' }),
    ]);
  });
});
