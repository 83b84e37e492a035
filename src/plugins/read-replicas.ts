import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Identity } from '../auth/identity.ts';
import type { Context } from '../context.ts';
import type { ReadRouting } from '../db/replicas.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Who a write is remembered for: the API key (or the admin token); anonymous callers cannot write. */
function writerOf(identity: Identity): string | undefined {
  if (identity.kind === 'key' && identity.keyId !== undefined) return `key:${identity.keyId}`;
  if (identity.kind === 'admin-token') return 'admin-token';
  return undefined;
}

/**
 * Picks the database client of each operation (src/db/replicas.ts): a query on the replicas
 * unless its caller wrote in the last DATABASE_READ_AFTER_WRITE_MS, anything else on the primary.
 * Before execution, so every resolver of the operation (`ctx.prisma`) reads from the same side.
 */
export function useReadReplicas(routing: ReadRouting<PrismaClient>): Plugin<Context> {
  const choose = (args: { contextValue: Context; document: Parameters<typeof getOperationAST>[0]; operationName?: string | null | undefined }) => {
    const kind = getOperationAST(args.document, args.operationName)?.operation ?? 'query';
    const writer = writerOf(args.contextValue.identity);
    args.contextValue.prisma = routing.clientFor(kind, writer);
    return kind === 'mutation' ? writer : undefined;
  };
  return {
    onSubscribe({ args }) {
      choose(args);
    },
    onExecute({ args }) {
      const writer = choose(args);
      if (writer === undefined) return;
      routing.wrote(writer);
      return { onExecuteDone: () => routing.wrote(writer) };
    },
  };
}
