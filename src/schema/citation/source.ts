import { builder } from '../../builder.ts';
import { addRevisionsField } from '../write/revision.ts';
import { citationsQuery } from './citation.ts';

export const SourceRef = builder.prismaNode('Source', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'An article that facts are cited to.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    title: t.exposeString('title', { nullable: true }),
    url: t.expose('url', { type: 'URL', nullable: true }),
    publisher: t.exposeString('publisher', { nullable: true }),
    publishedOn: t.expose('publishedOn', { type: 'Date', nullable: true }),
    text: t.exposeString('text', { description: 'Full text; citation offsets index into it.' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 (hex) of `text`.' }),
    citations: t.relatedConnection('citations', { cursor: 'id', totalCount: true, query: citationsQuery }),
  }),
});

builder.queryFields((t) => ({
  source: t.prismaField({
    type: 'Source',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.source.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  sources: t.prismaConnection({
    type: 'Source',
    cursor: 'id',
    totalCount: (_parent, _args, ctx) => ctx.prisma.source.count(),
    resolve: (query, _root, _args, ctx) => ctx.prisma.source.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
}));

addRevisionsField('Source');
