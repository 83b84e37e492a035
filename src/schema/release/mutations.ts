/** The release mutations' schema: createRelease / updateRelease / deleteRelease (country × type × date, certification). */
import { builder } from '../../builder.ts';
import { ReleaseTypeEnum } from '../enums.ts';
import { ReleaseRef } from '../release.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import { createRelease, createReleaseSchema, deleteRelease, deleteReleaseSchema, updateRelease, updateReleaseSchema } from './edit.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation).

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';
const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';

const factFields = <Required extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, required: Required) => ({
  country: t.field({ type: 'CountryCode', required, description: 'ISO 3166-1 alpha-2 country code, e.g. "GB" (any case; stored upper case).' }),
  date: t.field({ type: 'Date', required, description: 'The date, YYYY-MM-DD (years 1870–2200).' }),
  type: t.field({ type: ReleaseTypeEnum, required, description: 'How the film reached audiences.' }),
  certification: t.string({ description: 'Age rating in that country, e.g. "15" or "R" (1–20 characters; null erases it).' }),
  releaseNote: t.string({ description: "The release's own `note`, e.g. the festival (1–1000 characters; null erases it)." }),
  citations: t.field({ type: [CitationInput], description: 'The excerpts backing the facts set; every fact set or changed must be cited.' }),
  note: t.string({ description: NOTE }),
});

const CreateReleaseInput = builder.inputType('CreateReleaseInput', {
  description: 'A new release of a film. A film has one release per country, type and date (a second is TAKEN). Every fact given must be cited.',
  fields: (t) => ({
    filmId: t.id({ required: true, description: 'The film (global ID).' }),
    ...factFields(t, true),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const UpdateReleaseInput = builder.inputType('UpdateReleaseInput', {
  description:
    "New values for some of a release's facts (its film is fixed). Omitted fields stay; null erases certification or releaseNote. Changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The release (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...factFields(t, false),
  }),
});

const DeleteReleaseInput = builder.inputType('DeleteReleaseInput', {
  description: 'The release to delete, at the version read; its citations go with it.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The release (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
  }),
});

const releasePayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ release: number }>>(name).implement({
    description,
    fields: (t) => ({
      release: t.prismaField({
        type: ReleaseRef,
        nullable: true,
        description: 'The release as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.release, (args) => ctx.prisma.release.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const CreateReleasePayload = releasePayload('CreateReleasePayload', 'The created release, or why it was not created.');
const UpdateReleasePayload = releasePayload('UpdateReleasePayload', 'The updated release, or why it was not updated.');
const DeleteReleasePayload = builder.objectRef<Payload<{ deletedIds: string[] }>>('DeleteReleasePayload').implement({
  description: 'What the deletion removed, or why it did not.',
  fields: (t) => ({
    deletedIds: t.idList({ description: 'Global IDs of every record deleted: the release and its citations.', resolve: (payload) => payload.deletedIds ?? [] }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  createRelease: t.field({
    type: CreateReleasePayload,
    authScopes: factScopes,
    description: 'Add a release of a film from cited facts. Scope `write` (`admin` to state a note instead of citations). Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: CreateReleaseInput, required: true, description: 'The film, the release facts and their citations.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createRelease', input, schema: createReleaseSchema, idempotent: true }, (w, parsed) => createRelease(w, parsed)),
  }),
  updateRelease: t.field({
    type: UpdateReleasePayload,
    authScopes: factScopes,
    description: "Change a release's facts, each change cited, at the version read. Scope `write` (`admin` to state a note instead of citations).",
    args: {
      input: t.arg({ type: UpdateReleaseInput, required: true, description: 'The release, the version read, the facts to change and their citations.' }),
    },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'updateRelease', input, schema: updateReleaseSchema }, (w, parsed) => updateRelease(w, parsed)),
  }),
  deleteRelease: t.field({
    type: DeleteReleasePayload,
    authScopes: { write: true },
    description: 'Delete a release with its citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: DeleteReleaseInput, required: true, description: 'The release and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deleteRelease', input, schema: deleteReleaseSchema }, async (w, parsed) => ({
        deletedIds: await deleteRelease(w, parsed.id, parsed.version),
      })),
  }),
}));
