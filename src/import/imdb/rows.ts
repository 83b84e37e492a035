/**
 * IMDb rows as records (what the bulk applier takes) or rejects with their reason. Each file's
 * key is its natural key: nconst, tconst, or tconst/ordering for title.akas and title.principals.
 */
import type { CreditKind, Department, TitleType } from '../../generated/prisma/enums.ts';
import type { FilmFacts } from '../record.ts';
import type { ImdbFile } from './tsv.ts';

interface Base {
  file: string;
  line: number;
  key: string;
}
export type NameRecord = Base & { type: 'name'; nconst: string; name: string };
export type TitleRecord = Base & { type: 'title'; tconst: string; facts: FilmFacts };
export type AkaRecord = Base & { type: 'aka'; tconst: string; title: string; region: string; language: string; types: string[]; fields: string[] };
export type RatingRecord = Base & { type: 'rating'; tconst: string; value: number; votes: number };
export interface CreditSpec {
  nconst: string;
  kind: CreditKind;
  department: Department;
  job: string;
  character: string;
  billingOrder: number | null;
  fields: string[];
}
export type CreditRecord = Base & { type: 'credit'; tconst: string; credits: CreditSpec[] };
export type ImdbRecord = NameRecord | TitleRecord | AkaRecord | RatingRecord | CreditRecord;

const TITLE_TYPES: Record<string, TitleType> = {
  movie: 'FEATURE',
  short: 'SHORT',
  tvMovie: 'TV_MOVIE',
  tvSeries: 'TV_SERIES',
  tvMiniSeries: 'TV_MINI_SERIES',
  tvEpisode: 'TV_EPISODE',
  tvSpecial: 'TV_SPECIAL',
  tvShort: 'TV_SHORT',
  video: 'VIDEO',
  videoGame: 'VIDEO_GAME',
};

/** title.principals' categories as credits; any other category is a crew credit of department CREW, its job the category. */
const CATEGORIES: Record<string, { kind: CreditKind; department: Department; job: string }> = {
  actor: { kind: 'CAST', department: 'ACTING', job: 'Actor' },
  // The catalogue's cast credits are all job "Actor" (the credit key includes the job): an actress too.
  actress: { kind: 'CAST', department: 'ACTING', job: 'Actor' },
  self: { kind: 'CAST', department: 'ACTING', job: 'Self' },
  director: { kind: 'CREW', department: 'DIRECTING', job: 'Director' },
  writer: { kind: 'CREW', department: 'WRITING', job: 'Writer' },
  producer: { kind: 'CREW', department: 'PRODUCTION', job: 'Producer' },
  composer: { kind: 'CREW', department: 'SOUND', job: 'Composer' },
  cinematographer: { kind: 'CREW', department: 'CAMERA', job: 'Cinematographer' },
  editor: { kind: 'CREW', department: 'EDITING', job: 'Editor' },
  production_designer: { kind: 'CREW', department: 'ART', job: 'Production Designer' },
  casting_director: { kind: 'CREW', department: 'PRODUCTION', job: 'Casting Director' },
};

const TCONST = /^tt\d{1,12}$/;
const NCONST = /^nm\d{1,12}$/;
const MAX_TEXT = 500;

type Values = Record<string, string | null>;

function whole(text: string | null, name: string, min: number, max: number): number | null | string {
  if (text === null) return null;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) return `${name} "${text}" is not a whole number in ${min}–${max}`;
  return Number(text);
}

function nameRecord(v: Values, base: Omit<Base, 'key'>): NameRecord | string {
  const nconst = v['nconst'];
  if (!nconst || !NCONST.test(nconst)) return `nconst "${nconst ?? ''}" is not an IMDb name id`;
  const name = v['primaryName']?.trim();
  if (!name) return 'no primaryName';
  if (name.length > MAX_TEXT) return `primaryName longer than ${MAX_TEXT} characters`;
  return { ...base, type: 'name', key: nconst, nconst, name };
}

function titleRecord(v: Values, base: Omit<Base, 'key'>, maxYear: number): TitleRecord | string {
  const tconst = v['tconst'];
  if (!tconst || !TCONST.test(tconst)) return `tconst "${tconst ?? ''}" is not an IMDb title id`;
  const title = v['primaryTitle']?.trim();
  if (!title) return 'no primaryTitle';
  if (title.length > MAX_TEXT) return `primaryTitle longer than ${MAX_TEXT} characters`;
  const type = v['titleType'] ? TITLE_TYPES[v['titleType']] : undefined;
  if (!type) return `titleType "${v['titleType'] ?? ''}" is not one of ${Object.keys(TITLE_TYPES).join(', ')}`;
  const facts: FilmFacts = { title: { value: title, fields: ['primaryTitle'] }, titleType: { value: type, fields: ['titleType'] } };
  const original = v['originalTitle']?.trim();
  if (original && original !== title && original.length <= MAX_TEXT) facts.originalTitle = { value: original, fields: ['originalTitle'] };
  const year = whole(v['startYear'] ?? null, 'startYear', 1870, maxYear);
  if (typeof year === 'string') return year;
  if (year !== null) facts.year = { value: year, fields: ['startYear'] };
  const runtime = whole(v['runtimeMinutes'] ?? null, 'runtimeMinutes', 1, 32767);
  if (typeof runtime === 'string') return runtime;
  if (runtime !== null) facts.runtimeMinutes = { value: runtime, fields: ['runtimeMinutes'] };
  const genres = (v['genres'] ?? '').split(',').filter(Boolean);
  if (genres.length) facts.genres = { value: genres, fields: ['genres'] };
  return { ...base, type: 'title', key: tconst, tconst, facts };
}

