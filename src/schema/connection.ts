/**
 * Connection types shared by several fields. A Pothos `relatedConnection` makes a type per field
 * (FilmCreditsConnection, PersonCreditsConnection…); fields returning the same node with the same
 * edge fields share one readable type here instead, so a Relay fragment on `CreditConnection`
 * fits both `Film.credits` and `Person.credits`.
 */
import type { MaybePromise } from '@pothos/core';
import type { builder } from '../builder.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/**
 * `totalCount` as the Prisma plugin's own connections have it: a number on `relatedConnection`
 * results, a function on `prismaConnection` ones. The extension tells the plugin's planner that a
 * selection of only `totalCount` needs no rows.
 */
export function totalCountField(t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>, description: string) {
  return t.int({
    description,
    extensions: { pothosPrismaTotalCount: true },
    resolve: (parent) => {
      const total = (parent as { totalCount?: number | (() => MaybePromise<number>) }).totalCount;
      return typeof total === 'function' ? total() : total!;
    },
  });
}
