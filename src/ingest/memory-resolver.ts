/**
 * An in-memory EntityResolver over a small catalogue: what tests and the evaluation use, and the
 * reference behaviour the database-backed resolver must match (exact, alias, surname, typo).
 */
import { isTypoOf, nameKey, trigramSimilarity } from './normalize.ts';
import type { EntityMatch, EntityResolver, EntityType } from './types.ts';

export interface CatalogueEntry {
  type: EntityType;
  id: string;
  name: string;
  aliases?: string[];
}

// Below this trigram similarity two multi-word names are different names (pg_trgm's default
// threshold is 0.3, tuned for type-ahead; resolution must be stricter than search).
const TRIGRAM_THRESHOLD = 0.5;

const rank = (a: EntityMatch, b: EntityMatch) => b.score - a.score || a.id.localeCompare(b.id);

export class MemoryResolver implements EntityResolver {
  readonly #entries: readonly CatalogueEntry[];

  constructor(entries: readonly CatalogueEntry[]) {
    this.#entries = entries;
  }

  async find(type: EntityType, name: string): Promise<readonly EntityMatch[]> {
    return this.findSync(type, name);
  }

  /** Best first; ties by id so the answer is deterministic. */
  findSync(type: EntityType, name: string): EntityMatch[] {
    return matchCatalogue(this.#entries, type, name);
  }
}

/**
 * The entries of `type` that `name` may denote, best first (ties by id): the one matching rule,
 * used over a whole in-memory catalogue here and over the candidates a search found by the
 * database-backed resolver (src/schema/proposal/resolver.ts).
 */
export function matchCatalogue(entries: readonly CatalogueEntry[], type: EntityType, name: string): EntityMatch[] {
  const key = nameKey(name);
  if (!key) return [];
  const single = !key.includes(' ');
  const matches: EntityMatch[] = [];
  for (const entry of entries) {
    if (entry.type !== type) continue;
    const found = matchEntry(entry, key, single);
    if (found) matches.push(found);
  }
  return matches.sort(rank);
}

function matchEntry(entry: CatalogueEntry, key: string, single: boolean): EntityMatch | undefined {
  const names: [string, 'name' | 'alias'][] = [[entry.name, 'name'], ...(entry.aliases ?? []).map((a): [string, 'alias'] => [a, 'alias'])];
  let best: EntityMatch | undefined;
  const consider = (m: EntityMatch) => {
    if (!best || m.score > best.score) best = m;
  };
  for (const [candidate, via] of names) {
    const candidateKey = nameKey(candidate);
    const base = { id: entry.id, name: entry.name, matchedName: candidate };
    if (candidateKey === key) {
      consider({ ...base, matchedBy: via, score: via === 'name' ? 1 : 0.95 });
      continue;
    }
    // A person named by surname only ("Jonze"), exactly or misspelt ("Johannson").
    if (single && entry.type === 'person') {
      const surname = candidateKey.split(' ').at(-1)!;
      if (surname === key) consider({ ...base, matchedBy: via, score: 0.8 });
      else if (isTypoOf(key, surname)) consider({ ...base, matchedBy: 'fuzzy', score: 0.7 });
      continue;
    }
    if (isTypoOf(key, candidateKey)) {
      consider({ ...base, matchedBy: 'fuzzy', score: 0.85 });
      continue;
    }
    const similarity = trigramSimilarity(key, candidateKey);
    if (!single && similarity >= TRIGRAM_THRESHOLD) consider({ ...base, matchedBy: 'fuzzy', score: Math.min(0.84, Math.round(similarity * 100) / 100) });
  }
  return best;
}
