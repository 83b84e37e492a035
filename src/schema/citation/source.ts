import type { SourceKind } from '../../generated/prisma/enums.ts';
import { builder } from '../../builder.ts';
import { totalCountField } from '../connection.ts';
import { addRevisionsField } from '../write/revision.ts';
import { citationsQuery } from './citation.ts';

const SourceKindEnum = builder.enumType('SourceKind', {
  description: 'What a source is.',
  values: {
    ARTICLE: { description: 'A text: its citations quote excerpts of it.' },
    DATASET: { description: 'A snapshot of a dataset (IMDb files, movies.json): its citations name records.' },
  } as const satisfies Record<SourceKind, { description: string }>,
});

export const SourceRef = builder.prismaNode('Source', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'An article, or a snapshot of a dataset, that facts are cited to.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key, unique. `source(slug:)` finds it.' }),
    kind: t.expose('kind', { type: SourceKindEnum, description: 'ARTICLE (citations quote its text) or DATASET (citations name its records).' }),
    dataset: t.exposeString('dataset', { nullable: true, description: 'DATASET: the dataset\'s name, e.g. "imdb"; its snapshots share it.' }),
    snapshot: t.exposeString('snapshot', { nullable: true, description: 'DATASET: the snapshot (a version or a date), e.g. "3.2.1".' }),
    licence: t.exposeString('licence', { nullable: true, description: 'DATASET: the licence the data is used under, e.g. "BSD-3-Clause".' }),
    title: t.exposeString('title', { nullable: true, description: "The article's headline." }),
    url: t.expose('url', { type: 'URL', nullable: true, description: 'Where the article was published.' }),
    publisher: t.exposeString('publisher', { nullable: true, description: 'Who published it.' }),
    publishedOn: t.expose('publishedOn', { type: 'Date', nullable: true, description: 'The day it was published.' }),
    text: t.exposeString('text', { description: 'Full text; citation offsets index into it. Empty for a dataset.' }),
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
