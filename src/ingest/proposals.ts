/**
 * Turning what the steps found into proposals: local keys, references between proposals (a
 * credit names its film's and person's keys), confidences, one proposal per fact with every
 * excerpt that states it, and a fixed order (by first excerpt, then kind, then key) so the same
 * text always gives the same list.
 */
import type { Credit } from './credits.ts';
import type { Fact } from './facts.ts';
import type { FilmCandidate } from './films.ts';
import { isTypoOf, slugOf } from './normalize.ts';
import type { PersonEntity } from './people.ts';
import type { ReleaseFact } from './releases.ts';
import type { ReviewFact } from './reviews.ts';
import type { CertificationValues, Excerpt, ExternalIdValues, Proposal, ProposalKind, Resolution } from './types.ts';

export interface Findings {
  films: FilmCandidate[];
  filmResolutions: Map<FilmCandidate, Resolution>;
  people: Map<string, PersonEntity>;
  credits: Credit[];
  releases: ReleaseFact[];
  reviews: ReviewFact[];
  publications: Map<string, Resolution>;
  genres: Fact<{ genre: string }>[];
  certifications: Fact<CertificationValues>[];
  runtimes: Fact<{ minutes: number }>[];
  externalIds: Fact<ExternalIdValues>[];
}

const KIND_ORDER: ProposalKind[] = [
  'film',
  'person',
  'alias',
  'crewCredit',
  'castCredit',
  'review',
  'release',
  'genre',
  'certification',
  'runtime',
  'externalId',
];
const round = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;

