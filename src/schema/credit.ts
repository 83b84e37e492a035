import * as z from 'zod';
import { builder } from '../builder.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { citationsQuery } from './citation/citation.ts';
import { totalCountField } from './connection.ts';
import { CreditKindEnum, DepartmentEnum } from './enums.ts';
import { addRevisionsField } from './write/revision.ts';
import type { SqlFieldHook } from '../plugins/compiled/sql/compile.ts';

/** Billing order (unbilled last); id breaks ties so the order is total. */
export const castOrder = [{ billingOrder: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }] satisfies Prisma.CreditOrderByWithRelationInput[];

export const crewOrder = [{ department: 'asc' }, { job: 'asc' }, { id: 'asc' }] satisfies Prisma.CreditOrderByWithRelationInput[];

/** Cast (in billing order) before crew (by department and job). */
export const creditOrder = [
  { kind: 'asc' },
  { billingOrder: { sort: 'asc', nulls: 'last' } },
  { department: 'asc' },
  { job: 'asc' },
  { id: 'asc' },
] satisfies Prisma.CreditOrderByWithRelationInput[];

export const CreditFilterInput = builder.inputType('CreditFilter', {
  description: 'Every given part must hold. Omitted or null parts do not filter.',
  fields: (t) => ({
    kind: t.field({ type: CreditKindEnum, required: false, description: 'CAST or CREW.' }),
    department: t.field({ type: DepartmentEnum, required: false, description: 'The department.' }),
    job: t.string({
      required: false,
      description: 'Exact job title, case-insensitive (e.g. "director").',
      validate: z.string().min(1, 'job must not be empty').max(100, 'job is at most 100 characters').nullish(),
    }),
  }),
});

export function creditFilter(
  filter: { kind?: 'CAST' | 'CREW' | null; department?: Prisma.CreditWhereInput['department'] | null; job?: string | null } | null | undefined,
): Prisma.CreditWhereInput {
  if (!filter) return {};
  return {
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.department ? { department: filter.department } : {}),
    ...(filter.job ? { job: { equals: filter.job, mode: 'insensitive' } } : {}),
  };
}

export const CreditRef = builder.prismaNode('Credit', {
  id: { field: 'id' },
  select: { id: true },
  // node(id:) on a deleted or unknown row answers null rather than an error
  nullable: true,
  description: "A person's role on a film: a cast part or a crew job.",
  fields: (t) => ({
    film: t.relation('film', { description: 'The film.' }),
    person: t.relation('person', { description: 'The person credited.' }),
    kind: t.expose('kind', { type: CreditKindEnum, description: 'Cast or crew.' }),
    department: t.expose('department', { type: DepartmentEnum, description: 'ACTING for cast; the crew department otherwise.' }),
    job: t.exposeString('job', { description: 'Crew job (Director, Writer…); "Actor" for cast.' }),
    character: t.string({
      nullable: true,
      description: 'Cast only; null when the source does not name the character.',
      // Stored as '' when unknown so the uniqueness constraint covers it (see schema.prisma).
      select: { character: true },
      resolve: (credit) => (credit.character === '' ? null : credit.character),
      extensions: { sql: (({ parent }) => `NULLIF(${parent}."character", '')`) satisfies SqlFieldHook },
    }),
    billingOrder: t.expose('billingOrder', {
      type: 'NonNegativeInt',
      nullable: true,
      description: 'Cast only: position in the billing (lower first); null when unbilled.',
    }),
    voice: t.exposeBoolean('voice', { description: 'Cast only: a voice-only performance.' }),
    citations: t.relation('citations', { description: 'The excerpts that back this credit.', query: citationsQuery }),
  }),
});

/** `Film.credits` and `Person.credits`: the same node and edge fields, so one type. */
export const CreditConnection = builder.connectionObject(
  {
    type: CreditRef,
    name: 'CreditConnection',
    description: 'A page of credits.',
    fields: (t) => ({ totalCount: totalCountField(t, 'Credits matching the arguments (all pages); counted only when selected.') }),
  },
  { name: 'CreditEdge', description: 'A credit and its cursor.' },
);

addRevisionsField('Credit');
