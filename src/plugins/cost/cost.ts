import type { FieldComplexityValue } from '@pothos/plugin-complexity';
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  getOperationAST,
  getVariableValues,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createGraphQLError, isAsyncIterable, type Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import { isSizedList, LIST_SIZE_ESTIMATE, PRICED_ARGUMENTS, type AnyField } from './model.ts';
import { ErrorCode } from '../../errors.ts';
import { actualCost } from './actual.ts';
import { requestState } from '../request-state.ts';

type FieldComplexityOption = FieldComplexityValue | ((args: Record<string, unknown>, ctx: unknown, field: AnyField) => FieldComplexityValue);

/**
 * Requested cost of the operation that will run, by the fields' complexity (set by the Pothos
 * complexity plugin: the builder's fieldComplexity, or a field's own `complexity` option).
 * The walk is ours rather than the plugin's createComplexityRule because the plugin maps
 * arguments through Pothos' validators first: one invalid argument anywhere (an over-long
 * `first`, a malformed id) made it throw, leaving the rest of the operation unpriced. Here
 * arguments are read raw (as the client sent them, after variable coercion), so every
 * operation gets a price; the invalid argument still fails at its field during execution.
 */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | null | undefined,
  context: unknown,
): number | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  // Invalid variables: execution refuses them (BAD_USER_INPUT, at most 50 errors) before any
  // resolver runs. One error tells; without a cap a 20,000-entry list of bad enum values built an
  // error per entry here (~1 s of CPU).
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues, { maxErrors: 1 });
  if (coerced.errors) return undefined;
  return priced(operation, coerced.coerced, (pricing) => price(schema, document, operation, root, coerced.coerced, context, pricing));
}

/** How a variable is read for the price's key: a page size, a list's length, a `@skip`/`@include` condition. */
type Input = 'value' | 'length' | 'condition';

/**
 * How an operation's price depends on its variables, found on its first walk: the variables
 * passed straight to a priced argument (model.ts PRICED_ARGUMENTS), each read the way the
 * model reads it: the value of `first`/`last`, only the length of `ids`; and the variables of
 * `@skip(if:)` / `@include(if:)`, which decide what is priced. The key therefore never holds a
 * slug or an id (the film detail with 20,000 slugs is one entry per page size) and is bounded by
 * the document, not by the variables. `inputs` is undefined when a complexity
 * function read another argument: such an operation is priced on every request.
 */
interface Pricing {
  id: number;
  /** By `as` and variable name, in the order met. */
  inputs: Map<string, { variable: string; as: Input }> | undefined;
}
const pricings = new WeakMap<OperationDefinitionNode, Pricing>();
let pricingIds = 0;

/** Prices of every document together, least recently used evicted: ≈ 100 bytes an entry. */
const PRICE_CACHE_ENTRIES = 10_000;
const prices = new LRUCache<string, number>({ max: PRICE_CACHE_ENTRIES });
const priceStats = { hits: 0, misses: 0 };

/** For tests: the price cache's size and use since start. */
export const priceCacheStats = () => ({ entries: prices.size, max: PRICE_CACHE_ENTRIES, ...priceStats });

/** The bounded form of one input, or undefined when its value is not one the model prices by. */
function inputKey(value: unknown, present: boolean, as: Input): string | undefined {
  if (!present) return '-';
  if (value === null) return 'null';
  if (as === 'length') return Array.isArray(value) ? `#${value.length}` : undefined;
  if (as === 'condition') return typeof value === 'boolean' ? String(value) : undefined;
  return typeof value === 'number' ? String(value) : undefined;
}

function priced(operation: OperationDefinitionNode, variables: Record<string, unknown>, walk: (pricing: Pricing) => number): number {
  let pricing = pricings.get(operation);
  if (pricing) {
    const key = priceKey(pricing, variables);
    const cached = key === undefined ? undefined : prices.get(key);
    if (cached !== undefined) {
      priceStats.hits++;
      return cached;
    }
  } else {
    pricing = { id: ++pricingIds, inputs: new Map() };
    pricings.set(operation, pricing);
  }
  priceStats.misses++;
  const cost = walk(pricing);
  // Keyed after the walk: it may have met priced variables an earlier walk skipped (`@include(if: false)` around them).
  const key = priceKey(pricing, variables);
  if (key !== undefined) prices.set(key, cost);
  return cost;
}

