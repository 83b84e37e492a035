/** The person mutations' schema: createPerson / updatePerson / deletePerson and createPersonAlias / updatePersonAlias / deletePersonAlias. */
import { builder } from '../../builder.ts';
import { CitationInput } from '../write/cite.ts';
import { factScopes } from '../write/input.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import {
  createPerson,
  createPersonAlias,
  createPersonAliasSchema,
  createPersonSchema,
  deletePerson,
  deletePersonAlias,
  deletePersonAliasSchema,
  deletePersonSchema,
  updatePerson,
  updatePersonAlias,
  updatePersonAliasSchema,
  updatePersonSchema,
} from './edit.ts';
import { PersonAliasRef, PersonRef } from './person.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation): input, payload, and a field
// whose resolver hands the raw input, its zod schema and the write (edit.ts) to runWrite.

const NOTE = 'Why the change is made (stored on the change set). With the `admin` scope, facts this mutation changes may then go uncited.';
const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';
const IDEMPOTENCY = 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).';

const citationsField = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) =>
  t.field({ type: [CitationInput], description: 'The excerpts backing the facts set; every changed fact must be cited.' });

const personFacts = <Required extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, required: Required) => ({
  name: t.string({ required, description: 'Name as credited (1–300 characters).' }),
  slug: t.string({
    description: 'URL key: lower-case words joined by hyphens. Not a cited fact. On create, derived from the name when omitted.',
  }),
  imdbId: t.string({ description: 'IMDb name id, e.g. "nm0005069" (null erases it).' }),
  tmdbId: t.int({ description: 'The Movie Database person id (a positive integer).' }),
  wikidataId: t.string({ description: 'Wikidata item, e.g. "Q286570".' }),
  citations: citationsField(t),
  note: t.string({ description: NOTE }),
});

const CreatePersonInput = builder.inputType('CreatePersonInput', {
  description: 'A new person. Every fact given must be backed by a citation (docs/writing.md#citations).',
  fields: (t) => ({ ...personFacts(t, true), idempotencyKey: t.string({ description: IDEMPOTENCY }) }),
});

const UpdatePersonInput = builder.inputType('UpdatePersonInput', {
  description: "New values for some of a person's facts. Omitted fields stay as they are; null erases a nullable fact. Changed facts must be cited.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The person (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...personFacts(t, false),
  }),
});

const DeletePersonInput = builder.inputType('DeletePersonInput', {
  description: 'The person to delete, at the version read. Refused (IN_USE) while they have credits, unless `cascade: true`.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The person (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    cascade: t.boolean({ description: 'Also delete their credits (and those credits’ citations). Without it, a person with credits is IN_USE.' }),
    note: t.string({ description: 'Why they are deleted (stored on the change set).' }),
  }),
});

const CreatePersonAliasInput = builder.inputType('CreatePersonAliasInput', {
  description: "Another spelling of a person's name seen in a source; the spelling must be cited.",
  fields: (t) => ({
    personId: t.id({ required: true, description: 'The person (global ID).' }),
    name: t.string({ required: true, description: 'The spelling (1–300 characters), unique per person.' }),
    citations: citationsField(t),
    note: t.string({ description: NOTE }),
    idempotencyKey: t.string({ description: IDEMPOTENCY }),
  }),
});

const UpdatePersonAliasInput = builder.inputType('UpdatePersonAliasInput', {
  description: 'A new spelling for an alias, cited, at the version read.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The alias (its `id`).' }),
    version: t.int({ required: true, description: VERSION }),
    name: t.string({ required: true, description: 'The spelling (1–300 characters), unique per person.' }),
    citations: citationsField(t),
    note: t.string({ description: NOTE }),
  }),
});

const DeletePersonAliasInput = builder.inputType('DeletePersonAliasInput', {
  description: 'The alias to delete, at the version read; its citations go with it.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The alias (its `id`).' }),
    version: t.int({ required: true, description: VERSION }),
    note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
  }),
});

const personPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ person: number }>>(name).implement({
    description,
    fields: (t) => ({
      person: t.prismaField({
        type: PersonRef,
        nullable: true,
        description: 'The person as they are after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.person, (args) => ctx.prisma.person.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const aliasPayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ personAlias: number; person: number }>>(name).implement({
    description,
    fields: (t) => ({
      personAlias: t.prismaField({
        type: PersonAliasRef,
        nullable: true,
        description: 'The alias as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.personAlias, (args) => ctx.prisma.personAlias.findUnique(args)),
      }),
      person: t.prismaField({
        type: PersonRef,
        nullable: true,
        description: 'The person the alias belongs to; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.person, (args) => ctx.prisma.person.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const deletedPayload = (name: string, description: string, deleted: string) =>
  builder.objectRef<Payload<{ deletedIds: string[] }>>(name).implement({
    description,
    fields: (t) => ({
      deletedIds: t.idList({ description: deleted, resolve: (payload) => payload.deletedIds ?? [] }),
      userErrors: userErrorsField(t),
    }),
  });

const CreatePersonPayload = personPayload('CreatePersonPayload', 'The created person, or why they were not created.');
const UpdatePersonPayload = personPayload('UpdatePersonPayload', 'The updated person, or why they were not updated.');
const DeletePersonPayload = deletedPayload(
  'DeletePersonPayload',
  'What the deletion removed, or why it did not.',
  'Global IDs of every record deleted: the person, their aliases, (with `cascade`) their credits, and the citations of all of those.',
);
const CreatePersonAliasPayload = aliasPayload('CreatePersonAliasPayload', 'The created alias, or why it was not created.');
const UpdatePersonAliasPayload = aliasPayload('UpdatePersonAliasPayload', 'The updated alias, or why it was not updated.');
const DeletePersonAliasPayload = deletedPayload(
  'DeletePersonAliasPayload',
  'What the deletion removed, or why it did not.',
  'IDs of every record deleted: the alias and its citations.',
);

const FACT_SCOPES = 'Scope `write` (`admin` to state a note instead of citations).';

builder.mutationFields((t) => ({
  createPerson: t.field({
    type: CreatePersonPayload,
    authScopes: factScopes,
    description: `Create a person from cited facts. ${FACT_SCOPES} Idempotent with an Idempotency-Key.`,
    args: {
      input: t.arg({ type: CreatePersonInput, required: true, description: "The person's facts, their citations, an optional note and idempotency key." }),
    },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createPerson', input, schema: createPersonSchema, idempotent: true }, (w, parsed) => createPerson(w, parsed)),
  }),
  updatePerson: t.field({
    type: UpdatePersonPayload,
    authScopes: factScopes,
    description: `Change a person's facts, each change cited, at the version read. ${FACT_SCOPES}`,
    args: { input: t.arg({ type: UpdatePersonInput, required: true, description: 'The person, the version read, the facts to change and their citations.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updatePerson', input, schema: updatePersonSchema }, (w, parsed) => updatePerson(w, parsed)),
  }),
  deletePerson: t.field({
    type: DeletePersonPayload,
    authScopes: { write: true },
    description:
      'Delete a person with their aliases and citations, at the version read; with credits only when `cascade: true` (IN_USE otherwise). Scope `write`.',
    args: { input: t.arg({ type: DeletePersonInput, required: true, description: 'The person, the version read, and whether to take their credits along.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deletePerson', input, schema: deletePersonSchema }, async (w, parsed) => ({
        deletedIds: await deletePerson(w, parsed.id, parsed.version, parsed.cascade ?? false),
      })),
  }),
  createPersonAlias: t.field({
    type: CreatePersonAliasPayload,
    authScopes: factScopes,
    description: `Add a cited spelling of a person's name (TAKEN if they have it already). ${FACT_SCOPES} Idempotent with an Idempotency-Key.`,
    args: { input: t.arg({ type: CreatePersonAliasInput, required: true, description: 'The person, the spelling and its citations.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createPersonAlias', input, schema: createPersonAliasSchema, idempotent: true }, (w, parsed) => createPersonAlias(w, parsed)),
  }),
  updatePersonAlias: t.field({
    type: UpdatePersonAliasPayload,
    authScopes: factScopes,
    description: `Respell an alias, cited, at the version read. ${FACT_SCOPES}`,
    args: { input: t.arg({ type: UpdatePersonAliasInput, required: true, description: 'The alias, the version read, the new spelling and its citations.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'updatePersonAlias', input, schema: updatePersonAliasSchema }, (w, parsed) => updatePersonAlias(w, parsed)),
  }),
  deletePersonAlias: t.field({
    type: DeletePersonAliasPayload,
    authScopes: { write: true },
    description: 'Delete an alias with its citations, at the version read. Scope `write`.',
    args: { input: t.arg({ type: DeletePersonAliasInput, required: true, description: 'The alias and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'deletePersonAlias', input, schema: deletePersonAliasSchema }, async (w, parsed) => ({
        deletedIds: await deletePersonAlias(w, parsed.id, parsed.version),
      })),
  }),
}));
