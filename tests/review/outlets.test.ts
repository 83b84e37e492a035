// Publication and critic mutations through the API: cited facts, slugs, affiliations, versions,
// deletes refused while in use and what a cascade takes, revisions and revert.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT =
  'Cahiers du Cinéma (https://cahiers.example/) is a French film magazine. ' +
  'Its critic Marie Dupont also writes for Sight and Sound, renamed Sight & Sound in 1934. ' +
  'Dupont gave Her 3 out of 4.';

const ERRORS = 'userErrors { field code message currentVersion }';
const PUB = 'id version slug name url critics { slug } citations { field excerpt start end }';
const CRITIC = 'id version slug name publications { slug } citations { field excerpt start end }';
const M = {
  createPublication: `mutation ($input: CreatePublicationInput!) { createPublication(input: $input) { publication { ${PUB} } ${ERRORS} } }`,
  updatePublication: `mutation ($input: UpdatePublicationInput!) { updatePublication(input: $input) { publication { ${PUB} } ${ERRORS} } }`,
  deletePublication: `mutation ($input: DeletePublicationInput!) { deletePublication(input: $input) { deletedIds ${ERRORS} } }`,
  createCritic: `mutation ($input: CreateCriticInput!) { createCritic(input: $input) { critic { ${CRITIC} } ${ERRORS} } }`,
  updateCritic: `mutation ($input: UpdateCriticInput!) { updateCritic(input: $input) { critic { ${CRITIC} } ${ERRORS} } }`,
  deleteCritic: `mutation ($input: DeleteCriticInput!) { deleteCritic(input: $input) { deletedIds ${ERRORS} } }`,
  createReview: `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id version } ${ERRORS} } }`,
  revertRevision: `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action } ${ERRORS} } }`,
};

const api = useApi((db) => insertSource(db.prisma, 'cahiers', TEXT).then(() => undefined));
let client: Client;
let write: Headers;
let her: string;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  write = (await testKeys(api.db.prisma)).write.headers;
  her = encodeGlobalID('Film', (await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } })).id);
});

async function run(kind: keyof typeof M, input: Record<string, unknown>) {
  const result = await client.query(M[kind], { input }, write);
  expect(result.errors).toBeUndefined();
  return result.data![kind];
}
const cite = (excerpt: string, fields?: string[]) => ({ sourceSlug: 'cahiers', excerpt, ...(fields ? { fields } : {}) });
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);
let made = 0;

async function publication(name = 'Cahiers du Cinéma') {
  const payload = await run('createPublication', { name, slug: `cahiers-${++made}`, citations: [cite('Cahiers du Cinéma')] });
  expect(payload.userErrors).toEqual([]);
  return payload.publication;
}