function priceKey(pricing: Pricing, variables: Record<string, unknown>): string | undefined {
  if (!pricing.inputs) return undefined;
  let key = String(pricing.id);
  for (const { variable, as } of pricing.inputs.values()) {
    const part = inputKey(variables[variable], Object.hasOwn(variables, variable), as);
    if (part === undefined) return undefined;
    key += `,${part}`;
  }
  return key;
}

/**
 * The arguments of a field as its complexity function sees them, recording the variables of
 * the priced ones into `pricing` and giving up caching if the function reads any other.
 */
function pricedArguments(args: Record<string, unknown>, node: FieldNode, pricing: Pricing): Record<string, unknown> {
  for (const argument of node.arguments ?? []) {
    const as = (PRICED_ARGUMENTS as Record<string, 'value' | 'length'>)[argument.name.value];
    // A literal (a number, a list written out) is the same on every request with this document.
    if (!as || argument.value.kind !== Kind.VARIABLE || !pricing.inputs) continue;
    const variable = argument.value.name.value;
    pricing.inputs.set(`${as}:${variable}`, { variable, as });
  }
  const watch = (name: string | symbol) => {
    if (typeof name !== 'string' || !Object.hasOwn(PRICED_ARGUMENTS, name)) pricing.inputs = undefined;
  };
  return new Proxy(args, {
    get: (target, name, receiver) => (watch(name), Reflect.get(target, name, receiver)),
    has: (target, name) => (watch(name), Reflect.has(target, name)),
    getOwnPropertyDescriptor: (target, name) => (watch(name), Reflect.getOwnPropertyDescriptor(target, name)),
    ownKeys: (target) => (watch(''), Reflect.ownKeys(target)),
  });
}

/**
 * Whether a selection runs, as graphql-js decides it (`@skip` first, then `@include`): a field
 * or fragment left out costs nothing. A condition's variable becomes part of the price's key.
 */
function included(node: FieldNode | InlineFragmentNode | FragmentSpreadNode, variables: Record<string, unknown>, pricing: Pricing): boolean {
  for (const directive of node.directives ?? []) {
    const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
    if (condition?.kind === Kind.VARIABLE && pricing.inputs)
      pricing.inputs.set(`condition:${condition.name.value}`, { variable: condition.name.value, as: 'condition' });
  }
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
}

/**
 * The walk: linear in the document, since each selection set is priced once per parent type
 * (a fragment spread twice, or spread in many places, reuses its first price).
 */
function price(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: GraphQLNamedType,
  variables: Record<string, unknown>,
  context: unknown,
  pricing: Pricing,
): number {
  const fragments: Fragments = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const cache = new Map<SelectionSetNode, Map<GraphQLNamedType, number>>();

  const selectionCost = (set: SelectionSetNode, type: GraphQLNamedType): number => {
    const cached = cache.get(set)?.get(type);
    if (cached !== undefined) return cached;
    let total = 0;
    for (const selection of set.selections) {
      if (!included(selection, variables, pricing)) continue;
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, type);
      else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        total += selectionCost(fragment.selectionSet, condition ?? type);
      }
    }
    if (!cache.has(set)) cache.set(set, new Map());
    cache.get(set)!.set(type, total);
    return total;
  };
  const fieldCost = (node: FieldNode, parent: GraphQLNamedType): number => {
    if (node.name.value === '__typename') return 0;
    const field = isObjectType(parent) || isInterfaceType(parent) ? (parent.getFields()[node.name.value] as AnyField | undefined) : undefined;
    // Introspection (__schema, __type) costs 1: no database behind it, bounded by the other limits.
    if (!field) return 1;
    const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
    let option = (field.extensions as { complexity?: FieldComplexityOption }).complexity;
    if (typeof option === 'function') option = option(pricedArguments(getArgumentValues(field, node, variables), node, pricing), context, field);
    const own = typeof option === 'number' ? option : (option?.field ?? 1);
    const multiplier = Math.max((typeof option === 'object' ? option.multiplier : undefined) ?? (list ? LIST_SIZE_ESTIMATE : 1), 0);
    const selection = node.selectionSet ? selectionCost(node.selectionSet, getNamedType(field.type)) : 0;
    // A list costs at least its length, whatever its items select (model.ts).
    return own + multiplier * (isSizedList(field) ? Math.max(selection, 1) : selection);
  };
  return selectionCost(operation.selectionSet, root);
}

