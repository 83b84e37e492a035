/**
 * Films (title.basics) and people (name.basics), a batch at a time: a few set-based statements per
 * batch whatever its size — match by external id (one query), then by the title + year / name rule
 * (one query), create the new ones with one multi-row INSERT and their citations with another, and
 * compare the matched ones in memory against their values and backing citations (one query each),
 * writing only what changed. The rule per value is the shared import rule (../rules.ts).
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import { recordCitation } from '../../schema/catalog/record.ts';
import { slugify } from '../../schema/film/facts.ts';
import type { ImportWriter } from '../writer.ts';
import { cite, FILM_INSERT_COLUMNS, groupBy, insertCreated } from '../bulk.ts';
import type { Reject, Stated } from '../record.ts';
import { CITATION_BACKING, decide, dropOurs, recordConflict, same, type ApplyOptions, type Backing, type Counts } from '../rules.ts';

/** One incoming entity: its external id, its facts (each with the record's fields that state it) and where it came from. */
export interface Incoming {
  index: number;
  file: string;
  line: number;
  externalId: string;
  facts: Record<string, Stated<unknown>>;
}

type Current = Record<string, unknown> & { id: number; imdbId: string | null };

/** What differs between films and people: their table, their facts and how the name rule finds candidates. */
interface Kind {
  type: 'Film' | 'Person';
  target: 'filmId' | 'personId';
  facts: readonly string[];
  slugFallback: string;
  /** The slug's text: a film's title, a person's name */
  label: (facts: Record<string, unknown>) => string;
  byExternalId(tx: Prisma.TransactionClient, ids: string[]): Promise<Current[]>;
  byIds(tx: Prisma.TransactionClient, ids: number[]): Promise<Current[]>;
  /** Entities without an external id whose name rule matches, keyed by the rule's key */
  byRule(tx: Prisma.TransactionClient, rows: Incoming[]): Promise<Map<number, number | string>>;
  takenSlugs(tx: Prisma.TransactionClient, slugs: string[]): Promise<string[]>;
  /** Columns of a created row, and the values of those its record leaves unset */
  columns: Record<string, string>;
  defaults: Record<string, unknown>;
  update(tx: Prisma.TransactionClient, id: number, data: Record<string, unknown>): Promise<unknown>;
  backing(tx: Prisma.TransactionClient, ids: number[]): Promise<(Backing & { owner: number | null })[]>;
}

const FILM_COLUMNS = { id: true, imdbId: true, title: true, originalTitle: true, year: true, runtimeMinutes: true, genres: true, titleType: true } as const;

export const FILMS: Kind = {
  type: 'Film',
  target: 'filmId',
  facts: ['title', 'originalTitle', 'year', 'runtimeMinutes', 'genres', 'titleType'],
  slugFallback: 'film',
  label: (f) => f['title'] as string,
  byExternalId: (tx, ids) => tx.film.findMany({ where: { imdbId: { in: ids } }, select: FILM_COLUMNS }),
  byIds: (tx, ids) => tx.film.findMany({ where: { id: { in: ids } }, select: FILM_COLUMNS }),
  async byRule(tx, rows) {
    // The title + year rule (docs/importing.md#matching), for films no external id matched: the one
    // film without an imdbId titled so (case-insensitive) in that year, else the one without a year.
    const titles = [...new Set(rows.map((r) => (r.facts['title']!.value as string).toLowerCase()))];
    const found = await tx.$queryRaw<{ id: number; t: string; year: number | null }[]>`
      SELECT id, lower(title) AS t, year FROM "Film" WHERE "imdbId" IS NULL AND lower(title) = ANY(${titles}::text[])`;
    const out = new Map<number, number | string>();
    for (const r of rows) {
      const title = r.facts['title']!.value as string;
      const year = (r.facts['year']?.value as number | undefined) ?? null;
      const candidates = found.filter((f) => f.t === title.toLowerCase() && (f.year === year || f.year === null));
      const exact = candidates.filter((c) => c.year === year);
      const pool = exact.length ? exact : candidates;
      if (pool.length > 1) out.set(r.index, `ambiguous match: ${pool.length} films titled "${title}"${year ? ` (${year})` : ''}`);
      else if (pool.length === 1) out.set(r.index, pool[0]!.id);
    }
    return out;
  },
  takenSlugs: async (tx, slugs) => (await tx.film.findMany({ where: { slug: { in: slugs } }, select: { slug: true } })).map((f) => f.slug),
  columns: FILM_INSERT_COLUMNS,
  defaults: { genres: [] },
  update: (tx, id, data) => tx.film.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
  backing: async (tx, ids) =>
    (await tx.citation.findMany({ where: { filmId: { in: ids } }, select: { ...CITATION_BACKING, filmId: true } })).map((c) => ({ ...c, owner: c.filmId })),
};

