/** The credit mutations' schema: createCredit / updateCredit / deleteCredit (cast and crew). */
import { builder } from '../../builder.ts';
import { CreditRef } from '../credit.ts';
import { CreditKindEnum, DepartmentEnum } from '../enums.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import { createCredit, createCreditSchema, deleteCredit, deleteCreditSchema, updateCredit, updateCreditSchema } from './edit.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation).

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';
const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';

const editableFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  department: t.field({
    type: DepartmentEnum,
    description: 'CAST: ACTING (the default). CREW: required on create, any department but ACTING.',
  }),
  job: t.string({ description: 'CREW: the job, e.g. "Director" (required on create). CAST: "Actor" by default.' }),
  character: t.string({ description: 'CAST only: the character played (null: not named).' }),
  billingOrder: t.int({ description: 'CAST only: position in the billing, 0–32767 (null: unbilled).' }),
  voice: t.boolean({ description: 'CAST only: a voice-only performance.' }),
  citations: t.field({ type: [CitationInput], description: 'The excerpts backing the facts set; every fact set or changed must be cited.' }),
  note: t.string({ description: NOTE }),
});

const CreateCreditInput = builder.inputType('CreateCreditInput', {
  description:
    'A new cast or crew credit. A person has one credit per film, kind, job and character (a second is TAKEN). Every fact given must be cited (docs/writing.md#citations).',
  fields: (t) => ({
    filmId: t.id({ required: true, description: 'The film (global ID).' }),
    personId: t.id({ required: true, description: 'The person (global ID).' }),
    kind: t.field({ type: CreditKindEnum, required: true, description: 'CAST or CREW; fixed once created.' }),
    ...editableFields(t),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const UpdateCreditInput = builder.inputType('UpdateCreditInput', {
  description:
    "New values for some of a credit's facts (its film, person and kind are fixed). Omitted fields stay; null erases character or billingOrder. Changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The credit (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...editableFields(t),
  }),
});

const DeleteCreditInput = builder.inputType('DeleteCreditInput', {
  description: 'The credit to delete, at the version read; its citations go with it.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The credit (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
  }),
});

const creditPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ credit: number }>>(name).implement({
    description,
    fields: (t) => ({
      credit: t.prismaField({
        type: CreditRef,
        nullable: true,
        description: 'The credit as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.credit, (args) => ctx.prisma.credit.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const CreateCreditPayload = creditPayload('CreateCreditPayload', 'The created credit, or why it was not created.');
const UpdateCreditPayload = creditPayload('UpdateCreditPayload', 'The updated credit, or why it was not updated.');
const DeleteCreditPayload = builder.objectRef<Payload<{ deletedIds: string[] }>>('DeleteCreditPayload').implement({
  description: 'What the deletion removed, or why it did not.',
  fields: (t) => ({
    deletedIds: t.idList({ description: 'Global IDs of every record deleted: the credit and its citations.', resolve: (payload) => payload.deletedIds ?? [] }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  createCredit: t.field({
    type: CreateCreditPayload,
    authScopes: factScopes,
    description:
      'Credit a person on a film (cast or crew) from cited facts. Scope `write` (`admin` to state a note instead of citations). Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: CreateCreditInput, required: true, description: 'The film, the person, the role and its citations.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createCredit', input, schema: createCreditSchema, idempotent: true }, (w, parsed) => createCredit(w, parsed)),
  }),
  updateCredit: t.field({
    type: UpdateCreditPayload,
    authScopes: factScopes,
    description: "Change a credit's facts, each change cited, at the version read. Scope `write` (`admin` to state a note instead of citations).",
    args: { input: t.arg({ type: UpdateCreditInput, required: true, description: 'The credit, the version read, the facts to change and their citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updateCredit', input, schema: updateCreditSchema }, (w, parsed) => updateCredit(w, parsed)),
  }),
  deleteCredit: t.field({
    type: DeleteCreditPayload,
    authScopes: { write: true },
    description: 'Delete a credit with its citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: DeleteCreditInput, required: true, description: 'The credit and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deleteCredit', input, schema: deleteCreditSchema }, async (w, parsed) => ({
        deletedIds: await deleteCredit(w, parsed.id, parsed.version),
      })),
  }),
}));
