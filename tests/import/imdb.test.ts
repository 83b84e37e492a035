// The IMDb import on a real database (the seeded catalogue, whose "Her" an article backs): a small
// fixture folder read plain and gzipped; films, people, credits, alternative titles and ratings
// with record citations through the API; rejects; idempotent re-import; a newer snapshot; a
// conflict with the article-backed genres kept and recorded; --prefer incoming.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMDB_DATASET, imdbApplier, imdbStreams } from '../../src/import/imdb/imdb.ts';
import type { ImdbRecord } from '../../src/import/imdb/rows.ts';
import { importContext, runImport, type ImportOptions } from '../../src/import/run.ts';
import { useApi } from '../helpers/graphql.ts';
import { testKeys } from '../helpers/keys.ts';

const api = useApi();
const FIXTURE = path.join(import.meta.dirname, 'fixtures/imdb');
const dir = mkdtempSync(path.join(tmpdir(), 'cg-imdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The fixture folder gzipped (snapshot 1) or plain with edits (later snapshots). */
function folder(name: string, options: { gzip?: boolean; edit?: (file: string, text: string) => string } = {}): string {
  const out = path.join(dir, name);
  cpSync(FIXTURE, out, { recursive: true });
  for (const file of readdirSync(out)) {
    const full = path.join(out, file);
    const text = options.edit ? options.edit(file, readFileSync(full, 'utf8')) : readFileSync(full, 'utf8');
    if (options.gzip) {
      writeFileSync(`${full}.gz`, gzipSync(text));
      rmSync(full);
    } else writeFileSync(full, text);
  }
  return out;
}

const ctx = () => importContext(api.db.prisma);

async function imdb(from: string, snapshot: string, extra: Partial<ImportOptions<ImdbRecord>> = {}) {
  const { streams, total } = await imdbStreams(from, 2026);
  return runImport(ctx(), {
    format: 'imdb',
    info: { ...IMDB_DATASET, snapshot },
    streams,
    applier: imdbApplier,
    total,
    rejectsFile: path.join(dir, `rejects-${snapshot}.jsonl`),
    batchSize: 3,
    ...extra,
  });
}

const counts = async () => ({
  films: await api.db.prisma.film.count(),
  people: await api.db.prisma.person.count(),
  credits: await api.db.prisma.credit.count(),
  revisions: await api.db.prisma.revision.count(),
  citations: await api.db.prisma.citation.count(),
});

// Created: Fred Astaire, the short, 3 alternative titles, 2 ratings, 1 credit. Updated: Her and the
// 3 seeded people matched by name (their imdbId). Unchanged: the 5 credits the article already gave.
const SNAPSHOT_1 = { created: 8, updated: 4, unchanged: 5, conflicts: 1, stale: 0, rejected: 7 };

test('a dry run reports what would change and writes nothing', async () => {
  const before = await counts();
  const result = await imdb(folder('dry', { gzip: true }), '2026-01-01', { dryRun: true });
  expect(result).toMatchObject({ status: 'DRY_RUN', counts: SNAPSHOT_1 });
  expect(await counts()).toEqual(before);
});

test('a gzipped folder imports people, films, credits, titles and ratings; bad rows are rejected with file, line and reason', async () => {
  const result = await imdb(folder('s1', { gzip: true }), '2026-01-01');
  expect(result).toMatchObject({ status: 'DONE', counts: SNAPSHOT_1 });
  const rejects = readFileSync(path.join(dir, 'rejects-2026-01-01.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  expect(rejects).toEqual([
    { file: 'name.basics', line: 5, index: 3, reason: 'nconst "xx12" is not an IMDb name id' },
    { file: 'title.basics', line: 4, index: 2, reason: 'startYear "abc" is not a whole number in 1870–2026' },
    {
      file: 'title.basics',
      line: 5,
      index: 3,
      reason: 'titleType "podcast" is not one of movie, short, tvMovie, tvSeries, tvMiniSeries, tvEpisode, tvSpecial, tvShort, video, videoGame',
    },
    { file: 'title.akas', line: 4, index: 2, reason: 'no film has imdbId tt9999999' },
    { file: 'title.ratings', line: 4, index: 2, reason: 'averageRating "11" is outside 0–10' },
    { file: 'title.principals', line: 5, index: 3, reason: 'characters "[Theodore" is not a JSON array of names' },
    { file: 'title.principals', line: 6, index: 4, reason: 'no person has imdbId nm7777777' },
  ]);
});

test('the seeded Her is matched by title (no year), keeps its article-backed genres, and every imported value cites its record', async () => {
  const result = await api.client.query(`{
    film(slug: "her") {
      imdbId year runtimeMinutes titleType genres
      citations { field excerpt source { kind dataset snapshot } locator { __typename ... on RecordLocator { file key fields } } }
      alternativeTitles(region: "FR") { title language citations { locator { ... on RecordLocator { file key fields } } } }
      ratings { source value scale votes citations { locator { ... on RecordLocator { file key fields } } } }
      cast { character billingOrder person { name imdbId } citations { locator { ... on RecordLocator { file key fields } } } }
    }
    clown: film(slug: "le-clown-et-ses-chiens") { title year titleType directors { name } cast { character person { name } } }
  }`);
  expect(result.errors).toBeUndefined();
  const film = result.data?.['film'];
  expect(film).toMatchObject({ imdbId: 'tt1798709', year: 2013, runtimeMinutes: 126, titleType: 'FEATURE', genres: ['Science Fiction'] });
  const records = (film.citations as { field: string; source: { kind: string }; locator: { file: string; key: string; fields: string[] } }[]).filter(
    (c) => c.source.kind === 'DATASET',
  );
  expect(records.map((c) => [c.field, c.locator]).sort()).toEqual([
    ['runtimeMinutes', { __typename: 'RecordLocator', file: 'title.basics', key: 'tt1798709', fields: ['runtimeMinutes'] }],
    ['titleType', { __typename: 'RecordLocator', file: 'title.basics', key: 'tt1798709', fields: ['titleType'] }],
    ['year', { __typename: 'RecordLocator', file: 'title.basics', key: 'tt1798709', fields: ['startYear'] }],
  ]);
  expect(film.alternativeTitles).toEqual([
    { title: 'Elle', language: 'fr', citations: [{ locator: { file: 'title.akas', key: 'tt1798709/1', fields: ['title', 'region', 'language', 'types'] } }] },
  ]);
  expect(film.ratings).toEqual([
    {
      source: 'IMDB',
      value: 8,
      scale: 10,
      votes: 661000,
      citations: [{ locator: { file: 'title.ratings', key: 'tt1798709', fields: ['averageRating', 'numVotes'] } }],
    },
  ]);
  const theodore = (film.cast as { character: string; person: { imdbId: string }; citations: { locator: unknown }[] }[]).find(
    (c) => c.character === 'Theodore',
  );
  // The seeded credit (cited to the article) is the same credit: the principal adds nothing.
  expect(theodore?.person.imdbId).toBe('nm0001618');
  expect(result.data?.['clown']).toEqual({
    title: 'Le clown et ses chiens',
    year: 1892,
    titleType: 'SHORT',
    directors: [],
    cast: [{ character: 'Himself', person: { name: 'Fred Astaire' } }],
  });
  const conflicts = await api.client.query(
    `{ conflicts(first: 5) { nodes { field currentValue incomingValue currentCitations { excerpt } incoming { file key fields } } } }`,
  );
  expect(conflicts.data?.['conflicts'].nodes).toEqual([
    {
      field: 'genres',
      currentValue: ['Science Fiction'],
      incomingValue: ['Drama', 'Romance', 'Sci-Fi'],
      // the film's whole-record citation backs every field, the genres' own one this field
      currentCitations: [{ excerpt: "Spike Jonze's delicate new sci-fi movie, Her" }, { excerpt: 'delicate new sci-fi movie' }],
      incoming: { file: 'title.basics', key: 'tt1798709', fields: ['genres'] },
    },
  ]);
});

test('re-importing the same snapshot changes nothing and appends no revision', async () => {
  const before = await counts();
  const result = await imdb(folder('s1-again', { gzip: true }), '2026-01-01');
  expect(result.counts).toMatchObject({ created: 0, updated: 0, conflicts: 0, rejected: 7 });
  expect(await counts()).toEqual(before);
});

test('a newer snapshot updates values backed only by the older one and leaves the article-backed value alone', async () => {
  const edit = (file: string, text: string) =>
    file === 'title.ratings.tsv'
      ? text.replace('8.0\t661000', '8.1\t670000')
      : file === 'title.basics.tsv'
        ? text.replace('1892\t\\N\t5', '1892\t\\N\t6')
        : text;
  const result = await imdb(folder('s2', { edit }), '2026-02-01');
  expect(result.counts).toMatchObject({ created: 0, updated: 2, conflicts: 1, rejected: 7 });
  const her = await api.db.prisma.film.findUniqueOrThrow({
    where: { slug: 'her' },
    include: { ratings: { include: { citations: { include: { source: true } } } } },
  });
  expect({
    genres: her.genres,
    rating: her.ratings[0]!.value,
    votes: her.ratings[0]!.votes,
    snapshots: her.ratings[0]!.citations.map((c) => c.source.snapshot),
  }).toEqual({
    genres: ['Science Fiction'],
    rating: 8.1,
    votes: 670000,
    snapshots: ['2026-02-01'],
  });
  const clown = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'le-clown-et-ses-chiens' } });
  expect(clown.runtimeMinutes).toBe(6);
  // An older snapshot after a newer one changes nothing it backs.
  const stale = await imdb(folder('s1-late', { gzip: true }), '2026-01-15');
  expect(stale.counts).toMatchObject({ updated: 0, stale: 3 });
});

