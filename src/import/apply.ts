/**
 * Film records (movies.json) applied a batch at a time, with a few set-based statements per batch
 * whatever its size: match the batch's films (external id, then the record's key in an earlier
 * snapshot, then title + year: one query each), create the new ones with one multi-row INSERT,
 * compare the matched ones in memory against their values and backing citations (one query each)
 * and write only what changed, then the same for each kind of nested value (apply-parts.ts), and
 * every citation of the batch in one INSERT. Each value follows the import rule
 * (docs/importing.md#provenance-and-updates, rules.ts), so re-importing a snapshot writes nothing.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { recordCitation } from '../schema/catalog/record.ts';
import { slugify } from '../schema/film/facts.ts';
import type { ImportWriter } from './writer.ts';
import {
  applyCompanies,
  applyDirectors,
  applyMoney,
  applyRatings,
  applyReleases,
  refOf,
  type Batch,
  type Indexed,
  type Matched,
  type Names,
} from './apply-parts.ts';
import { CITATION_BACKING, decide, emptyCounts, recordConflict, same, type ApplyOptions } from './rules.ts';
import { FILM_INSERT_COLUMNS, freeSlug, groupBy, insertRows, Revisions, slugsStartingWith } from './bulk.ts';
import type { FilmRecord, Reject, Stated } from './record.ts';
import type { BatchApplier } from './run.ts';

const FILM_SELECT = {
  id: true,
  imdbId: true,
  version: true,
  title: true,
  originalTitle: true,
  year: true,
  runtimeMinutes: true,
  genres: true,
  titleType: true,
} as const;

const factValues = (record: FilmRecord): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record.facts).map(([field, stated]) => [field, (stated as Stated<unknown>).value]));

/**
 * Splits a batch, in order, into groups in which no two records can match the same film (same
 * title, record key or external id): a group's statements then see what earlier groups wrote, so
 * two "King Kong"s of one batch match each other exactly as they would one record at a time.
 */
