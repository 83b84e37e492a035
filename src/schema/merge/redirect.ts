/** `redirectedFrom` / `redirectedFromSlug` on Film and Person: how a lookup reached the record (follow.ts). */
import { builder } from '../../builder.ts';
import { FilmRef } from '../film/film.ts';
import { PersonRef } from '../person/person.ts';
import { redirectedFrom } from './follow.ts';

for (const [ref, noun] of [
  [FilmRef, 'film'],
  [PersonRef, 'person'],
] as const) {
  builder.objectFields(ref, (t) => ({
    redirectedFrom: t.id({
      nullable: true,
      description:
        `Set when this ${noun} was reached through a redirect: the global id asked for (in \`node\`, \`nodes\`, or \`${noun}(id:)\` / \`${noun}(slug:)\`) ` +
        `belonged to a ${noun} merged into this one. Null when it was reached directly. It describes this lookup, not the record: ` +
        'read it from the response of the lookup (a normalised client cache stores it on the survivor). docs/writing.md#merges.',
      resolve: (row) => redirectedFrom(row)?.id ?? null,
    }),
    redirectedFromSlug: t.string({
      nullable: true,
      description: `With \`redirectedFrom\`: the merged-away ${noun}'s slug (the one to replace in stored links). Null when reached directly.`,
      resolve: (row) => redirectedFrom(row)?.slug ?? null,
    }),
  }));
}
