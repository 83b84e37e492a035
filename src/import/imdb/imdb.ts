/**
 * `npm run import -- imdb <folder>`: IMDb's dataset files (docs/importing.md#formats) as the streams of
 * an import run, in IMDB_FILES order, each applied a batch at a time by the bulk appliers
 * (entities.ts for people and films, links.ts for what links them).
 */
import type { Writer } from '../../schema/write/run.ts';
import type { ApplyOptions } from '../rules.ts';
import { emptyCounts } from '../rules.ts';
import type { BatchApplier, Row, Stream } from '../run.ts';
import { applyEntities, FILMS, PEOPLE, type Incoming } from './entities.ts';
import { applyAkas, applyCredits, applyRatings } from './links.ts';
import { imdbRecord, type AkaRecord, type CreditRecord, type ImdbRecord, type NameRecord, type RatingRecord, type TitleRecord } from './rows.ts';
import { countTsv, findImdbFile, IMDB_FILES, readTsv, type ImdbFile } from './tsv.ts';

export const IMDB_DATASET = {
  dataset: 'imdb',
  title: 'IMDb non-commercial datasets',
  url: 'https://developer.imdb.com/non-commercial-datasets/',
  licence: 'IMDb non-commercial licence',
};

async function* rowsOf(file: string, name: ImdbFile, maxYear: number): AsyncGenerator<Row<ImdbRecord>> {
  for await (const { line, index, values, columns, header } of readTsv(file)) {
    const result =
      values === null ? `expected ${header.length} tab-separated columns, found ${columns}` : imdbRecord(name, values, { file: name, line }, maxYear);
    yield typeof result === 'string' ? { index, reject: { file: name, line, index, reason: result } } : { index, record: result };
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
export function imdbApplier(w: Writer, o: ApplyOptions, stream: string): BatchApplier<ImdbRecord> {
  const counts = emptyCounts();
  return {
    counts,
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
          );
        case 'title.basics':
          return applyEntities(
            w,
            o,
            counts,
            FILMS,
            of<TitleRecord>().map((r) => entity(r.index, r.record)),
          );
        case 'title.akas':
          return applyAkas(w, o, counts, of<AkaRecord>());
        case 'title.ratings':
          return applyRatings(w, o, counts, of<RatingRecord>());
        case 'title.crew':
        case 'title.principals':
          return applyCredits(w, o, counts, of<CreditRecord>());
      }
    },
  };
}
