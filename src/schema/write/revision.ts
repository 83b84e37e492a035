/** Revision, ChangeSet and FieldChange types, `version` on every editable type, and `revisions` connections (addRevisionsField). */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { batchLoader } from '../../batch.ts';
import { builder } from '../../builder.ts';
import type { Citation } from '../../generated/prisma/client.ts';
import type { ChangeSetKind, RevisionAction } from '../../generated/prisma/enums.ts';
import { CitationRef } from '../citation/citation.ts';
import { totalCountField } from '../connection.ts';
import type { FieldDiff, Json } from './diff.ts';
import { EDITABLE_TYPES, type EditableType } from './entities.ts';

const SCREAMING = (typename: string) => typename.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

export const ChangeEntityTypeEnum = builder.enumType('ChangeEntityType', {
  description: 'An editable type, as revisions and the change feed name it.',
  values: Object.fromEntries(
    Object.keys(EDITABLE_TYPES).map((typename) => [SCREAMING(typename), { value: typename, description: `A ${typename}.` }]),
  ) as Record<string, { value: EditableType; description: string }>,
});

export const RevisionActionEnum = builder.enumType('RevisionAction', {
  description: 'What a revision did to its entity.',
  values: {
    CREATE: { description: 'The entity was created: every field goes from null to its value.' },
    UPDATE: { description: 'Some fields changed: only those are in the diff.' },
    DELETE: { description: 'The entity was deleted (also each record a delete took with it): every field goes to null.' },
    MERGE: { description: 'The entity was merged into another, which it now redirects to.' },
    REVERT: { description: 'An earlier revision was undone (`revertOf`): its fields were set back.' },
  } satisfies Record<RevisionAction, { description: string }>,
});

export const ChangeSetKindEnum = builder.enumType('ChangeSetKind', {
  description: 'Where a change set came from.',
  values: {
    MUTATION: { description: 'A mutation of this API.' },
    IMPORT: { description: 'An import job (a dataset).' },
    INGEST: { description: 'Article ingestion.' },
    SEED: { description: 'The seed program.' },
  } satisfies Record<ChangeSetKind, { description: string }>,
});

/** One field of a revision's diff. */
interface FieldChange {
  field: string;
  before: Json;
  after: Json;
}

const FieldChangeRef = builder.objectRef<FieldChange>('FieldChange').implement({
  description: "One field's value before and after a revision (JSON: strings, numbers, lists; dates as ISO 8601 strings; null when unset).",
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field, as the entity type names it (e.g. `runtimeMinutes`).' }),
    before: t.field({ type: 'JSON', nullable: true, description: 'The value before (null for a CREATE, or when unset).', resolve: (c) => c.before }),
    after: t.field({ type: 'JSON', nullable: true, description: 'The value after (null for a DELETE, or when cleared).', resolve: (c) => c.after }),
  }),
});