describe('publications', () => {
  test('createPublication derives the slug from the name, cites name and url, and records a CREATE revision', async () => {
    const payload = await run('createPublication', {
      name: 'Sight and Sound',
      url: 'https://cahiers.example/',
      citations: [cite('Sight and Sound', ['name']), cite('(https://cahiers.example/)', ['url'])],
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.publication).toMatchObject({ version: 1, slug: 'sight-and-sound', name: 'Sight and Sound', url: 'https://cahiers.example/', critics: [] });
    for (const c of payload.publication.citations) expect(TEXT.slice(c.start, c.end)).toBe(c.excerpt);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Publication', entityId: dbId(payload.publication.id) } });
    expect(revision.diff).toEqual({
      name: { before: null, after: 'Sight and Sound' },
      url: { before: null, after: 'https://cahiers.example/' },
      slug: { before: null, after: 'sight-and-sound' },
    });
    expect((await run('createPublication', { name: 'Sight and Sound', citations: [cite('Sight and Sound')] })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'slug'], code: 'TAKEN' }),
    ]);
  });

  test.each([
    ['an empty name', { name: '' }, ['input', 'name'], 'INVALID'],
    ['a bad slug', { slug: 'Not A Slug' }, ['input', 'slug'], 'INVALID'],
    ['a taken slug', { slug: 'the-verge' }, ['input', 'slug'], 'TAKEN'],
    ['an uncited url', { url: 'https://x.example/' }, ['input', 'url'], 'CITATION_REQUIRED'],
    ['a source that does not exist', { citations: [{ sourceSlug: 'nope', excerpt: 'x' }] }, ['input', 'citations', '0', 'sourceSlug'], 'NOT_FOUND'],
  ])('createPublication refuses %s', async (_name, extra, field, code) => {
    const payload = await run('createPublication', {
      name: 'Cahiers du Cinéma',
      slug: `refused-${++made}`,
      citations: [cite('Cahiers du Cinéma', ['name'])],
      ...extra,
    });
    expect(payload.publication).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
  });

  test('updatePublication renames with a citation, refuses a stale version, and revert restores the name', async () => {
    const pub = await publication();
    const updated = await run('updatePublication', { id: pub.id, version: 1, name: 'Sight & Sound', citations: [cite('Sight & Sound')] });
    expect(updated.publication).toMatchObject({ version: 2, name: 'Sight & Sound' });
    expect((await run('updatePublication', { id: pub.id, version: 1, name: 'X', citations: [cite('Cahiers')] })).userErrors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', currentVersion: 2 }),
    ]);
    expect((await run('updatePublication', { id: pub.id, version: 2, name: 'Sight and Sound' })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'name'], code: 'CITATION_REQUIRED' }),
    ]);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Publication', entityId: dbId(pub.id), action: 'UPDATE' } });
    expect(await run('revertRevision', { id: encodeGlobalID('Revision', revision.id), version: 2 })).toEqual({
      revision: { action: 'REVERT' },
      userErrors: [],
    });
    expect((await api.db.prisma.publication.findUniqueOrThrow({ where: { id: dbId(pub.id) } })).name).toBe('Cahiers du Cinéma');
  });

  test('deletePublication is IN_USE with reviews or critics; with cascade, the reviews go and the critics lose the affiliation', async () => {
    const pub = await publication();
    const critic = (
      await run('createCritic', { name: 'Marie Dupont', slug: `dupont-${++made}`, publicationIds: [pub.id], citations: [cite('Its critic Marie Dupont')] })
    ).critic;
    const review = (
      await run('createReview', { filmId: her, publicationId: pub.id, originalScore: 3, scoreScale: 4, citations: [cite('Dupont gave Her 3 out of 4.')] })
    ).review;
    const refused = await run('deletePublication', { id: pub.id, version: 1 });
    expect(refused).toEqual({
      deletedIds: [],
      userErrors: [expect.objectContaining({ field: ['input', 'cascade'], code: 'IN_USE', message: expect.stringMatching(/1 review\(s\) and 1 critic/) })],
    });
    const citationIds = (await api.db.prisma.citation.findMany({ where: { OR: [{ publicationId: dbId(pub.id) }, { reviewId: dbId(review.id) }] } })).map((c) =>
      encodeGlobalID('Citation', c.id),
    );
    const payload = await run('deletePublication', { id: pub.id, version: 1, cascade: true });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedIds.sort()).toEqual([pub.id, review.id, ...citationIds].sort());
    expect(await api.db.prisma.review.findUnique({ where: { id: dbId(review.id) } })).toBeNull();
    const after = await api.db.prisma.critic.findUniqueOrThrow({ where: { id: dbId(critic.id) }, include: { publications: true } });
    expect([after.publications, after.version]).toEqual([[], 2]);
    const criticRevision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Critic', entityId: after.id, action: 'UPDATE' } });
    expect(criticRevision.diff).toEqual({ publicationIds: { before: [dbId(pub.id)], after: [] } });
  });

  test('deletePublication of an unused outlet deletes it with its citations', async () => {
    const pub = await publication();
    const payload = await run('deletePublication', { id: pub.id, version: 1 });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedIds).toHaveLength(2);
    expect(await api.db.prisma.citation.count({ where: { publicationId: dbId(pub.id) } })).toBe(0);
  });
});

