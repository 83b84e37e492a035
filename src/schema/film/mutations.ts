import { z } from 'zod';
import { builder } from '../../builder.ts';
import { notFoundError, userInputError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { dbId } from '../args.ts';
import { FilmRef } from './film.ts';
import { CitationInput, locateCitation } from '../citation/cite.ts';
import { recordWrite, userText } from '../write.ts';

const EDITABLE = ['synopsis', 'runtimeMinutes', 'genres'] as const;

// GraphQL lets a client send null for an optional input field; here null would mean "erase a
// cited fact", which no citation can back, so it is refused rather than read as "unchanged".
// (The validation plugin does not run field schemas on null, hence the check in the resolver.)
const notNull = (field: string) => `${field} cannot be null: omit it to leave it unchanged`;

const UpdateFilmInput = builder.inputType('UpdateFilmInput', {
  description: "New values for some of a film's facts, all backed by one citation. Omitted fields stay as they are.",
  fields: (t) => ({
    id: t.globalID({ required: true, for: [FilmRef] }),
    synopsis: t.string({ required: false, validate: userText('synopsis', 1, 10_000).optional() }),
    runtimeMinutes: t.int({
      required: false,
      validate: z.number().int().min(1, 'runtimeMinutes must be between 1 and 1000').max(1_000, 'runtimeMinutes must be between 1 and 1000').optional(),
    }),
    genres: t.stringList({
      required: false,
      validate: z
        .array(userText('genre', 1, 50))
        .min(1, 'genres must list at least one genre')
        .max(20, 'genres lists at most 20 genres')
        .refine((g) => new Set(g).size === g.length, 'genres must not repeat a genre')
        .optional(),
    }),
    citation: t.field({ type: CitationInput, required: true }),
  }),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

builder.mutationFields((t) => ({
  updateFilm: t.prismaField({
    type: FilmRef,
    authScopes: { admin: true },
    description:
      "Change a film's synopsis, runtime or genres. Each changed field gets a STATED citation of the given excerpt; " +
      'unchanged values are left alone and cite nothing. Requires the admin token.',
    args: { input: t.arg({ type: UpdateFilmInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const nulls = EDITABLE.filter((f) => input[f] === null);
      if (nulls.length > 0) throw userInputError(nulls.map(notNull).join('; '));
      const given = EDITABLE.filter((f) => input[f] !== undefined);
      if (given.length === 0) throw userInputError(`updateFilm needs at least one of: ${EDITABLE.join(', ')}.`);
      const filmId = dbId(input.id.id);
      const citedSourceId = await ctx.prisma.$transaction(async (tx) => {
        const film = await tx.film.findUnique({ where: { id: filmId }, select: { synopsis: true, runtimeMinutes: true, genres: true } });
        if (!film) throw notFoundError('No film with that id.');
        const cited = await locateCitation(tx, input.citation);
        const changed = given.filter((f) => !same(film[f], input[f]));
        if (changed.length === 0) return null;
        const data: Prisma.FilmUpdateInput = Object.fromEntries(changed.map((f) => [f, input[f]]));
        await tx.film.update({ where: { id: filmId }, data });
        await tx.citation.createMany({
          data: changed.map((field) => ({ ...cited, kind: 'STATED' as const, field, filmId })),
        });
        return cited.sourceId;
      });
      if (citedSourceId !== null) {
        recordWrite(ctx, 'Film', filmId);
        recordWrite(ctx, 'Source', citedSourceId);
      }
      return ctx.prisma.film.findUniqueOrThrow({ ...query, where: { id: filmId } });
    },
  }),
}));