export const ChangeSetRef = builder.prismaNode('ChangeSet', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'One write (a mutation, an import batch…): who made it, how and why, and the revisions it appended.',
  fields: (t) => ({
    kind: t.expose('kind', { type: ChangeSetKindEnum, description: 'Where the write came from.' }),
    actor: t.exposeString('actor', {
      description: 'Who wrote: the API key\'s name, "admin-token" (the ADMIN_TOKEN bootstrap), "import:<dataset>" or "seed".',
    }),
    operationName: t.exposeString('operationName', { nullable: true, description: 'The mutation (or job) applied, e.g. `updateFilm`.' }),
    note: t.exposeString('note', { nullable: true, description: "The writer's note: why the change was made (required for uncited facts)." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the write committed (to the millisecond).' }),
    revisions: t.relatedConnection(
      'revisions',
      { cursor: 'id', totalCount: true, description: 'Its revisions, in commit (id) order.', query: { orderBy: { id: 'asc' } } },
      {
        name: 'ChangeSetRevisionConnection',
        description: "A page of a change set's revisions.",
        fields: (t) => ({ totalCount: totalCountField(t, 'Revisions of the change set (all pages); counted only when selected.') }),
      },
      { name: 'ChangeSetRevisionEdge', description: 'A revision of the change set and its cursor.' },
    ),
  }),
});

/** Non-node types (PersonAlias, ReviewQuote) have ids of this form too, but `node(id:)` does not resolve them. */
const NOT_NODES = new Set<string>(['PersonAlias', 'ReviewQuote']);

export const RevisionRef = builder.prismaNode('Revision', {
  id: { field: 'id' },
  select: { id: true, entityType: true, entityId: true, diff: true, citationIds: true },
  nullable: true,
  description: 'One change to one entity, with its field-level diff, its citations and the change set it belongs to (docs/writing.md#revisions).',
  fields: (t) => ({
    changeSet: t.relation('changeSet', { description: 'The write this revision is part of: actor, operation, note, time.' }),
    action: t.expose('action', { type: RevisionActionEnum, description: 'CREATE, UPDATE, DELETE, MERGE or REVERT.' }),
    entityType: t.field({ type: ChangeEntityTypeEnum, description: 'The type of the changed entity.', resolve: (r) => r.entityType as EditableType }),
    entityId: t.id({ description: 'Global ID of the changed entity (it may no longer exist).', resolve: (r) => encodeGlobalID(r.entityType, r.entityId) }),
    entity: t.node({
      description: 'The changed entity as it is now; null once deleted (or for types without a node id: PersonAlias, ReviewQuote).',
      id: (r) => (NOT_NODES.has(r.entityType) ? null : { type: r.entityType, id: r.entityId }),
    }),
    changes: t.field({
      type: [FieldChangeRef],
      description: 'The changed fields, before → after, by field name.',
      resolve: (r) =>
        Object.entries(r.diff as FieldDiff)
          .map(([field, { before, after }]) => ({ field, before, after }))
          .sort((a, b) => (a.field < b.field ? -1 : 1)),
    }),
    diff: t.field({ type: 'JSON', description: 'The same diff as one JSON object: `{ field: { before, after } }`.', resolve: (r) => r.diff }),
    citations: t.field({
      type: [CitationRef],
      description: 'The citations given with this change (those still present: a deleted entity takes its citations with it).',
      resolve: async (r, _args, ctx) => {
        const load = batchLoader<number, Citation>(ctx, 'revision.citations', async (ids) => {
          const rows = await ctx.prisma.citation.findMany({ where: { id: { in: [...ids] } } });
          return new Map(rows.map((c) => [c.id, c]));
        });
        return (await Promise.all(r.citationIds.map(load))).filter((c): c is Citation => c !== undefined);
      },
    }),
    revertOf: t.relation('revertOf', { nullable: true, description: 'The revision this one reverted (revertRevision), if any.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When its write committed.' }),
  }),
});

/** Entity revisions, newest first; one connection type for every editable type. */
const RevisionConnection = builder.connectionObject(
  { type: RevisionRef, name: 'RevisionConnection', description: "A page of an entity's revisions, newest first." },
  { name: 'RevisionEdge', description: 'A revision and its cursor.' },
);

// `version` on every editable type (optimistic concurrency: docs/writing.md#versions).
for (const typename of Object.keys(EDITABLE_TYPES) as EditableType[]) {
  builder.prismaObjectFields(typename, (t) => ({
    version: t.exposeInt('version', {
      description: 'Bumped by every write; send it back with an update or delete, which is refused (CONFLICT) if someone wrote in between.',
    }),
  }));
}

/**
 * Adds `revisions` (newest first) to an editable type: one line per type, e.g.
 * `addRevisionsField('Credit')` in the type's module.
 */
export function addRevisionsField(typename: EditableType): void {
  builder.prismaObjectFields(typename, (t) => ({
    revisions: t.prismaConnection(
      {
        type: RevisionRef,
        cursor: 'id',
        description: `Every change to this ${typename}, newest first (the whole history, also through \`changes\`).`,
        resolve: (query, parent, _args, ctx) =>
          ctx.prisma.revision.findMany({ ...query, where: { entityType: typename, entityId: (parent as { id: number }).id }, orderBy: { id: 'desc' } }),
      },
      RevisionConnection,
    ),
  }));
}
