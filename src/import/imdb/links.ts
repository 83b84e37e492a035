/**
 * What links to films and people, a batch at a time: alternative titles (title.akas), IMDb ratings
 * (title.ratings) and credits (title.crew, title.principals). Films and people are found by their
 * imdbId in one query each; what exists is read in one query; new rows go in one multi-row INSERT,
 * their citations in another. A row naming a title or person the catalogue lacks is rejected.
 */
import type { Prisma } from '../../generated/prisma/client.ts';
import { recordCitation } from '../../schema/catalog/record.ts';
import type { ImportWriter } from '../writer.ts';
import type { Reject } from '../record.ts';
import { cite, groupBy, insertCreated } from '../bulk.ts';
import { CITATION_BACKING, decide, dropOurs, recordConflict, same, type ApplyOptions, type Counts } from '../rules.ts';
import type { AkaRecord, CreditRecord, RatingRecord } from './rows.ts';

type Indexed<R> = { index: number; record: R };

const refOf = (o: ApplyOptions, r: { file: string; key: string }, fields: string[]) => ({ sourceId: o.sourceId, file: r.file, key: r.key, fields });

async function filmIds(tx: Prisma.TransactionClient, tconsts: string[]) {
  const rows = await tx.film.findMany({ where: { imdbId: { in: [...new Set(tconsts)] } }, select: { id: true, imdbId: true } });
  return new Map(rows.map((f) => [f.imdbId!, f.id]));
}

async function personIds(tx: Prisma.TransactionClient, nconsts: string[]) {
  const rows = await tx.person.findMany({ where: { imdbId: { in: [...new Set(nconsts)] } }, select: { id: true, imdbId: true } });
  return new Map(rows.map((p) => [p.imdbId!, p.id]));
}

/** Splits off the rows whose title the catalogue lacks (rejected), and gives the others their film id. */
async function withFilms<R extends { tconst: string; file: string; line: number }>(tx: Prisma.TransactionClient, rows: Indexed<R>[], rejects: Reject[]) {
  const films = await filmIds(
    tx,
    rows.map((r) => r.record.tconst),
  );
  const out: (Indexed<R> & { filmId: number })[] = [];
  for (const r of rows) {
    const filmId = films.get(r.record.tconst);
    if (filmId === undefined) rejects.push({ file: r.record.file, line: r.record.line, index: r.index, reason: `no film has imdbId ${r.record.tconst}` });
    else out.push({ ...r, filmId });
  }
  return out;
}

export async function applyAkas(w: ImportWriter, o: ApplyOptions, counts: Counts, rows: Indexed<AkaRecord>[]): Promise<Reject[]> {
  const rejects: Reject[] = [];
  const found = await withFilms(w.tx, rows, rejects);
  // NUL joins a key's columns: PostgreSQL text cannot hold one, so keys cannot collide (and it is cheaper than JSON).
  const keyOf = (t: { filmId: number; title: string; region: string; language: string }) => `${t.filmId}\0${t.title}\0${t.region}\0${t.language}`;
  const existing = await w.tx.filmTitle.findMany({
    where: { filmId: { in: [...new Set(found.map((r) => r.filmId))] } },
    select: { filmId: true, title: true, region: true, language: true },
  });
  const present = new Set(existing.map(keyOf));
  const creates: ((typeof found)[number] & { data: Prisma.FilmTitleCreateManyInput })[] = [];
  for (const r of found) {
    const data = { filmId: r.filmId, title: r.record.title, region: r.record.region, language: r.record.language, types: r.record.types };
    const key = keyOf(data);
    if (present.has(key)) counts.unchanged++;
    else {
      present.add(key);
      creates.push({ ...r, data });
    }
  }
  if (creates.length === 0) return rejects;
  await insertCreated(
    w,
    {
      table: 'FilmTitle',
      columns: { filmId: 'int', title: 'text', region: 'text', language: 'text', types: 'text[]' },
      target: 'filmTitleId',
      sourceId: o.sourceId,
      file: creates[0]!.record.file,
    },
    creates.map((c) => ({ data: c.data, key: c.record.key, cites: [{ field: null, fields: c.record.fields }] })),
  );
  counts.created += creates.length;
  return rejects;
}

