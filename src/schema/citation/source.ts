import { builder } from '../../builder.ts';
import { totalCountField } from '../connection.ts';
import { addRevisionsField } from '../write/revision.ts';
import { citationsQuery } from './citation.ts';

export const SourceRef = builder.prismaNode('Source', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'An article that facts are cited to.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key, unique. `source(slug:)` finds it.' }),
    title: t.exposeString('title', { nullable: true, description: "The article's headline." }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Where the article was published.' }),
    publisher: t.exposeString('publisher', { nullable: true, description: 'Who published it.' }),
    publishedOn: t.expose('publishedOn', { type: 'Date', nullable: true, description: 'The day it was published.' }),
    text: t.exposeString('text', { description: 'Full text; citation offsets index into it.' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 (hex) of `text`.' }),
    citations: t.relatedConnection(
      'citations',
      { cursor: 'id', totalCount: true, description: 'The citations into this source, by position in its text.', query: citationsQuery },
      {
        name: 'CitationConnection',
        description: 'A page of citations.',
        fields: (t) => ({ totalCount: totalCountField(t, 'Citations into this source (all pages); counted only when selected.') }),
      },
      { name: 'CitationEdge', description: 'A citation and its cursor.' },
    ),
  }),
});

builder.queryFields((t) => ({
  source: t.prismaField({
    type: 'Source',
    nullable: true,
    description: 'One source by slug. Null when none matches.',
    args: { slug: t.arg.string({ required: true, description: 'The slug (`Source.slug`).' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.source.findUnique({ ...query, where: { slug: args.slug } }),
  }),
  sources: t.prismaConnection(
    {
      type: 'Source',
      cursor: 'id',
      description: 'Every source, oldest first.',
      totalCount: (_parent, _args, ctx) => ctx.prisma.source.count(),
      resolve: (query, _root, _args, ctx) => ctx.prisma.source.findMany({ ...query, orderBy: { id: 'asc' } }),
    },
    {
      name: 'SourceConnection',
      description: 'A page of sources.',
      fields: (t) => ({ totalCount: totalCountField(t, 'Every source (all pages); counted only when selected.') }),
    },
    { name: 'SourceEdge', description: 'A source and its cursor.' },
  ),
}));

addRevisionsField('Source');
