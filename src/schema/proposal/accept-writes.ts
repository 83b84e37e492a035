/**
 * What accepting one proposal writes, per kind, through the entity writes of the write API
 * (createFilm, createPerson, createPersonAlias, createCredit, createRelease; reviews and film
 * facts in accept-facts.ts): the proposed values with the editor's `edits` over them, validated by
 * the same zod schemas as the mutations, cited to the proposal's excerpts (STATED or INFERRED, the
 * reason as the citation's note). Siblings: accept-input.ts (edits, citations), accept.ts (lifecycle).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { AliasValues, CastCreditValues, CrewCreditValues, FilmValues, PersonValues, ReleaseValues } from '../../ingest/types.ts';
import { createCredit, createCreditSchema } from '../credit/edit.ts';
import { createFilm, createFilmSchema, updateFilm, updateFilmSchema } from '../film/edit.ts';
import { createPerson, createPersonAlias, createPersonAliasSchema, createPersonSchema, updatePerson, updatePersonSchema } from '../person/edit.ts';
import { createRelease, createReleaseSchema } from '../release/edit.ts';
import type { Writer } from '../write/run.ts';
import type { UserError } from '../write/write.ts';
import { writeCertification, writeFilmFact, writeReview } from './accept-facts.ts';
import {
  citations,
  DATE,
  editedKeys,
  excerptsOf,
  MAX_CITATIONS,
  requireDependency,
  resolvedId,
  same,
  through,
  type AcceptResult,
  type Cite,
  type Dependencies,
  type Edits,
  type FieldMap,
  type ProposalRow,
  type SourceRow,
} from './accept-input.ts';

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
