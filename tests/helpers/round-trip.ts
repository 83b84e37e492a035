import type { Prisma, PrismaClient } from '../../src/generated/prisma/client.ts';
import { getDatamodel } from '../../src/generated/pothos-types.ts';
import { CITATION_TARGETS, HAND_WRITTEN_GENERATED_COLUMNS } from './hand-written.ts';

const dmmf = getDatamodel().datamodel.models;

// Values that probe each column type: non-ASCII text, int2/int4 maxima, millisecond timestamps,
// dates at midnight UTC, fractional floats.
const stamp = new Date('2020-02-29T12:34:56.789Z');
const day = new Date('2001-04-25T00:00:00.000Z');

interface Ops<D, R> {
  create(data: D): Promise<R>;
  find(row: R): Promise<R | null>;
  remove(row: R): Promise<unknown>;
}

/**
 * Creates one row of every model (one Citation per target column) in a transaction, reads each
 * back and asserts every scalar field. The data must name every scalar field except generated
 * ones (autoincrement id, @updatedAt), so a field added to the schema fails here until it is
 * exercised. Then deletes everything it created, in reverse. Returns the models it covered.
 */
/** What the generated columns of HAND_WRITTEN_GENERATED_COLUMNS hold for a row written with `data`. */
function computed(model: string, data: object): Record<string, unknown> {
  if (model !== 'Credit') return {};
  const credit = data as { kind: string; filmId: number };
  return { crewFilmId: credit.kind === 'CREW' ? credit.filmId : null };
}

