/**
 * IMDb's tab-separated files, streamed: node:readline over the file (through zlib's gunzip for
 * `.gz`), one line at a time, so memory stays flat whatever the size. IMDb's files are not CSV:
 * no quoting (a `"` is a character like any other), a header line, `\N` for null.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** The files an IMDb import reads, in the order it applies them: people and titles before what links them. */
export const IMDB_FILES = ['name.basics', 'title.basics', 'title.akas', 'title.ratings', 'title.crew', 'title.principals'] as const;
export type ImdbFile = (typeof IMDB_FILES)[number];

/** `<folder>/<name>.tsv.gz` or `<folder>/<name>.tsv`, whichever exists (the .gz first), or null. */
export function findImdbFile(folder: string, name: ImdbFile): string | null {
  for (const candidate of [`${name}.tsv.gz`, `${name}.tsv`]) {
    const file = path.join(folder, candidate);
    if (existsSync(file)) return file;
  }
  return null;
}

function lines(file: string) {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => input.destroy(error));
  return createInterface({ input, crlfDelay: Infinity });
}

export interface TsvLine {
  /** 1-based line of the file (the header is line 1) */
  line: number;
  /** 0-based index among the data lines */
  index: number;
  /** the line as read: `cellsOf` splits it, when it is needed (an unchanged row of a re-import is not) */
  text: string;
  header: string[];
}

/** Every data line of the file, in order. */
export async function* readTsv(file: string): AsyncGenerator<TsvLine> {
  let header: string[] | null = null;
  let line = 0;
  for await (const text of lines(file)) {
    line++;
    if (header === null) {
      header = text.split('\t');
      continue;
    }
    if (text === '') continue;
    yield { line, index: line - 2, text, header };
  }
}

/** A line's columns by header name, `\N` as null; values is null when the line has the wrong number of columns. */
export function cellsOf(text: string, header: string[]): { values: Record<string, string | null> | null; columns: number } {
  const cells = text.split('\t');
  if (cells.length !== header.length) return { values: null, columns: cells.length };
  // A plain loop: the line-by-line hot path of every import (Object.fromEntries built two arrays a line).
  const values: Record<string, string | null> = {};
  for (let i = 0; i < cells.length; i++) values[header[i]!] = cells[i] === '\\N' ? null : cells[i]!;
  return { values, columns: cells.length };
}

/** How many data lines the file has (a streamed pass, for the progress bar's total). */
export async function countTsv(file: string): Promise<number> {
  let n = -1;
  for await (const text of lines(file)) if (text !== '') n++;
  return Math.max(n, 0);
}
