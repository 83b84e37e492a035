/** What a dataset row becomes before it is applied: a film record with each value's record fields, or a reject with its reason. */
import type { CompanyRole, MoneyKind, RatingSource, TitleType } from '../generated/prisma/enums.ts';

/** A value and the record's fields (columns) that state it. */
export interface Stated<T> {
  value: T;
  fields: string[];
}

export interface FilmFacts {
  title?: Stated<string>;
  originalTitle?: Stated<string>;
  year?: Stated<number>;
  runtimeMinutes?: Stated<number>;
  genres?: Stated<string[]>;
  titleType?: Stated<TitleType>;
}

/** One film of a dataset, as the applier (apply.ts) takes it. */
export interface FilmRecord {
  file: string;
  /** The record's key within the file: its external id, or for a dataset without ids its natural key. */
  key: string;
  /** 1-based line of the file where the record starts. */
  line: number;
  imdbId: string | null;
  facts: FilmFacts;
  ratings: (Stated<{ value: number; scale: number; votes: number | null }> & { source: RatingSource })[];
  money: (Stated<{ amount: bigint; currency: string }> & { kind: MoneyKind })[];
  companies: (Stated<string> & { role: CompanyRole })[];
  /** People credited as director, by name (matched by the name rule: docs/importing.md#matching). */
  directors: Stated<string>[];
  release: Stated<{ country: string; date: Date; certification: string | null }> | null;
}

/** A row that could not be imported: where it is and why (a line of the rejects report). */
export interface Reject {
  file: string;
  line: number;
  index: number;
  reason: string;
}
