/**
 * Plan cache across requests: the Prisma plugin's selection plan of a field is built once per
 * (document position, schema, variable values read beneath the field) and replayed by later
 * requests, instead of walking the selection, calling every `select`/`query` function and merging
 * the Prisma query tree again per request. Profiles put ~16 % of a compiled film detail's CPU in
 * that walk (docs/benchmarks.md#compiled-execution-graphql-jit).
 *
 * How: `@pothos/plugin-prisma` obtains every root plan (`prismaField`, `prismaConnection`,
 * `relatedConnection`, `queryFromInfo`, the per-request fallback) through the static
 * `Plan.fromInfo` of `@pothos/selection-mapper`, which answers a settled plan: the merges the walk
 * collected and one play of them (the node and the mappings the resolvers below look up). A plan
 * keeps the request's `context` and `info` only to record those mappings on the request
 * (`plan.query`) — so `installPlanCache` wraps `Plan.fromInfo`, keeps the first settled plan of a
 * key, and answers later requests with a view of it whose own `context` and `info` are theirs.
 * The view's `query()` then records the cached mappings on the new request and writes the cached
 * node back as a fresh Prisma query; nothing of one request reaches another. A wrapper rather than
 * a patch of the library, like stable-paths.ts; tests/plugins/compiled/plan-cache.test.ts fails
 * first if the plugin stops planning through `Plan.fromInfo`.
 *
 * What the key holds, and why it is enough: the plan depends on the field's nodes in the document
 * (held by identity: a document parsed once, from yoga's parser cache, keeps its nodes), the schema,
 * the entry point's options, and the arguments and `@skip`/`@include` conditions beneath the field
 * — that is, the values of the variables used beneath it (the field's own arguments are read by its
 * resolver, never by the plan: `$slug` of `film(slug:)` is not in the key, `$first` of a nested
 * `credits(first:)` is). It does not hold the request context: a `select` or `query` function that
 * read `ctx` would make the plan depend on who asks, so none in this schema does (they read their
 * arguments only), and a plan's queries are the same for every caller; authorization runs on the
 * resolvers, after the plan. Requests opt in per context (`usePlanCache`), so the switch compares
 * both paths in one process.
 *
 * Bounds: entries hang off the field node (a WeakMap), so they go with the parsed document when
 * yoga's parser cache drops it; a field keeps at most `MAX_VARIANTS` variable combinations and
 * starts over when a client varies a nested variable without end (a cursor, say).
 */
import { Plan } from '@pothos/selection-mapper';
import type { Plugin } from 'graphql-yoga';
import { Kind, type ASTNode, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';

const MAX_VARIANTS = 64;

type AnyPlan = Plan<unknown, unknown>;
type FromInfo = (adapter: unknown, options: EntryOptions) => AnyPlan | PromiseLike<AnyPlan> | undefined;
interface EntryOptions {
  context: object;
  info: GraphQLResolveInfo;
  typeName?: string;
  path?: unknown[];
  paths?: unknown[][];
  initial?: unknown;
  skipDeferredFragments?: boolean;
}

/** Per field node: the variables used beneath it alone, and the settled plans by the rest of the key. */
interface FieldEntry {
  variables: readonly string[];
  plans: Map<string, AnyPlan>;
}

const entries = new WeakMap<FieldNode, FieldEntry>();
const enabled = new WeakSet<object>();
const stats = { hits: 0, misses: 0, uncached: 0 };

/** For tests and benchmarks: plans answered from the cache, planned and stored, planned without caching. */
export const planCacheStats = () => ({ ...stats });

/** Object identities as short numbers, for the string part of a key. */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++nextId));
  return id;
}

