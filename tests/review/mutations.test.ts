// createReview / updateReview / deleteReview and the quote mutations through the API: cited
// facts, score rules, quotes located in their source, versions, revisions, revert, and no
// citation left behind by a delete.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT =
  'Sight & Sound gives Her four stars out of five, published 12 December 2013 at https://example.com/her. ' +
  'Critic Jane Roe writes: "a tender, funny film about loneliness". She adds that it is "the best film of the year". ' +
  'Later the magazine raised it to 9 out of 10.';

const REVIEW = /* GraphQL */ `
  fragment R on Review {
    id
    version
    url
    originalScore
    scoreScale
    normalizedScore
    publishedOn
    film {
      slug
    }
    publication {
      slug
    }
    critic {
      slug
    }
    quotes {
      id
      version
      position
      text
      citations {
        excerpt
        start
        end
      }
    }
    citations {
      field
      excerpt
      start
      end
    }
  }
`;
const ERRORS = 'userErrors { field code message currentVersion }';
const M = {
  create: `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { ...R } ${ERRORS} } } ${REVIEW}`,
  update: `mutation ($input: UpdateReviewInput!) { updateReview(input: $input) { review { ...R } ${ERRORS} } } ${REVIEW}`,
  delete: `mutation ($input: DeleteReviewInput!) { deleteReview(input: $input) { deletedIds ${ERRORS} } }`,
  addQuote: `mutation ($input: AddReviewQuoteInput!) { addReviewQuote(input: $input) { quote { id version position text citations { excerpt start end } } ${ERRORS} } }`,
  updateQuote: `mutation ($input: UpdateReviewQuoteInput!) { updateReviewQuote(input: $input) { quote { id version position text } ${ERRORS} } }`,
  removeQuote: `mutation ($input: RemoveReviewQuoteInput!) { removeReviewQuote(input: $input) { deletedIds ${ERRORS} } }`,
  revert: `mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { action } ${ERRORS} } }`,
};
const FIELD = {
  create: 'createReview',
  update: 'updateReview',
  delete: 'deleteReview',
  addQuote: 'addReviewQuote',
  updateQuote: 'updateReviewQuote',
  removeQuote: 'removeReviewQuote',
  revert: 'revertRevision',
} as const;

const api = useApi((db) => insertSource(db.prisma, 'sight', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let write: Headers;
let ids: { her: string; verge: string; lat: string; critic: string };

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  write = keys.write.headers;
  const [her, verge, lat] = await Promise.all([
    api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'her' } }),
    api.db.prisma.publication.findUniqueOrThrow({ where: { slug: 'the-verge' } }),
    api.db.prisma.publication.findUniqueOrThrow({ where: { slug: 'la-times' } }),
  ]);
  const critic = await api.db.prisma.critic.create({ data: { slug: 'jane-roe', name: 'Jane Roe' } });
  ids = {
    her: encodeGlobalID('Film', her.id),
    verge: encodeGlobalID('Publication', verge.id),
    lat: encodeGlobalID('Publication', lat.id),
    critic: encodeGlobalID('Critic', critic.id),
  };
});

/** Runs one of the mutations and returns its payload (failing on a GraphQL error). */
async function run(kind: keyof typeof M, input: Record<string, unknown>, headers: Headers = write) {
  const result = await client.query(M[kind], { input }, headers);
  expect(result.errors).toBeUndefined();
  return result.data![FIELD[kind]];
}

const cite = (excerpt: string, extra: Record<string, unknown> = {}) => ({ sourceSlug: 'sight', excerpt, ...extra });
const dbId = (globalId: string) => Number(Buffer.from(globalId, 'base64').toString().split(':')[1]);
const QUOTE = 'a tender, funny film about loneliness';

async function newReview(extra: Record<string, unknown> = {}) {
  const payload = await run('create', {
    filmId: ids.her,
    publicationId: ids.verge,
    originalScore: 4,
    scoreScale: 5,
    citations: [cite('Sight & Sound gives Her four stars out of five')],
    ...extra,
  });
  expect(payload.userErrors).toEqual([]);
  return payload.review;
}