export async function roundTripEveryModel(prisma: PrismaClient): Promise<string[]> {
  const covered = new Set<string>();
  await prisma.$transaction(
    async (tx) => {
      const cleanup: (() => Promise<void>)[] = [];
      async function roundTrip<D extends object, R extends object>(model: string, data: D, ops: Ops<D, R>): Promise<R> {
        const fields = dmmf[model]!.fields.filter((f) => f.kind !== 'object');
        const generated = fields.filter((f) => f.isUpdatedAt || (f.isId && f.hasDefaultValue)).map((f) => f.name);
        // Columns PostgreSQL computes cannot be written; `computed` says what they must read back as.
        const databaseGenerated = HAND_WRITTEN_GENERATED_COLUMNS.filter((c) => c.table === model).map((c) => c.column);
        expect({ model, given: Object.keys(data).sort() }).toEqual({
          model,
          given: fields
            .map((f) => f.name)
            .filter((n) => !generated.includes(n) && !databaseGenerated.includes(n))
            .sort(),
        });
        const expected = {
          ...data,
          ...Object.fromEntries(generated.map((n) => [n, n === 'id' ? expect.any(Number) : expect.any(Date)])),
          ...computed(model, data),
        };
        const created = await ops.create(data);
        expect(created).toEqual(expected);
        expect(await ops.find(created)).toEqual(expected);
        cleanup.push(async () => {
          await ops.remove(created);
          expect(await ops.find(created)).toBeNull();
        });
        covered.add(model);
        return created;
      }

      const film = await roundTrip(
        'Film',
        {
          slug: 'drift-amelie',
          title: 'Amélie — 天気の子 🎬',
          originalTitle: "Le Fabuleux Destin d'Amélie Poulain",
          year: 2001,
          synopsis: 'Line one\nline two',
          genres: ['Comedy', 'Romance'],
          runtimeMinutes: 32767,
          imdbId: 'tt0211915',
          tmdbId: 2_147_483_647,
          wikidataId: 'Q484048',
          titleType: 'TV_MINI_SERIES',
          version: 7,
          createdAt: stamp,
          // Trigger-kept sort keys (20261128200100_list_scale); the client may still write them.
          criticScoreAverage: 66.66666666666667,
          firstReleaseDate: day,
        },
        {
          create: (data: Prisma.FilmUncheckedCreateInput) => tx.film.create({ data }),
          find: (r) => tx.film.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.film.delete({ where: { id: r.id } }),
        },
      );
      const person = await roundTrip(
        'Person',
        {
          slug: 'drift-audrey-tautou',
          name: 'Audrey Tautou',
          imdbId: 'nm0851582',
          tmdbId: 1,
          wikidataId: 'Q160071',
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.PersonUncheckedCreateInput) => tx.person.create({ data }),
          find: (r) => tx.person.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.person.delete({ where: { id: r.id } }),
        },
      );
      const alias = await roundTrip(
        'PersonAlias',
        { personId: person.id, name: 'Audrey Tatou', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.PersonAliasUncheckedCreateInput) => tx.personAlias.create({ data }),
          find: (r) => tx.personAlias.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.personAlias.delete({ where: { id: r.id } }),
        },
      );
      const credit = await roundTrip(
        'Credit',
        {
          filmId: film.id,
          personId: person.id,
          kind: 'CAST',
          department: 'ACTING',
          job: 'Actor',
          character: 'Amélie Poulain',
          billingOrder: 1,
          voice: true,
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.CreditUncheckedCreateInput) => tx.credit.create({ data }),
          find: (r) => tx.credit.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.credit.delete({ where: { id: r.id } }),
        },
      );
      const publication = await roundTrip(
        'Publication',
        {
          slug: 'drift-cahiers',
          name: 'Cahiers du cinéma',
          url: 'https://www.cahiersducinema.com/',
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.PublicationUncheckedCreateInput) => tx.publication.create({ data }),
          find: (r) => tx.publication.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.publication.delete({ where: { id: r.id } }),
        },
      );
      const critic = await roundTrip(
        'Critic',
        { slug: 'drift-critic', name: 'Jean-Marc Lalanne', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.CriticUncheckedCreateInput) => tx.critic.create({ data }),
          find: (r) => tx.critic.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.critic.delete({ where: { id: r.id } }),
        },
      );
      const key = (r: { criticId: number; publicationId: number }) => ({
        criticId_publicationId: { criticId: r.criticId, publicationId: r.publicationId },
      });
      await roundTrip(
        'CriticPublication',
        { criticId: critic.id, publicationId: publication.id, createdAt: stamp },
        {
          create: (data: Prisma.CriticPublicationUncheckedCreateInput) => tx.criticPublication.create({ data }),
          find: (r) => tx.criticPublication.findUnique({ where: key(r) }),
          remove: (r) => tx.criticPublication.delete({ where: key(r) }),
        },
      );
      const review = await roundTrip(
        'Review',
        {
          filmId: film.id,
          publicationId: publication.id,
          criticId: critic.id,
          url: 'https://example.org/amelie',
          originalScore: 3.5,
          scoreScale: 4,
          normalizedScore: 88,
          publishedOn: day,
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.ReviewUncheckedCreateInput) => tx.review.create({ data }),
          find: (r) => tx.review.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.review.delete({ where: { id: r.id } }),
        },
      );
      const quote = await roundTrip(
        'ReviewQuote',
        { reviewId: review.id, position: 0, text: '« Un conte » — “quoted”', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.ReviewQuoteUncheckedCreateInput) => tx.reviewQuote.create({ data }),
          find: (r) => tx.reviewQuote.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.reviewQuote.delete({ where: { id: r.id } }),
        },
      );
      const release = await roundTrip(
        'Release',
        {
          filmId: film.id,
          country: 'FR',
          date: day,
          type: 'THEATRICAL',
          certification: 'Tous publics',
          note: 'Paris',
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.ReleaseUncheckedCreateInput) => tx.release.create({ data }),
          find: (r) => tx.release.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.release.delete({ where: { id: r.id } }),
        },
      );
      const source = await roundTrip(
        'Source',
        {
          slug: 'drift-source',
          title: 'Amélie',
          url: 'https://example.org/source',
          publisher: 'Example',
          publishedOn: day,
          text: 'Amélie is a 2001 film.',
          sha256: 'f'.repeat(64),
          kind: 'ARTICLE',
          dataset: null,
          snapshot: null,
          licence: 'CC BY-SA 4.0',
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.SourceUncheckedCreateInput) => tx.source.create({ data }),
          find: (r) => tx.source.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.source.delete({ where: { id: r.id } }),
        },
      );
      await roundTrip(
        'Proposal',
        {
          sourceId: source.id,
          key: 'person:amelie-🎬',
          kind: 'CAST_CREDIT',
          values: { character: 'Amélie', voice: false, rating: { value: 4.5, scale: 5 } },
          support: 'INFERRED',
          reason: 'A plays B',
          confidence: 0.85,
          excerpt: 'Amélie',
          start: 0,
          end: 6,
          alsoCited: [{ start: 0, end: 6, text: 'Amélie' }],
          refs: { film: 'film:amelie', person: 'person:amelie-🎬' },
          status: 'REJECTED',
          rejectReason: 'not a credit — 天気の子',
          // What an accepted proposal wrote (a type name and its row id); any pair round-trips.
          resultType: 'Credit',
          resultId: 2_147_483_647,
          reviewedBy: 'editor',
          reviewedAt: stamp,
          createdAt: stamp,
          version: 2_147_483_647,
        },
        {
          create: (data: Prisma.ProposalUncheckedCreateInput) => tx.proposal.create({ data }),
          find: (r) => tx.proposal.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.proposal.delete({ where: { id: r.id } }),
        },
      );
      // The catalogue-import models (20261130200000_catalog_import).
      const dataset = await roundTrip(
        'Source',
        {
          slug: 'drift-dataset-1',
          title: 'Drift films',
          url: 'https://example.org/dataset.json',
          publisher: null,
          publishedOn: day,
          text: '',
          sha256: 'e'.repeat(64),
          kind: 'DATASET',
          dataset: 'drift-films',
          snapshot: '2001-04-25',
          licence: 'BSD-3-Clause',
          version: 1,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.SourceUncheckedCreateInput) => tx.source.create({ data }),
          find: (r) => tx.source.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.source.delete({ where: { id: r.id } }),
        },
      );
      const rating = await roundTrip(
        'Rating',
        { filmId: film.id, source: 'ROTTEN_TOMATOES', value: 89.5, scale: 100, votes: 2_147_483_647, version: 7, createdAt: stamp },
        {
          create: (data: Prisma.RatingUncheckedCreateInput) => tx.rating.create({ data }),
          find: (r) => tx.rating.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.rating.delete({ where: { id: r.id } }),
        },
      );
      const filmTitle = await roundTrip(
        'FilmTitle',
        { filmId: film.id, title: 'Die fabelhafte Welt der Amélie', region: 'DE', language: 'de', types: ['imdbDisplay'], version: 7, createdAt: stamp },
        {
          create: (data: Prisma.FilmTitleUncheckedCreateInput) => tx.filmTitle.create({ data }),
          find: (r) => tx.filmTitle.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.filmTitle.delete({ where: { id: r.id } }),
        },
      );
      const company = await roundTrip(
        'Company',
        { slug: 'drift-ugc', name: 'UGC-Fox Distribution — 天気の子', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.CompanyUncheckedCreateInput) => tx.company.create({ data }),
          find: (r) => tx.company.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.company.delete({ where: { id: r.id } }),
        },
      );
      const filmCompany = await roundTrip(
        'FilmCompany',
        { filmId: film.id, companyId: company.id, role: 'DISTRIBUTOR', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.FilmCompanyUncheckedCreateInput) => tx.filmCompany.create({ data }),
          find: (r) => tx.filmCompany.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.filmCompany.delete({ where: { id: r.id } }),
        },
      );
      const filmMoney = await roundTrip(
        'FilmMoney',
        { filmId: film.id, kind: 'GROSS_WORLDWIDE', amount: 9_007_199_254_740_993n, currency: 'EUR', version: 7, createdAt: stamp },
        {
          create: (data: Prisma.FilmMoneyUncheckedCreateInput) => tx.filmMoney.create({ data }),
          find: (r) => tx.filmMoney.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.filmMoney.delete({ where: { id: r.id } }),
        },
      );
      await roundTrip(
        'Conflict',
        {
          entityType: 'Film',
          entityId: film.id,
          field: 'runtimeMinutes',
          currentValue: 122,
          currentCitationIds: [1, 2_147_483_647],
          incomingValue: 129,
          sourceId: dataset.id,
          recordFile: 'movies.json',
          recordKey: 'Amélie|Apr 25 2001',
          recordFields: ['Running Time min'],
          status: 'ACCEPTED_INCOMING',
          resolvedBy: 'editor',
          resolvedAt: stamp,
          changeSetId: 2_147_483_647,
          version: 7,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.ConflictUncheckedCreateInput) => tx.conflict.create({ data }),
          find: (r) => tx.conflict.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.conflict.delete({ where: { id: r.id } }),
        },
      );
      await roundTrip(
        'ImportRun',
        {
          sourceId: dataset.id,
          format: 'movies-json',
          status: 'FAILED',
          changeSetId: 2_147_483_647,
          counts: { created: 3200, rejected: 1 },
          checkpoint: { 'movies.json': 3201 },
          startedAt: stamp,
          finishedAt: stamp,
        },
        {
          create: (data: Prisma.ImportRunUncheckedCreateInput) => tx.importRun.create({ data }),
          find: (r) => tx.importRun.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.importRun.delete({ where: { id: r.id } }),
        },
      );
      await roundTrip(
        'ImportRecord',
        { dataset: 'imdb', file: 'title.principals', key: 'tt0000001/10', hash: 'Zm9vYmFyÉ', units: 2_147_483_647, revisionId: 2_147_483_647 },
        {
          create: (data: Prisma.ImportRecordUncheckedCreateInput) => tx.importRecord.create({ data }),
          find: (r) => tx.importRecord.findUnique({ where: { dataset_file_key: { dataset: r.dataset, file: r.file, key: r.key } } }),
          remove: (r) => tx.importRecord.delete({ where: { dataset_file_key: { dataset: r.dataset, file: r.file, key: r.key } } }),
        },
      );
      await roundTrip(
        'Citation',
        {
          ...Object.fromEntries(CITATION_TARGETS.map((t) => [t, null])),
          filmId: film.id,
          sourceId: dataset.id,
          kind: 'STATED',
          field: 'runtimeMinutes',
          excerpt: null,
          start: null,
          end: null,
          recordFile: 'title.principals',
          recordKey: 'tt0211915/3',
          recordFields: ['category', 'characters'],
          note: null,
          version: 1,
          createdAt: stamp,
        },
        {
          create: (data: Prisma.CitationUncheckedCreateInput) => tx.citation.create({ data }),
          find: (r) => tx.citation.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.citation.delete({ where: { id: r.id } }),
        },
      );
      const targets = {
        ratingId: rating.id,
        filmTitleId: filmTitle.id,
        companyId: company.id,
        filmCompanyId: filmCompany.id,
        filmMoneyId: filmMoney.id,
        filmId: film.id,
        personId: person.id,
        personAliasId: alias.id,
        creditId: credit.id,
        publicationId: publication.id,
        criticId: critic.id,
        reviewId: review.id,
        reviewQuoteId: quote.id,
        releaseId: release.id,
      };
      for (const target of CITATION_TARGETS) {
        const none = Object.fromEntries(CITATION_TARGETS.map((t) => [t, null])) as Record<(typeof CITATION_TARGETS)[number], null>;
        await roundTrip(
          'Citation',
          {
            ...none,
            [target]: targets[target],
            sourceId: source.id,
            kind: 'INFERRED',
            field: target,
            excerpt: 'Amélie',
            start: 0,
            end: 6,
            recordFile: null,
            recordKey: null,
            recordFields: [],
            note: `cites ${target}`,
            version: 7,
            createdAt: stamp,
          },
          {
            create: (data: Prisma.CitationUncheckedCreateInput) => tx.citation.create({ data }),
            find: (r) => tx.citation.findUnique({ where: { id: r.id } }),
            remove: (r) => tx.citation.delete({ where: { id: r.id } }),
          },
        );
      }
      // The write API's models: a key, a change set it made, revisions (one reverting the other), an idempotent result.
      const apiKey = await roundTrip(
        'ApiKey',
        {
          name: 'drift-key',
          prefix: 'drift0000001',
          secretHash: 'e'.repeat(64),
          scopes: ['READ', 'ADMIN'],
          createdAt: stamp,
          lastUsedAt: stamp,
          revokedAt: stamp,
        },
        {
          create: (data: Prisma.ApiKeyUncheckedCreateInput) => tx.apiKey.create({ data }),
          find: (r) => tx.apiKey.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.apiKey.delete({ where: { id: r.id } }),
        },
      );
      const changeSet = await roundTrip(
        'ChangeSet',
        {
          kind: 'IMPORT',
          actor: 'import:drift',
          apiKeyId: apiKey.id,
          operationName: 'driftImport',
          note: 'drift probe',
          summary: { rows: 2, dataset: 'drift' },
          createdAt: stamp,
        },
        {
          create: (data: Prisma.ChangeSetUncheckedCreateInput) => tx.changeSet.create({ data }),
          find: (r) => tx.changeSet.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.changeSet.delete({ where: { id: r.id } }),
        },
      );
      const revision = (revertOfId: number | null) =>
        roundTrip(
          'Revision',
          {
            changeSetId: changeSet.id,
            entityType: 'Film',
            entityId: film.id,
            action: revertOfId ? 'REVERT' : 'UPDATE',
            diff: { title: { before: 'Amélie', after: 'Amélie — 天気の子 🎬' }, genres: { before: [], after: ['Comedy'] } },
            citationIds: [2_147_483_647, 1],
            revertOfId,
            createdAt: stamp,
          },
          {
            create: (data: Prisma.RevisionUncheckedCreateInput) => tx.revision.create({ data }),
            find: (r) => tx.revision.findUnique({ where: { id: r.id } }),
            remove: (r) => tx.revision.delete({ where: { id: r.id } }),
          },
        );
      await revision((await revision(null)).id);
      await roundTrip(
        'IdempotencyKey',
        { actor: 'key:1', key: 'drift-🎬', requestHash: 'd'.repeat(64), response: { film: 1, userErrors: [] }, createdAt: stamp, expiresAt: day },
        {
          create: (data: Prisma.IdempotencyKeyUncheckedCreateInput) => tx.idempotencyKey.create({ data }),
          find: (r) => tx.idempotencyKey.findUnique({ where: { id: r.id } }),
          remove: (r) => tx.idempotencyKey.delete({ where: { id: r.id } }),
        },
      );
      for (const [entityType, target] of [
        ['Film', { filmId: film.id, personId: null }],
        ['Person', { filmId: null, personId: person.id }],
      ] as const) {
        await roundTrip(
          'Redirect',
          { entityType, fromId: 2_147_483_647, fromSlug: 'amélie-天気の子', ...target, createdAt: stamp },
          {
            create: (data: Prisma.RedirectUncheckedCreateInput) => tx.redirect.create({ data }),
            find: (r) => tx.redirect.findUnique({ where: { id: r.id } }),
            remove: (r) => tx.redirect.delete({ where: { id: r.id } }),
          },
        );
      }
      for (const step of cleanup.reverse()) await step();
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return [...covered];
}

