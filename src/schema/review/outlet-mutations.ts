/** The publication and critic mutations' schema: create / update / delete of each (a critic's affiliations are its `publicationIds`). */
import { builder } from '../../builder.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { deletedPayload, loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import {
  createCritic,
  createCriticSchema,
  createPublication,
  createPublicationSchema,
  deleteCritic,
  deletePublication,
  deleteWithCascadeSchema,
  updateCritic,
  updateCriticSchema,
  updatePublication,
  updatePublicationSchema,
} from './outlet-edit.ts';
import { CriticRef, PublicationRef } from './outlet.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation).

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';
const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';
const CITATIONS = 'The excerpts backing the facts set; every changed fact must be cited.';
const IDEMPOTENCY = 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).';
const SLUG = 'URL key: lower-case words joined by hyphens. Not a cited fact. On create, derived from the name when omitted.';

type Fields = PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>;

const publicationFacts = <R extends boolean>(t: Fields, required: R) => ({
  name: t.string({ required, description: 'The outlet\'s name (1–300 characters), e.g. "The Verge".' }),
  url: t.field({ type: 'URL', description: 'Its home page (http or https; null erases it).' }),
  slug: t.string({ description: SLUG }),
  citations: t.field({ type: [CitationInput], description: CITATIONS }),
  note: t.string({ description: NOTE }),
});

const criticFacts = <R extends boolean>(t: Fields, required: R) => ({
  name: t.string({ required, description: "The critic's name (1–300 characters)." }),
  slug: t.string({ description: SLUG }),
  publicationIds: t.idList({ description: 'The outlets the critic writes for (global IDs, distinct, at most 50): the whole list, replacing the current one.' }),
  citations: t.field({ type: [CitationInput], description: CITATIONS }),
  note: t.string({ description: NOTE }),
});

const CreatePublicationInput = builder.inputType('CreatePublicationInput', {
  description: 'A new outlet. Its name and URL must be cited.',
  fields: (t) => ({ ...publicationFacts(t, true), idempotencyKey: t.string({ description: IDEMPOTENCY }) }),
});
const UpdatePublicationInput = builder.inputType('UpdatePublicationInput', {
  description: "New values for some of an outlet's facts. Omitted fields stay; changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The publication (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...publicationFacts(t, false),
  }),
});
const CreateCriticInput = builder.inputType('CreateCriticInput', {
  description: 'A new critic. The name and affiliations must be cited.',
  fields: (t) => ({ ...criticFacts(t, true), idempotencyKey: t.string({ description: IDEMPOTENCY }) }),
});
const UpdateCriticInput = builder.inputType('UpdateCriticInput', {
  description: "New values for some of a critic's facts. Omitted fields stay; changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The critic (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...criticFacts(t, false),
  }),
});

const cascadeInput = (name: string, what: string, description: string, cascade: string) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      id: t.id({ required: true, description: `The ${what} (global ID).` }),
      version: t.int({ required: true, description: VERSION }),
      cascade: t.boolean({ description: cascade }),
      note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
    }),
  });

const DeletePublicationInput = cascadeInput(
  'DeletePublicationInput',
  'publication',
  'The outlet to delete, at the version read.',
  "Also delete its reviews (with their quotes and citations) and end critics' affiliations with it; without it, an outlet with either is IN_USE.",
);
const DeleteCriticInput = cascadeInput(
  'DeleteCriticInput',
  'critic',
  "The critic to delete, at the version read, with the critic's citations and affiliations.",
  "Keep the critic's reviews, attributed to their outlet only (criticId null); without it, a critic with reviews is IN_USE.",
);

const publicationPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ publication: number }>>(name).implement({
    description,
    fields: (t) => ({
      publication: t.prismaField({
        type: PublicationRef,
        nullable: true,
        description: 'The publication as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.publication, (args) => ctx.prisma.publication.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const criticPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ critic: number }>>(name).implement({
    description,
    fields: (t) => ({
      critic: t.prismaField({
        type: CriticRef,
        nullable: true,
        description: 'The critic as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.critic, (args) => ctx.prisma.critic.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const FACT_SCOPES = 'Scope `write` (`admin` to state a note instead of citations).';

builder.mutationFields((t) => ({
  createPublication: t.field({
    type: publicationPayload('CreatePublicationPayload', 'The created publication, or why it was not created.'),
    authScopes: factScopes,
    description: `Create an outlet from cited facts. ${FACT_SCOPES} Idempotent with an Idempotency-Key.`,
    args: { input: t.arg({ type: CreatePublicationInput, required: true, description: "The outlet's facts and their citations." }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createPublication', input, schema: createPublicationSchema, idempotent: true }, (w, parsed) => createPublication(w, parsed)),
  }),
  updatePublication: t.field({
    type: publicationPayload('UpdatePublicationPayload', 'The updated publication, or why it was not updated.'),
    authScopes: factScopes,
    description: `Change an outlet's facts, each change cited, at the version read. ${FACT_SCOPES}`,
    args: {
      input: t.arg({ type: UpdatePublicationInput, required: true, description: 'The outlet, the version read, the facts to change and their citations.' }),
    },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'updatePublication', input, schema: updatePublicationSchema }, (w, parsed) => updatePublication(w, parsed)),
  }),
  deletePublication: t.field({
    type: deletedPayload(
      'DeletePublicationPayload',
      'What the deletion removed, or why it did not.',
      "the publication, its citations and, with cascade, its reviews with their quotes and citations (critics' affiliations end; the critics stay)",
    ),
    authScopes: { write: true },
    description: 'Delete an outlet at the version read; one with reviews or critics is IN_USE unless `cascade: true`. Scope `write`.',
    args: { input: t.arg({ type: DeletePublicationInput, required: true, description: 'The outlet, the version read, and whether to cascade.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deletePublication', input, schema: deleteWithCascadeSchema('Publication') }, async (w, parsed) => ({
        deletedIds: await deletePublication(w, parsed),
      })),
  }),
  createCritic: t.field({
    type: criticPayload('CreateCriticPayload', 'The created critic, or why it was not created.'),
    authScopes: factScopes,
    description: `Create a critic, with the outlets the critic writes for, from cited facts. ${FACT_SCOPES} Idempotent with an Idempotency-Key.`,
    args: { input: t.arg({ type: CreateCriticInput, required: true, description: "The critic's facts and their citations." }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createCritic', input, schema: createCriticSchema, idempotent: true }, (w, parsed) => createCritic(w, parsed)),
  }),
  updateCritic: t.field({
    type: criticPayload('UpdateCriticPayload', 'The updated critic, or why it was not updated.'),
    authScopes: factScopes,
    description: `Change a critic's name, slug or affiliations (publicationIds replaces the list), each fact cited, at the version read. ${FACT_SCOPES}`,
    args: { input: t.arg({ type: UpdateCriticInput, required: true, description: 'The critic, the version read, the facts to change and their citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updateCritic', input, schema: updateCriticSchema }, (w, parsed) => updateCritic(w, parsed)),
  }),
  deleteCritic: t.field({
    type: deletedPayload('DeleteCriticPayload', 'What the deletion removed, or why it did not.', "the critic and the critic's citations"),
    authScopes: { write: true },
    description: 'Delete a critic at the version read; one with reviews is IN_USE unless `cascade: true` (the reviews stay, unsigned). Scope `write`.',
    args: { input: t.arg({ type: DeleteCriticInput, required: true, description: 'The critic, the version read, and whether to cascade.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deleteCritic', input, schema: deleteWithCascadeSchema('Critic') }, async (w, parsed) => ({
        deletedIds: await deleteCritic(w, parsed),
      })),
  }),
}));