test('--prefer incoming overwrites the article-backed value, cited to the record', async () => {
  const result = await imdb(folder('s3'), '2026-03-01', { preferIncoming: true });
  // Her's genres, and the rating and running time snapshot 2 had changed, back to the fixture's.
  expect(result.counts).toMatchObject({ updated: 3, conflicts: 0 });
  const her = await api.client.query(`{ film(slug: "her") { genres revisions(first: 1) { nodes { changes { field before after } } } } }`);
  expect(her.data?.['film']).toEqual({
    genres: ['Drama', 'Romance', 'Sci-Fi'],
    revisions: { nodes: [{ changes: [{ field: 'genres', before: ['Science Fiction'], after: ['Drama', 'Romance', 'Sci-Fi'] }] }] },
  });
});

test("a person's name the article backs is kept as a conflict, which an editor resolves to the incoming name", async () => {
  const edit = (file: string, text: string) => (file === 'name.basics.tsv' ? text.replace('Spike Jonze', 'Spike Jonze (I)') : text);
  const result = await imdb(folder('s4', { edit }), '2026-04-01');
  expect(result.counts).toMatchObject({ created: 0, updated: 0, conflicts: 1 });
  const list = await api.client.query(`{ conflicts(status: OPEN, first: 5) { nodes { id version field incomingValue entity { ... on Person { name } } } } }`);
  const open = (list.data?.['conflicts'].nodes as { id: string; version: number; field: string; entity: unknown }[]).filter((c) => c.field === 'name');
  expect(open).toMatchObject([{ field: 'name', incomingValue: 'Spike Jonze (I)', entity: { name: 'Spike Jonze' } }]);
  const keys = await testKeys(api.db.prisma);
  const resolved = await api.client.query(
    `mutation ($input: ResolveConflictInput!) { resolveConflict(input: $input) { conflict { status } userErrors { code } } }`,
    { input: { id: open[0]!.id, version: open[0]!.version, resolution: 'ACCEPT_INCOMING' } },
    keys.write.headers,
  );
  expect(resolved.data?.['resolveConflict']).toEqual({ conflict: { status: 'ACCEPTED_INCOMING' }, userErrors: [] });
  const person = await api.db.prisma.person.findUniqueOrThrow({ where: { imdbId: 'nm0005069' }, include: { citations: { where: { field: 'name' } } } });
  expect({ name: person.name, cited: person.citations.map((c) => [c.recordFile, c.recordKey]) }).toEqual({
    name: 'Spike Jonze (I)',
    cited: [['name.basics', 'nm0005069']],
  });
});
