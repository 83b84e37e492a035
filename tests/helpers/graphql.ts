import type { ExecutionResult } from 'graphql';
import { createLogger } from '../../src/logger.ts';
import { createCinegraphYoga, type CinegraphYoga, type YogaOptions } from '../../src/yoga.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface GraphQLResponse<T = Record<string, any>> extends ExecutionResult<T> {
  errors?: ExecutionResult['errors'];
}

export interface Client {
  yoga: CinegraphYoga;
  /** POST a query through yoga.fetch (no port), returning the parsed body and HTTP status. */
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T> & { status: number }>;
}

/** `options` adds yoga options (admin token, response cache, `guard` limits for tests about them…) to the defaults. */
export function createClient(db: Pick<TestDatabase, 'prisma' | 'kind' | 'poolStats'>, options: Partial<YogaOptions> = {}): Client {
  const yoga = createCinegraphYoga({
    prisma: db.prisma,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    database: { kind: db.kind, poolStats: db.poolStats },
    ...options,
  });
  return {
    yoga,
    async query(query, variables, headers = {}) {
      const response = await yoga.fetch('http://cinegraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as GraphQLResponse<any>;
      return { ...body, status: response.status };
    },
  };
}

/** The `extensions.code` of each error, for assertions. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}

/**
 * One seeded database and API client per test file: opened in beforeAll (after `prepare`
 * adds any extra rows) and closed in afterAll; `options` as for `createClient`. Read `api.db` / `api.client` inside tests.
 */
export function useApi(prepare?: (db: TestDatabase) => Promise<void>, options: Partial<YogaOptions> = {}): { db: TestDatabase; client: Client } {
  const api = {} as { db: TestDatabase; client: Client };
  beforeAll(async () => {
    api.db = await createTestDatabase();
    await prepare?.(api.db);
    api.client = createClient(api.db, options);
  });
  afterAll(() => api.db?.close());
  return api;
}
