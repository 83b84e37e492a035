-- A fingerprint per imported record (src/import/fingerprint.ts): a re-import skips a row whose
-- hash is its key's and that nothing but this dataset's imports has written over since
-- ("revisionId", the last revision committed when the record's batch began).
CREATE TABLE "ImportRecord" (
    "dataset" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "units" INTEGER NOT NULL,
    "revisionId" INTEGER NOT NULL,

    CONSTRAINT "ImportRecord_pkey" PRIMARY KEY ("dataset", "file", "key")
);
