import { createHash } from 'node:crypto';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { locate } from '../src/schema/citation/locate.ts';
import type { ArticleSeed, CiteSpec } from './types.ts';

export type Tx = Prisma.TransactionClient;

type CitationTarget = 'filmId' | 'personId' | 'personAliasId' | 'creditId' | 'publicationId' | 'reviewId' | 'reviewQuoteId' | 'releaseId';

interface DesiredCitation {
  target: CitationTarget;
  targetId: number;
  kind: 'STATED' | 'INFERRED';
  field: string | null;
  excerpt: string;
  start: number;
  end: number;
  note: string | null;
}

export class SeedDataError extends Error {
  override name = 'SeedDataError';
}

/** Write `data` only when a column differs, so a re-run leaves rows (and updatedAt) untouched. */
function changed<T extends object>(row: T, data: Partial<T>): boolean {
  return Object.entries(data).some(([key, value]) => {
    const current = (row as Record<string, unknown>)[key];
    if (current instanceof Date && value instanceof Date) return current.getTime() !== value.getTime();
    return JSON.stringify(current) !== JSON.stringify(value);
  });
}

class Counter {
  created = 0;
  updated = 0;
  deleted = 0;

  /**
   * Syncs the records of one kind in two statements whatever their number (the existing rows
   * read at once, the missing ones created at once), plus one per changed record: the seed ran
   * 94 statements record by record, about half of a fresh embedded database's seeding time. Returns
   * the rows in `desired`'s order; a key given twice gets the one row, synced to each in turn.
   */
  async syncAll<D, R extends object>(spec: {
    desired: readonly D[];
    keyOf: (d: D) => string;
    rowKey: (row: R) => string;
    /** The existing rows among `desired`'s keys (more are ignored; the first of a key wins). */
    find: () => Promise<R[]>;
    create: (missing: D[]) => Promise<R[]>;
    /** The columns compared with an existing row, and written by `update` when one differs. */
    data?: (d: D) => Partial<R>;
    update?: (d: D, row: R) => Promise<R>;
  }): Promise<R[]> {
    const byKey = new Map<string, R>();
    for (const row of await spec.find()) if (!byKey.has(spec.rowKey(row))) byKey.set(spec.rowKey(row), row);
    const missing = new Map<string, D>();
    for (const d of spec.desired) if (!byKey.has(spec.keyOf(d)) && !missing.has(spec.keyOf(d))) missing.set(spec.keyOf(d), d);
    const fresh = new Set<string>();
    if (missing.size > 0) {
      for (const row of await spec.create([...missing.values()])) {
        byKey.set(spec.rowKey(row), row);
        fresh.add(spec.rowKey(row));
      }
      this.created += missing.size;
    }
    const rows: R[] = [];
    for (const d of spec.desired) {
      const key = spec.keyOf(d);
      let row = byKey.get(key);
      if (!row) throw new SeedDataError(`seed record ${key} was neither found nor created`);
      // A fresh row already holds its first occurrence's data.
      const first = fresh.has(key) && missing.get(key) === d;
      if (!first && spec.data && spec.update && changed(row, spec.data(d))) {
        row = await spec.update(d, row);
        byKey.set(key, row);
        this.updated++;
      }
      rows.push(row);
    }
    return rows;
  }
}

const key = (...parts: unknown[]) => JSON.stringify(parts);

/**
 * One article's records, synced in one transaction: a step per kind of record (each remembering
 * the ids later steps refer to by slug), then the citations collected along the way.
 */
export class ArticleSeeding {
  readonly count = new Counter();
  readonly #desired: DesiredCitation[] = [];
  readonly #films = new Map<string, number>();
  readonly #people = new Map<string, number>();
  readonly #publications = new Map<string, number>();

  constructor(
    private readonly tx: Tx,
    private readonly seed: ArticleSeed,
    private readonly text: string,
  ) {}

