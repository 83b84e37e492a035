import { batchLoader } from '../../batch.ts';
import { builder } from '../../builder.ts';
import type { Context } from '../../context.ts';
import { criticScoreRows } from './sql.ts';

/** A scored review is "positive" at or above this normalizedScore (0–100), as on review aggregators. */
export const POSITIVE_SCORE_THRESHOLD = 60;

export interface CriticScore {
  average: number | null;
  count: number;
  scoredCount: number;
  positiveShare: number | null;
}

const NO_REVIEWS: CriticScore = { average: null, count: 0, scoredCount: 0, positiveShare: null };

/**
 * Aggregates for every film of the batch in one statement. AVG/COUNT ignore NULL scores, so
 * `average` and `scoredCount` cover scored reviews only while `count` covers all of them.
 */
async function criticScores(ctx: Context, filmIds: readonly number[]): Promise<Map<number, CriticScore>> {
  const rows = await criticScoreRows(ctx.prisma, filmIds, POSITIVE_SCORE_THRESHOLD);
  return new Map(
    rows.map((row) => [
      row.filmId,
      {
        average: row.average,
        count: row.count,
        scoredCount: row.scoredCount,
        positiveShare: row.scoredCount > 0 ? row.positiveCount / row.scoredCount : null,
      },
    ]),
  );
}

const CriticScoreRef = builder.objectRef<CriticScore>('CriticScore').implement({
  description:
    "Aggregate of a film's reviews, recomputable from `Film.reviews { normalizedScore }`. " +
    `A review is positive when its normalizedScore is at least ${POSITIVE_SCORE_THRESHOLD}.`,
  fields: (t) => ({
    average: t.exposeFloat('average', {
      nullable: true,
      description: 'Mean normalizedScore (0–100, not rounded) of the scored reviews; null when none is scored.',
    }),
    count: t.exposeInt('count', { description: 'Number of reviews, scored or not.' }),
    scoredCount: t.exposeInt('scoredCount', { description: 'Number of reviews with a normalizedScore.' }),
    positiveShare: t.exposeFloat('positiveShare', {
      nullable: true,
      description: `Share (0–1) of scored reviews with normalizedScore ≥ ${POSITIVE_SCORE_THRESHOLD}; null when none is scored.`,
    }),
  }),
});

builder.prismaObjectFields('Film', (t) => ({
  criticScore: t.field({
    type: CriticScoreRef,
    description: "Critics' aggregate for this film, computed in SQL; one statement for a whole page of films.",
    select: { id: true },
    resolve: async (film, _args, ctx) => {
      const load = batchLoader<number, CriticScore>(ctx, 'criticScore', (ids) => criticScores(ctx, ids));
      return (await load(film.id)) ?? NO_REVIEWS;
    },
  }),
}));
