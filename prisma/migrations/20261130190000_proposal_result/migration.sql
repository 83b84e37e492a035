-- Accepting a proposal (docs/ingestion.md#accepting): what it wrote, as the entity's GraphQL
-- typename and database id (the film, person, credit, release or review; the person for an
-- alias, the film for a genre, runtime or external id, the release for a certification).

-- AlterTable
ALTER TABLE "Proposal" ADD COLUMN     "resultType" TEXT,
ADD COLUMN     "resultId" INTEGER;
