-- Citation's target columns are indexed only where they are set (docs/importing.md#speed): a
-- citation names exactly one target (Citation_exactly_one_target), so each full index held a NULL
-- entry for every other citation and every insert wrote all fifteen of them. Lookups by a target
-- (`"filmId" = $1`, `= ANY($1)`, a join) imply IS NOT NULL and use the partial index; an import
-- writes three or four index entries a citation instead of seventeen. The record locator's index
-- likewise holds only record citations.
DROP INDEX "Citation_filmId_idx";
CREATE INDEX "Citation_filmId_idx" ON "Citation"("filmId") WHERE "filmId" IS NOT NULL;
DROP INDEX "Citation_personId_idx";
CREATE INDEX "Citation_personId_idx" ON "Citation"("personId") WHERE "personId" IS NOT NULL;
DROP INDEX "Citation_personAliasId_idx";
CREATE INDEX "Citation_personAliasId_idx" ON "Citation"("personAliasId") WHERE "personAliasId" IS NOT NULL;
DROP INDEX "Citation_creditId_idx";
CREATE INDEX "Citation_creditId_idx" ON "Citation"("creditId") WHERE "creditId" IS NOT NULL;
DROP INDEX "Citation_publicationId_idx";
CREATE INDEX "Citation_publicationId_idx" ON "Citation"("publicationId") WHERE "publicationId" IS NOT NULL;
DROP INDEX "Citation_criticId_idx";
CREATE INDEX "Citation_criticId_idx" ON "Citation"("criticId") WHERE "criticId" IS NOT NULL;
DROP INDEX "Citation_reviewId_idx";
CREATE INDEX "Citation_reviewId_idx" ON "Citation"("reviewId") WHERE "reviewId" IS NOT NULL;
DROP INDEX "Citation_reviewQuoteId_idx";
CREATE INDEX "Citation_reviewQuoteId_idx" ON "Citation"("reviewQuoteId") WHERE "reviewQuoteId" IS NOT NULL;
DROP INDEX "Citation_releaseId_idx";
CREATE INDEX "Citation_releaseId_idx" ON "Citation"("releaseId") WHERE "releaseId" IS NOT NULL;
DROP INDEX "Citation_ratingId_idx";
CREATE INDEX "Citation_ratingId_idx" ON "Citation"("ratingId") WHERE "ratingId" IS NOT NULL;
DROP INDEX "Citation_filmTitleId_idx";
CREATE INDEX "Citation_filmTitleId_idx" ON "Citation"("filmTitleId") WHERE "filmTitleId" IS NOT NULL;
DROP INDEX "Citation_companyId_idx";
CREATE INDEX "Citation_companyId_idx" ON "Citation"("companyId") WHERE "companyId" IS NOT NULL;
DROP INDEX "Citation_filmCompanyId_idx";
CREATE INDEX "Citation_filmCompanyId_idx" ON "Citation"("filmCompanyId") WHERE "filmCompanyId" IS NOT NULL;
DROP INDEX "Citation_filmMoneyId_idx";
CREATE INDEX "Citation_filmMoneyId_idx" ON "Citation"("filmMoneyId") WHERE "filmMoneyId" IS NOT NULL;
DROP INDEX "Citation_recordFile_recordKey_idx";
CREATE INDEX "Citation_recordFile_recordKey_idx" ON "Citation"("recordFile", "recordKey") WHERE "recordFile" IS NOT NULL;
