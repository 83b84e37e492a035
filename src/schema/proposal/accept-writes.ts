/**
 * What accepting one proposal writes, per kind, through the entity writes of the write API
 * (createFilm, createPerson, createPersonAlias, createCredit, createRelease, createReview,
 * updateFilm, updateRelease…): the proposed values with the editor's `edits` over them, validated
 * by the same zod schemas as the mutations, cited to the proposal's excerpts (STATED or INFERRED,
 * the reason as the citation's note). Siblings: accept.ts (the proposal's lifecycle, dependencies, bulk).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import { decodeGlobalID } from '../../builder.ts';
import type { ProposalKind } from '../../generated/prisma/enums.ts';
import type { AliasValues, CastCreditValues, CrewCreditValues, Excerpt, FilmValues, PersonValues, ReleaseValues, ReviewValues } from '../../ingest/types.ts';
import { createCredit, createCreditSchema } from '../credit/edit.ts';
import { createFilm, createFilmSchema, updateFilm, updateFilmSchema } from '../film/edit.ts';
import { createPerson, createPersonAlias, createPersonAliasSchema, createPersonSchema, updatePerson, updatePersonSchema } from '../person/edit.ts';
import { createRelease, createReleaseSchema, updateRelease, updateReleaseSchema } from '../release/edit.ts';
import { createReview, createReviewSchema } from '../review/edit.ts';
import { createCritic, createCriticSchema, createPublication, createPublicationSchema } from '../review/outlet-edit.ts';
import { parseInput } from '../write/input.ts';
import type { Writer } from '../write/run.ts';
import { UserErrorException, type UserError } from '../write/write.ts';

/** What an accepted proposal wrote or resolved to: a node of the API. */
export interface AcceptResult {
  type: 'Film' | 'Person' | 'Credit' | 'Release' | 'Review';
  id: number;
}

/** The proposal as accept reads it. */
export interface ProposalRow {
  id: number;
  sourceId: number;
  key: string;
  kind: ProposalKind;
  values: unknown;
  support: 'STATED' | 'INFERRED';
  reason: string;
  confidence: number;
  excerpt: string;
  start: number;
  end: number;
  alsoCited: unknown;
  refs: unknown;
  status: 'PENDING' | 'ACCEPTED' | 'REJECTED';
  version: number;
  resultType: string | null;
  resultId: number | null;
}

export interface SourceRow {
  id: number;
  text: string;
}

/** The entities a proposal's `refs` resolved to (its accepted dependencies). */
export interface Dependencies {
  film?: AcceptResult;
  person?: AcceptResult;
}

const text = z.string({ error: 'must be a string' });
const int = z.number({ error: 'must be an integer' }).int('must be an integer');

/** What `edits` may override, per kind (unknown keys are refused); values are then checked by the entity's own schema. */
const EDITS = {
  FILM: z.strictObject({ title: text.optional(), year: int.nullable().optional() }),
  PERSON: z.strictObject({ name: text.optional() }),
  ALIAS: z.strictObject({ name: text.optional() }),
  CAST_CREDIT: z.strictObject({ character: text.nullable().optional(), voice: z.boolean().optional(), billingOrder: int.nullable().optional() }),
  CREW_CREDIT: z.strictObject({ job: text.optional(), department: text.optional() }),
  RELEASE: z.strictObject({ country: text.optional(), date: text.optional(), type: text.optional() }),
  REVIEW: z.strictObject({
    publication: text.optional(),
    critic: text.nullable().optional(),
    quotes: z.array(text).optional(),
    rating: z.strictObject({ value: z.number(), scale: z.number() }).nullable().optional(),
  }),
  GENRE: z.strictObject({ genre: text.optional() }),
  CERTIFICATION: z.strictObject({ country: text.optional(), rating: text.optional() }),
  RUNTIME: z.strictObject({ minutes: int.optional() }),
  EXTERNAL_ID: z.strictObject({ source: z.enum(['IMDB', 'TMDB', 'WIKIDATA']).optional(), value: text.optional() }),
} satisfies Record<ProposalKind, z.ZodType>;

export type Edits = Record<string, unknown>;

