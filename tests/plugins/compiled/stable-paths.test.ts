import type { GraphQLResolveInfo } from 'graphql';
import { isCompiled, markCompiled, stablePath } from '../../../src/plugins/compiled/stable-paths.ts';

type Path = GraphQLResolveInfo['path'];

/** A path chain as graphql-jit builds it for each resolver call: fresh objects, no typename. */
function jitPath(...keys: (string | number)[]): Path {
  let path: Path | undefined;
  for (const key of keys) path = { prev: path, key, typename: undefined };
  return path!;
}

test('two fresh chains for the same response position give the same path object, and so does each prefix', () => {
  const roots = new Map();
  const a = stablePath(roots, jitPath('film', 'credits', 'edges', 0, 'node', 'person'));
  const b = stablePath(roots, jitPath('film', 'credits', 'edges', 0, 'node', 'person'));
  expect(b).toBe(a);
  expect(stablePath(roots, jitPath('film', 'credits', 'edges', 0, 'node'))).toBe(a.prev);
  expect(stablePath(roots, jitPath('film'))).toBe(a.prev!.prev!.prev!.prev!.prev);
  expect([a.key, a.prev!.key, a.prev!.prev!.key]).toEqual(['person', 'node', 0]);
});

test('rows of a list keep positions of their own (list indices count), as under graphql-js', () => {
  const roots = new Map();
  const first = stablePath(roots, jitPath('films', 'edges', 0, 'node', 'credits'));
  const second = stablePath(roots, jitPath('films', 'edges', 1, 'node', 'credits'));
  expect(second).not.toBe(first);
  expect(second.prev!.prev!.prev).toBe(first.prev!.prev!.prev);
  // A field and its alias are different positions, like two keys of one object.
  expect(stablePath(roots, jitPath('film', 'cast'))).not.toBe(stablePath(roots, jitPath('film', 'crew')));
});

test('each request holds its own positions: another request gets other objects', () => {
  const path = jitPath('film', 'directors');
  expect(stablePath(new Map(), path)).not.toBe(stablePath(new Map(), path));
});

test('only a context marked as executing compiled is compiled', () => {
  const compiled = {};
  markCompiled(compiled);
  expect([isCompiled(compiled), isCompiled({})]).toEqual([true, false]);
});
