/** The film writes: createFilm, updateFilm and deleteFilm on a Writer, their zod schemas, and Film's revert hooks. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import type { Prisma } from '../../generated/prisma/client.ts';
import { EXTERNAL_ID_FORMATS, INT4_MAX, MAX_ID_LENGTH } from '../external-id.ts';
import { citationsSchema, citeFacts } from '../write/cite.ts';
import { changedFields, type Json } from '../write/diff.ts';
import { checkVersion, deleteVersioned, registerEditable, updateVersioned } from '../write/entities.ts';
import { globalId, noteSchema, versionSchema } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { userText } from '../write/write.ts';
import { FILM_FACTS, FILM_FIELDS, slugify } from './facts.ts';

type FilmField = (typeof FILM_FIELDS)[number];

const FILM_SELECT = Object.fromEntries([...FILM_FIELDS, 'id', 'version'].map((f) => [f, true])) as Record<FilmField | 'id' | 'version', true>;

const externalId = (source: 'IMDB' | 'WIKIDATA') => {
  const { pattern, example } = EXTERNAL_ID_FORMATS.film[source];
  return z.string().max(MAX_ID_LENGTH, `at most ${MAX_ID_LENGTH} characters`).regex(pattern, `not a valid ${source} film id (expected e.g. "${example}")`);
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Each fact as it may be set; nullable facts may be erased with null in an update. */
const facts = {
  title: userText('title', 1, 500),
  originalTitle: userText('originalTitle', 1, 500).nullable(),
  year: z.number().int().min(1870, 'year must be between 1870 and 2200').max(2200, 'year must be between 1870 and 2200').nullable(),
  synopsis: userText('synopsis', 1, 10_000).nullable(),
  genres: z
    .array(userText('genre', 1, 50))
    .max(20, 'genres lists at most 20 genres')
    .refine((g) => new Set(g).size === g.length, 'genres must not repeat a genre'),
  runtimeMinutes: z.number().int().min(1, 'runtimeMinutes must be between 1 and 1000').max(1_000, 'runtimeMinutes must be between 1 and 1000').nullable(),
  slug: z.string().max(100, 'slug is at most 100 characters').regex(SLUG, 'slug is lower-case letters and digits in words joined by single hyphens'),
  imdbId: externalId('IMDB').nullable(),
  tmdbId: z.number().int().min(1, 'tmdbId must be a positive integer').max(INT4_MAX, `tmdbId is at most ${INT4_MAX}`).nullable(),
  wikidataId: externalId('WIKIDATA').nullable(),
};

export const createFilmSchema = z.object({
  ...facts,
  originalTitle: facts.originalTitle.optional(),
  year: facts.year.optional(),
  synopsis: facts.synopsis.optional(),
  genres: facts.genres.nullish(),
  runtimeMinutes: facts.runtimeMinutes.optional(),
  slug: facts.slug.nullish(),
  imdbId: facts.imdbId.optional(),
  tmdbId: facts.tmdbId.optional(),
  wikidataId: facts.wikidataId.optional(),
  citations: citationsSchema,
  note: noteSchema,
  idempotencyKey: z.string().nullish(),
});

export const updateFilmSchema = z
  .object({
    id: globalId('Film'),
    version: versionSchema,
    ...Object.fromEntries(FILM_FIELDS.map((f) => [f, facts[f].optional()])),
    citations: citationsSchema,
    note: noteSchema,
  })
  .refine((input) => FILM_FIELDS.some((f) => (input as Record<string, unknown>)[f] !== undefined), {
    message: `give at least one of: ${FILM_FIELDS.join(', ')}`,
  }) as z.ZodType<{ id: number; version: number; citations: z.output<typeof citationsSchema>; note?: string | null } & Partial<FilmValues>>;

export const deleteFilmSchema = z.object({ id: globalId('Film'), version: versionSchema, note: noteSchema });

type FilmValues = { [F in FilmField]: z.output<(typeof facts)[F]> };