describe('critics', () => {
  test('createCritic with affiliations, each fact cited; updateCritic replaces the affiliations; revert restores them', async () => {
    const [a, b] = [await publication(), await publication('Sight and Sound')];
    const created = await run('createCritic', {
      name: 'Marie Dupont',
      publicationIds: [b.id, a.id],
      citations: [cite('Its critic Marie Dupont', ['name']), cite('Marie Dupont also writes for Sight and Sound', ['publicationIds'])],
    });
    expect(created.userErrors).toEqual([]);
    expect(created.critic).toMatchObject({ version: 1, slug: 'marie-dupont', name: 'Marie Dupont' });
    expect(created.critic.publications.map((p: { slug: string }) => p.slug).sort()).toEqual([a.slug, b.slug].sort());
    expect(created.critic.citations.map((c: { field: string }) => c.field).sort()).toEqual(['name', 'publicationIds']);

    const updated = await run('updateCritic', { id: created.critic.id, version: 1, publicationIds: [a.id], citations: [cite('Its critic Marie Dupont')] });
    expect(updated.userErrors).toEqual([]);
    expect(updated.critic).toMatchObject({ version: 2, publications: [{ slug: a.slug }] });
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Critic', entityId: dbId(created.critic.id), action: 'UPDATE' } });
    expect(revision.diff).toEqual({ publicationIds: { before: [dbId(a.id), dbId(b.id)].sort((x, y) => x - y), after: [dbId(a.id)] } });
    await run('revertRevision', { id: encodeGlobalID('Revision', revision.id), version: 2 });
    const critic = await api.db.prisma.critic.findUniqueOrThrow({ where: { id: dbId(created.critic.id) }, include: { publications: true } });
    expect(critic.publications.map((p) => p.publicationId).sort()).toEqual([dbId(a.id), dbId(b.id)].sort());
    expect(critic.version).toBe(3);
  });

  test.each([
    ['an unknown publication', { publicationIds: [encodeGlobalID('Publication', 999_999)] }, ['input', 'publicationIds', '0'], 'NOT_FOUND'],
    ['a repeated publication', 'repeat', ['input', 'publicationIds'], 'INVALID'],
    ['a film ID as publication', { publicationIds: [encodeGlobalID('Film', 1)] }, ['input', 'publicationIds', '0'], 'INVALID'],
    ['no citation', { citations: [] }, ['input', 'name'], 'CITATION_REQUIRED'],
  ])('createCritic refuses %s', async (_name, extra, field, code) => {
    const pub = await publication();
    const more: Record<string, unknown> = extra === 'repeat' ? { publicationIds: [pub.id, pub.id] } : (extra as Record<string, unknown>);
    const payload = await run('createCritic', { name: 'Marie Dupont', slug: `refused-${++made}`, citations: [cite('Marie Dupont')], ...more });
    expect(payload.critic).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
  });

  test("addCitation backs a critic's affiliations only once the critic has some", async () => {
    const pub = await publication();
    const critic = (await run('createCritic', { name: 'Marie Dupont', slug: `dupont-${++made}`, citations: [cite('Marie Dupont')] })).critic;
    const add = () =>
      client.query(
        'mutation ($input: AddCitationInput!) { addCitation(input: $input) { citation { field } userErrors { field code } } }',
        { input: { entityId: critic.id, field: 'publicationIds', citation: cite('also writes for Sight and Sound') } },
        write,
      );
    expect((await add()).data!['addCitation']).toEqual({ citation: null, userErrors: [{ field: ['input', 'field'], code: 'INVALID' }] });
    await run('updateCritic', { id: critic.id, version: 1, publicationIds: [pub.id], citations: [cite('Its critic Marie Dupont')] });
    expect((await add()).data!['addCitation']).toEqual({ citation: { field: 'publicationIds' }, userErrors: [] });
  });

  test('deleteCritic is IN_USE with reviews; with cascade the reviews stay, unsigned, each with an UPDATE revision', async () => {
    const pub = await publication();
    const critic = (await run('createCritic', { name: 'Marie Dupont', slug: `dupont-${++made}`, citations: [cite('Marie Dupont')] })).critic;
    const review = (
      await run('createReview', {
        filmId: her,
        publicationId: pub.id,
        criticId: critic.id,
        citations: [cite('Dupont gave Her 3 out of 4.', ['filmId', 'publicationId']), cite('Marie Dupont', ['criticId'])],
      })
    ).review;
    expect((await run('deleteCritic', { id: critic.id, version: 1 })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'cascade'], code: 'IN_USE' }),
    ]);
    const payload = await run('deleteCritic', { id: critic.id, version: 1, cascade: true });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedIds).toEqual([critic.id, expect.any(String)]);
    const row = await api.db.prisma.review.findUniqueOrThrow({ where: { id: dbId(review.id) } });
    expect([row.criticId, row.version]).toEqual([null, 2]);
    expect(await api.db.prisma.citation.count({ where: { criticId: dbId(critic.id) } })).toBe(0);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Review', entityId: row.id, action: 'UPDATE' } });
    expect(revision.diff).toEqual({ criticId: { before: dbId(critic.id), after: null } });
  });
});
