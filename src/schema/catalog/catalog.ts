/**
 * Catalogue facts that imports bring (docs/importing.md): audience ratings, alternative titles,
 * companies and their parts in films, money, title types; each cited like every other fact.
 * Siblings: enums.ts (TitleType, RatingSource, CompanyRole, MoneyKind, ConflictStatus) ·
 * conflict.ts (Conflict, `conflicts`) · conflict-mutations.ts and conflict-edit.ts (resolveConflict).
 */
import { builder } from '../../builder.ts';
import { citationsQuery } from '../citation/citation.ts';
import { FilmRef } from '../film/film.ts';
import { addRevisionsField } from '../write/revision.ts';
import { CompanyRoleEnum, MoneyKindEnum, RatingSourceEnum, TitleTypeEnum } from './enums.ts';

export const RatingRef = builder.prismaNode('Rating', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'An audience rating of a film from one source (not a critic review), cited to the record that gives it.',
  fields: (t) => ({
    film: t.relation('film', { description: 'The rated film.' }),
    source: t.expose('source', { type: RatingSourceEnum, description: 'Who collected it.' }),
    value: t.exposeFloat('value', { description: 'The rating, between 0 and `scale`.' }),
    scale: t.exposeFloat('scale', { description: 'The best possible value (10 for IMDb, 100 for Rotten Tomatoes).' }),
    votes: t.exposeInt('votes', { nullable: true, description: 'How many votes it averages; null when the source does not say.' }),
    citations: t.relation('citations', { description: 'The records that back it.', query: citationsQuery }),
  }),
});

export const FilmTitleRef = builder.prismaNode('FilmTitle', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'Another title of a film: localized (e.g. "Elle" in France for *Her*), alternative, working; searchable.',
  fields: (t) => ({
    film: t.relation('film', { description: 'The film.' }),
    title: t.exposeString('title', { description: 'The title.' }),
    region: t.string({
      nullable: true,
      select: { region: true },
      description: 'ISO 3166-1 alpha-2 region it is used in; null when not tied to one.',
      resolve: (r) => r.region || null,
    }),
    language: t.string({
      nullable: true,
      select: { language: true },
      description: 'ISO 639 language code; null when not given.',
      resolve: (r) => r.language || null,
    }),
    types: t.exposeStringList('types', { description: 'IMDb title types, e.g. ["imdbDisplay"], ["working"], ["festival"].' }),
    citations: t.relation('citations', { description: 'The records that back it.', query: citationsQuery }),
  }),
});

export const CompanyRef = builder.prismaNode('Company', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'A company: a distributor, a production company.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'URL key, unique.' }),
    name: t.exposeString('name', { description: 'Its name.' }),
    films: t.relation('films', {
      description: 'Its parts in films, newest record first.',
      query: { orderBy: { id: 'desc' }, take: 100 },
    }),
    citations: t.relation('citations', { description: 'The records that back its name.', query: citationsQuery }),
  }),
});

export const FilmCompanyRef = builder.prismaNode('FilmCompany', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: "A company's part in a film (distributor, producer), cited.",
  fields: (t) => ({
    film: t.relation('film', { description: 'The film.' }),
    company: t.relation('company', { description: 'The company.' }),
    role: t.expose('role', { type: CompanyRoleEnum, description: 'Its part.' }),
    citations: t.relation('citations', { description: 'The records that back it.', query: citationsQuery }),
  }),
});

export const FilmMoneyRef = builder.prismaNode('FilmMoney', {
  id: { field: 'id' },
  select: { id: true },
  nullable: true,
  description: 'An amount of money about a film (budget, box office) with its currency, cited.',
  fields: (t) => ({
    film: t.relation('film', { description: 'The film.' }),
    kind: t.expose('kind', { type: MoneyKindEnum, description: 'What the amount is.' }),
    amount: t.float({ select: { amount: true }, description: 'Whole units of `currency` (exact up to 2^53).', resolve: (m) => Number(m.amount) }),
    currency: t.exposeString('currency', { description: 'ISO 4217 code, e.g. "USD".' }),
    citations: t.relation('citations', { description: 'The records that back it.', query: citationsQuery }),
  }),
});

builder.prismaObjectFields(FilmRef, (t) => ({
  titleType: t.expose('titleType', { type: TitleTypeEnum, nullable: true, description: 'Feature, short, TV…; null when no source gives it.' }),
  ratings: t.relation('ratings', { description: 'Audience ratings, one per source, by source.', query: { orderBy: [{ source: 'asc' }] } }),
  alternativeTitles: t.relation('titles', {
    description: 'Its other titles (localized, alternative, working), optionally in one region.',
    args: { region: t.arg({ type: 'CountryCode', required: false, description: 'Only the titles used in this region.' }) },
    query: (args) => ({
      where: args.region ? { region: args.region } : {},
      orderBy: [{ region: 'asc' }, { language: 'asc' }, { title: 'asc' }, { id: 'asc' }],
    }),
  }),
  companies: t.relation('companies', {
    description: 'Companies with a part in it (distributors, producers), optionally of one role.',
    args: { role: t.arg({ type: CompanyRoleEnum, required: false, description: 'Only this part.' }) },
    query: (args) => ({ where: args.role ? { role: args.role } : {}, orderBy: [{ role: 'asc' }, { id: 'asc' }] }),
  }),
  money: t.relation('money', { description: 'Budget and box office, by kind.', query: { orderBy: [{ kind: 'asc' }] } }),
}));

for (const type of ['Rating', 'FilmTitle', 'Company', 'FilmCompany', 'FilmMoney'] as const) addRevisionsField(type);

builder.queryFields((t) => ({
  company: t.prismaField({
    type: CompanyRef,
    nullable: true,
    description: 'One company by slug. Null when none matches.',
    args: { slug: t.arg.string({ required: true, description: 'The slug (`Company.slug`).' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.company.findUnique({ ...query, where: { slug: args.slug } }),
  }),
}));
