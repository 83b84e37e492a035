/**
 * Record fingerprints: what lets a re-import skip an unchanged record without building it. A
 * stream that can (IMDb's files) gives each row its record key and a hash of the row as read; a
 * record the import settled (created, updated or found equal — no conflict, no stale value, not
 * rejected) keeps an ImportRecord row (dataset, file, key → hash). The next run skips a row whose
 * hash equals its key's, counting it unchanged, unless something other than this dataset's imports
 * has written since the record was applied: each fingerprint holds the last revision id committed
 * when its batch began (revision ids are assigned in commit order, src/schema/write/sql.ts), and is
 * trusted only while no other change set's revision is newer. Any such write (an editor's, another
 * dataset's import) sends every row through the full path once — the comparison that records
 * conflicts — which refreshes the fingerprints.
 */
import type { Prisma } from '../generated/prisma/client.ts';
import { literal } from './bulk.ts';

/** A row's record key within its file and the hash of the row as read (with what else decides how it reads). */
export interface Fingerprint {
  key: string;
  hash: string;
}

export interface Matching {
  /** The last revision id committed when the batch began: the watermark its fingerprints get */
  mark: number;
  /** Keys whose fingerprint is the row's and still trusted, with what each counted as (a title's credits one each) */
  same: Map<string, number>;
}

/**
 * The batch's rows whose fingerprint is unchanged and trusted, in one statement. The watermark is
 * read first so that a write committed while the batch runs is newer than it.
 */
export async function matchFingerprints(tx: Prisma.TransactionClient, dataset: string, actor: string, file: string, rows: Fingerprint[]): Promise<Matching> {
  // A lateral max per other change set: Revision is indexed by changeSetId, and a catalogue's
  // revisions are mostly its imports', which a join would scan.
  const [{ result }] = await tx.$queryRawUnsafe<[{ result: string }]>(
    `WITH mark AS (SELECT coalesce(max(id), 0) AS id FROM "Revision"),
     other AS (
       SELECT coalesce(max(l.id), 0) AS id FROM "ChangeSet" c
       CROSS JOIN LATERAL (SELECT max(r.id) AS id FROM "Revision" r WHERE r."changeSetId" = c.id) l
       WHERE c.kind <> 'IMPORT' OR c.actor <> $2)
     SELECT json_build_object(
       'mark', (SELECT id FROM mark),
       'same', (SELECT coalesce(json_agg(json_build_array(f.key, f.units)), '[]')
                FROM json_to_recordset(${literal(JSON.stringify(rows))}::json) AS x(key text, hash text)
                JOIN "ImportRecord" f ON f.dataset = $1 AND f.file = $3 AND f.key = x.key AND f.hash = x.hash
                WHERE f."revisionId" >= (SELECT id FROM other))
     )::text AS result`,
    dataset,
    actor,
    file,
  );
  const parsed = JSON.parse(result) as { mark: number; same: [string, number][] };
  return { mark: parsed.mark, same: new Map(parsed.same) };
}

/** Stores (or replaces) the fingerprints of the records a batch settled, with the batch's watermark. */
export async function storeFingerprints(
  tx: Prisma.TransactionClient,
  dataset: string,
  file: string,
  mark: number,
  rows: (Fingerprint & { units: number })[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "ImportRecord" (dataset, file, key, hash, units, "revisionId")
     SELECT $1, $2, x.key, x.hash, x.units, $3 FROM json_to_recordset(${literal(JSON.stringify(rows))}::json) AS x(key text, hash text, units int)
     ON CONFLICT (dataset, file, key) DO UPDATE SET hash = EXCLUDED.hash, units = EXCLUDED.units, "revisionId" = EXCLUDED."revisionId"`,
    dataset,
    file,
    mark,
  );
}
