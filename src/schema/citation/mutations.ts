/**
 * The source and citation mutations' schema: createSource / updateSource / deleteSource and
 * addCitation / removeCitation, and the `revisions` of Source and Citation.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../builder.ts';
import { CitationInput } from '../write/cite.ts';
import { ChangeEntityTypeEnum, addRevisionsField } from '../write/revision.ts';
import { runWrite } from '../write/run.ts';
import { deletedPayload, loadEntity, userErrorsField, type BuilderTypes, type Payload } from '../write/write.ts';
import { CitationRef } from './citation.ts';
import {
  addCitation,
  addCitationSchema,
  createSource,
  createSourceSchema,
  deleteSource,
  deleteSourceSchema,
  MAX_SOURCE_TEXT,
  removeCitation,
  removeCitationSchema,
  updateSource,
  updateSourceSchema,
  type UnbackedFact,
} from './edit.ts';
import { SourceRef } from './source.ts';

// Built like the film mutations (docs/writing.md#adding-a-mutation). A source is the evidence
// itself: its fields are not cited facts, so its mutations need `write` only.

const VERSION = 'The `version` you read; a stale one is refused with CONFLICT.';
const NOTE = 'Why the change is made (stored on the change set).';

addRevisionsField('Citation');

const sourceFields = <R extends boolean>(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>, required: R) => ({
  slug: t.string({ required, description: 'URL key, unique: lower-case words joined by hyphens (at most 100 characters).' }),
  title: t.string({ description: 'Headline (1–500 characters).' }),
  url: t.field({ type: 'URL', description: 'Where it is published (http or https), unique.' }),
  publisher: t.string({ description: 'Who published it (1–200 characters).' }),
  publishedOn: t.field({ type: 'Date', description: 'When it was published.' }),
  text: t.string({
    required,
    description: `The full text citations point into (1–${MAX_SOURCE_TEXT} characters). Fixed once cited: changing it is IN_USE while citations exist.`,
  }),
  note: t.string({ description: NOTE }),
});

const CreateSourceInput = builder.inputType('CreateSourceInput', {
  description: 'A new source: an article whose text facts are cited to.',
  fields: (t) => ({
    ...sourceFields(t, true),
    idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
  }),
});

const UpdateSourceInput = builder.inputType('UpdateSourceInput', {
  description: "New values for some of a source's fields (omitted: unchanged; null erases). The text only while nothing cites it.",
  fields: (t) => ({
    id: t.id({ required: true, description: 'The source (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    ...sourceFields(t, false),
  }),
});

const DeleteSourceInput = builder.inputType('DeleteSourceInput', {
  description: 'The source to delete, at the version read.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The source (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    cascade: t.boolean({
      description: 'Also remove the citations pointing into it (the payload lists the facts left uncited); without it, a cited source is IN_USE.',
    }),
    note: t.string({ description: 'Why it is deleted (stored on the change set).' }),
  }),
});

const AddCitationInput = builder.inputType('AddCitationInput', {
  description: 'Another excerpt backing a fact already set on a record.',
  fields: (t) => ({
    entityId: t.id({
      required: true,
      description: 'The record (global ID of a Film, Person, PersonAlias, Credit, Publication, Critic, Review, ReviewQuote or Release).',
    }),
    field: t.string({ required: true, description: 'The fact it backs, as the type names it (e.g. `runtimeMinutes`, `originalScore`, `text`).' }),
    citation: t.field({ type: CitationInput, required: true, description: 'The excerpt (its `fields` is ignored: it backs `field`).' }),
    note: t.string({ description: NOTE }),
  }),
});

const RemoveCitationInput = builder.inputType('RemoveCitationInput', {
  description: 'The citation to remove, at the version read. The last citation of a fact that is set stays unless the admin scope states a note.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The citation (global ID).' }),
    version: t.int({ required: true, description: VERSION }),
    note: t.string({ description: 'Why it is removed; with the `admin` scope it lets a fact lose its last citation.' }),
  }),
});

const sourcePayload = (name: string, description: string) =>
  builder.objectRef<Payload<{ source: number }>>(name).implement({
    description,
    fields: (t) => ({
      source: t.prismaField({
        type: SourceRef,
        nullable: true,
        description: 'The source as it is after the write; null when the mutation failed.',
        resolve: (query, payload, _args, ctx) => loadEntity(query, payload.source, (args) => ctx.prisma.source.findUnique(args)),
      }),
      userErrors: userErrorsField(t),
    }),
  });

const UnbackedFactRef = builder.objectRef<UnbackedFact>('UnbackedFact').implement({
  description: 'A fact left without any citation by a deletion (cite it again with addCitation).',
  fields: (t) => ({
    entityType: t.field({ type: ChangeEntityTypeEnum, description: 'The type of the record.', resolve: (f) => f.entityType }),
    entityId: t.id({ description: 'The record (global ID).', resolve: (f) => encodeGlobalID(f.entityType, f.entityId) }),
    field: t.exposeString('field', { nullable: true, description: 'The fact; null when the citation backed the whole record.' }),
  }),
});

const DeleteSourcePayload = builder.objectRef<Payload<{ deletedIds: string[]; unbackedFacts: UnbackedFact[] }>>('DeleteSourcePayload').implement({
  description: 'What the deletion removed and the facts it left uncited, or why it did not delete.',
  fields: (t) => ({
    deletedIds: t.idList({
      description: 'Global IDs of every record deleted: the source and, with cascade, its citations.',
      resolve: (p) => p.deletedIds ?? [],
    }),
    unbackedFacts: t.field({
      type: [UnbackedFactRef],
      description: 'With cascade: the facts whose only citations pointed into this source.',
      resolve: (p) => p.unbackedFacts ?? [],
    }),
    userErrors: userErrorsField(t),
  }),
});

const CitationPayload = builder.objectRef<Payload<{ citation: number }>>('AddCitationPayload').implement({
  description: 'The added citation, or why it was not added.',
  fields: (t) => ({
    citation: t.prismaField({
      type: CitationRef,
      nullable: true,
      description: 'The citation, located in its source; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.citation, (args) => ctx.prisma.citation.findUnique(args)),
    }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  createSource: t.field({
    type: sourcePayload('CreateSourcePayload', 'The created source, or why it was not created.'),
    authScopes: { write: true },
    description: 'Create a source (an article) to cite facts to. Scope `write`. Idempotent with an Idempotency-Key.',
    args: { input: t.arg({ type: CreateSourceInput, required: true, description: "The source's text and details." }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'createSource', input, schema: createSourceSchema, idempotent: true }, (w, parsed) => createSource(w, parsed)),
  }),
  updateSource: t.field({
    type: sourcePayload('UpdateSourcePayload', 'The updated source, or why it was not updated.'),
    authScopes: { write: true },
    description: "Change a source's details at the version read; its text only while no citation points into it (IN_USE otherwise). Scope `write`.",
    args: { input: t.arg({ type: UpdateSourceInput, required: true, description: 'The source, the version read, and the fields to change.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'updateSource', input, schema: updateSourceSchema }, (w, parsed) => updateSource(w, parsed)),
  }),
  deleteSource: t.field({
    type: DeleteSourcePayload,
    authScopes: { write: true },
    description:
      'Delete a source at the version read; a cited one is IN_USE unless `cascade: true`, which removes its citations and lists the facts left uncited. Scope `write`.',
    args: { input: t.arg({ type: DeleteSourceInput, required: true, description: 'The source, the version read, and whether to cascade.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'deleteSource', input, schema: deleteSourceSchema }, (w, parsed) => deleteSource(w, parsed)),
  }),
  addCitation: t.field({
    type: CitationPayload,
    authScopes: { write: true },
    description: 'Back a fact already set on a record with another excerpt (located server-side). Scope `write`.',
    args: { input: t.arg({ type: AddCitationInput, required: true, description: 'The record, the fact and the excerpt.' }) },
    resolve: (_root, { input }, ctx) => runWrite(ctx, { operation: 'addCitation', input, schema: addCitationSchema }, (w, parsed) => addCitation(w, parsed)),
  }),
  removeCitation: t.field({
    type: deletedPayload('RemoveCitationPayload', 'What the removal deleted, or why it did not.', 'the citation'),
    authScopes: { write: true },
    description:
      'Remove a citation at the version read. The last citation of a fact that is set is refused (CITATION_REQUIRED) unless the `admin` scope states a note. Scope `write`.',
    args: { input: t.arg({ type: RemoveCitationInput, required: true, description: 'The citation and the version read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'removeCitation', input, schema: removeCitationSchema }, (w, parsed) => removeCitation(w, parsed.id, parsed.version)),
  }),
}));
