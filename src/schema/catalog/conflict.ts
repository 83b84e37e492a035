/** Conflict: an imported value that disagrees with a value backed by another source, kept for an editor; the `conflicts` root field. */
import { encodeGlobalID } from '@pothos/plugin-relay';
import { batchLoader } from '../../batch.ts';
import { builder } from '../../builder.ts';
import type { Citation } from '../../generated/prisma/client.ts';
import { CitationRef } from '../citation/citation.ts';
import { totalCountField } from '../connection.ts';
import { ChangeEntityTypeEnum, addRevisionsField } from '../write/revision.ts';
import type { EditableType } from '../write/entities.ts';
import { ConflictStatusEnum } from './enums.ts';

interface IncomingRecord {
  sourceId: number;
  file: string;
  key: string;
  fields: string[];
}

const IncomingRecordRef = builder.objectRef<IncomingRecord>('ConflictRecord').implement({
  description: 'The dataset record an incoming value comes from: the snapshot, the file, the key and the fields.',
  fields: (t) => ({
    source: t.prismaField({
      type: 'Source',
      description: 'The dataset snapshot.',
      resolve: (query, r, _args, ctx) => ctx.prisma.source.findUniqueOrThrow({ ...query, where: { id: r.sourceId } }),
    }),
    file: t.exposeString('file', { description: 'The dataset file, e.g. "movies.json" or "title.basics".' }),
    key: t.exposeString('key', { description: "The record's key within the file." }),
    fields: t.exposeStringList('fields', { description: "The record's fields that state the value." }),
  }),
});

export const ConflictRef = builder.prismaNode('Conflict', {
  id: { field: 'id' },
  select: { id: true, entityType: true, entityId: true, currentCitationIds: true, sourceId: true, recordFile: true, recordKey: true, recordFields: true },
  nullable: true,
  description:
    'An imported value that disagrees with a value backed by another source (an article, an editor). The current value stays until an editor resolves it (resolveConflict).',
  fields: (t) => ({
    entityType: t.field({ type: ChangeEntityTypeEnum, description: 'The type of the entity.', resolve: (c) => c.entityType as EditableType }),
    entityId: t.id({ description: 'Global ID of the entity.', resolve: (c) => encodeGlobalID(c.entityType, c.entityId) }),
    entity: t.node({ description: 'The entity as it is now; null once deleted.', id: (c) => ({ type: c.entityType, id: c.entityId }) }),
    field: t.exposeString('field', { description: 'The field in dispute, as the type names it (e.g. `runtimeMinutes`).' }),
    currentValue: t.field({
      type: 'JSON',
      nullable: true,
      description: 'The value when the conflict was raised.',
      select: { currentValue: true },
      resolve: (c) => c.currentValue,
    }),
    currentCitations: t.field({
      type: [CitationRef],
      description: 'The citations that backed the current value when the conflict was raised (those still present).',
      resolve: async (c, _args, ctx) => {
        const load = batchLoader<number, Citation>(ctx, 'conflict.citations', async (ids) => {
          const rows = await ctx.prisma.citation.findMany({ where: { id: { in: [...ids] } } });
          return new Map(rows.map((row) => [row.id, row]));
        });
        return (await Promise.all(c.currentCitationIds.map(load))).filter((row): row is Citation => row !== undefined);
      },
    }),
    incomingValue: t.field({ type: 'JSON', description: 'The value the import brought.', select: { incomingValue: true }, resolve: (c) => c.incomingValue }),
    incoming: t.field({
      type: IncomingRecordRef,
      description: 'The record the incoming value comes from (what a citation of it would name).',
      resolve: (c) => ({ sourceId: c.sourceId, file: c.recordFile, key: c.recordKey, fields: c.recordFields }),
    }),
    status: t.expose('status', { type: ConflictStatusEnum, description: 'OPEN, KEPT_CURRENT or ACCEPTED_INCOMING.' }),
    resolvedBy: t.exposeString('resolvedBy', { nullable: true, description: 'Who resolved it (the API key name).' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When it was resolved.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When an import raised it.' }),
  }),
});

addRevisionsField('Conflict');

builder.queryFields((t) => ({
  conflicts: t.prismaConnection(
    {
      type: ConflictRef,
      cursor: 'id',
      description: 'Conflicts raised by imports, oldest first; by default only the OPEN ones.',
      args: {
        status: t.arg({ type: ConflictStatusEnum, required: false, defaultValue: 'OPEN', description: 'Only conflicts in this status (default OPEN).' }),
      },
      totalCount: (_parent, args, ctx) => ctx.prisma.conflict.count({ where: { status: args.status ?? 'OPEN' } }),
      resolve: (query, _root, args, ctx) => ctx.prisma.conflict.findMany({ ...query, where: { status: args.status ?? 'OPEN' }, orderBy: { id: 'asc' } }),
    },
    {
      name: 'ConflictConnection',
      description: 'A page of conflicts.',
      fields: (t) => ({ totalCount: totalCountField(t, 'Conflicts in that status (all pages); counted only when selected.') }),
    },
    { name: 'ConflictEdge', description: 'A conflict and its cursor.' },
  ),
}));