describe('createReview', () => {
  test('creates a scored, dated, signed review with quotes located in the source, each fact cited', async () => {
    const payload = await run('create', {
      filmId: ids.her,
      publicationId: ids.verge,
      criticId: ids.critic,
      url: 'https://example.com/her',
      originalScore: 4,
      scoreScale: 5,
      publishedOn: '2013-12-12',
      quotes: [
        { text: QUOTE, citations: [cite(`"${QUOTE}"`)] },
        { text: 'the best film of the year', citations: [cite('the best film of the year')] },
      ],
      citations: [
        cite('Sight & Sound gives Her four stars out of five', { fields: ['filmId', 'publicationId', 'originalScore', 'scoreScale'] }),
        cite('published 12 December 2013 at https://example.com/her', { fields: ['publishedOn', 'url'] }),
        cite('Critic Jane Roe', { fields: ['criticId'] }),
      ],
    });
    expect(payload.userErrors).toEqual([]);
    const review = payload.review;
    expect(review).toMatchObject({
      version: 1,
      url: 'https://example.com/her',
      originalScore: 4,
      scoreScale: 5,
      normalizedScore: 80,
      publishedOn: '2013-12-12',
      film: { slug: 'her' },
      publication: { slug: 'the-verge' },
      critic: { slug: 'jane-roe' },
    });
    expect(review.citations.map((c: { field: string }) => c.field).sort()).toEqual(
      ['criticId', 'filmId', 'originalScore', 'publicationId', 'publishedOn', 'scoreScale', 'url'].sort(),
    );
    for (const c of [...review.citations, ...review.quotes.flatMap((q: { citations: unknown[] }) => q.citations)]) {
      expect(TEXT.slice(c.start, c.end)).toBe(c.excerpt);
    }
    expect(review.quotes.map((q: { position: number; text: string }) => [q.position, q.text])).toEqual([
      [0, QUOTE],
      [1, 'the best film of the year'],
    ]);
    const revisions = await api.db.prisma.revision.findMany({ where: { changeSet: { operationName: 'createReview' } }, orderBy: { id: 'desc' }, take: 3 });
    expect(revisions.map((r) => [r.entityType, r.action]).sort()).toEqual([
      ['Review', 'CREATE'],
      ['ReviewQuote', 'CREATE'],
      ['ReviewQuote', 'CREATE'],
    ]);
  });

  test.each([
    ['a score without its scale', { originalScore: 3 }, ['input', 'scoreScale'], 'INVALID'],
    ['a scale without a score', { scoreScale: 10 }, ['input', 'originalScore'], 'INVALID'],
    ['a score above its scale', { originalScore: 11, scoreScale: 10 }, ['input', 'originalScore'], 'INVALID'],
    ['a negative score', { originalScore: -1, scoreScale: 10 }, ['input', 'originalScore'], 'INVALID'],
    ['a zero scale', { originalScore: 0, scoreScale: 0 }, ['input', 'scoreScale'], 'INVALID'],
    ['a scale above 1000', { originalScore: 1, scoreScale: 1001 }, ['input', 'scoreScale'], 'INVALID'],
    ['a film ID of another type', { filmId: encodeGlobalID('Person', 1) }, ['input', 'filmId'], 'INVALID'],
    ['an unknown film', { filmId: encodeGlobalID('Film', 999_999) }, ['input', 'filmId'], 'NOT_FOUND'],
    ['an unknown publication', { publicationId: encodeGlobalID('Publication', 999_999) }, ['input', 'publicationId'], 'NOT_FOUND'],
    ['an unknown critic', { criticId: encodeGlobalID('Critic', 999_999) }, ['input', 'criticId'], 'NOT_FOUND'],
    ['an ftp url', { url: 'ftp://example.com/x' }, ['input', 'url'], 'INVALID'],
    ['a date before films', { publishedOn: '1700-01-01' }, ['input', 'publishedOn'], 'INVALID'],
    ['an uncited quote', { quotes: [{ text: QUOTE }] }, ['input', 'quotes', '0', 'text'], 'CITATION_REQUIRED'],
    [
      'a quote its excerpt does not contain',
      { quotes: [{ text: 'not in there', citations: [cite('Critic Jane Roe')] }] },
      ['input', 'quotes', '0', 'citations', '0', 'excerpt'],
      'EXCERPT_NOT_FOUND',
    ],
    ['an excerpt not in the source', { citations: [cite('five stars')] }, ['input', 'citations', '0', 'excerpt'], 'EXCERPT_NOT_FOUND'],
    ['no citation', { citations: null }, ['input', 'filmId'], 'CITATION_REQUIRED'],
  ])('refuses %s and writes nothing', async (_name, extra, field, code) => {
    const before = await api.db.prisma.review.count();
    const citations = await api.db.prisma.citation.count();
    const payload = await run('create', {
      filmId: ids.her,
      publicationId: ids.verge,
      citations: [cite('Sight & Sound gives Her four stars out of five')],
      ...extra,
    });
    expect(payload.review).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await api.db.prisma.review.count()).toBe(before);
    expect(await api.db.prisma.citation.count()).toBe(citations);
  });

  test('uncited facts need the admin scope and a note; a write key with a note is FORBIDDEN', async () => {
    const input = { filmId: ids.her, publicationId: ids.lat, note: 'from the print edition' };
    const forbidden = await client.query(M.create, { input }, write);
    expect(codes(forbidden)).toEqual(['FORBIDDEN']);
    const payload = await run('create', input, keys.admin.headers);
    expect(payload.userErrors).toEqual([]);
    expect(payload.review.citations).toEqual([]);
  });

  test('is idempotent with an Idempotency-Key: the retry returns the same review and writes nothing', async () => {
    const input = { filmId: ids.her, publicationId: ids.lat, citations: [cite('Sight & Sound gives Her')], idempotencyKey: 'review-once' };
    const first = await run('create', input);
    const count = await api.db.prisma.review.count();
    const again = await run('create', input);
    expect(again.review.id).toBe(first.review.id);
    expect(await api.db.prisma.review.count()).toBe(count);
  });
});

