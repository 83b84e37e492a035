/**
 * Compiled execution (graphql-jit) for hot queries: a query document is compiled once and its
 * later requests run the compiled function (no graphql-js field collection, argument coercion or
 * completion per request). A document is hot from its `after`-th execution, or from the first when
 * the request names it by id (trusted documents, persisted queries, the web client's manifest):
 * compiling costs milliseconds, which a one-off document would never earn back. Mutations and
 * subscriptions always run on graphql-js (writes are not hot paths; live subscriptions keep the
 * executor their tests cover).
 *
 * Compiled functions live as long as their parsed document: @envelop/graphql-jit keeps them in a
 * WeakMap by DocumentNode, and yoga's parser cache (1,024 documents) holds the documents, so
 * both are bounded by it; the execution counts here are weak in the same way.
 */
import type { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, GraphQLError, Kind, valueFromASTUntyped, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { requestedDocumentId } from '../trusted-documents.ts';
import { markCompiled } from './stable-paths.ts';

export interface CompiledExecutionOptions {
  /** Executions of a document before it runs compiled (1: from the first). Default 2. */
  after?: number | undefined;
}

const stats = { compiledExecutions: 0, plainExecutions: 0 };

const operationCounts = new WeakMap<DocumentNode, number>();
function operationCount(document: DocumentNode): number {
  let count = operationCounts.get(document);
  if (count === undefined) {
    count = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
    operationCounts.set(document, count);
  }
  return count;
}

/** For tests and benchmarks: how many executions ran compiled and how many on graphql-js, since start. */
export const compiledExecutionStats = () => ({ ...stats });

/**
 * graphql-js (through yoga's executor) marks the errors of a request that never executed (its
 * variables could not be coerced) as request errors, so yoga answers 400 to
 * `application/graphql-response+json`; graphql-jit returns them unmarked, which answered 200.
 * A result without `data` is such a request; its errors get the same mark.
 */
const requestErrors = {
  onExecuteDone({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }) {
    const done = result as ExecutionResult;
    if (isAsyncIterable(result) || done.data !== undefined || !done.errors?.length) return;
    setResult({
      ...done,
      errors: done.errors.map((error) =>
        error.extensions['http']
          ? error
          : new GraphQLError(error.message, {
              nodes: error.nodes,
              source: error.source,
              positions: error.positions,
              path: error.path,
              originalError: error.originalError,
              extensions: { ...error.extensions, http: { spec: true, status: 400 } },
            }),
      ),
    });
  },
};

/**
 * graphql-jit (0.8.7) refuses a non-null variable that the request leaves out even when the
 * operation gives it a default (`$withCitation: Boolean! = false`: "was not provided"), where
 * graphql-js uses the default. So before a compiled execution, each variable left out that has a
 * default gets it, written as a client would send it (the literal as JSON), for graphql-jit's own
 * coercion to read.
 */
function withDefaults(args: ExecutionArgs): void {
  const definitions = getOperationAST(args.document, args.operationName)?.variableDefinitions ?? [];
  const given = (args.variableValues ?? {}) as Record<string, unknown>;
  const missing = definitions.filter((d) => d.defaultValue && !Object.hasOwn(given, d.variable.name.value));
  if (missing.length === 0) return;
  args.variableValues = { ...given, ...Object.fromEntries(missing.map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)])) };
}

export function useCompiledExecution<C extends object>({ after = 2 }: CompiledExecutionOptions = {}): Plugin<C>[] {
  const executions = new WeakMap<DocumentNode, number>();
  const persisted = new WeakSet<Request>();
  const hot = (args: ExecutionArgs): boolean => {
    if (getOperationAST(args.document, args.operationName)?.operation !== 'query') return false;
    // @envelop/graphql-jit keeps one compiled query per document, whichever operation it was
    // compiled for: a document of several operations would run the first one compiled for every
    // operationName. Such documents stay on graphql-js.
    if (operationCount(args.document) !== 1) return false;
    const request = (args.contextValue as { request?: Request } | undefined)?.request;
    if (request && persisted.has(request)) return true;
    const count = (executions.get(args.document) ?? 0) + 1;
    executions.set(args.document, count);
    return count >= after;
  };
  const byId: Plugin<C> = {
    onParams({ params, request }) {
      if (requestedDocumentId(params, request) !== undefined) persisted.add(request);
    },
  };
  const compile = (args: ExecutionArgs) => {
    const compiled = hot(args);
    if (compiled) markCompiled(args.contextValue as object);
    stats[compiled ? 'compiledExecutions' : 'plainExecutions']++;
    return compiled;
  };
  // graphql-jit (and the compiler behind it, ~170 ms to load) is imported when the first document
  // turns hot, not at start-up: no request needs it before then, and an import still running in
  // the background when the server is told to stop kept it from stopping cleanly under tsx. The
  // execution that turns hot waits for the import once; the plugin is created to compile every
  // execution it is handed, since `compile` above has already chosen them.
  let jit: Plugin<C> | undefined;
  let loading: Promise<Plugin<C>> | undefined;
  const load = () =>
    (loading ??= import('@envelop/graphql-jit').then(({ useGraphQlJit: create }: { useGraphQlJit: typeof useGraphQlJit }) => (jit = create() as Plugin<C>)));
  const deferred: Plugin<C> = {
    onExecute(payload) {
      if (!compile(payload.args)) return;
      withDefaults(payload.args);
      if (jit) {
        void jit.onExecute!(payload);
        return requestErrors;
      }
      return load().then((loaded) => {
        void loaded.onExecute!(payload);
        return requestErrors;
      });
    },
  };
  return [byId, deferred];
}