export function toProposals(f: Findings): Proposal[] {
  const out = new Map<string, Proposal>();
  const add = (p: Proposal) => {
    const had = out.get(p.key);
    if (!had) {
      out.set(p.key, { ...p, confidence: round(p.confidence) });
      return;
    }
    for (const e of [p.excerpt, ...p.alsoCited]) if (!sameSpan(had.excerpt, e) && !had.alsoCited.some((x) => sameSpan(x, e))) had.alsoCited.push(e);
    had.alsoCited.sort((x, y) => x.start - y.start);
    had.confidence = round(Math.max(had.confidence, p.confidence));
  };
  const cited = new Set<string>(); // people and films some other proposal depends on
  for (const c of f.credits) {
    cited.add(c.personKey);
    const [first, ...rest] = [...c.excerpts].sort((x, y) => x.start - y.start);
    const base = {
      key: c.key,
      excerpt: first!,
      alsoCited: rest,
      support: c.support,
      confidence: c.confidence,
      refs: { film: c.film.key, person: c.personKey },
    };
    if (c.kind === 'crew') add({ ...base, kind: 'crewCredit', values: { job: c.job!.job, department: c.job!.department }, reason: c.reason });
    else
      add({
        ...base,
        kind: 'castCredit',
        values: { character: c.character, voice: c.voice },
        reason: c.voice && c.voiceSupport === 'INFERRED' ? `${c.reason}; voice role inferred: the article describes the character by voice` : c.reason,
      });
  }
  for (const film of f.films) {
    const first = film.mentions.find((m) => m.cue !== 'repeat') ?? film.mentions[0]!;
    const how = film.main ? 'the film the article is about' : film.passing ? 'named in passing' : 'a film the article names';
    add({
      key: film.key,
      kind: 'film',
      values: { title: film.title, year: film.year, resolution: f.filmResolutions.get(film) ?? { status: 'NEW' } },
      excerpt: first,
      alsoCited: film.yearExcerpt ? [film.yearExcerpt] : [],
      support: 'STATED',
      reason: `stated: ${how} (${first.cue})`,
      confidence: film.main ? 0.95 : film.passing ? 0.6 : 0.8,
      refs: {},
    });
  }
  for (const p of f.people.values()) {
    for (const alias of p.aliases) {
      cited.add(p.key);
      const canonical = p.resolution.status === 'EXISTING' ? p.resolution.match.name : p.name;
      const typo = isTypoOf(alias.name, canonical.split(' ').at(-1)!) || isTypoOf(alias.name, canonical);
      add({
        key: `alias:${p.key.slice(7)}:${slugOf(alias.name)}`,
        kind: 'alias',
        values: { name: alias.name, personName: canonical },
        excerpt: alias.excerpt,
        alsoCited: [],
        support: 'INFERRED',
        reason: alias.catalogue
          ? `inferred: the catalogue's closest name is ${canonical}`
          : `inferred: ${typo ? 'a misspelling' : 'another spelling'} of ${canonical}, named in the same article`,
        confidence: 0.7,
        refs: { person: p.key },
      });
    }
  }
  for (const p of f.people.values()) {
    if (!cited.has(p.key)) continue;
    add({
      key: p.key,
      kind: 'person',
      values: { name: p.name, resolution: p.resolution },
      excerpt: p.first,
      alsoCited: [],
      support: 'STATED',
      reason: p.partial ? 'stated: named by one word only' : 'stated: a person the article credits',
      confidence: p.partial ? 0.6 : 0.9,
      refs: {},
    });
  }
  for (const r of f.releases) {
    add({
      key: `release:${r.film.key.slice(5)}:${r.country ?? 'xx'}:${r.date}:${r.type}`,
      kind: 'release',
      values: { country: r.country, date: r.date, type: r.type },
      excerpt: r.excerpt,
      alsoCited: [],
      support: r.support,
      reason: r.reason,
      confidence: r.confidence,
      refs: { film: r.film.key },
    });
  }
  for (const r of f.reviews) {
    const extra: Excerpt[] = [...r.quotes, ...(r.rating ? [r.rating.excerpt] : [])].filter((e) => !sameSpan(e, r.excerpt));
    add({
      key: `review:${r.film.key.slice(5)}:${slugOf(r.publication ?? 'unknown')}`,
      kind: 'review',
      values: {
        publication: r.publication,
        publicationResolution: r.publication ? (f.publications.get(r.publication) ?? { status: 'NEW' }) : null,
        critic: r.critic,
        quotes: r.quotes.map((q) => q.text),
        rating: r.rating ? { value: r.rating.value, scale: r.rating.scale } : null,
      },
      excerpt: r.excerpt,
      alsoCited: extra.sort((x, y) => x.start - y.start),
      support: 'STATED',
      reason: r.reason,
      confidence: r.confidence,
      refs: { film: r.film.key },
    });
  }
  const simple = <V>(kind: 'genre' | 'certification' | 'runtime' | 'externalId', facts: Fact<V>[], id: (v: V) => string) => {
    for (const x of facts)
      add({
        key: `${kind}:${x.film.key.slice(5)}:${slugOf(id(x.values))}`,
        kind,
        values: x.values,
        excerpt: x.excerpt,
        alsoCited: [],
        support: 'STATED',
        reason: x.reason,
        confidence: x.confidence,
        refs: { film: x.film.key },
      } as Proposal);
  };
  simple('genre', f.genres, (v) => v.genre);
  simple('certification', f.certifications, (v) => `${v.country ?? 'xx'}-${v.rating}`);
  simple('runtime', f.runtimes, (v) => String(v.minutes));
  simple('externalId', f.externalIds, (v) => `${v.source}-${v.value}`);
  // Spans were NameSpans and FilmMentions on the way; a proposal carries only start, end and text.
  const plain = (e: Excerpt): Excerpt => ({ start: e.start, end: e.end, text: e.text });
  for (const p of out.values()) Object.assign(p, { excerpt: plain(p.excerpt), alsoCited: p.alsoCited.map(plain) });
  return [...out.values()].sort(
    (x, y) => x.excerpt.start - y.excerpt.start || KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0),
  );
}

const sameSpan = (x: Excerpt, y: Excerpt) => x.start === y.start && x.end === y.end;
