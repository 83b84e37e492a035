import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import { getNamedType, isLeafType, isListType, isNonNullType, type GraphQLField, type GraphQLNamedType, type GraphQLOutputType } from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../pagination/page-size.ts';

/**
 * The cost model (docs/guards.md#query-cost): a field returning an object costs 1, a scalar 0.
 * A field with `first`/`last` multiplies the cost of its selection by the page size it asks
 * for (default page when absent, capped at the maximum page); the lists inside a connection
 * (`edges`, `nodes`) are that page, so they do not multiply again. Any other list multiplies
 * by LIST_SIZE_ESTIMATE (or the length of an `ids` argument). A list costs at least its
 * length: each item counts at least 1 even when it selects only scalars (a page of
 * `totalCount`, `nodes(ids:) { id }`, `genres`), since the rows are loaded and serialised all
 * the same. Edges and PageInfo cost 0: they come with the rows of the page. The rules read
 * only the schema, so root fields added later (search, filtered lists) are priced without
 * per-field code.
 */
export const LIST_SIZE_ESTIMATE = 10;

// Any field of any schema: the rules read only its type, arguments and Pothos extensions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = GraphQLField<any, any, any>;

const unwrapNonNull = (type: GraphQLOutputType) => (isNonNullType(type) ? type.ofType : type);
const isFreeType = (type: GraphQLNamedType) => type.name === 'PageInfo' || type.name.endsWith('Edge');
export const isPaged = (field: AnyField) => field.args.some((a) => a.name === 'first' || a.name === 'last');
const isInConnection = (field: AnyField) =>
  String((field.extensions as { pothosConfig?: { parentType?: string } }).pothosConfig?.parentType ?? '').endsWith('Connection');

/**
 * The arguments the model reads, and how: the value of `first`/`last`, only the length of `ids`.
 * The requested-cost cache (cost.ts) keys prices by exactly these, in this form.
 */
export const PRICED_ARGUMENTS = { first: 'value', last: 'value', ids: 'length' } as const;

/** A list that multiplies (a page, or a plain list outside a connection): it costs at least its length. */
export const isSizedList = (field: AnyField) => isPaged(field) || (isListType(unwrapNonNull(field.type)) && !isInConnection(field));

/** A field's own cost, before multipliers. */
export function ownCost(field: AnyField): number {
  const named = getNamedType(field.type);
  return isLeafType(named) || isFreeType(named) ? 0 : 1;
}

/** The builder's `complexity.fieldComplexity`, applied to every field of the schema. */
export function createFieldComplexity() {
  const pageSize = (args: Record<string, unknown>): number => {
    const asked = typeof args['first'] === 'number' ? args['first'] : typeof args['last'] === 'number' ? args['last'] : DEFAULT_PAGE_SIZE;
    // Above the maximum the field itself refuses the request (BAD_USER_INPUT), so it never costs more.
    return Math.min(Math.max(asked, 0), MAX_PAGE_SIZE);
  };
  return (args: Record<string, unknown>, _ctx: unknown, field: AnyField): FieldComplexityValue => {
    const own = ownCost(field);
    if (isPaged(field)) return { field: own, multiplier: pageSize(args) };
    if (!isListType(unwrapNonNull(field.type)) || isInConnection(field)) return { field: own, multiplier: 1 };
    if (Array.isArray(args['ids'])) return { field: own, multiplier: args['ids'].length };
    return { field: own, multiplier: LIST_SIZE_ESTIMATE };
  };
}
