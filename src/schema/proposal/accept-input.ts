/**
 * What accepting a proposal starts from: the proposal and source rows, the `edits` an editor may
 * give per kind, citations built from the proposal's excerpts, and running an entity write with
 * its user errors re-pathed to the accepting mutation's input. Used by accept-writes.ts and
 * accept-facts.ts (what each kind writes) and accept.ts (the proposal's lifecycle).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as z from 'zod';
import { decodeGlobalID } from '../../builder.ts';
import type { ProposalKind } from '../../generated/prisma/enums.ts';
import type { Excerpt } from '../../ingest/types.ts';
import { parseInput } from '../write/input.ts';
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

export const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An entity write's input field → the key of `edits` that sets it. */
export type FieldMap = Record<string, string>;
export const same = (...fields: string[]): FieldMap => Object.fromEntries(fields.map((f) => [f, f]));

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
export async function through<S extends z.ZodType, T>(
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

export const MAX_CITATIONS = 20;
const MAX_NOTE = 1_000;

/** The proposal's excerpts: the one that states it, then the others that do. */
export function excerptsOf(row: ProposalRow): Excerpt[] {
  return [{ start: row.start, end: row.end, text: row.excerpt }, ...(row.alsoCited as Excerpt[])];
}

export interface CiteOptions {
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
export function citations(source: SourceRow, row: ProposalRow, edited: readonly string[], options: CiteOptions = {}) {
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

export const editedKeys = (edits: Edits) => Object.keys(edits).filter((k) => edits[k] !== undefined);

/** A global ID a resolution names, as a database id of `type`, if it is one. */
export function resolvedId(resolution: { status: string; match?: { id: string } } | null | undefined, type: string): number | null {
  if (resolution?.status !== 'EXISTING' || !resolution.match) return null;
  try {
    const decoded = decodeGlobalID(resolution.match.id);
    return decoded.typename === type ? Number(decoded.id) : null;
  } catch {
    return null;
  }
}

export function requireDependency(row: ProposalRow, dep: AcceptResult | undefined, type: AcceptResult['type']): number {
  // accept.ts resolves every ref before this runs; a proposal without the ref cannot be written.
  if (!dep || dep.type !== type) {
    throw new UserErrorException([
      { field: ['input', 'id'], code: 'DEPENDENCY_NOT_ACCEPTED', message: `${row.key}: names no ${type.toLowerCase()} proposal to write it to.` },
    ]);
  }
  return dep.id;
}

export type Cite = (options?: CiteOptions) => ReturnType<typeof citations>;
