/**
 * The nested values of a group of film records (apply.ts), one kind at a time and set-based: what
 * exists is read in one query (only for films that existed before this group), new rows go in one
 * multi-row INSERT, changed ones are updated one statement each under the import rule (rules.ts).
 * Ratings and amounts are one per film and source (kind); a company part, a director's credit and
 * a release are created when missing and never changed. People and companies are matched by name
 * (case-insensitive): the one person with it, else a new one; the oldest company with it, else a new one.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import type { CompanyRole } from '../generated/prisma/enums.ts';
import { recordCitation, type RecordRef } from '../schema/catalog/record.ts';
import { slugify } from '../schema/film/facts.ts';
import type { CitationTarget } from '../schema/write/cite.ts';
import type { ImportWriter } from './writer.ts';
import { freeSlug, groupBy, insertRows, slugsStartingWith, type Columns, type Revisions } from './bulk.ts';
import type { FilmRecord, Stated } from './record.ts';
import { CITATION_BACKING, decide, jsonRow, recordConflict, same, type ApplyOptions, type Counts } from './rules.ts';

export type Indexed = { index: number; record: FilmRecord };
export type Matched = Indexed & { filmId: number; created: boolean };

/** What the parts of one group share: the write, the rule's options, the counts, the revisions and citations to insert, the citations to drop. */
export interface Batch {
  w: ImportWriter;
  o: ApplyOptions;
  counts: Counts;
  revisions: Revisions;
  /** This dataset's citations replaced by the new snapshot's, deleted in one statement */
  dropped: Set<number>;
  names: Names;
}

export const refOf = (o: ApplyOptions, record: FilmRecord, fields: string[]): RecordRef => ({
  sourceId: o.sourceId,
  file: record.file,
  key: record.key,
  fields,
});

/** People and companies this batch resolved, by lower-cased name. */
export interface Names {
  people: Map<string, number>;
  companies: Map<string, number>;
}

type Item<S> = { film: Matched; stated: S };

const itemsOf = <S>(films: Matched[], pick: (r: FilmRecord) => S[]): Item<S>[] =>
  films.flatMap((film) => pick(film.record).map((stated) => ({ film, stated })));

/** Ids of the films that existed before this group: only they can already have nested values. */
const existingFilms = (films: Matched[]) => films.filter((f) => !f.created).map((f) => f.filmId);

interface Child {
  type: 'Rating' | 'FilmMoney';
  target: keyof CitationTarget;
  /** The column that tells a film's values apart (a rating's source, an amount's kind) */
  key: 'source' | 'kind';
  columns: Columns;
  find(tx: Prisma.TransactionClient, filmIds: number[]): Promise<(Record<string, unknown> & { id: number; filmId: number })[]>;
  update(tx: Prisma.TransactionClient, id: number, data: Record<string, unknown>): Promise<unknown>;
}

const RATING: Child = {
  type: 'Rating',
  target: 'ratingId',
  key: 'source',
  columns: { filmId: 'int', source: '"RatingSource"', value: 'float8', scale: 'float8', votes: 'int' },
  find: (tx, filmIds) =>
    tx.rating.findMany({
      where: { filmId: { in: filmIds } },
      select: { id: true, filmId: true, source: true, value: true, scale: true, votes: true, version: true },
    }),
  update: (tx, id, data) => tx.rating.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
};

const MONEY: Child = {
  type: 'FilmMoney',
  target: 'filmMoneyId',
  key: 'kind',
  columns: { filmId: 'int', kind: '"MoneyKind"', amount: 'bigint', currency: 'text' },
  find: (tx, filmIds) =>
    tx.filmMoney.findMany({ where: { filmId: { in: filmIds } }, select: { id: true, filmId: true, kind: true, amount: true, currency: true, version: true } }),
  update: (tx, id, data) => tx.filmMoney.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
};