describe('updateReview', () => {
  test('changes the score, recomputes the normalised one, cites the change and appends an UPDATE revision', async () => {
    const review = await newReview();
    const payload = await run('update', { id: review.id, version: 1, originalScore: 9, scoreScale: 10, citations: [cite('9 out of 10')] });
    expect(payload.userErrors).toEqual([]);
    expect(payload.review).toMatchObject({ version: 2, originalScore: 9, scoreScale: 10, normalizedScore: 90 });
    const [revision] = await api.db.prisma.revision.findMany({ where: { entityType: 'Review', entityId: dbId(review.id) }, orderBy: { id: 'desc' }, take: 1 });
    expect(revision!.action).toBe('UPDATE');
    expect(revision!.diff).toEqual({
      originalScore: { before: 4, after: 9 },
      scoreScale: { before: 5, after: 10 },
      normalizedScore: { before: 80, after: 90 },
    });
    expect(revision!.citationIds).toHaveLength(2);
    const feed = await client.query('{ changes(first: 100, types: [REVIEW]) { nodes { action entityId } } }');
    expect(feed.data!['changes'].nodes).toContainEqual({ action: 'UPDATE', entityId: review.id });
  });

  test('checks the score as it will be: a new score above the current scale is INVALID', async () => {
    const review = await newReview();
    const payload = await run('update', { id: review.id, version: 1, originalScore: 9, citations: [cite('9 out of 10')] });
    expect(payload.userErrors).toEqual([expect.objectContaining({ field: ['input', 'originalScore'], code: 'INVALID' })]);
  });

  test('erasing the score takes both fields; the normalised score goes with them', async () => {
    const review = await newReview();
    const payload = await run('update', { id: review.id, version: 1, originalScore: null, scoreScale: null, citations: [cite('Sight & Sound')] });
    expect(payload.userErrors).toEqual([]);
    expect(payload.review).toMatchObject({ originalScore: null, scoreScale: null, normalizedScore: null });
  });

  test('a stale version is a CONFLICT with the current version; an unknown review NOT_FOUND; nothing given INVALID', async () => {
    const review = await newReview();
    await run('update', { id: review.id, version: 1, url: 'https://example.com/her', citations: [cite('https://example.com/her')] });
    expect((await run('update', { id: review.id, version: 1, criticId: ids.critic, citations: [cite('Critic Jane Roe')] })).userErrors).toEqual([
      { field: ['input', 'version'], code: 'CONFLICT', currentVersion: 2, message: expect.stringMatching(/version 2, not 1/) },
    ]);
    expect((await run('update', { id: encodeGlobalID('Review', 999_999), version: 1, url: null })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' }),
    ]);
    expect((await run('update', { id: review.id, version: 2 })).userErrors).toEqual([expect.objectContaining({ field: ['input'], code: 'INVALID' })]);
  });

  test('an unchanged value writes nothing and keeps the version', async () => {
    const review = await newReview();
    const payload = await run('update', { id: review.id, version: 1, originalScore: 4 });
    expect(payload).toMatchObject({ review: { version: 1 }, userErrors: [] });
  });

  test('revertRevision sets the fields back as a REVERT revision', async () => {
    const review = await newReview();
    await run('update', { id: review.id, version: 1, originalScore: 9, scoreScale: 10, citations: [cite('9 out of 10')] });
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Review', entityId: dbId(review.id), action: 'UPDATE' } });
    const reverted = await run('revert', { id: encodeGlobalID('Revision', revision.id), version: 2 });
    expect(reverted).toEqual({ revision: { action: 'REVERT' }, userErrors: [] });
    const row = await api.db.prisma.review.findUniqueOrThrow({ where: { id: dbId(review.id) } });
    expect([row.originalScore, row.scoreScale, row.normalizedScore, row.version]).toEqual([4, 5, 80, 3]);
  });
});

