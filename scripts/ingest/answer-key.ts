// Answer keys for the extractor's evaluation: the facts a careful editor would take from an
// article, written by hand. The seed article's key is derived from seed/her.ts (the hand-built
// seed); each development article under seed/ingest-dev/ has a JSON key beside its text.
// Matching rules: docs/ingestion.md#scoring.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { herArticle } from '../../seed/her.ts';

const film = z.string();
const rating = z.object({ value: z.number(), scale: z.number() });

export const answerKeySchema = z.object({
  /** Text file next to the key. */
  file: z.string(),
  /** What the article is and which traps it sets (for the reader of the key). */
  notes: z.string(),
  /** Written after the rules were frozen, and never tuned on: reported on its own. */
  heldOut: z.boolean().default(false),
  article: z.object({ publishedOn: z.string().nullable(), title: z.string().nullable(), publisher: z.string().nullable(), url: z.string().nullable() }),
  /** What the catalogue already holds when the article is ingested (empty: a first ingestion). */
  catalogue: z.array(z.object({ type: z.enum(['film', 'person', 'publication']), name: z.string(), aliases: z.array(z.string()).optional() })).default([]),
  films: z.array(z.object({ title: z.string(), year: z.number().nullable().default(null) })),
  people: z.array(z.string()),
  aliases: z.array(z.object({ person: z.string(), name: z.string() })).default([]),
  cast: z.array(z.object({ film, person: z.string(), character: z.string().nullable() })).default([]),
  crew: z.array(z.object({ film, person: z.string(), job: z.string() })).default([]),
  releases: z.array(z.object({ film, country: z.string().nullable(), date: z.string(), type: z.string() })).default([]),
  reviews: z
    .array(
      z.object({
        film,
        publication: z.string().nullable(),
        critic: z.string().nullable().default(null),
        quotes: z.array(z.string()),
        rating: rating.nullable().default(null),
      }),
    )
    .default([]),
  genres: z.array(z.object({ film, genre: z.string() })).default([]),
  certifications: z.array(z.object({ film, country: z.string().nullable(), rating: z.string() })).default([]),
  runtimes: z.array(z.object({ film, minutes: z.number() })).default([]),
  externalIds: z.array(z.object({ film, source: z.string(), value: z.string() })).default([]),
});
export type AnswerKey = z.infer<typeof answerKeySchema>;

export interface KeyedArticle {
  name: string;
  text: string;
  key: AnswerKey;
}

export const DEV_DIR = 'seed/ingest-dev';

export async function loadDevSet(dir = DEV_DIR): Promise<KeyedArticle[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: KeyedArticle[] = [];
  for (const f of files) {
    const key = answerKeySchema.parse(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
    out.push({ name: f.replace(/\.json$/, ''), text: await readFile(path.join(dir, key.file), 'utf8'), key });
  }
  return out;
}

/**
 * The seed's facts as an answer key. The seed does not record the article's date; the
 * evaluation states one (SEED_PUBLISHED_ON) because an editor submitting the article would.
 */
export const SEED_PUBLISHED_ON = '2013-12-01';

export async function seedKey(publishedOn: string | null = SEED_PUBLISHED_ON): Promise<KeyedArticle> {
  const seed = herArticle;
  const titleOf = new Map(seed.films.map((f) => [f.slug, f.title]));
  const nameOf = new Map(seed.people.map((p) => [p.slug, p.name]));
  const pubOf = new Map(seed.publications.map((p) => [p.slug, p.name]));
  const text = await readFile(path.join('seed', seed.source.file), 'utf8');
  const key: AnswerKey = {
    file: seed.source.file,
    notes: 'The seed article, keyed by the hand-built seed (seed/her.ts).',
    heldOut: false,
    article: { publishedOn, title: seed.source.title, publisher: seed.source.publisher, url: seed.source.url },
    catalogue: [],
    films: seed.films.map((f) => ({ title: f.title, year: null })),
    people: seed.people.map((p) => p.name),
    aliases: seed.people.flatMap((p) => (p.aliases ?? []).map((a) => ({ person: p.name, name: a.name }))),
    cast: seed.credits
      .filter((c) => c.kind === 'CAST')
      .map((c) => ({ film: titleOf.get(c.film)!, person: nameOf.get(c.person)!, character: c.character ?? null })),
    crew: seed.credits.filter((c) => c.kind === 'CREW').map((c) => ({ film: titleOf.get(c.film)!, person: nameOf.get(c.person)!, job: c.job! })),
    releases: seed.releases.map((r) => ({ film: titleOf.get(r.film)!, country: r.country, date: r.date, type: r.type })),
    reviews: seed.reviews.map((r) => ({ film: titleOf.get(r.film)!, publication: pubOf.get(r.publication)!, critic: null, quotes: r.quotes, rating: null })),
    genres: seed.films.flatMap((f) => (f.genres ?? []).map((genre) => ({ film: f.title, genre }))),
    certifications: [],
    runtimes: [],
    externalIds: [],
  };
  return { name: 'seed: her-review', text, key };
}
