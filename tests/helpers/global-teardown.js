// Jest global teardown: drops the PostgreSQL template database this run built (tests/helpers/db.ts),
// and nothing else.
import pg from 'pg';

export default async function globalTeardown() {
  const run = process.env.CINEGRAPH_TEST_RUN;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!run || !adminUrl) return;
  await dropRunTemplates(adminUrl, run);
}

/** Drops the template database `run` built (and its half-built form), through the server at `adminUrl`; scripts/mutation.mjs calls it per group. */
export async function dropRunTemplates(adminUrl, run) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of [`cinegraph_test_template_${run}`, `cinegraph_test_template_${run}_building`]) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}
