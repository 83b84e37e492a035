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
  async sync<R extends object>(find: () => Promise<R | null>, create: () => Promise<R>, update: () => Promise<R>, data: Partial<R>): Promise<R> {
    const row = await find();
    if (!row) {
      this.created++;
      return create();
    }
    if (!changed(row, data)) return row;
    this.updated++;
    return update();
  }
}

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
    const source = await count.sync(
      () => tx.source.findUnique({ where: { slug: seed.source.slug } }),
      () => tx.source.create({ data: { slug: seed.source.slug, ...sourceData } }),
      () => tx.source.update({ where: { slug: seed.source.slug }, data: sourceData }),
      sourceData,
    );
    return source.id;
  }

  async films(): Promise<void> {
    const { tx, seed, count } = this;
    for (const f of seed.films) {
      const data = {
        title: f.title,
        originalTitle: f.originalTitle ?? null,
        synopsis: f.synopsis ?? null,
        genres: f.genres ?? [],
      };
      const film = await count.sync(
        () => tx.film.findUnique({ where: { slug: f.slug } }),
        () => tx.film.create({ data: { slug: f.slug, ...data } }),
        () => tx.film.update({ where: { slug: f.slug }, data }),
        data,
      );
      this.#films.set(f.slug, film.id);
      this.#cite('filmId', film.id, f.cite);
    }
  }

  async people(): Promise<void> {
    const { tx, seed, count } = this;
    for (const p of seed.people) {
      const data = { name: p.name };
      const person = await count.sync(
        () => tx.person.findUnique({ where: { slug: p.slug } }),
        () => tx.person.create({ data: { slug: p.slug, ...data } }),
        () => tx.person.update({ where: { slug: p.slug }, data }),
        data,
      );
      this.#people.set(p.slug, person.id);
      this.#cite('personId', person.id, p.cite);
      for (const a of p.aliases ?? []) {
        const where = { personId_name: { personId: person.id, name: a.name } };
        const alias = await count.sync(
          () => tx.personAlias.findUnique({ where }),
          () => tx.personAlias.create({ data: { personId: person.id, name: a.name } }),
          () => tx.personAlias.findUniqueOrThrow({ where }),
          {},
        );
        this.#cite('personAliasId', alias.id, a.cite);
      }
    }
  }

  async credits(): Promise<void> {
    const { tx, seed, count } = this;
    for (const c of seed.credits) {
      const key = {
        filmId: this.#need(this.#films, c.film, 'film'),
        personId: this.#need(this.#people, c.person, 'person'),
        kind: c.kind,
        job: c.job ?? 'Actor',
        character: c.character ?? '',
      };
      const data = {
        department: c.department ?? 'ACTING',
        billingOrder: c.billingOrder ?? null,
        voice: c.voice ?? false,
      };
      const where = { filmId_personId_kind_job_character: key };
      const credit = await count.sync(
        () => tx.credit.findUnique({ where }),
        () => tx.credit.create({ data: { ...key, ...data } }),
        () => tx.credit.update({ where, data }),
        data,
      );
      this.#cite('creditId', credit.id, c.cite);
    }
  }

  async publications(): Promise<void> {
    const { tx, seed, count } = this;
    for (const p of seed.publications) {
      const data = { name: p.name };
      const publication = await count.sync(
        () => tx.publication.findUnique({ where: { slug: p.slug } }),
        () => tx.publication.create({ data: { slug: p.slug, ...data } }),
        () => tx.publication.update({ where: { slug: p.slug }, data }),
        data,
      );
      this.#publications.set(p.slug, publication.id);
      this.#cite('publicationId', publication.id, p.cite);
    }
  }

  async reviews(): Promise<void> {
    const { tx, seed, count } = this;
    for (const r of seed.reviews) {
      // A review has no natural unique key (one outlet may review a film twice, by different
      // critics); the article's reviews are unsigned, so film + outlet + no critic identifies them.
      const key = {
        filmId: this.#need(this.#films, r.film, 'film'),
        publicationId: this.#need(this.#publications, r.publication, 'publication'),
        criticId: null,
      };
      const review = await count.sync(
        () => tx.review.findFirst({ where: key, orderBy: { id: 'asc' } }),
        () => tx.review.create({ data: key }),
        () => tx.review.findFirstOrThrow({ where: key, orderBy: { id: 'asc' } }),
        {},
      );
      this.#cite('reviewId', review.id, r.cite);
      for (const [position, quoteText] of r.quotes.entries()) {
        const where = { reviewId_position: { reviewId: review.id, position } };
        const quote = await count.sync(
          () => tx.reviewQuote.findUnique({ where }),
          () => tx.reviewQuote.create({ data: { reviewId: review.id, position, text: quoteText } }),
          () => tx.reviewQuote.update({ where, data: { text: quoteText } }),
          { text: quoteText },
        );
        this.#cite('reviewQuoteId', quote.id, [{ excerpt: quoteText }]);
      }
    }
  }

  async releases(): Promise<void> {
    const { tx, seed, count } = this;
    for (const r of seed.releases) {
      const key = {
        filmId: this.#need(this.#films, r.film, 'film'),
        country: r.country,
        type: r.type,
        date: new Date(`${r.date}T00:00:00Z`),
      };
      const where = { filmId_country_type_date: key };
      const release = await count.sync(
        () => tx.release.findUnique({ where }),
        () => tx.release.create({ data: key }),
        () => tx.release.findUniqueOrThrow({ where }),
        {},
      );
      this.#cite('releaseId', release.id, r.cite);
    }
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
    for (const c of this.#desired) {
      const id = existingByKey.get(keyOf(c, c.target, c.targetId));
      if (id !== undefined && !keep.has(id)) {
        keep.add(id);
        continue;
      }
      const { target, targetId, ...fields } = c;
      const row = await tx.citation.create({ data: { ...fields, sourceId, [target]: targetId } });
      keep.add(row.id);
      count.created++;
    }
    const stale = existing.filter((row) => !keep.has(row.id)).map((row) => row.id);
    if (stale.length > 0) {
      await tx.citation.deleteMany({ where: { id: { in: stale } } });
      count.deleted += stale.length;
    }
  }
}
