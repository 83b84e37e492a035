-- Crew lists in the same statement as the cast. Film.directors/writers/crew and a cast page
-- (Film.credits(filter: { kind: CAST })) all read "Credit"; over one relation Prisma can select
-- one filter per query, so the second list cost a statement of its own (~35% of the film-detail
-- throughput, docs/benchmarks.md). A second relation, over a column that holds "filmId" on crew
-- credits only, lets both load as LATERAL joins of one statement.

-- Hand-written (tests/helpers/hand-written.ts): Prisma has no generated columns. STORED, so the
-- value is kept by PostgreSQL on every write (API, seed, COPY, hand-run SQL) and can be indexed.
ALTER TABLE "Credit" ADD COLUMN "crewFilmId" INTEGER GENERATED ALWAYS AS (CASE WHEN "kind" = 'CREW'::"CreditKind" THEN "filmId" END) STORED;

-- Hand-written: partial, since cast credits (most rows) hold NULL there and are never looked up by it.
CREATE INDEX "Credit_crewFilmId_idx" ON "Credit"("crewFilmId") WHERE "crewFilmId" IS NOT NULL;

-- AddForeignKey
ALTER TABLE "Credit" ADD CONSTRAINT "Credit_crewFilmId_fkey" FOREIGN KEY ("crewFilmId") REFERENCES "Film"("id") ON DELETE CASCADE ON UPDATE NO ACTION;
