import { useGraphQlJit } from '@envelop/graphql-jit';
import type { Plugin } from 'graphql-yoga';
import { markCompiled } from './stable-paths.ts';

/** Executes with graphql-jit: each document compiled once, its requests marked so resolvers get stable paths (stable-paths.ts). */
export function useCompiledExecution<C extends object>(): Plugin<C> {
  return useGraphQlJit(
    {},
    {
      enableIf: (args) => {
        markCompiled(args.contextValue as object);
        return true;
      },
    },
  ) as Plugin<C>;
}
