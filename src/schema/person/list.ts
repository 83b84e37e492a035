import type { ArgBuilder } from '@pothos/core';
import type { GraphQLResolveInfo } from 'graphql';
import * as z from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import type { Person, Prisma } from '../../generated/prisma/client.ts';
import type { KeysetArgs } from '../../pagination/keyset.ts';
import { keysetListPage, resolveKeysetList, type KeysetList } from '../../pagination/list.ts';
import type { SqlListRoot } from '../../plugins/compiled/sql/compile.ts';
import { keysetPageArgs } from '../connection.ts';
import { DepartmentEnum } from '../enums.ts';
import { checkOrderBy, OrderDirectionEnum, orderSignature, type OrderTerm } from '../order.ts';
import { PERSON_ID, personSortKey, personSource, personWhere, type PersonOrderField } from './sql.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const nonEmpty = (name: string, max: number) => z.string().min(1, `${name} must not be empty`).max(max, `${name} is at most ${max} characters`).nullish();

export const PersonFilterInput = builder.inputType('PersonFilter', {
  description: 'Every given part must hold. `filmSlug`, `department` and `job` must match one and the same credit.',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Part of the name, case-insensitive.', validate: nonEmpty('name', 200) }),
    filmSlug: t.string({ required: false, description: 'Credited on this film.', validate: nonEmpty('filmSlug', 200) }),
    department: t.field({ type: DepartmentEnum, required: false, description: 'Credited in this department.' }),
    job: t.string({ required: false, description: 'Credit job, case-insensitive (e.g. "Director").', validate: nonEmpty('job', 100) }),
  }),
});

export const PersonOrderFieldEnum = builder.enumType('PersonOrderField', {
  description: 'What people can be sorted by.',
  values: {
    NAME: { description: 'Name, in the database collation.' },
    CREATED_AT: { description: 'When the person was added to Cinegraph.' },
    CREDIT_COUNT: { description: 'Number of credits (cast and crew, all films).' },
  } as const,
});

export const PersonOrderInput = builder.inputType('PersonOrder', {
  description: 'One sort term of `people(orderBy:)`.',
  fields: (t) => ({
    field: t.field({ type: PersonOrderFieldEnum, required: true, description: 'The key to sort by.' }),
    direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'ASC', description: 'ASC (default) or DESC.' }),
  }),
});

type PersonFilter = NonNullable<typeof PersonFilterInput.$inferInput>;

function personOrdering(orderBy: readonly OrderTerm<PersonOrderField>[] | null | undefined) {
  const terms = checkOrderBy(orderBy);
  return { keys: terms.map((term) => personSortKey(term.field, term.direction === 'DESC')), signature: `Person|${orderSignature(terms)}` };
}

interface PersonListExtras {
  totalCount: () => Promise<number>;
}

export const personConnectionFields = (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
  totalCount: t.int({
    description: 'People matching the filter (all pages); counted only when selected.',
    resolve: (parent) => (parent as PersonListExtras).totalCount(),
  }),
});

export const personListArgs = (t: ArgBuilder<Types>) => ({
  filter: t({ type: PersonFilterInput, required: false, description: 'Only the people matching every given part.' }),
  orderBy: t({ type: [PersonOrderInput], required: false, description: 'Sort terms in priority order; id breaks remaining ties. Default: by id.' }),
  ...keysetPageArgs(t),
});

type PersonListArgs = KeysetArgs & { filter?: PersonFilter | null; orderBy?: readonly OrderTerm<PersonOrderField>[] | null };

function personList(args: PersonListArgs, ctx: Context): KeysetList<Person> {
  return {
    typeName: 'Person',
    ordering: personOrdering(args.orderBy),
    source: personSource(personWhere(args.filter)),
    idExpr: PERSON_ID,
    // Rows hold what the client selected; Pothos types nodes as whole Person rows, as prismaConnection does.
    load: (query, ids) => ctx.prisma.person.findMany({ ...(query as Prisma.PersonFindManyArgs), where: { id: { in: ids } } }) as Promise<Person[]>,
  };
}

export async function resolvePersonList(args: PersonListArgs, ctx: Context, info: GraphQLResolveInfo) {
  return resolveKeysetList(ctx, info, args, personList(args, ctx));
}

/** `people` for hot documents answered in SQL (plugins/compiled/sql): the same page. */
export const personListSql: SqlListRoot = {
  model: 'Person',
  fields: ['totalCount'],
  page: async (args, ctx: Context) => keysetListPage(ctx, args, personList(args as PersonListArgs, ctx)),
};
