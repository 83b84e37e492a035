/** CatalogueResolver: the extractor's EntityResolver over the database, finding candidates with the search machinery. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { matchCatalogue, type CatalogueEntry } from '../../ingest/memory-resolver.ts';
import type { EntityMatch, EntityResolver, EntityType } from '../../ingest/types.ts';
import { searchTerms, type SearchType } from '../search/query.ts';
import { runSearch } from '../search/sql.ts';

/** How many search hits per name are scored: the matching rule is strict, the search generous. */
const CANDIDATES = 20;

const SEARCH_TYPE: Record<EntityType, SearchType> = { film: 'FILM', person: 'PERSON', publication: 'PUBLICATION' };
const TYPENAME: Record<EntityType, string> = { film: 'Film', person: 'Person', publication: 'Publication' };

/**
 * Resolves a name the way MemoryResolver does (exact, alias, surname, typo: the same rule,
 * `matchCatalogue`), over the candidates `search` finds for it: prefix, full-text and trigram
 * matches of titles, names and aliases, accent-folded (docs/search.md). Two statements per name
 * (the search, then the candidates' names and aliases). Match ids are global IDs. Answers are
 * memoised per resolver: one article names the same person many times.
 */
export class CatalogueResolver implements EntityResolver {
  readonly #prisma: PrismaClient;
  readonly #memo = new Map<string, Promise<readonly EntityMatch[]>>();

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  find(type: EntityType, name: string): Promise<readonly EntityMatch[]> {
    const memoKey = `${type}\u0000${name}`;
    let found = this.#memo.get(memoKey);
    if (!found) this.#memo.set(memoKey, (found = this.#find(type, name)));
    return found;
  }

  async #find(type: EntityType, name: string): Promise<readonly EntityMatch[]> {
    const terms = searchTerms(name);
    if (!terms.text) return [];
    const { hits } = await runSearch(this.#prisma, { terms, types: [SEARCH_TYPE[type]], after: null, take: CANDIDATES });
    const ids = [...new Set(hits.map((h) => h.id))];
    if (ids.length === 0) return [];
    const entries = await this.#entries(type, ids);
    return matchCatalogue(entries, type, name).map((m) => ({ ...m, id: encodeGlobalID(TYPENAME[type], m.id) }));
  }

  async #entries(type: EntityType, ids: number[]): Promise<CatalogueEntry[]> {
    const where = { id: { in: ids } };
    switch (type) {
      case 'film':
        return (await this.#prisma.film.findMany({ where, select: { id: true, title: true, originalTitle: true } })).map((f) => ({
          type,
          id: String(f.id),
          name: f.title,
          aliases: f.originalTitle ? [f.originalTitle] : [],
        }));
      case 'person':
        return (await this.#prisma.person.findMany({ where, select: { id: true, name: true, aliases: { select: { name: true } } } })).map((p) => ({
          type,
          id: String(p.id),
          name: p.name,
          aliases: p.aliases.map((a) => a.name),
        }));
      case 'publication':
        return (await this.#prisma.publication.findMany({ where, select: { id: true, name: true } })).map((p) => ({ type, id: String(p.id), name: p.name }));
    }
  }
}