/** A rating or an amount per film and source (kind), cited as a whole record. */
async function applyChild(b: Batch, kind: Child, items: Item<Stated<Record<string, unknown>> & { key: string }>[]) {
  if (items.length === 0) return;
  const { tx } = b.w;
  const ids = existingFilms(items.map((i) => i.film));
  const rows = ids.length ? await kind.find(tx, ids) : [];
  const current = new Map(rows.map((r) => [`${r.filmId}\n${String(r[kind.key])}`, r]));
  // Citations decide only values that differ: an unchanged rating or amount reads none.
  const differing = items.flatMap(({ film, stated }) => {
    const row = current.get(`${film.filmId}\n${stated.key}`);
    return row && Object.entries(stated.value).some(([field, value]) => !same(row[field], value)) ? [row.id] : [];
  });
  const backing = groupBy(
    differing.length ? await tx.citation.findMany({ where: { [kind.target]: { in: differing } }, select: { ...CITATION_BACKING, [kind.target]: true } }) : [],
    (c) => (c as unknown as Record<string, number>)[kind.target],
  );
  const creates: (Item<Stated<Record<string, unknown>>> & { identity: Record<string, unknown> })[] = [];
  for (const { film, stated } of items) {
    const identity = { [kind.key]: stated.key, filmId: film.filmId };
    const row = current.get(`${film.filmId}\n${stated.key}`);
    if (!row) {
      creates.push({ film, stated, identity });
      continue;
    }
    const mine = backing.get(row.id) ?? [];
    const ref = refOf(b.o, film.record, stated.fields);
    const data: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(stated.value)) {
      const decision = decide(b.o, row[field], value, mine);
      if (decision === 'stale') b.counts.stale++;
      if (decision === 'conflict' && (await recordConflict(tx, b.o, { entityType: kind.type, entityId: row.id, field }, row[field], mine, value, ref)))
        b.counts.conflicts++;
      if (decision === 'set' || decision === 'replace') data[field] = value;
    }
    if (Object.keys(data).length === 0) continue;
    for (const c of mine) if (c.source.dataset === b.o.dataset) b.dropped.add(c.id);
    await kind.update(tx, row.id, data);
    b.revisions.add(kind.type, row.id, 'UPDATE', { before: jsonRow(row), after: jsonRow({ ...row, ...data }), fields: Object.keys(data) }, [
      recordCitation({ [kind.target]: row.id }, null, ref),
    ]);
  }
  if (creates.length === 0) return;
  const created = await insertRows(
    tx,
    kind.type,
    kind.columns,
    creates.map((c) => ({ ...c.identity, ...c.stated.value })),
  );
  creates.forEach((c, i) => {
    const id = created[i]!.id;
    const after = jsonRow({ ...c.identity, ...c.stated.value });
    b.revisions.add(kind.type, id, 'CREATE', { before: null, after, fields: Object.keys(after) }, [
      recordCitation({ [kind.target]: id }, null, refOf(b.o, c.film.record, c.stated.fields)),
    ]);
  });
}

export const applyRatings = (b: Batch, films: Matched[]) =>
  applyChild(
    b,
    RATING,
    itemsOf(films, (r) => r.ratings.map((s) => ({ ...s, key: s.source }))),
  );

export const applyMoney = (b: Batch, films: Matched[]) =>
  applyChild(
    b,
    MONEY,
    itemsOf(films, (r) => r.money.map((s) => ({ ...s, key: s.kind }))),
  );

/**
 * The ids of the people (companies) named in `items`, by lower-cased name: known to this batch,
 * else found by the rule, else created (one INSERT, each cited to the first record naming it).
 */
async function resolveNames(
  b: Batch,
  table: 'Person' | 'Company',
  known: Map<string, number>,
  items: Item<Stated<string>>[],
  found: (names: string[]) => Promise<Map<string, number>>,
): Promise<Map<string, number>> {
  const firsts = new Map<string, Item<Stated<string>>>();
  for (const i of items) {
    const key = i.stated.value.toLowerCase();
    if (!known.has(key) && !firsts.has(key)) firsts.set(key, i);
  }
  if (firsts.size === 0) return known;
  const matched = await found([...firsts.keys()]);
  for (const [key, id] of matched) known.set(key, id);
  const missing = [...firsts].filter(([key]) => !matched.has(key));
  if (missing.length === 0) return known;
  const bases = missing.map(([, i]) => slugify(i.stated.value, table === 'Person' ? 'person' : 'company'));
  const taken = await slugsStartingWith(b.w.tx, table, bases);
  const data = missing.map(([, i], n) => ({ name: i.stated.value, slug: freeSlug(bases[n]!, taken) }));
  const created = await insertRows(b.w.tx, table, { name: 'text', slug: 'text' }, data);
  const target = table === 'Person' ? 'personId' : 'companyId';
  missing.forEach(([key, i], n) => {
    const id = created[n]!.id;
    known.set(key, id);
    b.revisions.add(table, id, 'CREATE', { before: null, after: data[n]!, fields: ['name', 'slug'] }, [
      recordCitation({ [target]: id }, 'name', refOf(b.o, i.film.record, i.stated.fields)),
    ]);
  });
  return known;
}

export async function applyCompanies(b: Batch, films: Matched[]) {
  const items = itemsOf(films, (r) => r.companies);
  if (items.length === 0) return;
  const { tx } = b.w;
  const ids = await resolveNames(b, 'Company', b.names.companies, items, async (names) => {
    const rows = await tx.$queryRaw<{ id: number; n: string }[]>`
      SELECT DISTINCT ON (lower(name)) id, lower(name) AS n FROM "Company" WHERE lower(name) = ANY(${names}::text[]) ORDER BY lower(name), id`;
    return new Map(rows.map((r) => [r.n, r.id]));
  });
  const filmIds = existingFilms(films);
  const keyOf = (p: { filmId: number; companyId: number; role: string }) => `${p.filmId}\n${p.companyId}\n${p.role}`;
  const present = new Set(
    (filmIds.length ? await tx.filmCompany.findMany({ where: { filmId: { in: filmIds } }, select: { filmId: true, companyId: true, role: true } }) : []).map(
      keyOf,
    ),
  );
  const creates: { data: { filmId: number; companyId: number; role: CompanyRole }; item: Item<Stated<string>> }[] = [];
  for (const item of items) {
    const data = { filmId: item.film.filmId, companyId: ids.get(item.stated.value.toLowerCase())!, role: (item.stated as { role: CompanyRole }).role };
    if (present.has(keyOf(data))) continue;
    present.add(keyOf(data));
    creates.push({ data, item });
  }
  const created = await insertRows(
    tx,
    'FilmCompany',
    { filmId: 'int', companyId: 'int', role: '"CompanyRole"' },
    creates.map((c) => c.data),
  );
  creates.forEach(({ data, item }, i) => {
    const id = created[i]!.id;
    b.revisions.add('FilmCompany', id, 'CREATE', { before: null, after: data, fields: ['filmId', 'companyId', 'role'] }, [
      recordCitation({ filmCompanyId: id }, null, refOf(b.o, item.film.record, item.stated.fields)),
    ]);
  });
}

