/**
 * `npm run import -- imdb <folder>`: IMDb's dataset files (docs/importing.md#formats) as the streams of
 * an import run, in IMDB_FILES order, each applied a batch at a time by the bulk appliers
 * (entities.ts for people and films, links.ts for what links them).
 */
import { createHash, type Hash } from 'node:crypto';
import type { ImportWriter } from '../writer.ts';
import type { ApplyOptions } from '../rules.ts';
import { emptyCounts } from '../rules.ts';
import type { BatchApplier, Row, Stream } from '../run.ts';
import { applyEntities, FILMS, PEOPLE, type Incoming } from './entities.ts';
import { applyAkas, applyCredits, applyRatings } from './links.ts';
import { imdbRecord, type AkaRecord, type CreditRecord, type ImdbRecord, type NameRecord, type RatingRecord, type TitleRecord } from './rows.ts';
import { cellsOf, countTsv, findImdbFile, IMDB_FILES, readTsv, type ImdbFile } from './tsv.ts';

export const IMDB_DATASET = {
  dataset: 'imdb',
  title: 'IMDb non-commercial datasets',
  url: 'https://developer.imdb.com/non-commercial-datasets/',
  licence: 'IMDb non-commercial licence',
};

/**
 * How rows become records: part of every fingerprint, so that a release that reads rows
 * differently (another column mapped, another rule) re-applies every record once. Bump it then.
 */
const READING = 'imdb-rows-1';

/** Files whose record key is their first two columns (tconst/ordering); the others' is the first. */
const TWO_COLUMN_KEYS: ReadonlySet<ImdbFile> = new Set(['title.akas', 'title.principals']);

function build(name: ImdbFile, line: number, index: number, text: string, header: string[], maxYear: number): Row<ImdbRecord> {
  const { values, columns } = cellsOf(text, header);
  const result =
    values === null ? `expected ${header.length} tab-separated columns, found ${columns}` : imdbRecord(name, values, { file: name, line }, maxYear);
  if (typeof result === 'string') return { index, reject: { file: name, line, index, reason: result } };
  // A title's crew or principal counts one per credit, as the applier counts them.
  return { index, record: result, units: result.type === 'credit' ? result.credits.length : 1 };
}

/**
 * The file's rows, each with its fingerprint (../fingerprint.ts): the key columns as read and a
 * hash of the line, the header and --max-year (which decide how the line reads), so a re-import
 * builds only the rows that changed.
 */
async function* rowsOf(file: string, name: ImdbFile, maxYear: number): AsyncGenerator<Row<ImdbRecord>> {
  let seed: Hash | null = null;
  for await (const { line, index, text, header } of readTsv(file)) {
    seed ??= createHash('sha256').update(`${READING}\n${maxYear}\n${header.join('\t')}\n`);
    const first = text.indexOf('\t');
    const end = first < 0 || !TWO_COLUMN_KEYS.has(name) ? first : text.indexOf('\t', first + 1);
    if (end <= 0) {
      yield build(name, line, index, text, header, maxYear);
      continue;
    }
    // 132 bits of SHA-256: a fingerprint per record of a million-title dataset stays small.
    const hash = seed.copy().update(text).digest('base64').slice(0, 22);
    yield { index, fingerprint: { key: text.slice(0, end), hash }, build: () => build(name, line, index, text, header, maxYear) };
  }
}

/** The folder's IMDb files as streams, and their total number of rows (a streamed count, for progress). */
export async function imdbStreams(folder: string, maxYear: number): Promise<{ streams: Stream<ImdbRecord>[]; total: number; files: string[] }> {
  const found = IMDB_FILES.map((name) => ({ name, file: findImdbFile(folder, name) })).filter((f): f is { name: ImdbFile; file: string } => f.file !== null);
  if (found.length === 0) throw new Error(`${folder} holds none of ${IMDB_FILES.map((f) => `${f}.tsv[.gz]`).join(', ')}`);
  let total = 0;
  for (const f of found) total += await countTsv(f.file);
  return {
    streams: found.map(({ name, file }) => ({ name, rows: () => rowsOf(file, name, maxYear) })),
    total,
    files: found.map((f) => f.file),
  };
}

const entity = (index: number, r: NameRecord | TitleRecord): Incoming => ({
  index,
  file: r.file,
  line: r.line,
  externalId: r.type === 'name' ? r.nconst : r.tconst,
  facts: r.type === 'name' ? { name: { value: r.name, fields: ['primaryName'] } } : (r.facts as Incoming['facts']),
});

/** The batch applier of one IMDb file. */
export function imdbApplier(w: ImportWriter, o: ApplyOptions, stream: string): BatchApplier<ImdbRecord> {
  const counts = emptyCounts();
  const unsettled = new Set<number>();
  return {
    counts,
    unsettled,
    apply(rows) {
      const of = <R extends ImdbRecord>() => rows as { index: number; record: R }[];
      switch (stream as ImdbFile) {
        case 'name.basics':
          return applyEntities(
            w,
            o,
            counts,
            PEOPLE,
            of<NameRecord>().map((r) => entity(r.index, r.record)),
            unsettled,
          );
        case 'title.basics':
          return applyEntities(
            w,
            o,
            counts,
            FILMS,
            of<TitleRecord>().map((r) => entity(r.index, r.record)),
            unsettled,
          );
        case 'title.akas':
          return applyAkas(w, o, counts, of<AkaRecord>());
        case 'title.ratings':
          return applyRatings(w, o, counts, of<RatingRecord>(), unsettled);
        case 'title.crew':
        case 'title.principals':
          return applyCredits(w, o, counts, of<CreditRecord>());
      }
    },
  };
}
