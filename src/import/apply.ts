/**
 * Applying film records inside one transaction: match each film (external id, then its record's
 * key in an earlier snapshot, then title + year), then set each value by the import rule
 * (docs/importing.md#provenance-and-updates): a value nobody backs is set; a value backed only by
 * older snapshots of the same dataset is updated; a value backed by anything else is kept and a
 * Conflict is recorded (or, with `preferIncoming`, overwritten). Unchanged values write nothing,
 * so re-importing a snapshot appends no revision.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { recordCitation, type RecordRef } from '../schema/catalog/record.ts';
import { slugify } from '../schema/film/edit.ts';
import type { CitationTarget } from '../schema/write/cite.ts';
import type { Writer } from '../schema/write/run.ts';
import type { FilmFacts, FilmRecord, Reject, Stated } from './record.ts';
import type { BatchApplier } from './run.ts';
import { CITATION_BACKING, decide, dropOurs, emptyCounts, jsonRow, recordConflict, type ApplyOptions, type Backing } from './rules.ts';

export class Applier {
  readonly counts = emptyCounts();
  readonly #companies = new Map<string, number>();
  readonly #people = new Map<string, number>();

  constructor(
    private readonly w: Writer,
    private readonly o: ApplyOptions,
  ) {}

  get tx() {
    return this.w.tx;
  }

  #ref(record: FilmRecord, fields: string[]): RecordRef {
    return { sourceId: this.o.sourceId, file: record.file, key: record.key, fields };
  }

  #decide(current: unknown, incoming: unknown, backing: Backing[]) {
    return decide(this.o, current, incoming, backing);
  }

  async #conflict(entityType: string, entityId: number, field: string, current: unknown, backing: Backing[], incoming: unknown, ref: RecordRef) {
    if (await recordConflict(this.tx, this.o, { entityType, entityId, field }, current, backing, incoming, ref)) this.counts.conflicts++;
  }

  async #cite(rows: Prisma.CitationCreateManyInput[]): Promise<number[]> {
    if (rows.length === 0) return [];
    return (await this.tx.citation.createManyAndReturn({ data: rows, select: { id: true } })).map((c) => c.id);
  }

  async #dropOurs(backing: Backing[]) {
    await dropOurs(this.tx, this.o, backing);
  }

  /** The film a record is about, or null for a new one; a string when the title + year rule finds several. */
  async #match(record: FilmRecord): Promise<number | null | string> {
    if (record.imdbId) {
      const film = await this.tx.film.findUnique({ where: { imdbId: record.imdbId }, select: { id: true } });
      if (film) return film.id;
    }
    const cited = await this.tx.citation.findFirst({
      where: { recordFile: record.file, recordKey: record.key, filmId: { not: null }, source: { dataset: this.o.dataset } },
      select: { filmId: true },
    });
    if (cited?.filmId) return cited.filmId;
    const title = record.facts.title?.value;
    if (!title) return null;
    const year = record.facts.year?.value ?? null;
    const candidates = await this.tx.film.findMany({
      where: { title: { equals: title, mode: 'insensitive' }, OR: [{ year }, { year: null }], ...(record.imdbId ? { imdbId: null } : {}) },
      select: { id: true, year: true },
      take: 3,
    });
    // An exact year wins over a film without one; two candidates either way are ambiguous.
    const exact = candidates.filter((c) => c.year === year);
    const pool = exact.length ? exact : candidates;
    if (pool.length > 1) return `ambiguous match: ${pool.length} films titled "${title}"${year ? ` (${year})` : ''}`;
    return pool[0]?.id ?? null;
  }

  /** Applies one record; returns a reject reason when it cannot be matched unambiguously. */
  async apply(record: FilmRecord): Promise<string | null> {
    const matched = await this.#match(record);
    if (typeof matched === 'string') return matched;
    const filmId = matched === null ? await this.#createFilm(record) : await this.#updateFilm(matched, record);
    for (const r of record.ratings) {
      await this.#child(
        'Rating',
        { ratingId: 0 },
        record,
        r,
        () =>
          this.tx.rating.findUnique({
            where: { filmId_source: { filmId, source: r.source } },
            select: { id: true, value: true, scale: true, votes: true, version: true },
          }),
        async () => (await this.tx.rating.create({ data: { filmId, source: r.source, ...r.value }, select: { id: true } })).id,
        (id, data) => this.tx.rating.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
        { source: r.source, filmId },
      );
    }
    for (const m of record.money) {
      await this.#child(
        'FilmMoney',
        { filmMoneyId: 0 },
        record,
        m,
        () =>
          this.tx.filmMoney.findUnique({ where: { filmId_kind: { filmId, kind: m.kind } }, select: { id: true, amount: true, currency: true, version: true } }),
        async () => (await this.tx.filmMoney.create({ data: { filmId, kind: m.kind, ...m.value }, select: { id: true } })).id,
        (id, data) => this.tx.filmMoney.update({ where: { id }, data: { ...data, version: { increment: 1 } } }),
        { kind: m.kind, filmId },
      );
    }
    for (const c of record.companies) await this.#company(filmId, record, c);
    for (const d of record.directors) await this.#director(filmId, record, d);
    if (record.release) await this.#release(filmId, record, record.release);
    return null;
  }

  async #createFilm(record: FilmRecord): Promise<number> {
    const facts = factValues(record.facts);
    const slug = await this.#freeSlug(slugify(facts['title'] as string), facts['year'] as number | undefined);
    const data = { ...facts, imdbId: record.imdbId, slug } as Prisma.FilmUncheckedCreateInput;
    const film = await this.tx.film.create({ data, select: { id: true } });
    const citationIds = await this.#cite(
      Object.entries(record.facts).map(([field, stated]) => recordCitation({ filmId: film.id }, field, this.#ref(record, (stated as Stated<unknown>).fields))),
    );
    this.w.revise('Film', film.id, 'CREATE', { before: null, after: data, fields: Object.keys(data) }, citationIds);
    this.counts.created++;
    return film.id;
  }

  async #freeSlug(base: string, year: number | undefined): Promise<string> {
    const taken = new Set((await this.tx.film.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((f) => f.slug));
    const candidates = [base, ...(year ? [`${base}-${year}`] : [])];
    for (let n = 2; candidates.every((c) => taken.has(c)); n++) candidates.push(`${base}-${n}`);
    return candidates.find((c) => !taken.has(c))!;
  }

  async #updateFilm(filmId: number, record: FilmRecord): Promise<number> {
    const fields = Object.keys(record.facts);
    const select = Object.fromEntries([...fields, 'imdbId', 'version'].map((f) => [f, true]));
    const film = (await this.tx.film.findUniqueOrThrow({ where: { id: filmId }, select })) as Record<string, unknown>;
    const backing = await this.tx.citation.findMany({ where: { filmId, OR: [{ field: { in: fields } }, { field: null }] }, select: CITATION_BACKING });
    const data: Record<string, unknown> = {};
    const cite: Prisma.CitationCreateManyInput[] = [];
    for (const [field, stated] of Object.entries(record.facts) as [string, Stated<unknown>][]) {
      const mine = backing.filter((c) => c.field === field || c.field === null);
      const decision = this.#decide(film[field], stated.value, mine);
      if (decision === 'stale') this.counts.stale++;
      if (decision === 'conflict') await this.#conflict('Film', filmId, field, film[field], mine, stated.value, this.#ref(record, stated.fields));
      if (decision !== 'set' && decision !== 'replace') continue;
      if (decision === 'replace') await this.#dropOurs(mine.filter((c) => c.field === field));
      data[field] = stated.value;
      cite.push(recordCitation({ filmId }, field, this.#ref(record, stated.fields)));
    }
    if (record.imdbId && film['imdbId'] === null) data['imdbId'] = record.imdbId;
    if (Object.keys(data).length === 0) {
      this.counts.unchanged++;
      return filmId;
    }
    await this.tx.film.update({ where: { id: filmId }, data: { ...data, version: { increment: 1 } } });
    const citationIds = await this.#cite(cite);
    this.w.revise('Film', filmId, 'UPDATE', { before: film, after: { ...film, ...data }, fields: Object.keys(data) }, citationIds);
    this.counts.updated++;
    return filmId;
  }

  /** A rating or an amount: one per film and source (kind), cited as a whole record. */
  async #child<V extends Record<string, unknown>>(
    type: 'Rating' | 'FilmMoney',
    targetKey: CitationTarget,
    record: FilmRecord,
    stated: Stated<V>,
    find: () => Promise<(Record<string, unknown> & { id: number }) | null>,
    create: () => Promise<number>,
    update: (id: number, data: Partial<V>) => Promise<unknown>,
    identity: Record<string, unknown>,
  ) {
    const column = Object.keys(targetKey)[0] as keyof CitationTarget;
    const ref = this.#ref(record, stated.fields);
    const row = await find();
    if (!row) {
      const id = await create();
      const citationIds = await this.#cite([recordCitation({ [column]: id }, null, ref)]);
      this.w.revise(
        type,
        id,
        'CREATE',
        { before: null, after: jsonRow({ ...identity, ...stated.value }), fields: [...Object.keys(identity), ...Object.keys(stated.value)] },
        citationIds,
      );
      return;
    }
    const backing = await this.tx.citation.findMany({ where: { [column]: row.id }, select: CITATION_BACKING });
    const data: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(stated.value)) {
      const decision = this.#decide(row[field], value, backing);
      if (decision === 'stale') this.counts.stale++;
      if (decision === 'conflict') await this.#conflict(type, row.id, field, row[field], backing, value, ref);
      if (decision === 'set' || decision === 'replace') data[field] = value;
    }
    if (Object.keys(data).length === 0) return;
    await this.#dropOurs(backing);
    await update(row.id, data as Partial<V>);
    const citationIds = await this.#cite([recordCitation({ [column]: row.id }, null, ref)]);
    this.w.revise(type, row.id, 'UPDATE', { before: jsonRow(row), after: jsonRow({ ...row, ...data }), fields: Object.keys(data) }, citationIds);
  }

  async #company(filmId: number, record: FilmRecord, stated: Stated<string> & { role: 'DISTRIBUTOR' | 'PRODUCTION' }) {
    const ref = this.#ref(record, stated.fields);
    const key = stated.value.toLowerCase();
    let companyId = this.#companies.get(key);
    if (companyId === undefined) {
      const found = await this.tx.company.findFirst({
        where: { name: { equals: stated.value, mode: 'insensitive' } },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      if (found) companyId = found.id;
      else {
        const slug = await this.#freeCompanySlug(slugify(stated.value, 'company'));
        companyId = (await this.tx.company.create({ data: { name: stated.value, slug }, select: { id: true } })).id;
        const citationIds = await this.#cite([recordCitation({ companyId }, 'name', ref)]);
        this.w.revise('Company', companyId, 'CREATE', { before: null, after: { name: stated.value, slug }, fields: ['name', 'slug'] }, citationIds);
      }
      this.#companies.set(key, companyId);
    }
    const link = { filmId_companyId_role: { filmId, companyId, role: stated.role } };
    if (await this.tx.filmCompany.findUnique({ where: link, select: { id: true } })) return;
    const part = await this.tx.filmCompany.create({ data: { filmId, companyId, role: stated.role }, select: { id: true } });
    const citationIds = await this.#cite([recordCitation({ filmCompanyId: part.id }, null, ref)]);
    this.w.revise(
      'FilmCompany',
      part.id,
      'CREATE',
      { before: null, after: { filmId, companyId, role: stated.role }, fields: ['filmId', 'companyId', 'role'] },
      citationIds,
    );
  }

  async #freeCompanySlug(base: string): Promise<string> {
    const taken = new Set((await this.tx.company.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((c) => c.slug));
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    return slug;
  }

  /** The name rule: the one person with exactly this name (case-insensitive), or a new person when there is none or several. */
  async #director(filmId: number, record: FilmRecord, stated: Stated<string>) {
    const ref = this.#ref(record, stated.fields);
    const key = stated.value.toLowerCase();
    let personId = this.#people.get(key);
    if (personId === undefined) {
      const found = await this.tx.person.findMany({ where: { name: { equals: stated.value, mode: 'insensitive' } }, select: { id: true }, take: 2 });
      if (found.length === 1) personId = found[0]!.id;
      else {
        const slug = await this.#freePersonSlug(slugify(stated.value, 'person'));
        personId = (await this.tx.person.create({ data: { name: stated.value, slug }, select: { id: true } })).id;
        const citationIds = await this.#cite([recordCitation({ personId }, 'name', ref)]);
        this.w.revise('Person', personId, 'CREATE', { before: null, after: { name: stated.value, slug }, fields: ['name', 'slug'] }, citationIds);
      }
      this.#people.set(key, personId);
    }
    const credit = { filmId, personId, kind: 'CREW' as const, department: 'DIRECTING' as const, job: 'Director', character: '' };
    const existing = await this.tx.credit.findUnique({
      where: { filmId_personId_kind_job_character: { filmId, personId, kind: 'CREW', job: 'Director', character: '' } },
      select: { id: true },
    });
    if (existing) return;
    const created = await this.tx.credit.create({ data: credit, select: { id: true } });
    const citationIds = await this.#cite([recordCitation({ creditId: created.id }, null, ref)]);
    this.w.revise('Credit', created.id, 'CREATE', { before: null, after: credit, fields: Object.keys(credit) }, citationIds);
    this.w.touched('Person', personId);
  }

  async #freePersonSlug(base: string): Promise<string> {
    const taken = new Set((await this.tx.person.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((p) => p.slug));
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    return slug;
  }

  async #release(filmId: number, record: FilmRecord, stated: NonNullable<FilmRecord['release']>) {
    const { country, date, certification } = stated.value;
    const key = { filmId_country_type_date: { filmId, country, type: 'THEATRICAL' as const, date } };
    if (await this.tx.release.findUnique({ where: key, select: { id: true } })) return;
    const data = { filmId, country, type: 'THEATRICAL' as const, date, certification };
    const release = await this.tx.release.create({ data, select: { id: true } });
    const citationIds = await this.#cite([recordCitation({ releaseId: release.id }, null, this.#ref(record, stated.fields))]);
    this.w.revise('Release', release.id, 'CREATE', { before: null, after: data, fields: Object.keys(data) }, citationIds);
  }
}

function factValues(facts: FilmFacts): Record<string, unknown> {
  return Object.fromEntries(Object.entries(facts).map(([field, stated]) => [field, (stated as Stated<unknown>).value]));
}

/** The record-at-a-time applier as a batch applier (movies.json: records carry nested values matched by name, one by one). */
export function filmRecordApplier(w: Writer, o: ApplyOptions): BatchApplier<FilmRecord> {
  const applier = new Applier(w, o);
  return {
    counts: applier.counts,
    async apply(rows) {
      const rejected: Reject[] = [];
      for (const { index, record } of rows) {
        const reason = await applier.apply(record);
        if (reason) rejected.push({ file: record.file, line: record.line, index, reason });
      }
      return rejected;
    },
  };
}
