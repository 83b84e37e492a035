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
import {
  getOperationAST,
  getVariableValues,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
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
 * Whether graphql-js accepts the request's variables. graphql-jit coerces them its own way: it
 * reports every bad entry of a list (a 20,000-entry enum list of invalid values gave 10,000
 * errors, a 1.2 MB answer and 1.3 s of CPU, where graphql-js stops at 50), words the errors
 * differently and without locations, and left them unmarked as request errors (200 where graphql-js
 * answers 400). A request whose variables fail is left to graphql-js, which answers it exactly as
 * it answers every cold document; one error is enough to know (maxErrors 1 stops at the second).
 */
function variablesCoerce(args: ExecutionArgs, operation: OperationDefinitionNode): boolean {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return true;
  return !getVariableValues(args.schema, definitions, (args.variableValues ?? {}) as Record<string, unknown>, { maxErrors: 1 }).errors;
}

/**
 * graphql-jit (0.8.7) refuses a non-null variable that the request leaves out even when the
 * operation gives it a default (`$withCitation: Boolean! = false`: "was not provided"), where
 * graphql-js uses the default. So before a compiled execution, each variable left out that has a
 * default gets it, written as a client would send it (the literal as JSON), for graphql-jit's own
 * coercion to read.
 */
function withDefaults(args: ExecutionArgs, operation: OperationDefinitionNode): void {
  const definitions = operation.variableDefinitions ?? [];
  const given = (args.variableValues ?? {}) as Record<string, unknown>;
  const missing = definitions.filter((d) => d.defaultValue && !Object.hasOwn(given, d.variable.name.value));
  if (missing.length === 0) return;
  args.variableValues = { ...given, ...Object.fromEntries(missing.map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)])) };
}

/**
 * graphql-jit builds its result as `{ data, errors }`, graphql-js as `{ errors, data }` (the
 * spec's advice: errors first, so they are seen). The same request would otherwise serialize in
 * another order once its document turned hot.
 */
const ERRORS_FIRST = {
  onExecuteDone({ result, setResult }: { result: unknown; setResult: (result: ExecutionResult) => void }) {
    if (isAsyncIterable(result)) return;
    if (!(result as ExecutionResult).errors || Object.keys(result as object)[0] === 'errors') return;
    const { errors, ...rest } = result as ExecutionResult;
    setResult({ errors, ...rest });
  },
};

export function useCompiledExecution<C extends object>({ after = 2 }: CompiledExecutionOptions = {}): Plugin<C>[] {
  const executions = new WeakMap<DocumentNode, number>();
  const persisted = new WeakSet<Request>();
  const hot = (args: ExecutionArgs, operation: OperationDefinitionNode | null | undefined): operation is OperationDefinitionNode => {
    if (operation?.operation !== 'query') return false;
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
  /** The operation to run compiled, or undefined to leave the execution to graphql-js. */
  const compiledOperation = (args: ExecutionArgs): OperationDefinitionNode | undefined => {
    const operation = getOperationAST(args.document, args.operationName);
    const compiled = hot(args, operation) && variablesCoerce(args, operation);
    if (compiled) markCompiled(args.contextValue as object);
    stats[compiled ? 'compiledExecutions' : 'plainExecutions']++;
    return compiled ? operation! : undefined;
  };
  const byId: Plugin<C> = {
    onParams({ params, request }) {
      if (requestedDocumentId(params, request) !== undefined) persisted.add(request);
    },
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
      const operation = compiledOperation(payload.args);
      if (!operation) return;
      withDefaults(payload.args, operation);
      if (jit) return (jit.onExecute!(payload), ERRORS_FIRST);
      return load().then((loaded) => (loaded.onExecute!(payload), ERRORS_FIRST));
    },
  };
  return [byId, deferred];
}