type Fragments = Record<string, FragmentDefinitionNode>;

function costError(requested: number, limit: number) {
  return createGraphQLError(
    `The operation's estimated cost ${requested} exceeds the limit of ${limit}. Ask for smaller pages (first/last) or fewer nested lists.`,
    { extensions: { code: ErrorCode.COST_LIMIT_EXCEEDED, cost: { requested, limit }, http: { status: 400, spec: true } } },
  );
}

/**
 * The cost a response served from the response cache was priced at when it was executed. The
 * cache answers before the document is parsed, so this request was never priced itself; the same
 * document and variables, anonymous (the only requests the cache serves), price the same, and the
 * stored result carries what they cost (onExecuteDone below). The limit is this server's.
 */
function cachedCost(result: ExecutionResult, limit: number): { requested: number; actual?: number; limit: number } | undefined {
  if (!(Symbol.for('servedFromResponseCache') in result)) return undefined;
  const stored = result.extensions?.['cost'] as { requested?: unknown; actual?: unknown } | undefined;
  if (typeof stored?.requested !== 'number') return undefined;
  return { requested: stored.requested, ...(typeof stored.actual === 'number' ? { actual: stored.actual } : {}), limit };
}

/**
 * Prices each operation before it runs and refuses it above `maxCost`; after it runs, records
 * the actual cost. Every GraphQL response carries `extensions.cost { requested, actual?, limit }`
 * (requested 0 when the request failed before it could be priced; a response cache hit reports
 * what the cached result was priced at).
 */
export function useCost({ maxCost }: { maxCost: number }): Plugin {
  /** Price the operation into the request state; false (after answering COST_LIMIT_EXCEEDED) when it is over the limit. */
  const admit = (args: ExecutionArgs, stop: (result: ExecutionResult) => void) => {
    const request = (args.contextValue as { request?: Request }).request;
    const state = request ? requestState(request) : undefined;
    const requested =
      requestedCost(args.schema, args.document, (args.variableValues ?? {}) as Record<string, unknown>, args.operationName, args.contextValue as object) ?? 0;
    if (state) state.cost = { requested, limit: maxCost };
    if (requested > maxCost) {
      stop({ errors: [costError(requested, maxCost)] });
      return undefined;
    }
    return state;
  };
  return {
    // A subscription is priced once, when it opens (its events are not re-priced).
    onSubscribe({ args, setResultAndStopExecution }) {
      admit(args, setResultAndStopExecution);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request && !admit(args, setResultAndStopExecution)) return;
      const state = request ? requestState(request) : undefined;
      return {
        onExecuteDone({ result, setResult }) {
          if (!state?.cost || isAsyncIterable(result)) return;
          state.cost.actual = actualCost(args.schema, args.document, args.operationName, result.data);
          // Kept with the result, so that the response cache (a later plugin) stores it too.
          setResult({ ...result, extensions: { ...result.extensions, cost: { ...state.cost } } });
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      if (Array.isArray(result) || isAsyncIterable(result)) return;
      const cost = requestState(request).cost ?? cachedCost(result, maxCost) ?? { requested: 0, limit: maxCost };
      setResult({ ...result, extensions: { ...result.extensions, cost } });
    },
  };
}
