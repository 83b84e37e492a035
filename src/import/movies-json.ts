/**
 * vega-datasets' movies.json (3,201 films, BSD-3-Clause) as film records: one JSON array of
 * objects with "Title", "Release Date" ("Jun 12 1998"), "MPAA Rating", "Running Time min",
 * "Major Genre", "Director", "Distributor", the grosses and budget in US dollars, "Rotten Tomatoes
 * Rating" (0–100) and "IMDB Rating" (0–10) with "IMDB Votes". Rows that cannot be read are rejects.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FilmRecord, Reject } from './record.ts';
import type { Stream } from './run.ts';

export const MOVIES_JSON_DATASET = {
  dataset: 'vega-movies',
  title: 'vega-datasets movies.json',
  url: 'https://github.com/vega/vega-datasets/blob/main/data/movies.json',
  licence: 'BSD-3-Clause',
};

/** The movies.json shipped by the `vega-datasets` dependency, and that package's version (the snapshot). */
export function defaultMoviesJson(): { file: string; version: string } {
  const require = createRequire(import.meta.url);
  // The package exports only its build (build/index.js), not package.json: find its root from there.
  const root = path.resolve(path.dirname(require.resolve('vega-datasets')), '..');
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return { file: path.join(root, 'data', 'movies.json'), version };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Jun 12 1998" → a UTC date; null when it is not a real calendar date. */
function parseDate(text: string): Date | null {
  const m = /^([A-Z][a-z]{2}) (\d{1,2}) (\d{4})$/.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  const date = new Date(Date.UTC(Number(m[3]), month, Number(m[2])));
  return date.getUTCDate() === Number(m[2]) && date.getUTCMonth() === month ? date : null;
}

/** The 1-based line where each top-level array element starts (a small scan: strings and nesting only). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (depth === 1) lines.push(line);
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return lines;
}

type Row = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** One row as a film record, or the reason it is rejected. `maxYear`: later release years are misread two-digit years. */
export function movieRecord(row: unknown, file: string, line: number, maxYear: number): FilmRecord | string {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return 'not a JSON object';
  const r = row as Row;
  // Titles that are numbers ("1776", "300", "2012") are real titles, read as text.
  const title = typeof r['Title'] === 'number' ? String(r['Title']) : str(r['Title']);
  if (title === null) return 'no Title';
  if (title.length > 500) return 'Title longer than 500 characters';
  const dateText = str(r['Release Date']);
  if (dateText === null) return 'no Release Date';
  const date = parseDate(dateText);
  if (!date) return `Release Date "${dateText}" is not a date like "Jun 12 1998"`;
  const year = date.getUTCFullYear();
  if (year < 1870 || year > maxYear) return `Release Date "${dateText}" is after ${maxYear} (a misread two-digit year)`;
  const record: FilmRecord = {
    file,
    // movies.json has no ids: title and release date are its natural key (unique in the file).
    key: `${title}|${dateText}`,
    line,
    imdbId: null,
    facts: { title: { value: title, fields: ['Title'] }, year: { value: year, fields: ['Release Date'] } },
    ratings: [],
    money: [],
    companies: [],
    directors: [],
    release: null,
  };
  const runtime = num(r['Running Time min']);
  if (runtime !== null) {
    if (!Number.isInteger(runtime) || runtime < 1 || runtime > 1000) return `Running Time min ${runtime} is not a whole number of minutes in 1–1000`;
    record.facts.runtimeMinutes = { value: runtime, fields: ['Running Time min'] };
  }
  const genre = str(r['Major Genre']);
  if (genre !== null) record.facts.genres = { value: [genre], fields: ['Major Genre'] };
  const imdb = num(r['IMDB Rating']);
  if (imdb !== null) {
    if (imdb < 0 || imdb > 10) return `IMDB Rating ${imdb} is outside 0–10`;
    const votes = num(r['IMDB Votes']);
    if (votes !== null && (!Number.isInteger(votes) || votes < 0)) return `IMDB Votes ${votes} is not a count`;
    record.ratings.push({ source: 'IMDB', value: { value: imdb, scale: 10, votes }, fields: votes === null ? ['IMDB Rating'] : ['IMDB Rating', 'IMDB Votes'] });
  }
  const rt = num(r['Rotten Tomatoes Rating']);
  if (rt !== null) {
    if (rt < 0 || rt > 100) return `Rotten Tomatoes Rating ${rt} is outside 0–100`;
    record.ratings.push({ source: 'ROTTEN_TOMATOES', value: { value: rt, scale: 100, votes: null }, fields: ['Rotten Tomatoes Rating'] });
  }
  for (const [field, kind] of [
    ['Production Budget', 'BUDGET'],
    ['US Gross', 'GROSS_US'],
    ['Worldwide Gross', 'GROSS_WORLDWIDE'],
    ['US DVD Sales', 'DVD_SALES_US'],
  ] as const) {
    const amount = num(r[field]);
    if (amount === null) continue;
    if (!Number.isSafeInteger(amount) || amount < 0) return `${field} ${amount} is not a whole number of dollars`;
    record.money.push({ kind, value: { amount: BigInt(amount), currency: 'USD' }, fields: [field] });
  }
  const distributor = str(r['Distributor']);
  if (distributor !== null) record.companies.push({ role: 'DISTRIBUTOR', value: distributor.slice(0, 200), fields: ['Distributor'] });
  const director = str(r['Director']);
  if (director !== null) record.directors.push({ value: director.slice(0, 200), fields: ['Director'] });
  const certification = str(r['MPAA Rating']);
  record.release = {
    value: { country: 'US', date, certification },
    fields: certification === null ? ['Release Date'] : ['Release Date', 'MPAA Rating'],
  };
  return record;
}

/** Every row of a movies.json file, in order, as records or rejects (the file is 1.4 MB: read whole). */
export function* readMoviesJson(file: string, maxYear: number): Generator<{ index: number; record: FilmRecord } | { index: number; reject: Reject }> {
  const text = readFileSync(file, 'utf8');
  const rows = JSON.parse(text) as unknown;
  if (!Array.isArray(rows)) throw new Error(`${file} is not a JSON array`);
  const lines = elementLines(text);
  const name = path.basename(file);
  for (let index = 0; index < rows.length; index++) {
    const line = lines[index] ?? 0;
    const result = movieRecord(rows[index], name, line, maxYear);
    yield typeof result === 'string' ? { index, reject: { file: name, line, index, reason: result } } : { index, record: result };
  }
}

/** How many rows the file has (for progress). */
export function countMoviesJson(file: string): number {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return Array.isArray(rows) ? rows.length : 0;
}

/** The file as the one stream of an import run (its checkpoint key is the file's name). */
export const moviesJsonStreams = (file: string, maxYear: number): Stream<FilmRecord>[] => [
  { name: path.basename(file), rows: () => readMoviesJson(file, maxYear) },
];
