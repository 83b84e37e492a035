// The movies-json batch path on a real database: records of one batch that name the same film,
// person or company resolve as they would one at a time; 150 real films of vega-datasets'
// movies.json, interrupted and resumed, end with every imported value cited exactly once, one
// revision per entity citing what it set, and no duplicate rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filmRecordApplier } from '../../src/import/apply.ts';
import { defaultMoviesJson, movieRecord, moviesJsonStreams } from '../../src/import/movies-json.ts';
import type { FilmRecord } from '../../src/import/record.ts';
import { importContext, runImport, type ImportOptions } from '../../src/import/run.ts';
import { useApi } from '../helpers/graphql.ts';

const api = useApi();
const dir = mkdtempSync(path.join(tmpdir(), 'cg-import-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, rows: unknown[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
  return file;
}

function options(file: string, dataset: string, extra: Partial<ImportOptions<FilmRecord>> = {}): ImportOptions<FilmRecord> {
  return {
    format: 'movies-json',
    info: { dataset, snapshot: '1', title: dataset, url: null, licence: 'BSD-3-Clause' },
    streams: moviesJsonStreams(file, 2026),
    applier: filmRecordApplier,
    total: 0,
    rejectsFile: null,
    ...extra,
  };
}

test('records of one batch naming the same title, director or distributor resolve as they would one at a time', async () => {
  const rows = [
    { Title: 'King Kong', 'Release Date': 'Apr 07 1933', Director: 'Merian C. Cooper', Distributor: 'Radio Pictures' },
    { Title: 'King Kong', 'Release Date': 'Dec 14 2005', Director: 'Peter Jackson', Distributor: 'universal' },
    // Same title and year as the row before it: the title + year rule matches the film that row created.
    { Title: 'King Kong', 'Release Date': 'Dec 20 2005', 'IMDB Rating': 7.2, Distributor: 'Universal' },
    { Title: 'The Frighteners', 'Release Date': 'Jul 19 1996', Director: 'peter jackson', Distributor: 'Universal' },
  ];
  const result = await runImport(importContext(api.db.prisma), options(fixture('kong.json', rows), 'batch-kong', { batchSize: 10 }));
  expect(result.counts).toEqual({ created: 3, updated: 0, unchanged: 1, conflicts: 0, stale: 0, rejected: 0 });
  const films = await api.db.prisma.film.findMany({
    where: { title: { in: ['King Kong', 'The Frighteners'] } },
    orderBy: { id: 'asc' },
    select: {
      slug: true,
      year: true,
      releases: { select: { date: true }, orderBy: { date: 'asc' } },
      ratings: { select: { value: true } },
      credits: { select: { person: { select: { slug: true } } } },
      companies: { select: { company: { select: { name: true } } } },
    },
  });
  expect(films).toEqual([
    {
      slug: 'king-kong',
      year: 1933,
      releases: [{ date: new Date('1933-04-07') }],
      ratings: [],
      credits: [{ person: { slug: 'merian-c-cooper' } }],
      companies: [{ company: { name: 'Radio Pictures' } }],
    },
    {
      slug: 'king-kong-2005',
      year: 2005,
      releases: [{ date: new Date('2005-12-14') }, { date: new Date('2005-12-20') }],
      ratings: [{ value: 7.2 }],
      credits: [{ person: { slug: 'peter-jackson' } }],
      companies: [{ company: { name: 'universal' } }],
    },
    {
      slug: 'the-frighteners',
      year: 1996,
      releases: [{ date: new Date('1996-07-19') }],
      ratings: [],
      credits: [{ person: { slug: 'peter-jackson' } }],
      companies: [{ company: { name: 'universal' } }],
    },
  ]);
});

/** Every row an import's change set created, per type, with its citations (locator fields) and its revisions' citations. */
async function createdByImport(changeSetId: number) {
  const revisions = await api.db.prisma.revision.findMany({
    where: { changeSetId },
    select: { entityType: true, entityId: true, action: true, citationIds: true },
  });
  const citations = await api.db.prisma.citation.findMany({
    where: { source: { dataset: 'batch-real' } },
    select: {
      id: true,
      field: true,
      recordKey: true,
      filmId: true,
      personId: true,
      companyId: true,
      ratingId: true,
      filmMoneyId: true,
      filmCompanyId: true,
      creditId: true,
      releaseId: true,
    },
  });
  const ownerOf = (c: (typeof citations)[number]) => {
    const [column, id] = Object.entries(c).find(([k, v]) => k.endsWith('Id') && v !== null)!;
    return `${column[0]!.toUpperCase()}${column.slice(1, -2)}:${id as number}`;
  };
  return { revisions, citations: citations.map((c) => ({ ...c, owner: ownerOf(c) })) };
}

test('an interrupted and resumed import of real films cites every value once and duplicates nothing', async () => {
  const all = JSON.parse(readFileSync(defaultMoviesJson().file, 'utf8')) as unknown[];
  const file = fixture('real.json', all.slice(0, 150));
  const records = all
    .slice(0, 150)
    .map((row) => movieRecord(row, 'real.json', 0, 2026))
    .filter((r): r is FilmRecord => typeof r !== 'string');
  const controller = new AbortController();
  let batches = 0;
  const first = await runImport(importContext(api.db.prisma), {
    ...options(file, 'batch-real', { batchSize: 40 }),
    signal: controller.signal,
    onProgress: () => ++batches === 2 && controller.abort(),
  });
  expect(first).toMatchObject({ status: 'INTERRUPTED' });
  const second = await runImport(importContext(api.db.prisma), options(file, 'batch-real', { batchSize: 40 }));
  expect(second).toMatchObject({ status: 'DONE', resumedFrom: 80, changeSetId: first.changeSetId });
  expect(second.counts.created + second.counts.updated + second.counts.unchanged).toBe(records.length);

  const { revisions, citations } = await createdByImport(first.changeSetId!);
  // One revision per entity, a CREATE, whose citations are exactly that entity's (none lost, none shared).
  const owners = new Map<string, number[]>();
  for (const c of citations) owners.set(c.owner, [...(owners.get(c.owner) ?? []), c.id]);
  expect(new Set(revisions.map((r) => `${r.entityType}:${r.entityId}`)).size).toBe(revisions.length);
  for (const r of revisions) expect([r.action, [...r.citationIds].sort()]).toEqual(['CREATE', (owners.get(`${r.entityType}:${r.entityId}`) ?? []).sort()]);
  expect(revisions.length).toBe(owners.size);

  // Each record's values, counted from the file, against the rows and citations in the database.
  const expected = {
    Film: records.length,
    Rating: records.reduce((n, r) => n + r.ratings.length, 0),
    FilmMoney: records.reduce((n, r) => n + r.money.length, 0),
    FilmCompany: records.reduce((n, r) => n + r.companies.length, 0),
    Credit: records.reduce((n, r) => n + r.directors.length, 0),
    Release: records.length,
  };
  const created = Object.fromEntries(Object.keys(expected).map((t) => [t, revisions.filter((r) => r.entityType === t).length]));
  expect(created).toEqual(expected);
  const filmFacts = records.reduce((n, r) => n + Object.keys(r.facts).length, 0);
  expect(citations.filter((c) => c.filmId !== null).length).toBe(filmFacts);
  const duplicates = new Set(citations.map((c) => `${c.owner}|${c.field}|${c.recordKey}`));
  expect(duplicates.size).toBe(citations.length);
  const db = api.db.prisma;
  const ids = (type: string) => revisions.filter((r) => r.entityType === type).map((r) => r.entityId);
  expect({
    Film: await db.film.count({ where: { id: { in: ids('Film') } } }),
    Rating: await db.rating.count({ where: { film: { id: { in: ids('Film') } } } }),
    FilmMoney: await db.filmMoney.count({ where: { film: { id: { in: ids('Film') } } } }),
    FilmCompany: await db.filmCompany.count({ where: { film: { id: { in: ids('Film') } } } }),
    Credit: await db.credit.count({ where: { film: { id: { in: ids('Film') } } } }),
    Release: await db.release.count({ where: { film: { id: { in: ids('Film') } } } }),
  }).toEqual(expected);

  // Re-importing writes nothing.
  const before = { citations: await db.citation.count(), revisions: await db.revision.count() };
  const again = await runImport(importContext(api.db.prisma), options(file, 'batch-real', { batchSize: 40 }));
  expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: records.length });
  expect({ citations: await db.citation.count(), revisions: await db.revision.count() }).toEqual(before);
});
