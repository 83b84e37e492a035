-- Article ingestion (docs/ingestion.md): the facts an extractor proposes from a source, each
-- citing the excerpt that states it, waiting for an editor to accept or reject them.

-- CreateEnum
CREATE TYPE "ProposalKind" AS ENUM ('FILM', 'PERSON', 'ALIAS', 'CAST_CREDIT', 'CREW_CREDIT', 'RELEASE', 'REVIEW', 'GENRE', 'CERTIFICATION', 'RUNTIME', 'EXTERNAL_ID');

-- CreateEnum
CREATE TYPE "ProposalStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED');

-- CreateTable
CREATE TABLE "Proposal" (
    "id" SERIAL NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "ProposalKind" NOT NULL,
    "values" JSONB NOT NULL,
    "support" "CitationKind" NOT NULL,
    "reason" TEXT NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "excerpt" TEXT NOT NULL,
    "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    "alsoCited" JSONB NOT NULL,
    "refs" JSONB NOT NULL,
    "status" "ProposalStatus" NOT NULL DEFAULT 'PENDING',
    "rejectReason" TEXT,
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "Proposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Proposal_sourceId_key_key" ON "Proposal"("sourceId", "key");

-- CreateIndex
CREATE INDEX "Proposal_status_id_idx" ON "Proposal"("status", "id");

-- CreateIndex
CREATE INDEX "Source_sha256_idx" ON "Source"("sha256");

-- AddForeignKey
ALTER TABLE "Proposal" ADD CONSTRAINT "Proposal_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;