const PERSON_COLUMNS = { id: true, imdbId: true, name: true } as const;

export const PEOPLE: Kind = {
  type: 'Person',
  target: 'personId',
  facts: ['name'],
  slugFallback: 'person',
  label: (f) => f['name'] as string,
  byExternalId: (tx, ids) => tx.person.findMany({ where: { imdbId: { in: ids } }, select: PERSON_COLUMNS }),
  byIds: (tx, ids) => tx.person.findMany({ where: { id: { in: ids } }, select: PERSON_COLUMNS }),
  async byRule(tx, rows) {
    // The name rule: the one person without an imdbId bearing exactly this name (case-insensitive); several → a new person.
    const names = [...new Set(rows.map((r) => (r.facts['name']!.value as string).toLowerCase()))];
    const found = await tx.$queryRaw<{ id: number; n: string }[]>`
      SELECT id, lower(name) AS n FROM "Person" WHERE "imdbId" IS NULL AND lower(name) = ANY(${names}::text[])`;
    const out = new Map<number, number | string>();
    for (const r of rows) {
      const pool = found.filter((f) => f.n === (r.facts['name']!.value as string).toLowerCase());
      if (pool.length === 1) out.set(r.index, pool[0]!.id);
    }
    return out;
  },
  takenSlugs: async (tx, slugs) => (await tx.person.findMany({ where: { slug: { in: slugs } }, select: { slug: true } })).map((p) => p.slug),
  columns: { slug: 'text', imdbId: 'text', name: 'text' },
  defaults: {},
  update: (tx, id, data) => tx.person.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
  backing: async (tx, ids) =>
    (await tx.citation.findMany({ where: { personId: { in: ids } }, select: { ...CITATION_BACKING, personId: true } })).map((c) => ({
      ...c,
      owner: c.personId,
    })),
};

/** Applies a batch of films or people; returns the rows it rejects, and adds to `unsettled` those with a conflict or a stale value. */
export async function applyEntities(
  w: ImportWriter,
  o: ApplyOptions,
  counts: Counts,
  kind: Kind,
  rows: Incoming[],
  unsettled = new Set<number>(),
): Promise<Reject[]> {
  const tx = w.tx;
  const rejects: Reject[] = [];
  const reject = (r: Incoming, reason: string) => rejects.push({ file: r.file, line: r.line, index: r.index, reason });
  const seen = new Map<string, number>();
  const unique: Incoming[] = [];
  for (const r of rows) {
    const first = seen.get(r.externalId);
    if (first !== undefined) reject(r, `${r.externalId} appears again (first on line ${first})`);
    else {
      seen.set(r.externalId, r.line);
      unique.push(r);
    }
  }
  const current = new Map(
    (
      await kind.byExternalId(
        tx,
        unique.map((r) => r.externalId),
      )
    ).map((c) => [c.imdbId!, c]),
  );
  const unmatched = unique.filter((r) => !current.has(r.externalId));
  const ruled = unmatched.length ? await kind.byRule(tx, unmatched) : new Map<number, number | string>();
  const ruledIds = [...new Set([...ruled.values()].filter((v): v is number => typeof v === 'number'))];
  const ruledRows = new Map((ruledIds.length ? await kind.byIds(tx, ruledIds) : []).map((c) => [c.id, c]));
  const creates: Incoming[] = [];
  const updates: { r: Incoming; row: Current }[] = [];
  const claimed = new Set<number>();
  for (const r of unique) {
    const byId = current.get(r.externalId);
    const rule = ruled.get(r.index);
    if (byId) updates.push({ r, row: byId });
    else if (typeof rule === 'string') reject(r, rule);
    else if (rule !== undefined && !claimed.has(rule)) {
      claimed.add(rule);
      updates.push({ r, row: ruledRows.get(rule)! });
    } else creates.push(r);
  }
  await createEntities(w, o, counts, kind, creates);
  await updateEntities(w, o, counts, kind, updates, unsettled);
  return rejects;
}

