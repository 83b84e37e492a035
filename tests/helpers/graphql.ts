import type { ExecutionResult } from 'graphql';
import { createLogger } from '../../src/logger.ts';
import { createCinegraphYoga, type CinegraphYoga } from '../../src/yoga.ts';
import type { TestDatabase } from './db.ts';

export interface GraphQLResponse<T = Record<string, any>> extends ExecutionResult<T> {
  errors?: ExecutionResult['errors'];
}

export interface Client {
  yoga: CinegraphYoga;
  /** POST a query through yoga.fetch (no port), returning the parsed body and HTTP status. */
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T> & { status: number }>;
}

export function createClient(db: TestDatabase): Client {
  const yoga = createCinegraphYoga({ prisma: db.prisma, logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent') });
  return {
    yoga,
    async query(query, variables) {
      const response = await yoga.fetch('http://cinegraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
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