/** Directors by the name rule: the one person with exactly this name (case-insensitive), else (none or several) a new person. */
export async function applyDirectors(b: Batch, films: Matched[]) {
  const items = itemsOf(films, (r) => r.directors);
  if (items.length === 0) return;
  const { tx } = b.w;
  const ids = await resolveNames(b, 'Person', b.names.people, items, async (names) => {
    // cinegraph_normalize reads the search's prefix index (Person_name_prefix_idx); lower() keeps the rule exact.
    const rows = await tx.$queryRaw<{ id: number; n: string }[]>`
      SELECT id, lower(name) AS n FROM "Person"
      WHERE cinegraph_normalize(name) COLLATE "C" = ANY(ARRAY(SELECT cinegraph_normalize(n) FROM unnest(${names}::text[]) n)) AND lower(name) = ANY(${names}::text[])`;
    const byName = groupBy(rows, (r) => r.n);
    return new Map([...byName].filter(([, same]) => same.length === 1).map(([n, [r]]) => [n, r!.id]));
  });
  const filmIds = existingFilms(films);
  const present = new Set(
    (filmIds.length
      ? await tx.credit.findMany({ where: { filmId: { in: filmIds }, kind: 'CREW', job: 'Director', character: '' }, select: { filmId: true, personId: true } })
      : []
    ).map((c) => `${c.filmId}\n${c.personId}`),
  );
  const creates: {
    data: { filmId: number; personId: number; kind: 'CREW'; department: 'DIRECTING'; job: string; character: string };
    item: Item<Stated<string>>;
  }[] = [];
  for (const item of items) {
    const data = {
      filmId: item.film.filmId,
      personId: ids.get(item.stated.value.toLowerCase())!,
      kind: 'CREW' as const,
      department: 'DIRECTING' as const,
      job: 'Director',
      character: '',
    };
    if (present.has(`${data.filmId}\n${data.personId}`)) continue;
    present.add(`${data.filmId}\n${data.personId}`);
    creates.push({ data, item });
  }
  const created = await insertRows(
    tx,
    'Credit',
    { filmId: 'int', personId: 'int', kind: '"CreditKind"', department: '"Department"', job: 'text', character: 'text' },
    creates.map((c) => c.data),
  );
  creates.forEach(({ data, item }, i) => {
    const id = created[i]!.id;
    b.revisions.add('Credit', id, 'CREATE', { before: null, after: data, fields: Object.keys(data) }, [
      recordCitation({ creditId: id }, null, refOf(b.o, item.film.record, item.stated.fields)),
    ]);
    b.w.touched('Person');
  });
}

/** A release per film, country, type and date; created when missing. */
export async function applyReleases(b: Batch, films: Matched[]) {
  const items = itemsOf(films, (r) => (r.release ? [r.release] : []));
  if (items.length === 0) return;
  const { tx } = b.w;
  const filmIds = existingFilms(films);
  const keyOf = (r: { filmId: number; country: string; date: Date }) => `${r.filmId}\n${r.country}\n${r.date.toISOString().slice(0, 10)}`;
  const present = new Set(
    (filmIds.length
      ? await tx.release.findMany({ where: { filmId: { in: filmIds }, type: 'THEATRICAL' }, select: { filmId: true, country: true, date: true } })
      : []
    ).map(keyOf),
  );
  const creates: { data: { filmId: number; country: string; type: 'THEATRICAL'; date: Date; certification: string | null }; item: (typeof items)[number] }[] =
    [];
  for (const item of items) {
    const { country, date, certification } = item.stated.value;
    const data = { filmId: item.film.filmId, country, type: 'THEATRICAL' as const, date, certification };
    if (present.has(keyOf(data))) continue;
    present.add(keyOf(data));
    creates.push({ data, item });
  }
  const created = await insertRows(
    tx,
    'Release',
    { filmId: 'int', country: 'text', type: '"ReleaseType"', date: 'date', certification: 'text' },
    creates.map((c) => ({ ...c.data, date: c.data.date.toISOString().slice(0, 10) })),
  );
  creates.forEach(({ data, item }, i) => {
    const id = created[i]!.id;
    b.revisions.add('Release', id, 'CREATE', { before: null, after: data, fields: Object.keys(data) }, [
      recordCitation({ releaseId: id }, null, refOf(b.o, item.film.record, item.stated.fields)),
    ]);
  });
}