export async function applyRatings(
  w: ImportWriter,
  o: ApplyOptions,
  counts: Counts,
  rows: Indexed<RatingRecord>[],
  unsettled = new Set<number>(),
): Promise<Reject[]> {
  const rejects: Reject[] = [];
  const found = await withFilms(w.tx, rows, rejects);
  const FIELDS = ['averageRating', 'numVotes'];
  const existing = new Map(
    (
      await w.tx.rating.findMany({
        where: { filmId: { in: found.map((r) => r.filmId) }, source: 'IMDB' },
        select: { id: true, filmId: true, value: true, scale: true, votes: true },
      })
    ).map((r) => [r.filmId, r]),
  );
  // Citations decide only values that differ: an unchanged rating reads none.
  const differing = found.flatMap((r) => {
    const row = existing.get(r.filmId);
    const incoming = { value: r.record.value, scale: 10, votes: r.record.votes };
    return row && Object.entries(incoming).some(([field, value]) => !same(row[field as keyof typeof incoming], value)) ? [row.id] : [];
  });
  const backing = groupBy(
    differing.length ? await w.tx.citation.findMany({ where: { ratingId: { in: differing } }, select: { ...CITATION_BACKING, ratingId: true } }) : [],
    (c) => c.ratingId,
  );
  const creates: ((typeof found)[number] & { data: Prisma.RatingCreateManyInput })[] = [];
  for (const r of found) {
    const incoming = { value: r.record.value, scale: 10, votes: r.record.votes };
    const row = existing.get(r.filmId);
    if (!row) {
      if (creates.some((c) => c.filmId === r.filmId))
        rejects.push({ file: r.record.file, line: r.record.line, index: r.index, reason: `${r.record.tconst} appears again` });
      else creates.push({ ...r, data: { filmId: r.filmId, source: 'IMDB', ...incoming } });
      continue;
    }
    const mine = backing.get(row.id) ?? [];
    const ref = refOf(o, r.record, FIELDS);
    const data: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(incoming)) {
      const current = row[field as keyof typeof incoming];
      const decision = decide(o, current, value, mine);
      if (decision === 'stale' || decision === 'conflict') unsettled.add(r.index);
      if (decision === 'stale') counts.stale++;
      if (decision === 'conflict' && (await recordConflict(w.tx, o, { entityType: 'Rating', entityId: row.id, field }, current, mine, value, ref)))
        counts.conflicts++;
      if (decision === 'set' || decision === 'replace') data[field] = value;
    }
    if (Object.keys(data).length === 0) {
      counts.unchanged++;
      continue;
    }
    await dropOurs(w.tx, o, mine);
    await w.tx.rating.update({ where: { id: row.id }, data: { ...data, version: { increment: 1 } } });
    const citationIds = await cite(w.tx, [recordCitation({ ratingId: row.id }, null, ref)]);
    w.revise('Rating', row.id, 'UPDATE', { before: row, after: { ...row, ...data }, fields: Object.keys(data) }, citationIds);
    counts.updated++;
  }
  if (creates.length === 0) return rejects;
  await insertCreated(
    w,
    {
      table: 'Rating',
      columns: { filmId: 'int', source: '"RatingSource"', value: 'float8', scale: 'float8', votes: 'int' },
      target: 'ratingId',
      sourceId: o.sourceId,
      file: creates[0]!.record.file,
    },
    creates.map((c) => ({ data: c.data, key: c.record.key, cites: [{ field: null, fields: FIELDS }] })),
  );
  counts.created += creates.length;
  return rejects;
}

export async function applyCredits(w: ImportWriter, o: ApplyOptions, counts: Counts, rows: Indexed<CreditRecord>[]): Promise<Reject[]> {
  const rejects: Reject[] = [];
  const found = await withFilms(w.tx, rows, rejects);
  const people = await personIds(
    w.tx,
    found.flatMap((r) => r.record.credits.map((c) => c.nconst)),
  );
  const keyOf = (c: { filmId: number; personId: number; kind: string; job: string; character: string }) =>
    `${c.filmId}\0${c.personId}\0${c.kind}\0${c.job}\0${c.character}`;
  const present = new Set(
    (
      await w.tx.credit.findMany({
        where: { filmId: { in: [...new Set(found.map((r) => r.filmId))] } },
        select: { filmId: true, personId: true, kind: true, job: true, character: true },
      })
    ).map(keyOf),
  );
  const creates: { data: Prisma.CreditCreateManyInput; citation: ReturnType<typeof refOf> }[] = [];
  for (const r of found) {
    const missing = r.record.credits.find((c) => !people.has(c.nconst));
    if (missing) {
      rejects.push({ file: r.record.file, line: r.record.line, index: r.index, reason: `no person has imdbId ${missing.nconst}` });
      continue;
    }
    for (const c of r.record.credits) {
      const data = {
        filmId: r.filmId,
        personId: people.get(c.nconst)!,
        kind: c.kind,
        department: c.department,
        job: c.job,
        character: c.character,
        billingOrder: c.billingOrder,
      };
      const key = keyOf(data);
      if (present.has(key)) counts.unchanged++;
      else {
        present.add(key);
        creates.push({ data, citation: refOf(o, r.record, c.fields) });
      }
    }
  }
  if (creates.length === 0) return rejects;
  await insertCreated(
    w,
    {
      table: 'Credit',
      columns: { filmId: 'int', personId: 'int', kind: '"CreditKind"', department: '"Department"', job: 'text', character: 'text', billingOrder: 'smallint' },
      target: 'creditId',
      sourceId: o.sourceId,
      file: creates[0]!.citation.file,
    },
    creates.map((c) => ({ data: c.data, key: c.citation.key, cites: [{ field: null, fields: c.citation.fields }] })),
  );
  // A person's credits are cached reads of Credit, which the type-wide entry above covers.
  counts.created += creates.length;
  return rejects;
}
