// mergeFilms and mergePeople: everything moves to the survivor in one transaction, duplicates
// collapse, nothing is orphaned, the loser's id and slug redirect (node, nodes, film/person by id
// or slug, chains, deletion of the survivor), idempotent retries, errors and scopes.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { codes, createClient, useApi, type Client } from '../helpers/graphql.ts';
import { testKeys, type Headers } from '../helpers/keys.ts';
import { insertSource } from '../helpers/sources.ts';

const TEXT = 'A source that backs every fact of this test: the film, its people, its dates.';
const MERGE_FILMS = /* GraphQL */ `
  mutation ($input: MergeFilmsInput!) {
    mergeFilms(input: $input) {
      film {
        id
        slug
        version
        imdbId
        tmdbId
        wikidataId
        year
        redirectedFrom
      }
      deletedIds
      movedIds
      userErrors {
        field
        code
        message
        currentVersion
      }
    }
  }
`;
const MERGE_PEOPLE = /* GraphQL */ `
  mutation ($input: MergePeopleInput!) {
    mergePeople(input: $input) {
      person {
        id
        slug
        version
        imdbId
        aliases {
          name
          citations {
            excerpt
          }
        }
      }
      deletedIds
      movedIds
      userErrors {
        field
        code
        message
        currentVersion
      }
    }
  }
`;
const NODE =
  'query ($id: ID!) { node(id: $id) { id ... on Film { slug redirectedFrom redirectedFromSlug } ... on Person { slug redirectedFrom redirectedFromSlug } } }';

const api = useApi((db) => insertSource(db.prisma, 'merge-source', TEXT).then(() => undefined));
let client: Client;
let keys: Awaited<ReturnType<typeof testKeys>>;
let admin: Headers;
let sourceId: number;

beforeAll(async () => {
  client = createClient(api.db, { guard: { RATE_LIMIT_ENABLED: false } });
  keys = await testKeys(api.db.prisma);
  admin = keys.admin.headers;
  sourceId = (await api.db.prisma.source.findUniqueOrThrow({ where: { slug: 'merge-source' } })).id;
});

const gid = (type: string, id: number) => encodeGlobalID(type, id);
const cite = (prisma: PrismaClient, target: Record<string, number>, field: string | null = null) =>
  prisma.citation.create({ data: { sourceId, kind: 'STATED', excerpt: TEXT.slice(0, 8), start: 0, end: 8, field, ...target } });

