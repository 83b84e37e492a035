/**
 * IMDb-format dataset files of any size (name.basics, title.basics, title.akas, title.ratings,
 * title.crew, title.principals; `.tsv.gz` by default), deterministic for a (titles, seed), with the
 * real files' skew: people are reused Zipf-like (a few appear in thousands of titles, most in one),
 * popular (low-numbered) titles carry up to 10 principals and several akas, obscure ones one or
 * two; ~70% of titles are films, the rest shorts, TV and video; a third have a rating.
 * `revision` > 0 changes a few values the way a newer snapshot would (ratings, runtimes).
 *
 *   tsx bench/imdb-generate.ts --titles 100000 --out /tmp/imdb [--seed 1] [--plain] [--revision 1]
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip, type Gzip } from 'node:zlib';
import { rng } from '../tests/helpers/factory.ts';

export interface ImdbGenOptions {
  titles: number;
  out: string;
  seed?: number;
  gzip?: boolean;
  revision?: number;
}

const HEADERS = {
  'name.basics': ['nconst', 'primaryName', 'birthYear', 'deathYear', 'primaryProfession', 'knownForTitles'],
  'title.basics': ['tconst', 'titleType', 'primaryTitle', 'originalTitle', 'isAdult', 'startYear', 'endYear', 'runtimeMinutes', 'genres'],
  'title.akas': ['titleId', 'ordering', 'title', 'region', 'language', 'types', 'attributes', 'isOriginalTitle'],
  'title.ratings': ['tconst', 'averageRating', 'numVotes'],
  'title.crew': ['tconst', 'directors', 'writers'],
  'title.principals': ['tconst', 'ordering', 'nconst', 'category', 'job', 'characters'],
} as const;
type File = keyof typeof HEADERS;

const FIRST = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elena',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kemal',
  'Lena',
  'Marco',
  'Nadia',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sven',
  'Tomás',
];
const LAST = [
  'Abbott',
  'Berg',
  'Costa',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hughes',
  'Ito',
  'Jansen',
  'Kowalski',
  'Lund',
  'Moreau',
  'Novak',
  "O'Brien",
  'Petrov',
  'Quinn',
  'Rossi',
  'Silva',
  'Tanaka',
];
const WORDS = [
  'The',
  'Night',
  'Last',
  'City',
  'Love',
  'Dark',
  'Return',
  'Summer',
  'River',
  'Secret',
  'House',
  'Blue',
  'Road',
  'Winter',
  'Garden',
  'Storm',
  'Silent',
  'Glass',
  'Iron',
  'Paper',
];
const GENRES = ['Drama', 'Comedy', 'Documentary', 'Romance', 'Action', 'Thriller', 'Crime', 'Horror', 'Adventure', 'Family', 'Animation', 'Sci-Fi'];
const TYPES: [string, number][] = [
  ['movie', 0.7],
  ['short', 0.1],
  ['tvMovie', 0.06],
  ['tvSeries', 0.05],
  ['video', 0.05],
  ['tvSpecial', 0.04],
];
const REGIONS: [string, string | null, string][] = [
  ['FR', 'fr', 'Le'],
  ['DE', 'de', 'Die'],
  ['ES', 'es', 'El'],
  ['JP', 'ja', 'Za'],
  ['IT', 'it', 'Il'],
  ['BR', 'pt', 'O'],
  ['XWW', 'en', 'The'],
];
const CATEGORIES = ['actor', 'actress', 'actor', 'actress', 'self', 'director', 'writer', 'producer', 'composer', 'cinematographer', 'editor'];

const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(7, '0')}`;

class Out {
  readonly #stream: WriteStream;
  readonly #gzip: Gzip | null;
  rows = 0;
  constructor(file: string, gzip: boolean, header: readonly string[]) {
    this.#stream = createWriteStream(file);
    this.#gzip = gzip ? createGzip({ level: 1 }) : null;
    this.#gzip?.pipe(this.#stream);
    void this.write(header as string[], false);
  }
  async write(cells: (string | number | null)[], count = true) {
    if (count) this.rows++;
    const target = this.#gzip ?? this.#stream;
    if (!target.write(`${cells.map((c) => (c === null ? '\\N' : String(c))).join('\t')}\n`)) await once(target, 'drain');
  }
  async end() {
    const target = this.#gzip ?? this.#stream;
    target.end();
    await once(this.#stream, 'finish');
  }
}

/** Writes the six files; returns how many data rows each has. */
export async function generateImdb(options: ImdbGenOptions): Promise<Record<File, number>> {
  const { titles, out } = options;
  const gzip = options.gzip ?? true;
  const revision = options.revision ?? 0;
  const random = rng(options.seed ?? 1);
  mkdirSync(out, { recursive: true });
  const files = Object.fromEntries(
    Object.entries(HEADERS).map(([name, header]) => [name, new Out(path.join(out, `${name}.tsv${gzip ? '.gz' : ''}`), gzip, header)]),
  ) as Record<File, Out>;
  const people = Math.max(1, Math.round(titles * 1.5));
  // Zipf-like: u^3 crowds the picks toward person 1, so the first few hundred are everywhere.
  const pickPerson = () => 1 + Math.floor(people * random() ** 3);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

  for (let n = 1; n <= people; n++) {
    const name = `${pick(FIRST)} ${pick(LAST)}${n % 7 === 0 ? ` ${pick(LAST)}` : ''}`;
    const born = 1900 + Math.floor(random() * 100);
    await files['name.basics'].write([id('nm', n), name, born, random() < 0.2 ? born + 40 + Math.floor(random() * 40) : null, 'actor', null]);
  }
  for (let n = 1; n <= titles; n++) {
    const tconst = id('tt', n);
    // Popularity falls with the title number: the first titles are the blockbusters.
    const popularity = 1 / (1 + (n * 50) / titles);
    let u = random();
    const type = TYPES.find(([, share]) => (u -= share) < 0)?.[0] ?? 'movie';
    const words = 1 + Math.floor(random() * 4);
    const title = Array.from({ length: words }, () => WORDS[Math.floor(WORDS.length * random() ** 2)]).join(' ');
    const year = 1900 + Math.floor(random() * 125);
    const runtime = type === 'short' ? 5 + Math.floor(random() * 30) : 70 + Math.floor(random() * 90);
    const revisedRuntime = revision > 0 && n % 10 === 0 ? runtime + revision : runtime;
    const genres = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(GENRES));
    await files['title.basics'].write([
      tconst,
      type,
      title,
      random() < 0.1 ? `${title} (original)` : title,
      0,
      year,
      null,
      random() < 0.9 ? revisedRuntime : null,
      [...new Set(genres)].join(','),
    ]);
    const akas = Math.floor(1 + popularity * 8 * random());
    for (let a = 1; a <= akas; a++) {
      const [region, language, article] = REGIONS[(n + a) % REGIONS.length]!;
      await files['title.akas'].write([tconst, a, `${article} ${title}`, region, language, a === 1 ? 'imdbDisplay' : null, null, 0]);
    }
    if (random() < 0.35 + popularity * 0.6) {
      const rating = Math.round((3 + random() * 6.5) * 10) / 10;
      const votes = Math.floor(5 + popularity * 2_000_000 * random());
      await files['title.ratings'].write([tconst, revision > 0 && n % 5 === 0 ? Math.min(10, rating + 0.1 * revision).toFixed(1) : rating, votes]);
    }
    const directors = [pickPerson(), ...(random() < 0.1 ? [pickPerson()] : [])];
    const writers = random() < 0.7 ? Array.from({ length: 1 + Math.floor(random() * 2) }, pickPerson) : [];
    await files['title.crew'].write([
      tconst,
      [...new Set(directors)].map((p) => id('nm', p)).join(','),
      writers.length ? [...new Set(writers)].map((p) => id('nm', p)).join(',') : null,
    ]);
    // ~8 principals a title on average, up to 10 for the popular ones (IMDb lists at most 10).
    const principals = Math.min(10, Math.max(1, Math.round(4 + popularity * 6 + random() * 5)));
    const used = new Set<number>();
    for (let o = 1; o <= principals; o++) {
      let person = pickPerson();
      while (used.has(person)) person = 1 + Math.floor(random() * people);
      used.add(person);
      const category = o === 1 ? 'actor' : pick(CATEGORIES);
      const cast = category === 'actor' || category === 'actress' || category === 'self';
      await files['title.principals'].write([
        tconst,
        o,
        id('nm', person),
        category,
        category === 'writer' && random() < 0.5 ? 'screenplay' : null,
        cast ? JSON.stringify([`${pick(FIRST)} ${pick(LAST)}`]) : null,
      ]);
    }
  }
  await Promise.all(Object.values(files).map((f) => f.end()));
  return Object.fromEntries(Object.entries(files).map(([name, f]) => [name, f.rows])) as Record<File, number>;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      titles: { type: 'string', default: '1000' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      plain: { type: 'boolean' },
      revision: { type: 'string', default: '0' },
    },
  });
  if (!values.out) throw new Error('--out <folder> is required');
  const started = Date.now();
  const rows = await generateImdb({
    titles: Number(values.titles),
    out: values.out,
    seed: Number(values.seed),
    gzip: !values.plain,
    revision: Number(values.revision),
  });
  console.log(JSON.stringify({ out: values.out, rows, seconds: (Date.now() - started) / 1000 }));
}
