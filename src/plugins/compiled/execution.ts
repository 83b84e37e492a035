/**
 * Compiled execution (graphql-jit) for hot queries: a query document is compiled once and its
 * later requests run the compiled function (no graphql-js field collection, argument coercion or
 * completion per request). A document is hot from its `after`-th execution, or from the first when
 * the request names it by id (trusted documents, persisted queries, the web client's manifest):
 * compiling costs milliseconds, which a one-off document would never earn back. Mutations and
 * subscriptions always run on graphql-js (writes are not hot paths; live subscriptions keep the
 * executor their tests cover). Before graphql-jit, a hot document whose every field has SQL is
 * answered by one statement that builds its JSON (sql/compile.ts, `sql` option); graphql-jit
 * answers every request that statement cannot.
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
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { directQuery } from '../../db/direct.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import { requestedDocumentId } from '../trusted-documents.ts';
import { statementFor, Unsupported, type CompiledStatement } from './sql/compile.ts';
import { markCompiled } from './stable-paths.ts';

export interface CompiledExecutionOptions {
  /** Executions of a document before it runs compiled (1: from the first). Default 2. */
  after?: number | undefined;
  /**
   * Answer a hot document in one SQL statement that builds its JSON (sql/compile.ts) when every
   * field it selects can be; graphql-jit otherwise. Default true.
   */
  sql?: boolean | undefined;
}

const stats = { compiledExecutions: 0, plainExecutions: 0, sqlExecutions: 0 };

const operationCounts = new WeakMap<DocumentNode, number>();
function operationCount(document: DocumentNode): number {
  let count = operationCounts.get(document);
  if (count === undefined) {
    count = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
    operationCounts.set(document, count);
  }
  return count;
}

/** For tests and benchmarks: how many executions ran compiled (of them, in one SQL statement) and how many on graphql-js, since start. */
export const compiledExecutionStats = () => ({ ...stats });

/**
 * The request's variables as graphql-js coerces them, or undefined when it refuses them. graphql-jit coerces them its own way: it
 * reports every bad entry of a list (a 20,000-entry enum list of invalid values gave 10,000
 * errors, a 1.2 MB answer and 1.3 s of CPU, where graphql-js stops at 50), words the errors
 * differently and without locations, and left them unmarked as request errors (200 where graphql-js
 * answers 400). A request whose variables fail is left to graphql-js, which answers it exactly as
 * it answers every cold document; one error is enough to know (maxErrors 1 stops at the second).
 */
function coercedVariables(args: ExecutionArgs, operation: OperationDefinitionNode): Record<string, unknown> | undefined {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.length === 0) return {};
  return getVariableValues(args.schema, definitions, (args.variableValues ?? {}) as Record<string, unknown>, { maxErrors: 1 }).coerced;
}

const fragmentMaps = new WeakMap<DocumentNode, Record<string, FragmentDefinitionNode>>();
function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  let fragments = fragmentMaps.get(document);
  if (!fragments) {
    fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
    );
    fragmentMaps.set(document, fragments);
  }
  return fragments;
}

type Execute = (args: ExecutionArgs) => unknown;

/**
 * The execution of a hot document in one SQL statement (sql/compile.ts), with graphql-jit's
 * execution (`compiled`) for every request the statement cannot answer: a document whose shape
 * cannot be expressed (remembered in `ineligible`, by the document the request came with, so its
 * later requests go straight to graphql-jit), a request whose values cannot, a nullable root field
 * that came back null (a merged-away slug is followed by its resolver), or a statement that fails
 * (unless the database is unavailable: that fails the request at once). The statement is built from the
 * arguments the execution is finally called with: plugins after this one (the response cache)
 * may rewrite the document (adding `__typename` and `id` to tag the result's entities).
 */
function sqlFirst(requested: DocumentNode, variables: Record<string, unknown>, ineligible: WeakSet<DocumentNode>, compiled: Execute): Execute {
  return async (args) => {
    if (ineligible.has(requested)) return compiled(args);
    const context = args.contextValue as { prisma: Parameters<typeof directQuery>[0] };
    let statement: CompiledStatement;
    try {
      statement = statementFor(args.schema, getOperationAST(args.document, args.operationName)!, fragmentsOf(args.document), variables, context);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      if (error.scope === 'document') ineligible.add(requested);
      return compiled(args);
    }
    let data: Record<string, unknown>;
    try {
      const { list } = statement;
      const send = directQuery(context.prisma);
      const query = async (params: unknown[]) => JSON.parse((await send(statement.sql, params))[0]!['data'] as string) as unknown;
      if (list) {
        // A list's page first (its statement, its cursors), then its rows by id in one statement.
        const page = await list.page();
        const ids = page.rows.map((r) => r.id);
        const rows = ids.length ? ((await query([ids, ...statement.params.slice(1)])) as unknown[][]) : [];
        data = await list.assemble(page, rows);
      } else data = (await query(statement.params)) as Record<string, unknown>;
    } catch (error) {
      // An outage fails this request now, as the resolvers' would (yoga's masking makes it a 503
      // DATABASE_UNAVAILABLE): answering it again through graphql-jit would wait out the pool's
      // timeouts a second time (tests/server/outage.test.ts, a frozen PostgreSQL).
      if (isDatabaseUnavailable(error)) throw error;
      return compiled(args);
    }
    if (statement.nullable.some((key) => data[key] === null)) return compiled(args);
    stats.sqlExecutions++;
    return { data };
  };
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

export function useCompiledExecution<C extends object>({ after = 2, sql = true }: CompiledExecutionOptions = {}): Plugin<C>[] {
  const executions = new WeakMap<DocumentNode, number>();
  const ineligible = new WeakSet<DocumentNode>();
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
  /** The operation to run compiled and its coerced variables, or undefined to leave the execution to graphql-js. */
  const compiledOperation = (args: ExecutionArgs): { operation: OperationDefinitionNode; variables: Record<string, unknown> } | undefined => {
    const operation = getOperationAST(args.document, args.operationName);
    const variables = hot(args, operation) ? coercedVariables(args, operation) : undefined;
    stats[variables ? 'compiledExecutions' : 'plainExecutions']++;
    return variables && { operation: operation!, variables };
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
  /** graphql-jit's execution of the request, and the SQL statement's first when `sql` is on. */
  const run = (loaded: Plugin<C>, payload: Parameters<NonNullable<Plugin<C>['onExecute']>>[0], variables: Record<string, unknown>) => {
    if (!sql || ineligible.has(payload.args.document)) return loaded.onExecute!(payload);
    const requested = payload.args.document;
    return loaded.onExecute!({
      ...payload,
      setExecuteFn: (execute) => payload.setExecuteFn(sqlFirst(requested, variables, ineligible, execute) as typeof execute),
    });
  };
  const deferred: Plugin<C> = {
    onExecute(payload) {
      const compiled = compiledOperation(payload.args);
      if (!compiled) return;
      markCompiled(payload.args.contextValue as object);
      withDefaults(payload.args, compiled.operation);
      if (jit) return (run(jit, payload, compiled.variables), ERRORS_FIRST);
      return load().then((loaded) => (run(loaded, payload, compiled.variables), ERRORS_FIRST));
    },
  };
  return [byId, deferred];
}