async function createEntities(w: ImportWriter, o: ApplyOptions, counts: Counts, kind: Kind, rows: Incoming[]) {
  if (rows.length === 0) return;
  const values = rows.map((r) => Object.fromEntries(Object.entries(r.facts).map(([f, s]) => [f, s.value])));
  // A slug per entity in one query: its label, else label-year, else label-externalId (unique by construction).
  const options = rows.map((r, i) => {
    const base = slugify(kind.label(values[i]!), kind.slugFallback);
    const year = r.facts['year']?.value as number | undefined;
    return [base, ...(year ? [`${base}-${year}`] : []), `${base}-${r.externalId}`];
  });
  const taken = new Set(await kind.takenSlugs(w.tx, options.flat()));
  const data = rows.map((r, i) => {
    const slug = options[i]!.find((s) => !taken.has(s))!;
    taken.add(slug);
    return { ...kind.defaults, ...values[i], imdbId: r.externalId, slug };
  });
  await insertCreated(
    w,
    { table: kind.type, columns: kind.columns, target: kind.target, sourceId: o.sourceId, file: rows[0]!.file },
    rows.map((r, i) => ({
      data: data[i]!,
      key: r.externalId,
      cites: Object.entries(r.facts).map(([field, s]) => ({ field, fields: s.fields })),
    })),
  );
  counts.created += rows.length;
}

async function updateEntities(w: ImportWriter, o: ApplyOptions, counts: Counts, kind: Kind, pairs: { r: Incoming; row: Current }[], unsettled: Set<number>) {
  if (pairs.length === 0) return;
  // Citations decide only values that differ: an unchanged entity (all of a re-import) reads none.
  const differing = pairs.filter(({ r, row }) => Object.entries(r.facts).some(([field, stated]) => !same(row[field], stated.value)));
  const backing = differing.length
    ? await kind.backing(
        w.tx,
        differing.map((p) => p.row.id),
      )
    : [];
  const byOwner = groupBy(backing, (c) => c.owner);
  for (const { r, row } of pairs) {
    const mine = byOwner.get(row.id) ?? [];
    const data: Record<string, unknown> = {};
    const citeRows: Prisma.CitationCreateManyInput[] = [];
    for (const [field, stated] of Object.entries(r.facts)) {
      const backed = mine.filter((c) => c.field === field || c.field === null);
      const ref = { sourceId: o.sourceId, file: r.file, key: r.externalId, fields: stated.fields };
      const decision = decide(o, row[field], stated.value, backed);
      if (decision === 'stale' || decision === 'conflict') unsettled.add(r.index);
      if (decision === 'stale') counts.stale++;
      if (decision === 'conflict' && (await recordConflict(w.tx, o, { entityType: kind.type, entityId: row.id, field }, row[field], backed, stated.value, ref)))
        counts.conflicts++;
      if (decision !== 'set' && decision !== 'replace') continue;
      if (decision === 'replace')
        await dropOurs(
          w.tx,
          o,
          backed.filter((c) => c.field === field),
        );
      data[field] = stated.value;
      citeRows.push(recordCitation({ [kind.target]: row.id }, field, ref));
    }
    if (row.imdbId === null) data['imdbId'] = r.externalId;
    if (Object.keys(data).length === 0) {
      counts.unchanged++;
      continue;
    }
    await kind.update(w.tx, row.id, data);
    const citationIds = await cite(w.tx, citeRows);
    w.revise(kind.type, row.id, 'UPDATE', { before: row, after: { ...row, ...data }, fields: Object.keys(data) }, citationIds);
    counts.updated++;
  }
}
