/** What accepting a review, a genre, a runtime, an external id or a certification writes (createReview, createPublication, createCritic, updateFilm, updateRelease). Sibling of accept-writes.ts. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ReviewValues } from '../../ingest/types.ts';
import { updateFilm, updateFilmSchema } from '../film/edit.ts';
import { updateRelease, updateReleaseSchema } from '../release/edit.ts';
import { createReview, createReviewSchema } from '../review/edit.ts';
import { createCritic, createCriticSchema, createPublication, createPublicationSchema } from '../review/outlet-edit.ts';
import type { Writer } from '../write/run.ts';
import {
  excerptsOf,
  requireDependency,
  resolvedId,
  through,
  type AcceptResult,
  type Cite,
  type Dependencies,
  type Edits,
  type FieldMap,
  type ProposalRow,
  type SourceRow,
} from './accept-input.ts';

/** The outlet of a review: the one the proposal resolved to (unless edited), else the catalogue's of that name, else a new one cited to the excerpt. */
async function publicationOf(w: Writer, row: ProposalRow, values: ReviewValues, edits: Edits, cite: Cite): Promise<number> {
  if (values.publication == null)
    w.fail('INVALID', `${row.key}: the quotation is attributed to no publication; give edits.publication.`, ['input', 'edits', 'publication']);
  const resolved = 'publication' in edits ? null : resolvedId(values.publicationResolution, 'Publication');
  if (resolved !== null && (await w.tx.publication.findUnique({ where: { id: resolved }, select: { id: true } }))) return resolved;
  const named = await w.tx.publication.findFirst({
    where: { name: { equals: values.publication, mode: 'insensitive' } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  if (named) return named.id;
  const raw = { name: values.publication, citations: cite({ fields: ['name'] }) };
  return (await through(row, { name: 'publication' }, createPublicationSchema, raw, (input) => createPublication(w, input))).publication;
}

/** The critic of a review: the catalogue's of that name, else a new one writing for the outlet. */
async function criticOf(w: Writer, row: ProposalRow, name: string, publicationId: number, cite: Cite): Promise<number> {
  const named = await w.tx.critic.findFirst({ where: { name: { equals: name, mode: 'insensitive' } }, select: { id: true }, orderBy: { id: 'asc' } });
  if (named) return named.id;
  const raw = { name, publicationIds: [encodeGlobalID('Publication', publicationId)], citations: cite({ fields: ['name', 'publicationIds'] }) };
  return (await through(row, { name: 'critic' }, createCriticSchema, raw, (input) => createCritic(w, input))).critic;
}

/**
 * A review of the film by the outlet, with its critic, rating and quotes, each quote cited to an
 * excerpt of the proposal that contains it (an edited quote: the quote itself, which must then
 * occur verbatim in the source). The film's existing review by the outlet is the result.
 */
export async function writeReview(w: Writer, source: SourceRow, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
  const filmId = requireDependency(row, deps.film, 'Film');
  const values = { ...(row.values as ReviewValues), ...edits } as ReviewValues;
  const publicationId = await publicationOf(w, row, values, edits, cite);
  const existing = await w.tx.review.findFirst({ where: { filmId, publicationId }, select: { id: true }, orderBy: { id: 'asc' } });
  if (existing) return { type: 'Review', id: existing.id };
  const criticId = values.critic == null ? null : await criticOf(w, row, values.critic, publicationId, cite);
  const excerpts = excerptsOf(row);
  const quotes = values.quotes.map((quote) => {
    const within = excerpts.find((e) => e.text.includes(quote));
    const at = within ?? { start: Math.max(0, source.text.indexOf(quote)), end: 0, text: quote };
    return { text: quote, citations: cite({ excerpts: [at] }) };
  });
  const raw = {
    filmId: encodeGlobalID('Film', filmId),
    publicationId: encodeGlobalID('Publication', publicationId),
    criticId: criticId === null ? undefined : encodeGlobalID('Critic', criticId),
    originalScore: values.rating?.value,
    scoreScale: values.rating?.scale,
    quotes,
    citations: cite(),
  };
  const fields = { quotes: 'quotes', originalScore: 'rating', scoreScale: 'rating' };
  return { type: 'Review', id: (await through(row, fields, createReviewSchema, raw, (input) => createReview(w, input))).review };
}

/** A genre added to the film, its runtime, or one of its external ids: updateFilm, citing the changed fact. */
export async function writeFilmFact(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
  const filmId = requireDependency(row, deps.film, 'Film');
  const film = await w.tx.film.findUnique({ where: { id: filmId }, select: { id: true, version: true, genres: true } });
  if (!film) w.fail('NOT_FOUND', `${row.key}: its film no longer exists.`, ['input', 'id']);
  const values = { ...(row.values as Record<string, unknown>), ...edits };
  let change: Record<string, unknown>;
  let fields: FieldMap;
  if (row.kind === 'GENRE') {
    const genre = values['genre'] as string;
    if (film.genres.includes(genre)) return { type: 'Film', id: film.id };
    change = { genres: [...film.genres, genre] };
    fields = { genres: 'genre' };
  } else if (row.kind === 'RUNTIME') {
    change = { runtimeMinutes: values['minutes'] };
    fields = { runtimeMinutes: 'minutes' };
  } else {
    const source = values['source'] as 'IMDB' | 'TMDB' | 'WIKIDATA';
    const field = source === 'IMDB' ? 'imdbId' : source === 'TMDB' ? 'tmdbId' : 'wikidataId';
    const value = values['value'] as string;
    change = { [field]: source === 'TMDB' && /^\d+$/.test(value) ? Number(value) : value };
    fields = { [field]: 'value' };
  }
  const raw = { id: encodeGlobalID('Film', film.id), version: film.version, ...change, citations: cite({ fields: Object.keys(change) }) };
  await through(row, fields, updateFilmSchema, raw, (input) => updateFilm(w, input));
  return { type: 'Film', id: film.id };
}

/**
 * An age rating is stored on a release (Release.certification): the film's release in the
 * rating's country, a theatrical one first. Without one there is nothing to attach it to yet.
 */
export async function writeCertification(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
  const filmId = requireDependency(row, deps.film, 'Film');
  const values = { ...(row.values as { country: string | null; rating: string }), ...edits } as { country: string | null; rating: string };
  if (values.country == null) w.fail('INVALID', `${row.key}: the rating board is not known; give edits.country.`, ['input', 'edits', 'country']);
  const country = values.country.toUpperCase();
  const releases = await w.tx.release.findMany({
    where: { filmId, country },
    select: { id: true, version: true, type: true },
    orderBy: [{ date: 'asc' }, { id: 'asc' }],
  });
  const release = releases.find((r) => r.type === 'THEATRICAL') ?? releases[0];
  if (!release) {
    w.fail(
      'DEPENDENCY_NOT_ACCEPTED',
      `${row.key}: a certification is stored on a release, and the film has no release in ${country}; accept or add one first.`,
      ['input', 'id'],
    );
  }
  const raw = {
    id: encodeGlobalID('Release', release.id),
    version: release.version,
    certification: values.rating,
    citations: cite({ fields: ['certification'] }),
  };
  await through(row, { certification: 'rating' }, updateReleaseSchema, raw, (input) => updateRelease(w, input));
  return { type: 'Release', id: release.id };
}
