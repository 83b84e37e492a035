-- Critics' facts (name, affiliations) are cited like every other entity's (docs/writing.md#citations):
-- Citation gains a target column for them.

-- AlterTable
ALTER TABLE "Citation" ADD COLUMN     "criticId" INTEGER;

-- CreateIndex
CREATE INDEX "Citation_criticId_idx" ON "Citation"("criticId");

-- AddForeignKey
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_criticId_fkey" FOREIGN KEY ("criticId") REFERENCES "Critic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the exactly-one-target CHECK, now over the new column too.
ALTER TABLE "Citation" DROP CONSTRAINT "Citation_exactly_one_target";
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_exactly_one_target" CHECK (
    num_nonnulls("filmId", "personId", "personAliasId", "creditId", "publicationId", "criticId", "reviewId", "reviewQuoteId", "releaseId") = 1
);
