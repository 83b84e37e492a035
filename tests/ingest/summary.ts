// Proposals in one line each, films and people by name: what the ingestion tests compare exactly.
import { extract } from '../../src/ingest/extract.ts';
import type { Article, EntityResolver, Proposal } from '../../src/ingest/types.ts';

export function summarize(proposals: readonly Proposal[]): string[] {
  const title = new Map<string, string>();
  const name = new Map<string, string>();
  for (const p of proposals) {
    if (p.kind === 'film') title.set(p.key, p.values.title);
    if (p.kind === 'person') name.set(p.key, p.values.name);
  }
  const film = (p: Proposal) => title.get(p.refs.film ?? '') ?? `?${p.refs.film}`;
  const who = (p: Proposal) => name.get(p.refs.person ?? '') ?? `?${p.refs.person}`;
  return proposals.map((p) => {
    switch (p.kind) {
      case 'film':
        return `film ${p.values.title}${p.values.year ? ` (${p.values.year})` : ''}`;
      case 'person':
        return `person ${p.values.name}`;
      case 'alias':
        return `alias ${p.values.name} → ${p.values.personName}`;
      case 'castCredit':
        return `cast ${film(p)} | ${who(p)} | ${p.values.character ?? '-'}${p.values.voice ? ' (voice)' : ''}`;
      case 'crewCredit':
        return `crew ${film(p)} | ${who(p)} | ${p.values.job}`;
      case 'release':
        return `release ${film(p)} | ${p.values.country ?? '-'} | ${p.values.date} | ${p.values.type}`;
      case 'review': {
        const v = p.values;
        return `review ${film(p)} | ${v.publication ?? '-'} | ${v.critic ?? '-'} | ${v.quotes.map((q) => `“${q}”`).join(' ') || '-'} | ${v.rating ? `${v.rating.value}/${v.rating.scale}` : '-'}`;
      }
      case 'genre':
        return `genre ${film(p)} | ${p.values.genre}`;
      case 'certification':
        return `certification ${film(p)} | ${p.values.country ?? '-'} | ${p.values.rating}`;
      case 'runtime':
        return `runtime ${film(p)} | ${p.values.minutes}`;
      case 'externalId':
        return `externalId ${film(p)} | ${p.values.source} ${p.values.value}`;
    }
  });
}

/** The summary of an extraction, sorted (the extractor's own order is by position; tests compare sets). */
export async function factsOf(text: string, article: Omit<Article, 'text'> = {}, resolver?: EntityResolver): Promise<string[]> {
  return summarize(await extract({ text, ...article }, resolver)).sort();
}