describe('deleteReview', () => {
  test('deletes the review, its quotes and every citation of both, with a DELETE revision for each', async () => {
    const review = await newReview({ quotes: [{ text: QUOTE, citations: [cite(QUOTE)] }] });
    const quoteId = dbId(review.quotes[0].id);
    const citationIds = (await api.db.prisma.citation.findMany({ where: { OR: [{ reviewId: dbId(review.id) }, { reviewQuoteId: quoteId }] } })).map(
      (c) => c.id,
    );
    expect(citationIds).toHaveLength(5);
    const payload = await run('delete', { id: review.id, version: 1 });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedIds.sort()).toEqual([review.id, review.quotes[0].id, ...citationIds.map((c) => encodeGlobalID('Citation', c))].sort());
    expect(await api.db.prisma.citation.count({ where: { id: { in: citationIds } } })).toBe(0);
    expect(await api.db.prisma.reviewQuote.count({ where: { id: quoteId } })).toBe(0);
    const deletes = await api.db.prisma.revision.findMany({
      where: { action: 'DELETE', changeSet: { operationName: 'deleteReview' } },
      orderBy: { id: 'desc' },
      take: 7,
    });
    expect(deletes.filter((r) => r.entityType === 'Citation' && citationIds.includes(r.entityId))).toHaveLength(5);
    expect(deletes.some((r) => r.entityType === 'ReviewQuote' && r.entityId === quoteId)).toBe(true);
  });

  test('a stale version is a CONFLICT; reverting the CREATE deletes the review', async () => {
    const review = await newReview();
    expect((await run('delete', { id: review.id, version: 2 })).userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT', currentVersion: 1 })]);
    const created = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'Review', entityId: dbId(review.id), action: 'CREATE' } });
    expect(await run('revert', { id: encodeGlobalID('Revision', created.id), version: 1 })).toEqual({ revision: { action: 'DELETE' }, userErrors: [] });
    expect(await api.db.prisma.review.findUnique({ where: { id: dbId(review.id) } })).toBeNull();
    expect(await api.db.prisma.citation.count({ where: { reviewId: dbId(review.id) } })).toBe(0);
  });
});

