/**
 * Stable response-path objects for compiled execution (graphql-jit), so the Prisma plugin's
 * selection plans are found under it as under graphql-js.
 *
 * Why: @pothos/selection-mapper (under @pothos/plugin-prisma) records the plan a field's query
 * loaded against that field's `info.path` object (a WeakMap), and a relation below looks it up
 * by walking its own `info.path.prev` chain. graphql-js shares one path object per field per row
 * between a field and everything beneath it, so the walk finds it. graphql-jit builds a fresh
 * `{ key, prev }` chain for every resolver call, so the walk finds nothing, every relation below
 * the root misses the plan and loads with a query of its own (7 statements for a film detail
 * that graphql-js answers with 1).
 *
 * The fix here: while a request executes compiled, each resolver that can plan or read a plan
 * gets, in place of graphql-jit's chain, the one path object this request holds for the same
 * response position (the same keys and list indices). Identity then means what it means under
 * graphql-js, and the plugin itself is untouched. Under graphql-js nothing is replaced (a request
 * is only marked when it executes compiled, see `markCompiled`).
 *
 * A fix upstream would key the selection mapper's `scopes` by response position instead of
 * object identity; this wrapper needs no change to either library and survives their updates
 * as long as `info.path` is what the plugin reads (tests/plugins/compiled/ would fail first).
 */
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';

type Path = GraphQLResolveInfo['path'];

/** One response position of one request; `children` by key (field alias or list index). */
interface StablePath {
  readonly prev: StablePath | undefined;
  readonly key: string | number;
  readonly typename: string | undefined;
  children: Map<string | number, StablePath> | undefined;
}

/** The root positions of each request executing compiled, by its context object. */
const compiled = new WeakMap<object, Map<string | number, StablePath>>();

/** Marks the request whose context this is as executing compiled: its resolvers get stable paths. */
export function markCompiled(context: object): void {
  if (!compiled.has(context)) compiled.set(context, new Map());
}

/** Whether `context`'s request executes compiled (for tests and the execution switch). */
export function isCompiled(context: object): boolean {
  return compiled.has(context);
}

/** The request's one path object for the position `path` names; built once per position. */
export function stablePath(roots: Map<string | number, StablePath>, path: Path): StablePath {
  const prev = path.prev ? stablePath(roots, path.prev) : undefined;
  const siblings = prev ? (prev.children ??= new Map()) : roots;
  let own = siblings.get(path.key);
  if (own === undefined) {
    own = { prev, key: path.key, typename: path.typename, children: undefined };
    siblings.set(path.key, own);
  }
  return own;
}

/**
 * Which fields need a stable path: every field the Prisma plugin wraps (it reads and records plans
 * by `info.path`; `pothosPrismaSelect` is its marker), and every field returning an object,
 * interface or union, whose resolver may plan a query (`prismaField`, `prismaConnection`,
 * `queryFromInfo`). Leaf fields without a selection never touch a plan, and graphql-jit keeps
 * inlining their default property reads.
 */
function needsStablePath(fieldConfig: PothosOutputFieldConfig<SchemaTypes>): boolean {
  if (fieldConfig.extensions?.['pothosPrismaSelect']) return true;
  let type = fieldConfig.type;
  while (type.kind === 'List') type = type.type;
  return type.kind === 'Object' || type.kind === 'Interface' || type.kind === 'Union';
}

const pluginName = 'stablePaths';

export class StablePathsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(resolver: GraphQLFieldResolver<unknown, Types['Context'], object>, fieldConfig: PothosOutputFieldConfig<Types>) {
    if (!needsStablePath(fieldConfig as PothosOutputFieldConfig<SchemaTypes>)) return resolver;
    return (parent: unknown, args: object, context: Types['Context'], info: GraphQLResolveInfo) => {
      const roots = compiled.get(context as object);
      // graphql-jit builds a fresh info object per resolver call, so it can take the path in place.
      if (roots) (info as { path: Path }).path = stablePath(roots, info.path) as Path;
      return resolver(parent, args, context, info);
    };
  }
}

SchemaBuilder.registerPlugin(pluginName, StablePathsPlugin);

// Pothos registers plugins by augmenting its global namespace; there is no module-syntax form.
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      stablePaths: StablePathsPlugin<Types>;
    }
  }
}

export default pluginName;