function akaRecord(v: Values, base: Omit<Base, 'key'>): AkaRecord | string {
  const tconst = v['titleId'];
  if (!tconst || !TCONST.test(tconst)) return `titleId "${tconst ?? ''}" is not an IMDb title id`;
  const ordering = whole(v['ordering'] ?? null, 'ordering', 1, 1_000_000);
  if (typeof ordering !== 'number') return ordering ?? 'no ordering';
  const title = v['title']?.trim();
  if (!title) return 'no title';
  if (title.length > MAX_TEXT) return `title longer than ${MAX_TEXT} characters`;
  const region = v['region'] ?? '';
  const language = v['language'] ?? '';
  // IMDb documents `types` as an array; the files hold one value or several joined by \x02.
  const types = (v['types'] ?? '')
    .split(String.fromCharCode(2))
    .flatMap((t) => t.split(','))
    .filter(Boolean);
  const fields = ['title', ...(region ? ['region'] : []), ...(language ? ['language'] : []), ...(types.length ? ['types'] : [])];
  return { ...base, type: 'aka', key: `${tconst}/${ordering}`, tconst, title, region, language, types, fields };
}

function ratingRecord(v: Values, base: Omit<Base, 'key'>): RatingRecord | string {
  const tconst = v['tconst'];
  if (!tconst || !TCONST.test(tconst)) return `tconst "${tconst ?? ''}" is not an IMDb title id`;
  const value = Number(v['averageRating']);
  if (v['averageRating'] === null || !Number.isFinite(value) || value < 0 || value > 10) return `averageRating "${v['averageRating'] ?? ''}" is outside 0–10`;
  const votes = whole(v['numVotes'] ?? null, 'numVotes', 0, 2_147_483_647);
  if (typeof votes !== 'number') return votes ?? 'no numVotes';
  return { ...base, type: 'rating', key: tconst, tconst, value, votes };
}

function crewRecord(v: Values, base: Omit<Base, 'key'>): CreditRecord | string {
  const tconst = v['tconst'];
  if (!tconst || !TCONST.test(tconst)) return `tconst "${tconst ?? ''}" is not an IMDb title id`;
  const credits: CreditSpec[] = [];
  for (const [column, department, job] of [
    ['directors', 'DIRECTING', 'Director'],
    ['writers', 'WRITING', 'Writer'],
  ] as const) {
    for (const nconst of (v[column] ?? '').split(',').filter(Boolean)) {
      if (!NCONST.test(nconst)) return `${column}: "${nconst}" is not an IMDb name id`;
      credits.push({ nconst, kind: 'CREW', department, job, character: '', billingOrder: null, fields: [column] });
    }
  }
  return { ...base, type: 'credit', key: tconst, tconst, credits };
}

function principalRecord(v: Values, base: Omit<Base, 'key'>): CreditRecord | string {
  const tconst = v['tconst'];
  if (!tconst || !TCONST.test(tconst)) return `tconst "${tconst ?? ''}" is not an IMDb title id`;
  const ordering = whole(v['ordering'] ?? null, 'ordering', 1, 32767);
  if (typeof ordering !== 'number') return ordering ?? 'no ordering';
  const nconst = v['nconst'];
  if (!nconst || !NCONST.test(nconst)) return `nconst "${nconst ?? ''}" is not an IMDb name id`;
  const category = v['category'];
  if (!category) return 'no category';
  let characters: string[] = [];
  if (v['characters'] !== null && v['characters'] !== undefined) {
    try {
      const parsed = JSON.parse(v['characters']) as unknown;
      if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'string')) throw new Error();
      characters = parsed as string[];
    } catch {
      return `characters ${JSON.stringify(v['characters'])} is not a JSON array of names`;
    }
  }
  const role = CATEGORIES[category] ?? { kind: 'CREW' as const, department: 'CREW' as const, job: category };
  const job = (v['job'] ?? role.job).slice(0, 200);
  const character = role.kind === 'CAST' ? characters.join(' / ').slice(0, MAX_TEXT) : '';
  const fields = ['nconst', 'category', ...(v['job'] ? ['job'] : []), ...(character ? ['characters'] : [])];
  return {
    ...base,
    type: 'credit',
    key: `${tconst}/${ordering}`,
    tconst,
    credits: [{ nconst, ...role, job, character, billingOrder: role.kind === 'CAST' ? ordering : null, fields }],
  };
}

/** One data line of `file` as a record, or the reason it is rejected. */
export function imdbRecord(file: ImdbFile, values: Values, base: Omit<Base, 'key'>, maxYear: number): ImdbRecord | string {
  switch (file) {
    case 'name.basics':
      return nameRecord(values, base);
    case 'title.basics':
      return titleRecord(values, base, maxYear);
    case 'title.akas':
      return akaRecord(values, base);
    case 'title.ratings':
      return ratingRecord(values, base);
    case 'title.crew':
      return crewRecord(values, base);
    case 'title.principals':
      return principalRecord(values, base);
  }
}
