import { GraphQLError } from 'graphql';
import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { Context } from './context.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Logger } from './logger.ts';
import { CursorCodec } from './pagination/cursor.ts';
import { maskError, useErrorCodes } from './plugins/error-codes.ts';
import { schema } from './schema/index.ts';

export interface YogaOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** Serve GraphiQL on GET /graphql from a browser (default true; off in production). */
  graphiql?: boolean;
  /** False while shutting down, so /ready tells load balancers to stop sending traffic. */
  isAcceptingTraffic?: () => boolean;
  /** Key for keyset cursors (CURSOR_SECRET); instances sharing it accept each other's cursors. */
  cursorSecret?: string;
}

export type CinegraphYoga = YogaServerInstance<Record<string, unknown>, Context>;

export function createCinegraphYoga({
  prisma,
  logger,
  graphiql = true,
  isAcceptingTraffic = () => true,
  cursorSecret,
}: YogaOptions): CinegraphYoga {
  const cursors = new CursorCodec(cursorSecret);
  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: () => ({ prisma, cursors }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: graphiql ? { title: 'Cinegraph' } : false,
    // Yoga logs each masked (unexpected) error here, with its original error and stack.
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => {
        const err = args.find((a) => a instanceof Error);
        logger.error({ err: err instanceof GraphQLError ? (err.originalError ?? err) : err }, err ? err.message : args.map(String).join(' '));
      },
    },
    maskedErrors: { maskError },
    plugins: [
      useErrorCodes(),
      useReadinessCheck({
        endpoint: '/ready',
        check: async () => {
          if (!isAcceptingTraffic()) return false;
          await prisma.$queryRaw`SELECT 1`;
          return true;
        },
      }),
    ],
  });
}