export function independentGroups(rows: Indexed[]): Indexed[][] {
  const groups: Indexed[][] = [];
  let current: Indexed[] = [];
  let seen = new Set<string>();
  for (const row of rows) {
    const r = row.record;
    const marks = [`t:${(r.facts.title?.value ?? '').toLowerCase()}`, `k:${r.file}\n${r.key}`, ...(r.imdbId ? [`i:${r.imdbId}`] : [])];
    if (marks.some((m) => seen.has(m))) {
      groups.push(current);
      current = [];
      seen = new Set();
    }
    current.push(row);
    for (const m of marks) seen.add(m);
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Each record's film: its id, null for a new one, or a reject reason when the title + year rule finds several. */
async function match(tx: Prisma.TransactionClient, o: ApplyOptions, rows: Indexed[]): Promise<Map<number, number | null | string>> {
  const out = new Map<number, number | null | string>();
  const imdbIds = rows.flatMap((r) => (r.record.imdbId ? [r.record.imdbId] : []));
  if (imdbIds.length) {
    const films = new Map((await tx.film.findMany({ where: { imdbId: { in: imdbIds } }, select: { id: true, imdbId: true } })).map((f) => [f.imdbId!, f.id]));
    for (const r of rows) if (r.record.imdbId && films.has(r.record.imdbId)) out.set(r.index, films.get(r.record.imdbId)!);
  }
  let rest = rows.filter((r) => !out.has(r.index));
  if (rest.length) {
    const cited = await tx.citation.findMany({
      where: {
        recordFile: { in: [...new Set(rest.map((r) => r.record.file))] },
        recordKey: { in: rest.map((r) => r.record.key) },
        filmId: { not: null },
        source: { dataset: o.dataset },
      },
      select: { recordFile: true, recordKey: true, filmId: true },
      orderBy: { id: 'asc' },
    });
    const byKey = new Map<string, number>();
    for (const c of cited) if (!byKey.has(`${c.recordFile}\n${c.recordKey}`)) byKey.set(`${c.recordFile}\n${c.recordKey}`, c.filmId!);
    for (const r of rest) if (byKey.has(`${r.record.file}\n${r.record.key}`)) out.set(r.index, byKey.get(`${r.record.file}\n${r.record.key}`)!);
    rest = rest.filter((r) => !out.has(r.index));
  }
  const titled = rest.filter((r) => r.record.facts.title);
  for (const r of rest) out.set(r.index, null);
  if (titled.length === 0) return out;
  // The title + year rule (docs/importing.md#matching): the one film titled so (case-insensitive)
  // in that year, else the one without a year; a record with an external id only matches films without one.
  // The accent-folded lower case (cinegraph_normalize) reads the search's prefix index instead of
  // every film; lower() then keeps the rule exact.
  const titles = [...new Set(titled.map((r) => r.record.facts.title!.value.toLowerCase()))];
  const found = await tx.$queryRaw<{ id: number; t: string; year: number | null; imdbId: string | null }[]>`
    SELECT id, lower(title) AS t, year, "imdbId" FROM "Film"
    WHERE cinegraph_normalize(title) COLLATE "C" = ANY(ARRAY(SELECT cinegraph_normalize(t) FROM unnest(${titles}::text[]) t))
      AND lower(title) = ANY(${titles}::text[])
    ORDER BY id`;
  for (const r of titled) {
    const title = r.record.facts.title!.value;
    const year = r.record.facts.year?.value ?? null;
    const candidates = found.filter((f) => f.t === title.toLowerCase() && (f.year === year || f.year === null) && (!r.record.imdbId || f.imdbId === null));
    const exact = candidates.filter((c) => c.year === year);
    const pool = exact.length ? exact : candidates;
    if (pool.length > 1) out.set(r.index, `ambiguous match: ${pool.length} films titled "${title}"${year ? ` (${year})` : ''}`);
    else out.set(r.index, pool[0]?.id ?? null);
  }
  return out;
}

async function createFilms(b: Batch, rows: Indexed[]): Promise<Matched[]> {
  if (rows.length === 0) return [];
  const values = rows.map((r) => factValues(r.record));
  const bases = values.map((v) => slugify(v['title'] as string));
  const taken = await slugsStartingWith(b.w.tx, 'Film', bases);
  const data = rows.map((r, i) => {
    const year = values[i]!['year'] as number | undefined;
    return { ...values[i], imdbId: r.record.imdbId, slug: freeSlug(bases[i]!, taken, year ? [`${bases[i]}-${year}`] : []) };
  });
  const created = await insertRows(
    b.w.tx,
    'Film',
    FILM_INSERT_COLUMNS,
    data.map((d) => ({ genres: [], ...d })),
  );
  return rows.map((r, i) => {
    const filmId = created[i]!.id;
    const citations = Object.entries(r.record.facts).map(([field, stated]) =>
      recordCitation({ filmId }, field, refOf(b.o, r.record, (stated as Stated<unknown>).fields)),
    );
    b.revisions.add('Film', filmId, 'CREATE', { before: null, after: data[i]!, fields: Object.keys(data[i]!) }, citations);
    b.counts.created++;
    return { ...r, filmId, created: true };
  });
}

async function updateFilms(b: Batch, rows: (Indexed & { filmId: number })[]): Promise<Matched[]> {
  if (rows.length === 0) return [];
  const { tx } = b.w;
  const ids = rows.map((r) => r.filmId);
  const films = new Map((await tx.film.findMany({ where: { id: { in: ids } }, select: FILM_SELECT })).map((f) => [f.id, f as Record<string, unknown>]));
  // Citations decide only values that differ: an unchanged film (all of a re-import) reads none.
  const differing = rows.filter((r) =>
    Object.entries(r.record.facts).some(([field, stated]) => !same(films.get(r.filmId)![field], (stated as Stated<unknown>).value)),
  );
  const backing = groupBy(
    differing.length
      ? await tx.citation.findMany({ where: { filmId: { in: differing.map((r) => r.filmId) } }, select: { ...CITATION_BACKING, filmId: true } })
      : [],
    (c) => c.filmId,
  );
  for (const { record, filmId } of rows) {
    const film = films.get(filmId)!;
    const data: Record<string, unknown> = {};
    const citations: Prisma.CitationCreateManyInput[] = [];
    for (const [field, stated] of Object.entries(record.facts) as [string, Stated<unknown>][]) {
      const mine = (backing.get(filmId) ?? []).filter((c) => c.field === field || c.field === null);
      const ref = refOf(b.o, record, stated.fields);
      const decision = decide(b.o, film[field], stated.value, mine);
      if (decision === 'stale') b.counts.stale++;
      if (decision === 'conflict' && (await recordConflict(tx, b.o, { entityType: 'Film', entityId: filmId, field }, film[field], mine, stated.value, ref)))
        b.counts.conflicts++;
      if (decision !== 'set' && decision !== 'replace') continue;
      if (decision === 'replace') for (const c of mine) if (c.field === field && c.source.dataset === b.o.dataset) b.dropped.add(c.id);
      data[field] = stated.value;
      citations.push(recordCitation({ filmId }, field, ref));
    }
    if (record.imdbId && film['imdbId'] === null) data['imdbId'] = record.imdbId;
    if (Object.keys(data).length === 0) {
      b.counts.unchanged++;
      continue;
    }
    await tx.film.update({ where: { id: filmId }, data: { ...data, version: { increment: 1 } } });
    b.revisions.add('Film', filmId, 'UPDATE', { before: film, after: { ...film, ...data }, fields: Object.keys(data) }, citations);
    b.counts.updated++;
  }
  return rows.map((r) => ({ ...r, created: false }));
}

/** One group of independent records: films, then each kind of nested value, then the citations, the dropped ones and the revisions. */
async function applyGroup(b: Batch, rows: Indexed[]): Promise<Reject[]> {
  const matched = await match(b.w.tx, b.o, rows);
  const rejects: Reject[] = [];
  const creates: Indexed[] = [];
  const updates: (Indexed & { filmId: number })[] = [];
  for (const r of rows) {
    const m = matched.get(r.index);
    if (typeof m === 'string') rejects.push({ file: r.record.file, line: r.record.line, index: r.index, reason: m });
    else if (typeof m === 'number') updates.push({ ...r, filmId: m });
    else creates.push(r);
  }
  const films = [...(await createFilms(b, creates)), ...(await updateFilms(b, updates))].sort((x, y) => x.index - y.index);
  await applyRatings(b, films);
  await applyMoney(b, films);
  await applyCompanies(b, films);
  await applyDirectors(b, films);
  await applyReleases(b, films);
  await b.revisions.flush();
  if (b.dropped.size) await b.w.tx.citation.deleteMany({ where: { id: { in: [...b.dropped] } } });
  b.dropped.clear();
  return rejects;
}

/** The movies-json batch applier: a batch's records in independent groups, each applied set-based. */
export function filmRecordApplier(w: ImportWriter, o: ApplyOptions): BatchApplier<FilmRecord> {
  const counts = emptyCounts();
  // Names resolved by this batch (people and companies, by lower-cased name): later groups reuse them.
  const names: Names = { people: new Map(), companies: new Map() };
  return {
    counts,
    async apply(rows) {
      const rejects: Reject[] = [];
      for (const group of independentGroups(rows)) {
        rejects.push(...(await applyGroup({ w, o, counts, revisions: new Revisions(w), dropped: new Set(), names }, group)));
      }
      return rejects.sort((x, y) => x.index - y.index);
    },
  };
}
