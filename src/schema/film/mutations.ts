/** The film mutations' schema: inputs, payloads and the createFilm / updateFilm / deleteFilm fields (the reference for new mutations). */
import { builder } from '../../builder.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import { createFilm, createFilmSchema, deleteFilm, deleteFilmSchema, updateFilm, updateFilmSchema } from './edit.ts';
import { FilmRef } from './film.ts';

// The reference implementation of a mutation (docs/writing.md#adding-a-mutation): an input type,
// a payload type, and a field whose resolver hands the raw input, its zod schema and the write
// (edit.ts) to runWrite. Scopes are declared on the field.

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';

const factFields = <Required extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, required: Required) => ({
  title: t.string({ required, description: 'Title (1–500 characters).' }),
  originalTitle: t.string({ description: 'Title in the original language, when it differs (null erases it).' }),
  year: t.int({ description: 'Release year, 1870–2200.' }),
  synopsis: t.string({ description: 'Plot summary (1–10000 characters).' }),
  genres: t.stringList({ description: 'Genres, in order, distinct (at most 20; [] clears them).' }),
  runtimeMinutes: t.int({ description: 'Running time in minutes, 1–1000.' }),
  slug: t.string({
    description: 'URL key: lower-case words joined by hyphens. Not a cited fact. On create, derived from the title when omitted.',
  }),
  imdbId: t.string({ description: 'IMDb title id, e.g. "tt1798709".' }),
  tmdbId: t.int({ description: 'The Movie Database id (a positive integer).' }),
  wikidataId: t.string({ description: 'Wikidata item, e.g. "Q132863".' }),
  citations: t.field({ type: [CitationInput], description: 'The excerpts backing the facts set; every changed fact must be cited.' }),
  note: t.string({ description: NOTE }),
});

const CreateFilmInput = builder.inputType('CreateFilmInput', {
  description: 'A new film. Every fact given must be backed by a citation (docs/writing.md#citations).',
  fields: (t) => ({
    ...factFields(t, true),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const UpdateFilmInput = builder.inputType('UpdateFilmInput', {
  description: "New values for some of a film's facts. Omitted fields stay as they are; null erases a nullable fact. Changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The film (global ID).' }),
    version: t.int({ required: true, description: 'The `version` you read; a stale one is refused with CONFLICT.' }),
    ...factFields(t, false),
  }),
});

const DeleteFilmInput = builder.inputType('DeleteFilmInput', {
  description: 'The film to delete, at the version read. Its credits, releases, reviews and their citations go with it.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The film (global ID).' }),
    version: t.int({ required: true, description: 'The `version` you read; a stale one is refused with CONFLICT.' }),
    note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
  }),
});

const filmPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ film: number }>>(name).implement({
    description,
    fields: (t) => ({
      film: t.prismaField({
        type: FilmRef,
        nullable: true,
        description: 'The film as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.film, (args) => ctx.prisma.film.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const CreateFilmPayload = filmPayload('CreateFilmPayload', 'The created film, or why it was not created.');
const UpdateFilmPayload = filmPayload('UpdateFilmPayload', 'The updated film, or why it was not updated.');

const DeleteFilmPayload = builder.objectRef<Payload<{ deletedIds: string[] }>>('DeleteFilmPayload').implement({
  description: 'What the deletion removed, or why it did not.',
  fields: (t) => ({
    deletedIds: t.idList({
      description: 'Global IDs of every record deleted: the film, its credits, releases, reviews, review quotes and citations.',
      resolve: (payload) => payload.deletedIds ?? [],
    }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  createFilm: t.field({
    type: CreateFilmPayload,
    authScopes: factScopes,
    description: 'Create a film from cited facts. Scope `write` (`admin` to state a note instead of citations). Idempotent with an Idempotency-Key.',
    args: {
      input: t.arg({
        type: CreateFilmInput,
        required: true,
        description: "The film's facts, the citations backing them, and an optional note and idempotency key.",
      }),
    },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createFilm', input, schema: createFilmSchema, idempotent: true }, (w, parsed) => createFilm(w, parsed)),
  }),
  updateFilm: t.field({
    type: UpdateFilmPayload,
    authScopes: factScopes,
    description: "Change a film's facts, each change cited, at the version read. Scope `write` (`admin` to state a note instead of citations).",
    args: { input: t.arg({ type: UpdateFilmInput, required: true, description: 'The film, the version read, the facts to change and their citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updateFilm', input, schema: updateFilmSchema }, (w, parsed) => updateFilm(w, parsed)),
  }),
  deleteFilm: t.field({
    type: DeleteFilmPayload,
    authScopes: { write: true },
    description: 'Delete a film with its credits, releases, reviews and their citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: DeleteFilmInput, required: true, description: 'The film and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deleteFilm', input, schema: deleteFilmSchema }, async (w, parsed) => ({
        deletedIds: await deleteFilm(w, parsed.id, parsed.version),
      })),
  }),
}));
