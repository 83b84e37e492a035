import * as z from 'zod';
import { builder } from '../builder.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ReleaseType } from '../generated/prisma/enums.ts';
import { citationsQuery } from './citation/citation.ts';
import { totalCountField } from './connection.ts';
import { ReleaseTypeEnum } from './enums.ts';
import { addRevisionsField } from './write/revision.ts';

export const ReleaseRef = builder.prismaNode('Release', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'A film reaching audiences in one country on one date, in one way.',
  fields: (t) => ({
    film: t.relation('film', { description: 'The film released.' }),
    country: t.expose('country', { type: 'CountryCode', description: 'ISO 3166-1 alpha-2.' }),
    date: t.expose('date', { type: 'Date', description: 'The day it opened (or aired, or went on sale).' }),
    type: t.expose('type', { type: ReleaseTypeEnum, description: 'How it was released.' }),
    certification: t.exposeString('certification', { nullable: true, description: 'Age rating in that country (e.g. "R", "15"); null when unknown.' }),
    note: t.exposeString('note', { nullable: true, description: 'Editorial note, e.g. the festival of a premiere.' }),
    citations: t.relation('citations', { description: 'The excerpts that back this release.', query: citationsQuery }),
  }),
});

addRevisionsField('Release');

const RELEASE_TYPE_COUNT = Object.keys(ReleaseType).length;
/** A client-sized list is bounded like every other (docs/guards.md#limits): no more entries than there are types. */
export const maxReleaseTypes = z.array(z.string()).max(RELEASE_TYPE_COUNT, { message: `\`types\` lists at most ${RELEASE_TYPE_COUNT} ReleaseTypes.` });

/** `types`, where taken: omitted means every type; an empty list is a mistake, not "none". */
export const releaseTypesArg = maxReleaseTypes.min(1, { message: '`types` must list at least one ReleaseType; omit it to consider every type.' }).nullish();

export const releaseOrder = [{ date: 'asc' }, { country: 'asc' }, { id: 'asc' }] satisfies Prisma.ReleaseOrderByWithRelationInput[];

const releaseRange = z
  .looseObject({ from: z.date().nullish(), to: z.date().nullish() })
  .refine((args) => !args.from || !args.to || args.from.getTime() <= args.to.getTime(), { message: '`from` must be on or before `to`.', path: ['from'] });

function releaseWhere(args: { country?: string | null; from?: Date | null; to?: Date | null; types?: ReleaseType[] | null }): Prisma.ReleaseWhereInput {
  return {
    ...(args.country ? { country: args.country.toUpperCase() } : {}),
    ...(args.from || args.to ? { date: { ...(args.from ? { gte: args.from } : {}), ...(args.to ? { lte: args.to } : {}) } } : {}),
    ...(args.types ? { type: { in: args.types } } : {}),
  };
}

builder.queryFields((t) => ({
  releases: t.prismaConnection(
    {
      type: ReleaseRef,
      cursor: 'id',
      description:
        'Releases by date, then country, then id — e.g. what opens in GB in February: ' +
        '`releases(country: "GB", from: "2014-02-01", to: "2014-02-28")`. `from` and `to` are inclusive.',
      args: {
        country: t.arg({ type: 'CountryCode', required: false, description: 'Only releases in this country.' }),
        from: t.arg({ type: 'Date', required: false, description: 'Only releases on or after this day.' }),
        to: t.arg({ type: 'Date', required: false, description: 'Only releases on or before this day.' }),
        types: t.arg({
          type: [ReleaseTypeEnum],
          required: false,
          validate: releaseTypesArg,
          description: 'Only releases of these types (default: every type).',
        }),
      },
      validate: releaseRange,
      totalCount: (_parent, args, ctx) => ctx.prisma.release.count({ where: releaseWhere(args) }),
      resolve: (query, _root, args, ctx) => ctx.prisma.release.findMany({ ...query, where: releaseWhere(args), orderBy: releaseOrder }),
    },
    {
      name: 'ReleaseConnection',
      description: 'A page of releases.',
      fields: (t) => ({ totalCount: totalCountField(t, 'Releases matching the arguments (all pages); counted only when selected.') }),
    },
    { name: 'ReleaseEdge', description: 'A release and its cursor.' },
  ),
}));
