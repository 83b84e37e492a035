import { builder } from '../builder.ts';
import { citationsQuery } from './citation.ts';
import { ReleaseTypeEnum } from './enums.ts';

builder.prismaNode('Release', {
  id: { field: 'id' },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: 'A film reaching audiences in one country on one date, in one way.',
  fields: (t) => ({
    film: t.relation('film'),
    country: t.expose('country', { type: 'CountryCode', description: 'ISO 3166-1 alpha-2.' }),
    date: t.expose('date', { type: 'Date' }),
    type: t.expose('type', { type: ReleaseTypeEnum }),
    certification: t.exposeString('certification', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    citations: t.relation('citations', { query: citationsQuery }),
  }),
});