describe('review quotes', () => {
  test('addReviewQuote appends after the last quote, located in its source; the position can be chosen when free', async () => {
    const review = await newReview({ quotes: [{ text: QUOTE, citations: [cite(QUOTE)] }] });
    const added = await run('addQuote', { reviewId: review.id, text: 'the best film of the year', citations: [cite('it is "the best film of the year"')] });
    expect(added.userErrors).toEqual([]);
    expect(added.quote).toMatchObject({ version: 1, position: 1, text: 'the best film of the year' });
    const [c] = added.quote.citations;
    expect(TEXT.slice(c.start, c.end)).toBe('it is "the best film of the year"');
    const taken = await run('addQuote', { reviewId: review.id, text: QUOTE, position: 0, citations: [cite(QUOTE)] });
    expect(taken.userErrors).toEqual([expect.objectContaining({ field: ['input', 'position'], code: 'TAKEN' })]);
    const placed = await run('addQuote', { reviewId: review.id, text: QUOTE, position: 7, citations: [cite(QUOTE)] });
    expect(placed.quote.position).toBe(7);
  });

  test.each([
    ['an unknown review', { reviewId: encodeGlobalID('Review', 999_999) }, ['input', 'reviewId'], 'NOT_FOUND'],
    ['an empty text', { text: '' }, ['input', 'text'], 'INVALID'],
    ['no citation', { citations: [] }, ['input', 'text'], 'CITATION_REQUIRED'],
    ['an excerpt without the text', { citations: [cite('Critic Jane Roe')] }, ['input', 'citations', '0', 'excerpt'], 'EXCERPT_NOT_FOUND'],
    ['a negative position', { position: -1 }, ['input', 'position'], 'INVALID'],
  ])('addReviewQuote refuses %s', async (_name, extra, field, code) => {
    const review = await newReview();
    const payload = await run('addQuote', { reviewId: review.id, text: QUOTE, citations: [cite(QUOTE)], ...extra });
    expect(payload.quote).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ field, code }));
  });

  test('updateReviewQuote changes the cited text and the position; CONFLICT on a stale version; revert restores', async () => {
    const review = await newReview({ quotes: [{ text: QUOTE, citations: [cite(QUOTE)] }] });
    const quote = review.quotes[0];
    const updated = await run('updateQuote', {
      id: quote.id,
      version: 1,
      text: 'the best film of the year',
      position: 3,
      citations: [cite('the best film of the year')],
    });
    expect(updated).toEqual({ quote: { id: quote.id, version: 2, position: 3, text: 'the best film of the year' }, userErrors: [] });
    expect((await run('updateQuote', { id: quote.id, version: 1, position: 4 }, keys.write.headers)).userErrors).toEqual([
      expect.objectContaining({ code: 'CONFLICT', currentVersion: 2 }),
    ]);
    expect((await run('updateQuote', { id: quote.id, version: 2, text: QUOTE })).userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'text'], code: 'CITATION_REQUIRED' }),
    ]);
    const revision = await api.db.prisma.revision.findFirstOrThrow({ where: { entityType: 'ReviewQuote', entityId: dbId(quote.id), action: 'UPDATE' } });
    expect(revision.diff).toEqual({ position: { before: 0, after: 3 }, text: { before: QUOTE, after: 'the best film of the year' } });
    await run('revert', { id: encodeGlobalID('Revision', revision.id), version: 2 });
    const row = await api.db.prisma.reviewQuote.findUniqueOrThrow({ where: { id: dbId(quote.id) } });
    expect([row.text, row.position, row.version]).toEqual([QUOTE, 0, 3]);
  });

  test('removeReviewQuote removes the quote and its citations', async () => {
    const review = await newReview({ quotes: [{ text: QUOTE, citations: [cite(QUOTE)] }] });
    const quoteId = dbId(review.quotes[0].id);
    const payload = await run('removeQuote', { id: review.quotes[0].id, version: 1 });
    expect(payload.userErrors).toEqual([]);
    expect(payload.deletedIds).toHaveLength(2);
    expect(await api.db.prisma.citation.count({ where: { reviewQuoteId: quoteId } })).toBe(0);
    expect((await run('removeQuote', { id: review.quotes[0].id, version: 1 })).userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
  });

  test('Review.revisions lists its history newest first', async () => {
    const review = await newReview();
    await run('update', { id: review.id, version: 1, url: 'https://example.com/her', citations: [cite('https://example.com/her')] });
    const result = await client.query('query ($id: ID!) { node(id: $id) { ... on Review { revisions(first: 5) { nodes { action } } } } }', { id: review.id });
    expect(result.data!['node'].revisions.nodes).toEqual([{ action: 'UPDATE' }, { action: 'CREATE' }]);
  });
});

test('no citation is left without its record after all these writes', async () => {
  const orphans = await api.db.prisma.citation.count({
    where: {
      filmId: null,
      personId: null,
      personAliasId: null,
      creditId: null,
      publicationId: null,
      criticId: null,
      reviewId: null,
      reviewQuoteId: null,
      releaseId: null,
    },
  });
  expect(orphans).toBe(0);
});