/** `edits` checked against the proposal's kind: INVALID at ["input", "edits", key] for an unknown key or a value of the wrong type. */
export function parseEdits(kind: ProposalKind, edits: unknown): Edits {
  const parsed = EDITS[kind].safeParse(edits ?? {});
  if (parsed.success) return parsed.data as Edits;
  const known = Object.keys(EDITS[kind].shape).join(', ');
  throw new UserErrorException(
    parsed.error.issues.flatMap((issue): UserError[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({
            field: ['input', 'edits', key],
            code: 'INVALID',
            message: `${key} is not a value of a ${kind} proposal (edit: ${known})`,
          }))
        : [{ field: ['input', 'edits', ...issue.path.map(String)], code: 'INVALID', message: issue.message }],
    ),
  );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An entity write's input field → the key of `edits` that sets it. */
type FieldMap = Record<string, string>;
const same = (...fields: string[]): FieldMap => Object.fromEntries(fields.map((f) => [f, f]));

/**
 * An entity write's user errors, as the accepting mutation's: a path at one of the entity's
 * input fields the editor can override points into `edits`; any other names the proposal.
 * Messages name the proposal's key (bulk and dependency acceptance report several).
 */
function repath(key: string, fields: FieldMap, errors: UserError[]): UserError[] {
  return errors.map((e) => {
    const [root, name, ...rest] = e.field ?? [];
    const edit = root === 'input' && name !== undefined ? fields[name] : undefined;
    return { ...e, field: edit !== undefined ? ['input', 'edits', edit, ...rest] : ['input', 'id'], message: `${key}: ${e.message}` };
  });
}

/** Parses `raw` with an entity mutation's schema and runs its write; user errors of either re-pathed (repath). */
async function through<S extends z.ZodType, T>(
  row: ProposalRow,
  fields: FieldMap,
  schema: S,
  raw: unknown,
  write: (input: z.output<S>) => Promise<T>,
): Promise<T> {
  try {
    return await write(parseInput(schema, raw, ['input']));
  } catch (error) {
    if (error instanceof UserErrorException) throw new UserErrorException(repath(row.key, fields, error.errors));
    throw error;
  }
}

/** The n-th occurrence an excerpt is at its offset: the write API locates citations by text and occurrence. */
function occurrenceAt(source: SourceRow, excerpt: Excerpt): number {
  let n = 0;
  for (let at = source.text.indexOf(excerpt.text); at >= 0 && at < excerpt.start; at = source.text.indexOf(excerpt.text, at + 1)) n++;
  return n;
}

const MAX_CITATIONS = 20;
const MAX_NOTE = 1_000;

/** The proposal's excerpts: the one that states it, then the others that do. */
function excerptsOf(row: ProposalRow): Excerpt[] {
  return [{ start: row.start, end: row.end, text: row.excerpt }, ...(row.alsoCited as Excerpt[])];
}

interface CiteOptions {
  fields?: string[];
  kind?: 'STATED' | 'INFERRED';
  note?: string;
  excerpts?: Excerpt[];
}

/**
 * CitationInputs backing the facts a proposal sets: each of its excerpts (up to the write API's
 * 20), the proposal's support as their kind and its reason as their note, plus which edited
 * values the editor changed on acceptance.
 */
function citations(source: SourceRow, row: ProposalRow, edited: readonly string[], options: CiteOptions = {}) {
  const editNote = edited.length > 0 ? ` Edited on acceptance: ${edited.join(', ')}.` : '';
  const note = `${options.note ?? row.reason}${editNote}`.slice(0, MAX_NOTE);
  return (options.excerpts ?? excerptsOf(row)).slice(0, MAX_CITATIONS).map((excerpt) => ({
    sourceId: encodeGlobalID('Source', source.id),
    excerpt: excerpt.text,
    occurrence: occurrenceAt(source, excerpt),
    kind: options.kind ?? row.support,
    note,
    ...(options.fields ? { fields: options.fields } : {}),
  }));
}

const editedKeys = (edits: Edits) => Object.keys(edits).filter((k) => edits[k] !== undefined);

/** A global ID a resolution names, as a database id of `type`, if it is one. */
function resolvedId(resolution: { status: string; match?: { id: string } } | null | undefined, type: string): number | null {
  if (resolution?.status !== 'EXISTING' || !resolution.match) return null;
  try {
    const decoded = decodeGlobalID(resolution.match.id);
    return decoded.typename === type ? Number(decoded.id) : null;
  } catch {
    return null;
  }
}

function requireDependency(row: ProposalRow, dep: AcceptResult | undefined, type: AcceptResult['type']): number {
  // accept.ts resolves every ref before this runs; a proposal without the ref cannot be written.
  if (!dep || dep.type !== type) {
    throw new UserErrorException([
      { field: ['input', 'id'], code: 'DEPENDENCY_NOT_ACCEPTED', message: `${row.key}: names no ${type.toLowerCase()} proposal to write it to.` },
    ]);
  }
  return dep.id;
}

/** Writes what one proposal states; returns the entity written (or, when the catalogue already had the fact, the one that has it). */
export async function writeProposal(w: Writer, source: SourceRow, row: ProposalRow, edits: Edits, deps: Dependencies): Promise<AcceptResult> {
  const edited = editedKeys(edits);
  const cite: Cite = (options) => citations(source, row, edited, options);
  switch (row.kind) {
    case 'FILM': {
      const values = { ...(row.values as FilmValues), ...edits } as FilmValues;
      const existing = resolvedId(values.resolution, 'Film');
      const fields = same('title', 'year');
      if (existing === null) {
        const raw = { title: values.title, year: values.year ?? undefined, citations: cite() };
        return { type: 'Film', id: (await through(row, fields, createFilmSchema, raw, (input) => createFilm(w, input))).film };
      }
      const film = await w.tx.film.findUnique({ where: { id: existing }, select: { id: true, version: true, year: true } });
      if (!film) w.fail('NOT_FOUND', `${row.key}: the film it resolved to no longer exists.`, ['input', 'id']);
      // The catalogue's title stays unless the editor retitles it; a year the proposal states is written.
      const change = {
        ...('title' in edits ? { title: values.title } : {}),
        ...(values.year != null && values.year !== film.year ? { year: values.year } : {}),
      };
      if (Object.keys(change).length > 0) {
        const raw = { id: encodeGlobalID('Film', film.id), version: film.version, ...change, citations: cite() };
        await through(row, fields, updateFilmSchema, raw, (input) => updateFilm(w, input));
      }
      return { type: 'Film', id: film.id };
    }
    case 'PERSON': {
      const values = { ...(row.values as PersonValues), ...edits } as PersonValues;
      const existing = resolvedId(values.resolution, 'Person');
      if (existing === null) {
        const raw = { name: values.name, citations: cite() };
        return { type: 'Person', id: (await through(row, same('name'), createPersonSchema, raw, (input) => createPerson(w, input))).person };
      }
      const person = await w.tx.person.findUnique({ where: { id: existing }, select: { id: true, version: true, name: true } });
      if (!person) w.fail('NOT_FOUND', `${row.key}: the person it resolved to no longer exists.`, ['input', 'id']);
      if ('name' in edits && values.name !== person.name) {
        const raw = { id: encodeGlobalID('Person', person.id), version: person.version, name: values.name, citations: cite() };
        await through(row, same('name'), updatePersonSchema, raw, (input) => updatePerson(w, input));
      }
      return { type: 'Person', id: person.id };
    }
    case 'ALIAS': {
      const values = { ...(row.values as AliasValues), ...edits } as AliasValues;
      const personId = requireDependency(row, deps.person, 'Person');
      const person = await w.tx.person.findUnique({
        where: { id: personId },
        select: { name: true, aliases: { where: { name: values.name }, select: { id: true } } },
      });
      // A spelling the person already has (as name or alias) is no new fact.
      if (person && (person.name === values.name || person.aliases.length > 0)) return { type: 'Person', id: personId };
      const raw = { personId: encodeGlobalID('Person', personId), name: values.name, citations: cite() };
      await through(row, same('name'), createPersonAliasSchema, raw, (input) => createPersonAlias(w, input));
      return { type: 'Person', id: personId };
    }
    case 'CAST_CREDIT':
    case 'CREW_CREDIT':
      return writeCredit(w, row, edits, deps, cite);
    case 'RELEASE':
      return writeRelease(w, row, edits, deps, cite);
    case 'REVIEW':
      return writeReview(w, source, row, edits, deps, cite);
    case 'GENRE':
    case 'RUNTIME':
    case 'EXTERNAL_ID':
      return writeFilmFact(w, row, edits, deps, cite);
    case 'CERTIFICATION':
      return writeCertification(w, row, edits, deps, cite);
  }
}

type Cite = (options?: CiteOptions) => ReturnType<typeof citations>;

/**
 * A credit. A STATED cast credit gets a billing order: its place among the source's STATED cast
 * credits of the film, in text order (the seed's rule: the order in which the article
 * introduces the cast), cited INFERRED; `edits.billingOrder` overrides it (null: none).
 * The catalogue's identical credit, if it has one, is the result and nothing is written.
 */
async function writeCredit(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
  const filmId = requireDependency(row, deps.film, 'Film');
  const personId = requireDependency(row, deps.person, 'Person');
  let raw: Record<string, unknown>;
  let fields: FieldMap;
  if (row.kind === 'CAST_CREDIT') {
    const values = { ...(row.values as CastCreditValues), ...edits } as CastCreditValues & { billingOrder?: number | null };
    const billingOrder = 'billingOrder' in edits ? values.billingOrder : row.support === 'STATED' ? await billingRank(w, row) : null;
    const stated = ['filmId', 'personId', 'kind', ...(values.character != null ? ['character'] : []), ...(values.voice ? ['voice'] : [])];
    const first = excerptsOf(row).slice(0, 1);
    const billing =
      billingOrder == null
        ? []
        : 'billingOrder' in edits
          ? cite({ fields: ['billingOrder'], excerpts: first })
          : cite({ fields: ['billingOrder'], kind: 'INFERRED', note: 'Billing follows the order in which the article introduces the cast.', excerpts: first });
    raw = {
      kind: 'CAST',
      character: values.character,
      voice: values.voice,
      billingOrder,
      citations: [...cite({ fields: stated }), ...billing].slice(-MAX_CITATIONS),
    };
    fields = same('character', 'voice', 'billingOrder');
  } else {
    const values = { ...(row.values as CrewCreditValues), ...edits } as CrewCreditValues;
    raw = { kind: 'CREW', department: values.department, job: values.job, citations: cite() };
    fields = same('department', 'job');
  }
  return through(
    row,
    fields,
    createCreditSchema,
    { filmId: encodeGlobalID('Film', filmId), personId: encodeGlobalID('Person', personId), ...raw },
    async (input) => {
      const existing = await w.tx.credit.findFirst({
        where: { filmId, personId, kind: input.kind, job: input.job ?? 'Actor', character: input.character ?? '' },
        select: { id: true },
      });
      return { type: 'Credit' as const, id: existing ? existing.id : (await createCredit(w, input)).credit };
    },
  );
}

/** 1 + how many STATED cast credits of the same film the source states before this one. */
async function billingRank(w: Writer, row: ProposalRow): Promise<number> {
  const film = (row.refs as { film?: string }).film ?? '';
  const cast = await w.tx.proposal.findMany({
    where: { sourceId: row.sourceId, kind: 'CAST_CREDIT', support: 'STATED', refs: { path: ['film'], equals: film } },
    select: { id: true },
    orderBy: [{ start: 'asc' }, { id: 'asc' }],
  });
  return cast.findIndex((p) => p.id === row.id) + 1;
}

/** A release; a date without a year or a release without a country needs the editor's value. The catalogue's identical release is the result. */
async function writeRelease(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
  const filmId = requireDependency(row, deps.film, 'Film');
  const values = { ...(row.values as ReleaseValues), ...edits } as ReleaseValues;
  const missing: UserError[] = [];
  if (values.country == null)
    missing.push({ field: ['input', 'edits', 'country'], code: 'INVALID', message: `${row.key}: the article names no country; give edits.country.` });
  if (!DATE.test(values.date))
    missing.push({
      field: ['input', 'edits', 'date'],
      code: 'INVALID',
      message: `${row.key}: ${values.date} is not a full date (the year is unknown?); give edits.date as YYYY-MM-DD.`,
    });
  if (missing.length > 0) w.failAll(missing);
  const raw = {
    filmId: encodeGlobalID('Film', filmId),
    country: values.country,
    date: new Date(`${values.date}T00:00:00Z`),
    type: values.type,
    citations: cite(),
  };
  return through(row, same('country', 'date', 'type'), createReleaseSchema, raw, async (input) => {
    const existing = await w.tx.release.findFirst({ where: { filmId, country: input.country, type: input.type, date: input.date }, select: { id: true } });
    return { type: 'Release' as const, id: existing ? existing.id : (await createRelease(w, input)).release };
  });
}

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
async function writeReview(w: Writer, source: SourceRow, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
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
async function writeFilmFact(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
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
async function writeCertification(w: Writer, row: ProposalRow, edits: Edits, deps: Dependencies, cite: Cite): Promise<AcceptResult> {
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
