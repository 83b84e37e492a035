/**
 * Parts of connections shared across domains. A Pothos `relatedConnection` makes a type per field
 * (FilmCreditsConnection, PersonCreditsConnection…); fields returning the same node with the same
 * edge fields share one readable type instead (CreditConnection in credit.ts, ReviewConnection in
 * review.ts), so a Relay fragment on `CreditConnection` fits both `Film.credits` and
 * `Person.credits`. Those shared types and the root lists we page ourselves take their
 * `totalCount` and paging arguments from here.
 */
import type { ArgBuilder, MaybePromise } from '@pothos/core';
import type { builder } from '../builder.ts';
import { PAGE_ARG_DESCRIPTIONS, pageSizeArg } from '../pagination/page-size.ts';

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

/** `first`/`after`/`last`/`before` of the lists we page ourselves (films, people), worded as Pothos' connections. */
export const keysetPageArgs = (t: ArgBuilder<Types>) => ({
  first: t.int({ required: false, validate: pageSizeArg('first'), description: PAGE_ARG_DESCRIPTIONS.first }),
  after: t.string({ required: false, description: PAGE_ARG_DESCRIPTIONS.after }),
  last: t.int({ required: false, validate: pageSizeArg('last'), description: PAGE_ARG_DESCRIPTIONS.last }),
  before: t.string({ required: false, description: PAGE_ARG_DESCRIPTIONS.before }),
});
