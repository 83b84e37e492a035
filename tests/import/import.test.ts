// The movies-json import on a real database: record citations through the API, rejects, dry run,
// idempotence, resume after an interruption, incremental snapshots and conflicts with an
// article-backed value, resolved through resolveConflict.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filmRecordApplier } from '../../src/import/apply.ts';
import { moviesJsonStreams } from '../../src/import/movies-json.ts';
import type { FilmRecord } from '../../src/import/record.ts';
import { importContext, runImport, type ImportOptions } from '../../src/import/run.ts';
import { useApi } from '../helpers/graphql.ts';
import { testKeys } from '../helpers/keys.ts';

const api = useApi();
const dir = mkdtempSync(path.join(tmpdir(), 'cg-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = [
  {
    Title: 'Arrival',
    'Release Date': 'Nov 11 2016',
    'Running Time min': 118,
    'Major Genre': 'Drama',
    'IMDB Rating': 7.9,
    'IMDB Votes': 100,
    'Rotten Tomatoes Rating': 94,
    'Production Budget': 47000000,
    Distributor: 'Paramount Pictures',
    Director: 'Denis Villeneuve',
    'MPAA Rating': 'PG-13',
  },
  { Title: 1776, 'Release Date': 'Mar 17 1972', 'IMDB Rating': 7.1, 'IMDB Votes': 2000 },
  { Title: null, 'Release Date': 'Jun 12 1998' },
  { Title: 'Future Film', 'Release Date': 'Jan 01 2046' },
  { Title: 'The Land Girls', 'Release Date': 'Jun 12 1998', 'US Gross': 146083, Distributor: 'Gramercy' },
  { Title: 'Bad Date', 'Release Date': 'Foo 12 1998' },
];

function fixture(name: string, rows: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  return file;
}

const ctx = () => importContext(api.db.prisma);

function options(file: string, snapshot: string, extra: Partial<ImportOptions<FilmRecord>> = {}): ImportOptions<FilmRecord> {
  return {
    format: 'movies-json',
    info: { dataset: 'test-movies', snapshot, title: 'Test movies', url: null, licence: 'BSD-3-Clause' },
    streams: moviesJsonStreams(file, 2026),
    applier: filmRecordApplier,
    total: 6,
    rejectsFile: path.join(dir, `rejects-${snapshot}.jsonl`),
    batchSize: 2,
    ...extra,
  };
}

const counts = async () => ({
  films: await api.db.prisma.film.count(),
  revisions: await api.db.prisma.revision.count(),
  citations: await api.db.prisma.citation.count(),
  changeSets: await api.db.prisma.changeSet.count(),
});

let keys: Awaited<ReturnType<typeof testKeys>>;

beforeAll(async () => {
  keys = await testKeys(api.db.prisma);
  // An article states Arrival's running time as 116 minutes: the import's 118 must not overwrite it.
  const text = 'Arrival (2016) runs 116 minutes.';
  const source = await api.client.query(
    `mutation ($input: CreateSourceInput!) { createSource(input: $input) { source { slug } userErrors { code message } } }`,
    { input: { slug: 'arrival-article', text } },
    keys.write.headers,
  );
  expect(source.data?.['createSource'].userErrors).toEqual([]);
  const film = await api.client.query(
    `mutation ($input: CreateFilmInput!) { createFilm(input: $input) { film { slug } userErrors { code message } } }`,
    {
      input: {
        title: 'Arrival',
        year: 2016,
        runtimeMinutes: 116,
        citations: [{ sourceSlug: 'arrival-article', excerpt: 'Arrival (2016) runs 116 minutes.' }],
      },
    },
    keys.write.headers,
  );
  expect(film.data?.['createFilm'].userErrors).toEqual([]);
});

test('a dry run reports what would change and writes nothing', async () => {
  const before = await counts();
  const result = await runImport(ctx(), options(fixture('dry.json', ROWS), '1', { dryRun: true }));
  expect(result.status).toBe('DRY_RUN');
  expect(result.counts).toMatchObject({ created: 2, updated: 1, conflicts: 1, rejected: 3 });
  expect(await counts()).toEqual(before);
  expect(await api.db.prisma.source.count({ where: { kind: 'DATASET' } })).toBe(0);
});

test('an interrupted import resumes after its last batch, and ends as one change set without duplicates', async () => {
  const file = fixture('movies-1.json', ROWS);
  const controller = new AbortController();
  const first = await runImport(ctx(), { ...options(file, '1'), signal: controller.signal, onProgress: () => controller.abort() });
  expect(first).toMatchObject({ status: 'INTERRUPTED', resumedFrom: 0 });
  const second = await runImport(ctx(), options(file, '1'));
  expect(second).toMatchObject({ status: 'DONE', resumedFrom: 2, runId: first.runId, changeSetId: first.changeSetId });
  expect(second.counts).toEqual({ created: 2, updated: 1, unchanged: 0, conflicts: 1, stale: 0, rejected: 3 });
  expect(await api.db.prisma.film.count({ where: { title: 'Arrival' } })).toBe(1);
  expect(await api.db.prisma.changeSet.count({ where: { kind: 'IMPORT' } })).toBe(1);
  const rejects = readFileSync(path.join(dir, 'rejects-1.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown);
  expect(rejects).toEqual([
    { file: 'movies-1.json', line: 4, index: 2, reason: 'no Title' },
    { file: 'movies-1.json', line: 5, index: 3, reason: 'Release Date "Jan 01 2046" is after 2026 (a misread two-digit year)' },
    { file: 'movies-1.json', line: 7, index: 5, reason: 'Release Date "Foo 12 1998" is not a date like "Jun 12 1998"' },
  ]);
});

test('imported values are cited to their records, visible through the API', async () => {
  const result = await api.client.query(`{
    film(slug: "1776") {
      title year
      ratings { source value scale votes citations { source { kind dataset snapshot licence } locator { __typename ... on RecordLocator { file key fields } } } }
      citations { field excerpt locator { ... on RecordLocator { file key fields } } }
    }
    arrival: film(slug: "arrival") { runtimeMinutes money { kind amount currency } companies { role company { name } } directors { name } releases { country date certification } }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data?.['film']).toEqual({
    title: '1776',
    year: 1972,
    ratings: [
      {
        source: 'IMDB',
        value: 7.1,
        scale: 10,
        votes: 2000,
        citations: [
          {
            source: { kind: 'DATASET', dataset: 'test-movies', snapshot: '1', licence: 'BSD-3-Clause' },
            locator: { __typename: 'RecordLocator', file: 'movies-1.json', key: '1776|Mar 17 1972', fields: ['IMDB Rating', 'IMDB Votes'] },
          },
        ],
      },
    ],
    citations: [
      { field: 'title', excerpt: null, locator: { file: 'movies-1.json', key: '1776|Mar 17 1972', fields: ['Title'] } },
      { field: 'year', excerpt: null, locator: { file: 'movies-1.json', key: '1776|Mar 17 1972', fields: ['Release Date'] } },
    ],
  });
  expect(result.data?.['arrival']).toEqual({
    runtimeMinutes: 116,
    money: [{ kind: 'BUDGET', amount: 47000000, currency: 'USD' }],
    companies: [{ role: 'DISTRIBUTOR', company: { name: 'Paramount Pictures' } }],
    directors: [{ name: 'Denis Villeneuve' }],
    releases: [{ country: 'US', date: '2016-11-11', certification: 'PG-13' }],
  });
});

test('re-importing the same snapshot changes nothing and appends no revision', async () => {
  const before = await counts();
  const result = await runImport(ctx(), options(fixture('movies-1.json', ROWS), '1'));
  expect(result.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3, conflicts: 0 });
  expect(await counts()).toEqual(before);
});

test('a newer snapshot updates values backed only by the older one, and keeps the conflict open on the article-backed one', async () => {
  const rows = structuredClone(ROWS) as Record<string, unknown>[];
  rows[1]!['IMDB Rating'] = 7.3;
  rows[0]!['Running Time min'] = 119;
  const result = await runImport(ctx(), options(fixture('movies-2.json', rows), '2'));
  expect(result.counts).toMatchObject({ created: 0, conflicts: 1, rejected: 3 });
  const rating = await api.db.prisma.rating.findFirstOrThrow({ where: { film: { slug: '1776' } }, include: { citations: { include: { source: true } } } });
  expect({ value: rating.value, snapshots: rating.citations.map((c) => c.source.snapshot) }).toEqual({ value: 7.3, snapshots: ['2'] });
  const arrival = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'arrival' } });
  expect(arrival.runtimeMinutes).toBe(116);
});

test('editors list conflicts and resolve one: the incoming value becomes a revision citing its record', async () => {
  const list = await api.client.query(`{ conflicts(first: 10) { totalCount nodes { id version field currentValue incomingValue
      currentCitations { excerpt } incoming { file key fields source { snapshot } } entity { ... on Film { title } } } } }`);
  expect(list.errors).toBeUndefined();
  const nodes = list.data?.['conflicts'].nodes as { id: string; version: number }[];
  expect(list.data?.['conflicts']).toMatchObject({
    totalCount: 2,
    nodes: [
      {
        field: 'runtimeMinutes',
        currentValue: 116,
        incomingValue: 118,
        currentCitations: [{ excerpt: 'Arrival (2016) runs 116 minutes.' }],
        entity: { title: 'Arrival' },
      },
      {
        field: 'runtimeMinutes',
        currentValue: 116,
        incomingValue: 119,
        incoming: { file: 'movies-2.json', key: 'Arrival|Nov 11 2016', fields: ['Running Time min'], source: { snapshot: '2' } },
      },
    ],
  });
  const resolve = `mutation ($input: ResolveConflictInput!) { resolveConflict(input: $input) { conflict { status resolvedBy } userErrors { code } } }`;
  const denied = await api.client.query(resolve, { input: { id: nodes[1]!.id, version: nodes[1]!.version, resolution: 'ACCEPT_INCOMING' } }, keys.read.headers);
  expect(denied.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  const accepted = await api.client.query(
    resolve,
    { input: { id: nodes[1]!.id, version: nodes[1]!.version, resolution: 'ACCEPT_INCOMING' } },
    keys.write.headers,
  );
  expect(accepted.data?.['resolveConflict']).toEqual({ conflict: { status: 'ACCEPTED_INCOMING', resolvedBy: keys.write.name }, userErrors: [] });
  const again = await api.client.query(
    resolve,
    { input: { id: nodes[1]!.id, version: nodes[1]!.version + 1, resolution: 'KEEP_CURRENT' } },
    keys.write.headers,
  );
  expect(again.data?.['resolveConflict'].userErrors).toEqual([{ code: 'NOT_OPEN' }]);
  const film = await api.client.query(
    `{ film(slug: "arrival") { runtimeMinutes revisions(first: 1) { nodes { action changes { field before after } citations { locator { ... on RecordLocator { key fields } } } } } } }`,
  );
  expect(film.data?.['film']).toEqual({
    runtimeMinutes: 119,
    revisions: {
      nodes: [
        {
          action: 'UPDATE',
          changes: [{ field: 'runtimeMinutes', before: 116, after: 119 }],
          citations: [{ locator: { key: 'Arrival|Nov 11 2016', fields: ['Running Time min'] } }],
        },
      ],
    },
  });
});

test('alternative titles are searchable', async () => {
  const film = await api.db.prisma.film.findUniqueOrThrow({ where: { slug: 'arrival' } });
  await api.db.prisma.filmTitle.create({ data: { filmId: film.id, title: 'Premier Contact', region: 'FR', language: 'fr' } });
  const result = await api.client.query(
    `{ search(query: "Premier Contact") { edges { matchedField node { ... on Film { title alternativeTitles(region: "FR") { title region language } } } } } }`,
  );
  expect(result.data?.['search'].edges).toEqual([
    { matchedField: 'ALTERNATIVE_TITLE', node: { title: 'Arrival', alternativeTitles: [{ title: 'Premier Contact', region: 'FR', language: 'fr' }] } },
  ]);
});