/** The slug of a new film without one: the title's, else with its year, else numbered (one statement). */
async function freeSlug(w: Writer, title: string, year: number | null | undefined): Promise<string> {
  const base = slugify(title);
  const taken = new Set((await w.tx.film.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((f) => f.slug));
  const candidates = [base, ...(year ? [`${base}-${year}`] : [])];
  for (let n = 2; candidates.every((c) => taken.has(c)); n++) candidates.push(`${base}-${n}`);
  return candidates.find((c) => !taken.has(c))!;
}

export async function createFilm(w: Writer, input: z.output<typeof createFilmSchema>): Promise<{ film: number }> {
  const values: FilmValues = {
    title: input.title,
    originalTitle: input.originalTitle ?? null,
    year: input.year ?? null,
    synopsis: input.synopsis ?? null,
    genres: input.genres ?? [],
    runtimeMinutes: input.runtimeMinutes ?? null,
    imdbId: input.imdbId ?? null,
    tmdbId: input.tmdbId ?? null,
    wikidataId: input.wikidataId ?? null,
    slug: input.slug ?? (await freeSlug(w, input.title, input.year)),
  };
  const film = await w.tx.film.create({ data: values, select: { id: true } });
  const set = FILM_FACTS.filter((f) => values[f] !== null && !(Array.isArray(values[f]) && values[f].length === 0));
  const citationIds = await citeFacts(w, input.citations, FILM_FACTS, set, { filmId: film.id });
  w.revise('Film', film.id, 'CREATE', { before: null, after: values, fields: FILM_FIELDS }, citationIds);
  return { film: film.id };
}

/** Sets the given facts (omitted ones stay; unchanged ones are neither cited nor revised). */
export async function updateFilm(w: Writer, input: z.output<typeof updateFilmSchema>): Promise<{ film: number }> {
  const film = checkVersion(w, 'Film', await w.tx.film.findUnique({ where: { id: input.id }, select: FILM_SELECT }), input.version);
  const changed = changedFields(film, input, FILM_FIELDS);
  const citationIds = await citeFacts(
    w,
    input.citations,
    FILM_FACTS,
    changed.filter((f) => f !== 'slug'),
    { filmId: film.id },
  );
  if (changed.length === 0) return { film: film.id };
  const data = Object.fromEntries(changed.map((f) => [f, input[f]])) as Partial<FilmValues>;
  await updateVersioned(w, 'Film', film.id, input.version, data);
  w.revise('Film', film.id, 'UPDATE', { before: film, after: { ...film, ...data }, fields: FILM_FIELDS }, citationIds);
  return { film: film.id };
}

/** Columns of a row a DELETE revision keeps: its scalars, minus bookkeeping (and a review's loaded quotes). */
const snapshot = (row: Record<string, unknown>) => ({
  before: row,
  after: null,
  fields: Object.keys(row).filter((k) => !['id', 'createdAt', 'updatedAt', 'version', 'quotes'].includes(k)),
});

/**
 * Deletes a film and what it takes with it (database cascades): credits, releases, reviews with
 * their quotes, and the citations of all of those. Each gets a DELETE revision, so the feed
 * tells caches about every record that went; the people, outlets, critics and sources they
 * pointed at are invalidated (their lists changed). Returns the global ids of everything deleted.
 */
export async function deleteFilm(w: Writer, id: number, version: number, revertOfId: number | null = null): Promise<string[]> {
  const film = checkVersion(
    w,
    'Film',
    await w.tx.film.findUnique({
      where: { id },
      select: { ...FILM_SELECT, credits: true, releases: true, reviews: { include: { quotes: true } } },
    }),
    version,
  );
  const { credits, releases, reviews } = film;
  const quotes = reviews.flatMap((r) => r.quotes);
  const citations = await w.tx.citation.findMany({
    where: {
      OR: [
        { filmId: id },
        { creditId: { in: credits.map((c) => c.id) } },
        { releaseId: { in: releases.map((r) => r.id) } },
        { reviewId: { in: reviews.map((r) => r.id) } },
        { reviewQuoteId: { in: quotes.map((q) => q.id) } },
      ],
    },
  });
  await deleteVersioned(w, 'Film', id, version);
  w.revise('Film', id, 'DELETE', { before: film, after: null, fields: FILM_FIELDS }, [], revertOfId);
  const children: [string, Record<string, unknown> & { id: number }][] = [
    ...credits.map((c) => ['Credit', c] as [string, typeof c]),
    ...releases.map((r) => ['Release', r] as [string, typeof r]),
    ...reviews.map((r) => ['Review', r] as [string, typeof r]),
    ...quotes.map((q) => ['ReviewQuote', q] as [string, typeof q]),
    ...citations.map((c) => ['Citation', c] as [string, typeof c]),
  ];
  for (const [type, row] of children) w.revise(type, row.id, 'DELETE', snapshot(row));
  for (const c of credits) w.touched('Person', c.personId);
  for (const r of reviews) {
    w.touched('Publication', r.publicationId);
    if (r.criticId !== null) w.touched('Critic', r.criticId);
  }
  for (const c of citations) w.touched('Source', c.sourceId);
  return [['Film', id] as const, ...children.map(([type, row]) => [type, row.id] as const)].map(([type, rowId]) => encodeGlobalID(type, rowId));
}

registerEditable({
  typename: 'Film',
  facts: FILM_FIELDS,
  async restore(w, id, version, values, revertOfId) {
    const film = checkVersion(w, 'Film', await w.tx.film.findUnique({ where: { id }, select: FILM_SELECT }), version);
    const restored = Object.fromEntries(Object.entries(values).filter(([f]) => (FILM_FIELDS as readonly string[]).includes(f))) as Record<FilmField, Json>;
    const changed = changedFields(film, restored, FILM_FIELDS);
    if (changed.length === 0) return;
    const data = Object.fromEntries(changed.map((f) => [f, restored[f]])) as Prisma.FilmUpdateInput;
    await updateVersioned(w, 'Film', id, version, data);
    w.revise('Film', id, 'REVERT', { before: film, after: { ...film, ...data }, fields: FILM_FIELDS }, [], revertOfId);
  },
  async remove(w, id, version, revertOfId) {
    await deleteFilm(w, id, version, revertOfId);
  },
});