/** Every citation points at a live row: none was left on a deleted record. */
async function orphanCitations(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Citation" c WHERE
      (c."filmId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Film" WHERE id = c."filmId")) OR
      (c."personId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Person" WHERE id = c."personId")) OR
      (c."creditId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Credit" WHERE id = c."creditId")) OR
      (c."releaseId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Release" WHERE id = c."releaseId")) OR
      (c."personAliasId" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "PersonAlias" WHERE id = c."personAliasId"))`;
  return Number(rows[0]!.n);
}

const mergeFilms = async (input: Record<string, unknown>, headers = admin) => {
  const result = await client.query(MERGE_FILMS, { input }, headers);
  expect(result.errors).toBeUndefined();
  return result.data!['mergeFilms'];
};
const mergePeople = async (input: Record<string, unknown>, headers = admin) => {
  const result = await client.query(MERGE_PEOPLE, { input }, headers);
  expect(result.errors).toBeUndefined();
  return result.data!['mergePeople'];
};
const filmInput = (from: { id: number; version: number }, into: { id: number; version: number }, extra: Record<string, unknown> = {}) => ({
  from: gid('Film', from.id),
  into: gid('Film', into.id),
  fromVersion: from.version,
  intoVersion: into.version,
  ...extra,
});

let made = 0;
const newFilm = (prisma: PrismaClient, data: Record<string, unknown> = {}) =>
  prisma.film.create({ data: { slug: `merge-film-${++made}`, title: `Film ${made}`, ...data } });
const newPerson = (prisma: PrismaClient, data: Record<string, unknown> = {}) =>
  prisma.person.create({ data: { slug: `merge-person-${++made}`, name: `Person ${made}`, ...data } });

describe('mergeFilms', () => {
  test('moves credits, releases, reviews and citations to the survivor, collapses duplicates with their citations, fills gaps, and deletes the loser', async () => {
    const prisma = api.db.prisma;
    const [actor, director] = [await newPerson(prisma), await newPerson(prisma)];
    const publication = await prisma.publication.create({ data: { slug: `merge-pub-${++made}`, name: 'Merge Weekly' } });
    const survivor = await newFilm(prisma, { imdbId: 'tt9000001', year: 2001 });
    const loser = await newFilm(prisma, { imdbId: 'tt9000002', tmdbId: 9_000_002, wikidataId: 'Q9000002', year: 1999, synopsis: 'From the loser.' });
    const kept = await prisma.credit.create({
      data: { filmId: survivor.id, personId: actor.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Ann' },
    });
    const duplicate = await prisma.credit.create({
      data: { filmId: loser.id, personId: actor.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Ann' },
    });
    const movedCredit = await prisma.credit.create({
      data: { filmId: loser.id, personId: director.id, kind: 'CREW', department: 'DIRECTING', job: 'Director' },
    });
    const keptRelease = await prisma.release.create({ data: { filmId: survivor.id, country: 'US', type: 'THEATRICAL', date: new Date('2001-05-01') } });
    const duplicateRelease = await prisma.release.create({ data: { filmId: loser.id, country: 'US', type: 'THEATRICAL', date: new Date('2001-06-01') } });
    const movedRelease = await prisma.release.create({ data: { filmId: loser.id, country: 'FR', type: 'THEATRICAL', date: new Date('2001-07-01') } });
    const review = await prisma.review.create({ data: { filmId: loser.id, publicationId: publication.id } });
    const quote = await prisma.reviewQuote.create({ data: { reviewId: review.id, position: 0, text: 'A quote.' } });
    const citations = {
      film: await cite(prisma, { filmId: loser.id }, 'synopsis'),
      duplicate: await cite(prisma, { creditId: duplicate.id }),
      moved: await cite(prisma, { creditId: movedCredit.id }),
      duplicateRelease: await cite(prisma, { releaseId: duplicateRelease.id }, 'date'),
      review: await cite(prisma, { reviewId: review.id }),
    };
    const changeSets = await prisma.changeSet.count();

    api.db.resetStatements();
    const payload = await mergeFilms(filmInput(loser, survivor, { note: 'same film' }));
    console.info(`statements: mergeFilms (2 credits, 2 releases, 1 review, 5 citations) = ${api.db.statements.length}`);

    expect(payload.userErrors).toEqual([]);
    // The survivor's values win; what it lacked comes from the loser.
    expect(payload.film).toEqual({
      id: gid('Film', survivor.id),
      slug: survivor.slug,
      version: survivor.version + 1,
      imdbId: 'tt9000001',
      tmdbId: 9_000_002,
      wikidataId: 'Q9000002',
      year: 2001,
      redirectedFrom: null,
    });
    expect((await prisma.film.findUniqueOrThrow({ where: { id: survivor.id } })).synopsis).toBe('From the loser.');
    expect(await prisma.film.findUnique({ where: { id: loser.id } })).toBeNull();
    expect(payload.deletedIds.sort()).toEqual([gid('Film', loser.id), gid('Credit', duplicate.id), gid('Release', duplicateRelease.id)].sort());
    expect(payload.movedIds.sort()).toEqual(
      [
        gid('Credit', movedCredit.id),
        gid('Release', movedRelease.id),
        gid('Review', review.id),
        gid('Citation', citations.film.id),
        gid('Citation', citations.duplicate.id),
        gid('Citation', citations.duplicateRelease.id),
      ].sort(),
    );

    const credits = await prisma.credit.findMany({ where: { filmId: survivor.id }, orderBy: { id: 'asc' } });
    expect(credits.map((c) => c.id)).toEqual([kept.id, movedCredit.id]);
    const releases = await prisma.release.findMany({ where: { filmId: survivor.id }, orderBy: { id: 'asc' } });
    expect(releases.map((r) => r.id)).toEqual([keptRelease.id, movedRelease.id]);
    expect((await prisma.review.findUniqueOrThrow({ where: { id: review.id } })).filmId).toBe(survivor.id);
    expect(await prisma.reviewQuote.findUnique({ where: { id: quote.id } })).not.toBeNull();
    const after = Object.fromEntries(
      await Promise.all(Object.entries(citations).map(async ([k, c]) => [k, await prisma.citation.findUniqueOrThrow({ where: { id: c.id } })] as const)),
    );
    expect(after['film']!.filmId).toBe(survivor.id);
    expect(after['duplicate']!.creditId).toBe(kept.id);
    expect(after['moved']!.creditId).toBe(movedCredit.id);
    expect(after['duplicateRelease']!.releaseId).toBe(keptRelease.id);
    expect(after['review']!.reviewId).toBe(review.id);
    expect(await orphanCitations(prisma)).toBe(0);

    // One change set, MERGE revisions for the survivor, the loser and every row moved or collapsed.
    expect(await prisma.changeSet.count()).toBe(changeSets + 1);
    const changeSet = await prisma.changeSet.findFirstOrThrow({ orderBy: { id: 'desc' }, include: { revisions: { orderBy: { id: 'asc' } } } });
    expect(changeSet).toMatchObject({ operationName: 'mergeFilms', note: 'same film', actor: keys.admin.name });
    expect(new Set(changeSet.revisions.map((r) => r.action))).toEqual(new Set(['MERGE']));
    const revisionOf = (type: string, id: number) => changeSet.revisions.find((r) => r.entityType === type && r.entityId === id)?.diff;
    expect(revisionOf('Film', survivor.id)).toEqual({
      mergedFrom: { before: null, after: gid('Film', loser.id) },
      tmdbId: { before: null, after: 9_000_002 },
      wikidataId: { before: null, after: 'Q9000002' },
      synopsis: { before: null, after: 'From the loser.' },
    });
    expect(revisionOf('Film', loser.id)).toMatchObject({
      mergedInto: { before: null, after: gid('Film', survivor.id) },
      slug: { before: loser.slug, after: null },
    });
    expect(revisionOf('Credit', movedCredit.id)).toEqual({ filmId: { before: loser.id, after: survivor.id } });
    expect(revisionOf('Credit', duplicate.id)).toMatchObject({ mergedInto: { before: null, after: gid('Credit', kept.id) } });
    expect(revisionOf('Citation', citations.duplicate.id)).toEqual({ creditId: { before: duplicate.id, after: kept.id } });
    expect(changeSet.revisions).toHaveLength(10);

    // The loser's revisions and the survivor's MERGE are listed on the survivor's and loser's ids.
    const film = await client.query('query ($id: ID!) { node(id: $id) { ... on Film { revisions(first: 1) { nodes { action changes { field } } } } } }', {
      id: gid('Film', survivor.id),
    });
    expect(film.data!['node'].revisions.nodes[0].action).toBe('MERGE');
  });

  test("the loser's id and slug redirect: node, nodes, film(id:), film(slug:) answer with the survivor and say so", async () => {
    const prisma = api.db.prisma;
    const [survivor, loser, other] = [await newFilm(prisma), await newFilm(prisma), await newFilm(prisma)];
    expect((await mergeFilms(filmInput(loser, survivor))).userErrors).toEqual([]);
    const redirected = { id: gid('Film', survivor.id), slug: survivor.slug, redirectedFrom: gid('Film', loser.id), redirectedFromSlug: loser.slug };

    expect((await client.query(NODE, { id: gid('Film', loser.id) })).data!['node']).toEqual(redirected);
    expect((await client.query(NODE, { id: gid('Film', survivor.id) })).data!['node']).toEqual({
      ...redirected,
      redirectedFrom: null,
      redirectedFromSlug: null,
    });
    const BY = 'query ($id: ID, $slug: String) { film(id: $id, slug: $slug) { id slug redirectedFrom redirectedFromSlug } }';
    expect((await client.query(BY, { slug: loser.slug })).data!['film']).toEqual(redirected);
    expect((await client.query(BY, { id: gid('Film', loser.id) })).data!['film']).toEqual(redirected);
    expect((await client.query(BY, { slug: 'no-such-film-anywhere' })).data!['film']).toBeNull();

    // The same survivor asked for directly and through the redirect: two entries, only one marked.
    const nodes = await client.query('query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Film { redirectedFrom } } }', {
      ids: [gid('Film', loser.id), gid('Film', survivor.id), gid('Film', other.id), gid('Film', 2_000_000_000)],
    });
    expect(nodes.data!['nodes']).toEqual([
      { id: gid('Film', survivor.id), redirectedFrom: gid('Film', loser.id) },
      { id: gid('Film', survivor.id), redirectedFrom: null },
      { id: gid('Film', other.id), redirectedFrom: null },
      null,
    ]);
  });

  test('nodes(ids:) with redirected ids costs the same statements for 2 ids as for 20 (no N+1), and nothing more without redirects', async () => {
    const prisma = api.db.prisma;
    const losers: number[] = [];
    for (let i = 0; i < 20; i++) {
      const [survivor, loser] = [await newFilm(prisma), await newFilm(prisma)];
      expect((await mergeFilms(filmInput(loser, survivor))).userErrors).toEqual([]);
      losers.push(loser.id);
    }
    const live = (await prisma.film.findMany({ take: 20, orderBy: { id: 'asc' } })).map((f) => gid('Film', f.id));
    const QUERY = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Film { title redirectedFrom directors { name } } } }';
    const statements = async (ids: string[]) => {
      api.db.resetStatements();
      const result = await client.query(QUERY, { ids });
      expect(result.errors).toBeUndefined();
      expect(result.data!['nodes'].every((n: unknown) => n !== null)).toBe(true);
      return api.db.statements.length;
    };
    const plain = await statements(live);
    const few = await statements([...live.slice(0, 2), ...losers.slice(0, 2).map((id) => gid('Film', id))]);
    const many = await statements([...live, ...losers.map((id) => gid('Film', id))]);
    expect(many).toBe(few);
    // The redirect lookup and the survivors' batched load.
    expect(few).toBe(plain + 2);
  });

  test('chains collapse: A merged into B, then B into C, makes A and B redirect to C', async () => {
    const prisma = api.db.prisma;
    const [a, b, c] = [await newFilm(prisma), await newFilm(prisma), await newFilm(prisma)];
    expect((await mergeFilms(filmInput(a, b))).userErrors).toEqual([]);
    const bNow = await prisma.film.findUniqueOrThrow({ where: { id: b.id } });
    expect((await mergeFilms(filmInput(bNow, c))).userErrors).toEqual([]);
    expect(
      await prisma.redirect.findMany({ where: { fromId: { in: [a.id, b.id] } }, select: { fromId: true, filmId: true }, orderBy: { fromId: 'asc' } }),
    ).toEqual([
      { fromId: a.id, filmId: c.id },
      { fromId: b.id, filmId: c.id },
    ]);
    expect((await client.query(NODE, { id: gid('Film', a.id) })).data!['node']).toMatchObject({ id: gid('Film', c.id), redirectedFrom: gid('Film', a.id) });
    const bySlug = await client.query('query ($slug: String!) { film(slug: $slug) { id redirectedFromSlug } }', { slug: a.slug });
    expect(bySlug.data!['film']).toEqual({ id: gid('Film', c.id), redirectedFromSlug: a.slug });
  });

  test('deleting the survivor deletes the redirects to it: the old ids and slugs then find nothing', async () => {
    const prisma = api.db.prisma;
    const [survivor, loser] = [await newFilm(prisma), await newFilm(prisma)];
    const merged = await mergeFilms(filmInput(loser, survivor));
    const deleted = await client.query(
      'mutation ($input: DeleteFilmInput!) { deleteFilm(input: $input) { userErrors { code } } }',
      { input: { id: gid('Film', survivor.id), version: merged.film.version } },
      keys.write.headers,
    );
    expect(deleted.data!['deleteFilm'].userErrors).toEqual([]);
    expect(await prisma.redirect.count({ where: { fromId: loser.id, entityType: 'Film' } })).toBe(0);
    expect((await client.query(NODE, { id: gid('Film', loser.id) })).data!['node']).toBeNull();
    expect((await client.query('query ($slug: String!) { film(slug: $slug) { id } }', { slug: loser.slug })).data!['film']).toBeNull();
  });

  test('a new film may take a merged-away slug: the live film wins over the redirect', async () => {
    const prisma = api.db.prisma;
    const [survivor, loser] = [await newFilm(prisma), await newFilm(prisma)];
    await mergeFilms(filmInput(loser, survivor));
    const reborn = await prisma.film.create({ data: { slug: loser.slug, title: 'Reborn' } });
    const bySlug = await client.query('query ($slug: String!) { film(slug: $slug) { id redirectedFrom } }', { slug: loser.slug });
    expect(bySlug.data!['film']).toEqual({ id: gid('Film', reborn.id), redirectedFrom: null });
  });

  test('user errors: SAME_ENTITY, NOT_FOUND, CONFLICT on either side with its current version, INVALID ids; nothing is written', async () => {
    const prisma = api.db.prisma;
    const [a, b] = [await newFilm(prisma), await newFilm(prisma)];
    const changeSets = await prisma.changeSet.count();
    const errors = async (input: Record<string, unknown>) =>
      (await mergeFilms(input)).userErrors.map((e: { field: string[]; code: string }) => [e.field, e.code]);
    expect(await errors(filmInput(a, a))).toEqual([[['input', 'into'], 'SAME_ENTITY']]);
    expect(await errors(filmInput({ id: 2_000_000_000, version: 1 }, b))).toEqual([[['input', 'from'], 'NOT_FOUND']]);
    expect(await errors(filmInput(a, { id: 2_000_000_000, version: 1 }))).toEqual([[['input', 'into'], 'NOT_FOUND']]);
    expect(await errors(filmInput({ ...a, version: 7 }, b))).toEqual([[['input', 'fromVersion'], 'CONFLICT']]);
    const conflict = await mergeFilms(filmInput(a, { ...b, version: 7 }));
    expect(conflict.userErrors).toEqual([expect.objectContaining({ field: ['input', 'intoVersion'], code: 'CONFLICT', currentVersion: b.version })]);
    expect(await errors({ ...filmInput(a, b), from: gid('Person', a.id) })).toEqual([[['input', 'from'], 'INVALID']]);
    expect(await errors({ ...filmInput(a, b), into: 'not an id' })).toEqual([[['input', 'into'], 'INVALID']]);
    expect(await prisma.changeSet.count()).toBe(changeSets);
    expect(await prisma.film.count({ where: { id: { in: [a.id, b.id] } } })).toBe(2);
  });

  test('merges need the admin scope: a write key is FORBIDDEN and nothing is written', async () => {
    const prisma = api.db.prisma;
    const [a, b] = [await newFilm(prisma), await newFilm(prisma)];
    for (const [doc, name, input] of [
      [MERGE_FILMS, 'films', filmInput(a, b)],
      [MERGE_PEOPLE, 'people', { from: gid('Person', 1), into: gid('Person', 2), fromVersion: 1, intoVersion: 1 }],
    ] as const) {
      const result = await client.query(doc, { input }, keys.write.headers);
      expect([name, codes(result)]).toEqual([name, ['FORBIDDEN']]);
      expect(result.errors![0]!.extensions!['requiredScopes']).toEqual(['admin']);
    }
    expect(await prisma.film.count({ where: { id: { in: [a.id, b.id] } } })).toBe(2);
  });

  test('a retried merge with the same idempotency key returns the first result and writes nothing; another request with it is refused', async () => {
    const prisma = api.db.prisma;
    const [survivor, loser, third] = [await newFilm(prisma), await newFilm(prisma), await newFilm(prisma)];
    const input = filmInput(loser, survivor, { idempotencyKey: `merge-${survivor.id}` });
    const first = await mergeFilms(input);
    expect(first.userErrors).toEqual([]);
    const changeSets = await prisma.changeSet.count();
    const retry = await mergeFilms(input);
    expect(retry).toEqual(first);
    const header = await client.query(MERGE_FILMS, { input: filmInput(loser, survivor) }, { ...admin, 'idempotency-key': `merge-${survivor.id}` });
    expect(header.data!['mergeFilms']).toEqual(first);
    expect(await prisma.changeSet.count()).toBe(changeSets);
    const reused = await mergeFilms(filmInput(third, survivor, { idempotencyKey: `merge-${survivor.id}` }));
    expect(reused.userErrors.map((e: { code: string }) => e.code)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    // Without the key, the same merge again finds the loser gone.
    expect((await mergeFilms(filmInput(loser, { ...survivor, version: first.film.version }))).userErrors[0].code).toBe('NOT_FOUND');
  });

  test('revertRevision refuses every revision of a merge: NOT_REVERTIBLE', async () => {
    const prisma = api.db.prisma;
    const [survivor, loser] = [await newFilm(prisma), await newFilm(prisma)];
    const credit = await prisma.credit.create({
      data: { filmId: loser.id, personId: (await newPerson(prisma)).id, kind: 'CREW', department: 'WRITING', job: 'Writer' },
    });
    const merged = await mergeFilms(filmInput(loser, survivor));
    const revisions = await prisma.revision.findMany({
      where: { changeSet: { operationName: 'mergeFilms' }, entityId: { in: [survivor.id, loser.id, credit.id] } },
      orderBy: { id: 'desc' },
      take: 3,
    });
    expect(revisions.map((r) => r.action)).toEqual(['MERGE', 'MERGE', 'MERGE']);
    for (const revision of revisions) {
      const result = await client.query(
        'mutation ($input: RevertRevisionInput!) { revertRevision(input: $input) { revision { id } userErrors { field code } } }',
        { input: { id: gid('Revision', revision.id), version: merged.film.version } },
        keys.write.headers,
      );
      expect(result.data!['revertRevision']).toEqual({ revision: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_REVERTIBLE' }] });
    }
  });
});

describe('mergePeople', () => {
  test("moves credits, aliases and citations, collapses duplicates, makes the loser's name an alias backed by its name's citations, and redirects", async () => {
    const prisma = api.db.prisma;
    const [filmA, filmB] = [await newFilm(prisma), await newFilm(prisma)];
    const survivor = await newPerson(prisma, { name: 'Joaquin Phoenix', imdbId: 'nm0001618' });
    const loser = await newPerson(prisma, { name: 'Joaquín Phoenix', imdbId: 'nm9999999', wikidataId: 'Q185140' });
    const kept = await prisma.credit.create({
      data: { filmId: filmA.id, personId: survivor.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Theodore' },
    });
    const duplicate = await prisma.credit.create({
      data: { filmId: filmA.id, personId: loser.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Theodore' },
    });
    const moved = await prisma.credit.create({
      data: { filmId: filmB.id, personId: loser.id, kind: 'CAST', department: 'ACTING', job: 'Actor', character: 'Freddie' },
    });
    const keptAlias = await prisma.personAlias.create({ data: { personId: survivor.id, name: 'J. Phoenix' } });
    const duplicateAlias = await prisma.personAlias.create({ data: { personId: loser.id, name: 'J. Phoenix' } });
    const movedAlias = await prisma.personAlias.create({ data: { personId: loser.id, name: 'Leaf Phoenix' } });
    const nameAlias = await prisma.personAlias.create({ data: { personId: loser.id, name: 'Joaquin Phoenix' } });
    const citations = {
      name: await cite(prisma, { personId: loser.id }, 'name'),
      person: await cite(prisma, { personId: loser.id }, 'imdbId'),
      duplicate: await cite(prisma, { creditId: duplicate.id }),
      duplicateAlias: await cite(prisma, { personAliasId: duplicateAlias.id }),
      nameAlias: await cite(prisma, { personAliasId: nameAlias.id }),
    };

    const payload = await mergePeople({ from: gid('Person', loser.id), into: gid('Person', survivor.id), fromVersion: 1, intoVersion: 1 });

    expect(payload.userErrors).toEqual([]);
    expect(payload.person).toMatchObject({ id: gid('Person', survivor.id), version: 2, imdbId: 'nm0001618' });
    expect(payload.person.aliases.map((a: { name: string }) => a.name)).toEqual(['J. Phoenix', 'Joaquín Phoenix', 'Leaf Phoenix']);
    const person = await prisma.person.findUniqueOrThrow({ where: { id: survivor.id } });
    expect(person.wikidataId).toBe('Q185140');
    expect(await prisma.person.findUnique({ where: { id: loser.id } })).toBeNull();
    expect((await prisma.credit.findMany({ where: { personId: survivor.id }, orderBy: { id: 'asc' } })).map((c) => c.id)).toEqual([kept.id, moved.id]);
    expect(await prisma.credit.findUnique({ where: { id: duplicate.id } })).toBeNull();
    expect(await prisma.personAlias.findUnique({ where: { id: duplicateAlias.id } })).toBeNull();
    expect(await prisma.personAlias.findUnique({ where: { id: nameAlias.id } })).toBeNull();
    expect((await prisma.personAlias.findUniqueOrThrow({ where: { id: movedAlias.id } })).personId).toBe(survivor.id);
    const newAlias = await prisma.personAlias.findFirstOrThrow({ where: { personId: survivor.id, name: 'Joaquín Phoenix' } });
    const now = async (id: number) => prisma.citation.findUniqueOrThrow({ where: { id } });
    expect(await now(citations.name.id)).toMatchObject({ personId: null, personAliasId: newAlias.id });
    expect(await now(citations.person.id)).toMatchObject({ personId: survivor.id, field: 'imdbId' });
    expect(await now(citations.duplicate.id)).toMatchObject({ creditId: kept.id });
    expect(await now(citations.duplicateAlias.id)).toMatchObject({ personAliasId: keptAlias.id });
    expect(await now(citations.nameAlias.id)).toMatchObject({ personAliasId: null, personId: survivor.id, field: 'name' });
    expect(await orphanCitations(prisma)).toBe(0);
    expect(payload.deletedIds.sort()).toEqual(
      [gid('Person', loser.id), gid('Credit', duplicate.id), gid('PersonAlias', duplicateAlias.id), gid('PersonAlias', nameAlias.id)].sort(),
    );

    const BY = 'query ($slug: String!) { person(slug: $slug) { id redirectedFrom redirectedFromSlug } }';
    expect((await client.query(BY, { slug: loser.slug })).data!['person']).toEqual({
      id: gid('Person', survivor.id),
      redirectedFrom: gid('Person', loser.id),
      redirectedFromSlug: loser.slug,
    });
    expect((await client.query(NODE, { id: gid('Person', loser.id) })).data!['node']).toMatchObject({
      id: gid('Person', survivor.id),
      redirectedFrom: gid('Person', loser.id),
    });
  });

  test('people with the same name merge without a new alias, and SAME_ENTITY / CONFLICT apply as for films', async () => {
    const prisma = api.db.prisma;
    const survivor = await newPerson(prisma, { name: 'Same Name' });
    const loser = await newPerson(prisma, { name: 'Same Name' });
    const name = await cite(prisma, { personId: loser.id }, 'name');
    expect((await mergePeople({ from: gid('Person', survivor.id), into: gid('Person', survivor.id), fromVersion: 1, intoVersion: 1 })).userErrors[0].code).toBe(
      'SAME_ENTITY',
    );
    expect(
      (await mergePeople({ from: gid('Person', loser.id), into: gid('Person', survivor.id), fromVersion: 2, intoVersion: 1 })).userErrors[0],
    ).toMatchObject({
      code: 'CONFLICT',
      field: ['input', 'fromVersion'],
      currentVersion: 1,
    });
    const payload = await mergePeople({ from: gid('Person', loser.id), into: gid('Person', survivor.id), fromVersion: 1, intoVersion: 1 });
    expect(payload.userErrors).toEqual([]);
    expect(payload.person.aliases).toEqual([]);
    expect(await prisma.citation.findUniqueOrThrow({ where: { id: name.id } })).toMatchObject({ personId: survivor.id, field: 'name' });
  });
});