/** Row count of every model, for "nothing was left behind" assertions. */
export async function countEveryModel(prisma: PrismaClient): Promise<Record<string, number>> {
  const counts = {
    Film: prisma.film.count(),
    Person: prisma.person.count(),
    PersonAlias: prisma.personAlias.count(),
    Credit: prisma.credit.count(),
    Publication: prisma.publication.count(),
    Critic: prisma.critic.count(),
    CriticPublication: prisma.criticPublication.count(),
    Review: prisma.review.count(),
    ReviewQuote: prisma.reviewQuote.count(),
    Release: prisma.release.count(),
    Source: prisma.source.count(),
    Citation: prisma.citation.count(),
    ApiKey: prisma.apiKey.count(),
    ChangeSet: prisma.changeSet.count(),
    Revision: prisma.revision.count(),
    IdempotencyKey: prisma.idempotencyKey.count(),
    Redirect: prisma.redirect.count(),
    Proposal: prisma.proposal.count(),
    Rating: prisma.rating.count(),
    FilmTitle: prisma.filmTitle.count(),
    Company: prisma.company.count(),
    FilmCompany: prisma.filmCompany.count(),
    FilmMoney: prisma.filmMoney.count(),
    Conflict: prisma.conflict.count(),
    ImportRun: prisma.importRun.count(),
    ImportRecord: prisma.importRecord.count(),
  };
  const values = await Promise.all(Object.values(counts));
  return Object.fromEntries(Object.keys(counts).map((model, i) => [model, values[i]!]));
}
