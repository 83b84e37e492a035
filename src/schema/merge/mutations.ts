/** The merge mutations' schema: MergeFilmsInput / MergePeopleInput, their payloads, and the `mergeFilms` / `mergePeople` fields (scope `admin`). */
import { builder } from '../../builder.ts';
import { FilmRef } from '../film/film.ts';
import { PersonRef } from '../person/person.ts';
import { runWrite } from '../write/run.ts';
import { loadEntity, userErrorsField, type Payload } from '../write/write.ts';
import { mergeFilms } from './films.ts';
import type { RedirectedType } from './follow.ts';
import { mergeSchema, type MergeResult } from './merge.ts';
import { mergePeople } from './people.ts';
import './redirect.ts';

const mergeInput = (typename: RedirectedType, noun: string) =>
  builder.inputType(`Merge${typename === 'Film' ? 'Films' : 'People'}Input`, {
    description: `Two records of the same ${noun}: everything of \`from\` moves to \`into\`, then \`from\` is deleted and its id and slug redirect to \`into\`.`,
    fields: (t) => ({
      from: t.id({ required: true, description: `The ${noun} merged away (global ID): deleted, its id and slug redirect to \`into\`.` }),
      into: t.id({ required: true, description: `The ${noun} that stays (global ID).` }),
      fromVersion: t.int({ required: true, description: 'The `version` of `from` you read; a stale one is refused with CONFLICT.' }),
      intoVersion: t.int({ required: true, description: 'The `version` of `into` you read; a stale one is refused with CONFLICT.' }),
      note: t.string({ description: 'Why they are merged (stored on the change set).' }),
      idempotencyKey: t.string({ description: 'Same as the Idempotency-Key header: a retry with the same key returns the first result (24 h).' }),
    }),
  });

const MergeFilmsInput = mergeInput('Film', 'film');
const MergePeopleInput = mergeInput('Person', 'person');

const DELETED = 'Global IDs of the records deleted: `from`, and the duplicates collapsed into the survivor’s (credits, releases, aliases).';

const MergeFilmsPayload = builder.objectRef<Payload<MergeResult>>('MergeFilmsPayload').implement({
  description: 'The film that stayed, or why nothing was merged.',
  fields: (t) => ({
    film: t.prismaField({
      type: FilmRef,
      nullable: true,
      description: 'The surviving film (`into`) after the merge; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.into, (args) => ctx.prisma.film.findUnique(args)),
    }),
    deletedIds: t.idList({ description: DELETED, resolve: (payload) => payload.deletedIds ?? [] }),
    movedIds: t.idList({
      description: 'Global IDs of the records moved to the survivor: credits, releases, reviews, citations.',
      resolve: (payload) => payload.movedIds ?? [],
    }),
    userErrors: userErrorsField(t),
  }),
});

const MergePeoplePayload = builder.objectRef<Payload<MergeResult>>('MergePeoplePayload').implement({
  description: 'The person who stayed, or why nothing was merged.',
  fields: (t) => ({
    person: t.prismaField({
      type: PersonRef,
      nullable: true,
      description: 'The surviving person (`into`) after the merge; null when the mutation failed.',
      resolve: (query, payload, _args, ctx) => loadEntity(query, payload.into, (args) => ctx.prisma.person.findUnique(args)),
    }),
    deletedIds: t.idList({ description: DELETED, resolve: (payload) => payload.deletedIds ?? [] }),
    movedIds: t.idList({
      description: 'Global IDs of the records moved to the survivor: credits, aliases (the new one from `from`’s name too), citations.',
      resolve: (payload) => payload.movedIds ?? [],
    }),
    userErrors: userErrorsField(t),
  }),
});

builder.mutationFields((t) => ({
  mergeFilms: t.field({
    type: MergeFilmsPayload,
    authScopes: { admin: true },
    description:
      'Merge two records of the same film: credits, releases, reviews, citations and missing facts and external ids move from `from` to `into` (duplicates collapse ' +
      'into the survivor’s); `from` is deleted and its id and slug redirect to `into`. Scope `admin`. Idempotent with an Idempotency-Key. docs/writing.md#merges.',
    args: { input: t.arg({ type: MergeFilmsInput, required: true, description: 'The two films and the versions read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'mergeFilms', input, schema: mergeSchema('Film'), idempotent: true }, (w, parsed) => mergeFilms(w, parsed)),
  }),
  mergePeople: t.field({
    type: MergePeoplePayload,
    authScopes: { admin: true },
    description:
      'Merge two records of the same person: credits, aliases, citations and missing external ids move from `from` to `into` (duplicates collapse into the ' +
      'survivor’s) and `from`’s name becomes an alias; `from` is deleted and its id and slug redirect to `into`. Scope `admin`. Idempotent with an ' +
      'Idempotency-Key. docs/writing.md#merges.',
    args: { input: t.arg({ type: MergePeopleInput, required: true, description: 'The two people and the versions read.' }) },
    resolve: (_root, { input }, ctx) =>
      runWrite(ctx, { operation: 'mergePeople', input, schema: mergeSchema('Person'), idempotent: true }, (w, parsed) => mergePeople(w, parsed)),
  }),
}));
