// Jest global setup: names this run, so the PostgreSQL pass's test files share one migrated,
// seeded template database (tests/helpers/db.ts builds it on first use) and the global teardown
// drops exactly that one. Workers inherit the variable; nothing happens on PGlite.
import { randomBytes } from 'node:crypto';

export default function globalSetup() {
  process.env.CINEGRAPH_TEST_RUN = `${process.pid}_${randomBytes(4).toString('hex')}`;
}
