/**
 * Per-request batching for values Prisma's relation loading cannot express (aggregates such as
 * a film's critic score). GraphQL resolves a page's items one by one; each `load(key)` made
 * while the page is being resolved joins one batch, and the batch function runs once for all
 * of them — one SQL statement per page instead of one per item.
 *
 * Hand-written rather than the `dataloader` package (not a dependency) or
 * @pothos/plugin-dataloader (not installed): all we need is "collect keys, run once, hand out
 * results", with no caching across batches beyond the request.
 *
 * Loaders are keyed by the request's context object in a WeakMap, so they live exactly as long
 * as the request and the Context type stays unchanged.
 */
const perRequest = new WeakMap<object, Map<string, (key: never) => Promise<unknown>>>();

export type BatchFn<K, V> = (keys: readonly K[]) => Promise<Map<K, V>>;

export function batchLoader<K, V>(ctx: object, name: string, batch: BatchFn<K, V>): (key: K) => Promise<V | undefined> {
  let loaders = perRequest.get(ctx);
  if (!loaders) {
    loaders = new Map();
    perRequest.set(ctx, loaders);
  }
  const existing = loaders.get(name);
  if (existing) return existing as (key: K) => Promise<V | undefined>;

  // Every key's promise is kept for the request: the same key asked twice (an aliased field,
  // the same film twice on a page) joins the batch once and costs nothing the second time.
  const known = new Map<K, Promise<V | undefined>>();
  let pending: { keys: K[]; run: Promise<Map<K, V>> } | null = null;

  const load = (key: K): Promise<V | undefined> => {
    const cached = known.get(key);
    if (cached) return cached;
    if (!pending) {
      const keys: K[] = [];
      // setImmediate runs after every promise continuation already queued, so the resolvers of
      // all items of a page (even those reached through async resolvers) join the same batch.
      const run = new Promise<Map<K, V>>((resolve, reject) => {
        setImmediate(() => {
          pending = null;
          batch(keys).then(resolve, reject);
        });
      });
      pending = { keys, run };
    }
    pending.keys.push(key);
    const result = pending.run.then((values) => values.get(key));
    known.set(key, result);
    return result;
  };
  loaders.set(name, load as (key: never) => Promise<unknown>);
  return load;
}