/** The names of the variables used in the arguments and directives beneath `field` (fragments followed). */
function variablesBeneath(fields: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): string[] {
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: ASTNode | readonly ASTNode[] | undefined): void => {
    if (node === undefined) return;
    if (Array.isArray(node)) {
      for (const child of node as readonly ASTNode[]) visit(child);
      return;
    }
    const one = node as ASTNode;
    switch (one.kind) {
      case Kind.VARIABLE:
        names.add(one.name.value);
        return;
      case Kind.FRAGMENT_SPREAD:
        visit(one.directives);
        if (!seen.has(one.name.value)) {
          seen.add(one.name.value);
          visit(fragments[one.name.value]?.selectionSet);
        }
        return;
      case Kind.FIELD:
        visit(one.arguments);
        visit(one.directives);
        visit(one.selectionSet);
        return;
      case Kind.INLINE_FRAGMENT:
        visit(one.directives);
        visit(one.selectionSet);
        return;
      case Kind.SELECTION_SET:
        visit(one.selections);
        return;
      case Kind.ARGUMENT:
      case Kind.OBJECT_FIELD:
        visit(one.value);
        return;
      case Kind.DIRECTIVE:
        visit(one.arguments);
        return;
      case Kind.LIST:
        visit(one.values);
        return;
      case Kind.OBJECT:
        visit(one.fields);
        return;
      default:
        return;
    }
  };
  // The fields' own arguments and directives are their resolvers' business, not the plan's.
  for (const field of fields) visit(field.selectionSet);
  return [...names].sort();
}

/** The key of a plan beside its field node, or undefined when a variable's value cannot be written down. */
function keyOf(options: EntryOptions, variables: readonly string[]): string | undefined {
  const { info } = options;
  const parts: unknown[] = [idOf(info.schema as GraphQLSchema), info.parentType.name, options.typeName ?? null, options.skipDeferredFragments ?? null];
  for (let i = 1; i < info.fieldNodes.length; i++) parts.push(idOf(info.fieldNodes[i]!));
  parts.push(options.paths ?? null, options.path ?? null);
  // The plugin's own initial selections are objects built once per field; anything else by value.
  parts.push(options.initial === undefined ? null : Object.isFrozen(options.initial) ? idOf(options.initial as object) : options.initial);
  const values = info.variableValues;
  for (const name of variables) parts.push(name in values ? values[name] : '\u0000absent');
  try {
    return JSON.stringify(parts);
  } catch {
    return undefined; // a BigInt or a cycle: plan this request without the cache
  }
}

/** A view of a settled plan for another request: the plan's merges and play, this request's context and info. */
function viewFor(plan: AnyPlan, context: object, info: GraphQLResolveInfo): AnyPlan {
  return Object.create(plan, { context: { value: context }, info: { value: info } }) as AnyPlan;
}

let installed = false;

/**
 * Wraps `Plan.fromInfo` once per process. Requests whose context `usePlanCache` did not mark plan
 * as before, so installing it changes nothing until a yoga enables the cache.
 */
export function installPlanCache(): void {
  if (installed) return;
  installed = true;
  const holder = Plan as unknown as { fromInfo: FromInfo };
  const fromInfo = holder.fromInfo.bind(Plan);
  holder.fromInfo = (adapter, options) => {
    const { context, info } = options;
    const field = info.fieldNodes[0];
    if (!enabled.has(context) || !field) return fromInfo(adapter, options);
    let entry = entries.get(field);
    if (!entry) {
      entry = { variables: variablesBeneath([field], info.fragments), plans: new Map() };
      entries.set(field, entry);
    }
    // A field merged from several nodes (the same response key selected twice) is rare, and the
    // same first node can be merged with different others through fragments: its variables are
    // collected per request.
    const variables = info.fieldNodes.length === 1 ? entry.variables : variablesBeneath(info.fieldNodes, info.fragments);
    const key = keyOf(options, variables);
    const cached = key === undefined ? undefined : entry.plans.get(key);
    if (cached) {
      stats.hits++;
      return viewFor(cached, context, info);
    }
    const plan = fromInfo(adapter, options);
    // An asynchronous plan (a select function returned a promise) or an empty one is not kept.
    if (key === undefined || plan === undefined || typeof (plan as PromiseLike<AnyPlan>).then === 'function') {
      stats.uncached++;
      return plan;
    }
    stats.misses++;
    if (entry.plans.size >= MAX_VARIANTS) entry.plans.clear();
    // The stored plan is only ever used through views, this request's first: it lets go of the
    // request that planned it, so a cached plan holds no request's context.
    const stored = plan as AnyPlan;
    const view = viewFor(stored, context, info);
    Object.assign(stored, { context: undefined, info: undefined });
    entry.plans.set(key, stored);
    return view;
  };
}

/** Yoga plugin: every request of this yoga plans through the cache. */
export function usePlanCache<C extends object>(): Plugin<C> {
  installPlanCache();
  return {
    onExecute({ args }) {
      if (args.contextValue && typeof args.contextValue === 'object') enabled.add(args.contextValue);
    },
  };
}
