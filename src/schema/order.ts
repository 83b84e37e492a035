import { builder } from '../builder.ts';
import { userInputError } from '../errors.ts';

export const OrderDirectionEnum = builder.enumType('OrderDirection', {
  values: {
    ASC: { description: 'Ascending: A→Z, oldest first, smallest first.' },
    DESC: { description: 'Descending: Z→A, newest first, largest first.' },
  } as const,
  description: 'Sort direction. NULL sort keys come last in both directions.',
});

export type OrderDirection = 'ASC' | 'DESC';

export interface OrderTerm<F extends string> {
  field: F;
  direction?: OrderDirection | null;
}

/** An orderBy list must not name a field twice (the second mention could never take effect). */
export function checkOrderBy<F extends string>(orderBy: readonly OrderTerm<F>[] | null | undefined): OrderTerm<F>[] {
  const terms = [...(orderBy ?? [])];
  const seen = new Set<F>();
  for (const term of terms) {
    if (seen.has(term.field)) throw userInputError(`orderBy names ${term.field} more than once; give each field at most once.`);
    seen.add(term.field);
  }
  return terms;
}

/** The part of a cursor's ordering signature that lists the terms, e.g. "TITLE:ASC,YEAR:DESC". */
export function orderSignature<F extends string>(terms: OrderTerm<F>[]): string {
  return terms.map((t) => `${t.field}:${t.direction ?? 'ASC'}`).join(',');
}