  #cite(target: CitationTarget, targetId: number, specs: CiteSpec[]) {
    for (const spec of specs) {
      this.#desired.push({
        target,
        targetId,
        kind: spec.kind ?? 'STATED',
        field: spec.field ?? null,
        excerpt: spec.excerpt,
        note: spec.note ?? null,
        ...locate(this.text, spec),
      });
    }
  }

  #need(map: Map<string, number>, slug: string, what: string) {
    const id = map.get(slug);
    if (id === undefined) throw new SeedDataError(`Seed refers to unknown ${what} "${slug}"`);
    return id;
  }

  async source(): Promise<number> {
    const { tx, seed, text, count } = this;
    const sourceData = {
      title: seed.source.title,
      url: seed.source.url,
      publisher: seed.source.publisher,
      text,
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    };
    const [source] = await count.syncAll({
      desired: [seed.source],
      keyOf: (s) => s.slug,
      rowKey: (row) => row.slug,
      find: () => tx.source.findMany({ where: { slug: seed.source.slug } }),
      create: async () => [await tx.source.create({ data: { slug: seed.source.slug, ...sourceData } })],
      data: () => sourceData,
      update: () => tx.source.update({ where: { slug: seed.source.slug }, data: sourceData }),
    });
    return source!.id;
  }

  async films(): Promise<void> {
    const { tx, seed, count } = this;
    const data = (f: ArticleSeed['films'][number]) => ({
      title: f.title,
      originalTitle: f.originalTitle ?? null,
      synopsis: f.synopsis ?? null,
      genres: f.genres ?? [],
    });
    const films = await count.syncAll({
      desired: seed.films,
      keyOf: (f) => f.slug,
      rowKey: (row) => row.slug,
      find: () => tx.film.findMany({ where: { slug: { in: seed.films.map((f) => f.slug) } } }),
      create: (missing) => tx.film.createManyAndReturn({ data: missing.map((f) => ({ slug: f.slug, ...data(f) })) }),
      data,
      update: (f) => tx.film.update({ where: { slug: f.slug }, data: data(f) }),
    });
    seed.films.forEach((f, i) => {
      this.#films.set(f.slug, films[i]!.id);
      this.#cite('filmId', films[i]!.id, f.cite);
    });
  }

  async people(): Promise<void> {
    const { tx, seed, count } = this;
    const people = await count.syncAll({
      desired: seed.people,
      keyOf: (p) => p.slug,
      rowKey: (row) => row.slug,
      find: () => tx.person.findMany({ where: { slug: { in: seed.people.map((p) => p.slug) } } }),
      create: (missing) => tx.person.createManyAndReturn({ data: missing.map((p) => ({ slug: p.slug, name: p.name })) }),
      data: (p) => ({ name: p.name }),
      update: (p) => tx.person.update({ where: { slug: p.slug }, data: { name: p.name } }),
    });
    const aliases = seed.people.flatMap((p, i) => (p.aliases ?? []).map((a) => ({ ...a, personId: people[i]!.id })));
    seed.people.forEach((p, i) => {
      this.#people.set(p.slug, people[i]!.id);
      this.#cite('personId', people[i]!.id, p.cite);
    });
    if (aliases.length === 0) return;
    const aliasRows = await count.syncAll({
      desired: aliases,
      keyOf: (a) => key(a.personId, a.name),
      rowKey: (row) => key(row.personId, row.name),
      find: () => tx.personAlias.findMany({ where: { personId: { in: [...new Set(aliases.map((a) => a.personId))] } } }),
      create: (missing) => tx.personAlias.createManyAndReturn({ data: missing.map((a) => ({ personId: a.personId, name: a.name })) }),
    });
    aliases.forEach((a, i) => this.#cite('personAliasId', aliasRows[i]!.id, a.cite));
  }

  async credits(): Promise<void> {
    const { tx, seed, count } = this;
    const credits = seed.credits.map((c) => ({
      cite: c.cite,
      key: {
        filmId: this.#need(this.#films, c.film, 'film'),
        personId: this.#need(this.#people, c.person, 'person'),
        kind: c.kind,
        job: c.job ?? 'Actor',
        character: c.character ?? '',
      },
      data: {
        department: c.department ?? 'ACTING',
        billingOrder: c.billingOrder ?? null,
        voice: c.voice ?? false,
      },
    }));
    if (credits.length === 0) return;
    const keyOf = (k: (typeof credits)[number]['key']) => key(k.filmId, k.personId, k.kind, k.job, k.character);
    const rows = await count.syncAll({
      desired: credits,
      keyOf: (c) => keyOf(c.key),
      rowKey: (row) => keyOf(row),
      find: () => tx.credit.findMany({ where: { filmId: { in: [...new Set(credits.map((c) => c.key.filmId))] } } }),
      create: (missing) => tx.credit.createManyAndReturn({ data: missing.map((c) => ({ ...c.key, ...c.data })) }),
      data: (c) => c.data,
      update: (c) => tx.credit.update({ where: { filmId_personId_kind_job_character: c.key }, data: c.data }),
    });
    credits.forEach((c, i) => this.#cite('creditId', rows[i]!.id, c.cite));
  }

  async publications(): Promise<void> {
    const { tx, seed, count } = this;
    const rows = await count.syncAll({
      desired: seed.publications,
      keyOf: (p) => p.slug,
      rowKey: (row) => row.slug,
      find: () => tx.publication.findMany({ where: { slug: { in: seed.publications.map((p) => p.slug) } } }),
      create: (missing) => tx.publication.createManyAndReturn({ data: missing.map((p) => ({ slug: p.slug, name: p.name })) }),
      data: (p) => ({ name: p.name }),
      update: (p) => tx.publication.update({ where: { slug: p.slug }, data: { name: p.name } }),
    });
    seed.publications.forEach((p, i) => {
      this.#publications.set(p.slug, rows[i]!.id);
      this.#cite('publicationId', rows[i]!.id, p.cite);
    });
  }

  async reviews(): Promise<void> {
    const { tx, seed, count } = this;
    // A review has no natural unique key (one outlet may review a film twice, by different
    // critics); the article's reviews are unsigned, so film + outlet + no critic identifies them
    // (the first such review by id, when there are several).
    const reviews = seed.reviews.map((r) => ({
      ...r,
      filmId: this.#need(this.#films, r.film, 'film'),
      publicationId: this.#need(this.#publications, r.publication, 'publication'),
    }));
    if (reviews.length === 0) return;
    const rows = await count.syncAll({
      desired: reviews,
      keyOf: (r) => key(r.filmId, r.publicationId),
      rowKey: (row) => key(row.filmId, row.publicationId),
      find: () =>
        tx.review.findMany({
          where: { filmId: { in: [...new Set(reviews.map((r) => r.filmId))] }, criticId: null },
          orderBy: { id: 'asc' },
        }),
      create: (missing) => tx.review.createManyAndReturn({ data: missing.map((r) => ({ filmId: r.filmId, publicationId: r.publicationId, criticId: null })) }),
    });
    reviews.forEach((r, i) => this.#cite('reviewId', rows[i]!.id, r.cite));
    const quotes = reviews.flatMap((r, i) => r.quotes.map((text, position) => ({ reviewId: rows[i]!.id, position, text })));
    if (quotes.length === 0) return;
    const quoteRows = await count.syncAll({
      desired: quotes,
      keyOf: (q) => key(q.reviewId, q.position),
      rowKey: (row) => key(row.reviewId, row.position),
      find: () => tx.reviewQuote.findMany({ where: { reviewId: { in: [...new Set(quotes.map((q) => q.reviewId))] } } }),
      create: (missing) => tx.reviewQuote.createManyAndReturn({ data: missing }),
      data: (q) => ({ text: q.text }),
      update: (q) => tx.reviewQuote.update({ where: { reviewId_position: { reviewId: q.reviewId, position: q.position } }, data: { text: q.text } }),
    });
    quotes.forEach((q, i) => this.#cite('reviewQuoteId', quoteRows[i]!.id, [{ excerpt: q.text }]));
  }

  async releases(): Promise<void> {
    const { tx, seed, count } = this;
    const releases = seed.releases.map((r) => ({
      cite: r.cite,
      key: {
        filmId: this.#need(this.#films, r.film, 'film'),
        country: r.country,
        type: r.type,
        date: new Date(`${r.date}T00:00:00Z`),
      },
    }));
    if (releases.length === 0) return;
    const keyOf = (k: (typeof releases)[number]['key']) => key(k.filmId, k.country, k.type, k.date.toISOString());
    const rows = await count.syncAll({
      desired: releases,
      keyOf: (r) => keyOf(r.key),
      rowKey: (row) => keyOf(row),
      find: () => tx.release.findMany({ where: { filmId: { in: [...new Set(releases.map((r) => r.key.filmId))] } } }),
      create: (missing) => tx.release.createManyAndReturn({ data: missing.map((r) => r.key) }),
    });
    releases.forEach((r, i) => this.#cite('releaseId', rows[i]!.id, r.cite));
  }

  /**
   * Citations from this source: keep matching rows, add missing ones, drop ones the seed no
   * longer states — so editing the seed data converges instead of piling up duplicates.
   */
  async citations(sourceId: number): Promise<void> {
    const { tx, count } = this;
    const existing = await tx.citation.findMany({ where: { sourceId }, orderBy: { id: 'asc' } });
    const keyOf = (
      c: Pick<DesiredCitation, 'kind' | 'field' | 'note'> & { excerpt: string | null; start: number | null; end: number | null },
      target: string,
      targetId: number,
    ) => JSON.stringify([target, targetId, c.kind, c.field, c.excerpt, c.start, c.end, c.note]);
    const existingByKey = new Map<string, number>();
    for (const row of existing) {
      const target = (Object.keys(row) as (keyof typeof row)[]).find((k) => k.endsWith('Id') && k !== 'id' && k !== 'sourceId' && row[k] !== null);
      existingByKey.set(keyOf(row, target ?? '', Number(target ? row[target] : 0)), row.id);
    }
    const keep = new Set<number>();
    const missing: Prisma.CitationCreateManyInput[] = [];
    for (const c of this.#desired) {
      const id = existingByKey.get(keyOf(c, c.target, c.targetId));
      if (id !== undefined && !keep.has(id)) {
        keep.add(id);
        continue;
      }
      const { target, targetId, ...fields } = c;
      missing.push({ ...fields, sourceId, [target]: targetId });
    }
    if (missing.length > 0) count.created += (await tx.citation.createMany({ data: missing })).count;
    const stale = existing.filter((row) => !keep.has(row.id)).map((row) => row.id);
    if (stale.length > 0) {
      await tx.citation.deleteMany({ where: { id: { in: stale } } });
      count.deleted += stale.length;
    }
  }
}
