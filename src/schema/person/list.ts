import type { ArgBuilder } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { Prisma, type Person } from '../../generated/prisma/client.ts';
import { decodeCursors, keysetArgValidators, keysetPage, toConnection, type KeysetArgs, type SortKey } from '../../pagination/keyset.ts';
import { DepartmentEnum } from '../enums.ts';
import { checkOrderBy, OrderDirectionEnum, orderSignature, type OrderTerm } from '../order.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const nonEmpty = (name: string, max: number) =>
  z.string().min(1, `${name} must not be empty`).max(max, `${name} is at most ${max} characters`).nullish();

export const PersonFilterInput = builder.inputType('PersonFilter', {
  description: 'Every given part must hold. `filmSlug`, `department` and `job` must match one and the same credit.',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Part of the name, case-insensitive.', validate: nonEmpty('name', 200) }),
    filmSlug: t.string({ required: false, description: 'Credited on this film.', validate: nonEmpty('filmSlug', 200) }),
    department: t.field({ type: DepartmentEnum, required: false }),
    job: t.string({ required: false, description: 'Credit job, case-insensitive (e.g. "Director").', validate: nonEmpty('job', 100) }),
  }),
});

export const PersonOrderFieldEnum = builder.enumType('PersonOrderField', {
  values: {
    NAME: {},
    CREATED_AT: {},
    CREDIT_COUNT: { description: 'Number of credits (cast and crew, all films).' },
  } as const,
});

export const PersonOrderInput = builder.inputType('PersonOrder', {
  fields: (t) => ({
    field: t.field({ type: PersonOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: false, defaultValue: 'ASC' }),
  }),
});

type PersonFilter = NonNullable<typeof PersonFilterInput.$inferInput>;
type PersonOrderField = 'NAME' | 'CREATED_AT' | 'CREDIT_COUNT';

const P = Prisma.raw('p."id"');

function personWhere(filter: PersonFilter | null | undefined): Prisma.Sql {
  const c: Prisma.Sql[] = [];
  if (filter?.name) {
    // Wildcards typed by the client match literally.
    const pattern = `%${filter.name.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    c.push(Prisma.sql`p."name" ILIKE ${pattern}`);
  }
  if (filter?.filmSlug || filter?.department || filter?.job) {
    const parts: Prisma.Sql[] = [Prisma.sql`c."personId" = ${P}`];
    if (filter.filmSlug) parts.push(Prisma.sql`c."filmId" = (SELECT f."id" FROM "Film" f WHERE f."slug" = ${filter.filmSlug})`);
    if (filter.department) parts.push(Prisma.sql`CAST(c."department" AS text) = ${filter.department}`);
    if (filter.job) parts.push(Prisma.sql`lower(c."job") = lower(${filter.job})`);
    c.push(Prisma.sql`EXISTS (SELECT 1 FROM "Credit" c WHERE ${Prisma.join(parts, ' AND ')})`);
  }
  return c.length ? Prisma.sql`WHERE ${Prisma.join(c, ' AND ')}` : Prisma.empty;
}

function personOrdering(orderBy: readonly OrderTerm<PersonOrderField>[] | null | undefined) {
  const terms = checkOrderBy(orderBy);
  const keys: SortKey[] = terms.map((term) => {
    const descending = term.direction === 'DESC';
    switch (term.field) {
      case 'NAME':
        return { expr: Prisma.sql`p."name"`, type: 'text', nullable: false, descending };
      case 'CREATED_AT':
        return { expr: Prisma.sql`p."createdAt"`, type: 'timestamptz', nullable: false, descending };
      case 'CREDIT_COUNT':
        return { expr: Prisma.sql`(SELECT CAST(count(*) AS int) FROM "Credit" c WHERE c."personId" = ${P})`, type: 'int', nullable: false, descending };
    }
  });
  return { keys, signature: `Person|${orderSignature(terms)}` };
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
  filter: t({ type: PersonFilterInput, required: false }),
  orderBy: t({ type: [PersonOrderInput], required: false, description: 'Sort terms in priority order; id breaks remaining ties. Default: by id.' }),
  first: t.int({ required: false, validate: keysetArgValidators.first }),
  after: t.string({ required: false }),
  last: t.int({ required: false, validate: keysetArgValidators.last }),
  before: t.string({ required: false }),
});

export async function resolvePersonList(
  args: KeysetArgs & { filter?: PersonFilter | null; orderBy?: readonly OrderTerm<PersonOrderField>[] | null },
  ctx: Context,
  info: GraphQLResolveInfo,
) {
  const { keys, signature } = personOrdering(args.orderBy);
  const cursors = decodeCursors(ctx.cursors, signature, keys, args);
  const where = personWhere(args.filter);
  const page = await keysetPage(ctx.prisma, {
    codec: ctx.cursors,
    ordering: signature,
    source: Prisma.sql`FROM "Person" p ${where}`,
    idExpr: P,
    keys,
    args,
    ...cursors,
  });
  const query = queryFromInfo({ context: ctx, info, typeName: 'Person', select: { id: true }, paths: [['nodes'], ['edges', 'node']] }) as Prisma.PersonFindManyArgs;
  const ids = page.rows.map((r) => r.id);
  const loaded = ids.length ? await ctx.prisma.person.findMany({ ...query, where: { id: { in: ids } } }) : [];
  let count: Promise<number> | undefined;
  const extras: PersonListExtras = {
    totalCount: () =>
      (count ??= ctx.prisma.$queryRaw<{ count: number }[]>`SELECT CAST(count(*) AS int) AS "count" FROM "Person" p ${where}`.then(
        ([row]) => row!.count,
      )),
  };
  // Rows hold what the client selected; Pothos types nodes as whole Person rows, as prismaConnection does.
  return toConnection(page, loaded as Person[], extras);
}
