import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../../errors.ts';

/** What a selection set holds before its named fragments are inlined. */
interface Part {
  fields: number;
  /** One entry per spread, repeats included: a fragment spread twice counts twice. */
  spreads: string[];
}

/** Fields written in the set (nested ones and those of inline fragments included) and the named spreads met. */
function partOf(set: SelectionSetNode, part: Part = { fields: 0, spreads: [] }): Part {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      part.fields++;
      if (selection.selectionSet) partOf(selection.selectionSet, part);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      partOf(selection.selectionSet, part);
    } else {
      part.spreads.push(selection.name.value);
    }
  }
  return part;
}

/**
 * The largest number of fields an operation of the document selects once every fragment spread
 * is replaced by the fragment's fields (a field counts once per place it ends up in), i.e. the
 * size of the operation for any walk that expands fragments instead of remembering them.
 *
 * `fragment F1 on Query { ...F0 ...F0 }` … `fragment F15 on Query { ...F14 ...F14 }` is 600 bytes
 * and expands to 2^15 fields; each fragment's expanded size is computed once and reused, so this
 * is linear in the document. Hand-written (no library counts this): the fragment graph is
 * resolved with an explicit stack, because a chain of thousands of fragments would overflow
 * the call stack of a recursive count. A cycle counts 0 here; validation refuses it.
 */
export function expandedSelections(document: DocumentNode): number {
  const parts = new Map<string, Part>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION && !parts.has(def.name.value)) parts.set(def.name.value, partOf(def.selectionSet));
  }
  const sizes = new Map<string, number>();
  const expanded = (part: Part) => part.spreads.reduce((sum, name) => sum + (sizes.get(name) ?? 0), part.fields);
  // Post-order over the fragment graph: a fragment's size once all it spreads are known.
  const inProgress = new Set<string>();
  for (const start of parts.keys()) {
    const stack = [start];
    while (stack.length > 0) {
      const name = stack[stack.length - 1]!;
      if (sizes.has(name)) {
        stack.pop();
        continue;
      }
      const part = parts.get(name);
      if (!part) {
        sizes.set(name, 0); // unknown fragment: validation refuses it
        stack.pop();
        continue;
      }
      if (!inProgress.has(name)) {
        inProgress.add(name);
        for (const next of part.spreads) if (!sizes.has(next) && !inProgress.has(next)) stack.push(next);
        continue;
      }
      sizes.set(name, expanded(part));
      inProgress.delete(name);
      stack.pop();
    }
  }
  let largest = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const part = partOf(def.selectionSet);
    for (const name of part.spreads) if (!sizes.has(name)) sizes.set(name, 0);
    largest = Math.max(largest, expanded(part));
  }
  return largest;
}

/**
 * Refuses, before validation, an operation whose fragments expand to more than `maxSelections`
 * fields (MAX_SELECTIONS_EXCEEDED). Tokens, depth and aliases do not bound this: the doubling
 * chain above has depth 0 and no alias. Every walk over the document (graphql-js and armor
 * validation, pricing, execution, the actual-cost walk, Pothos' selection mapping) is then
 * bounded by this size even if it expanded fragments instead of remembering them.
 */
export function useSelectionLimit({ maxSelections }: { maxSelections: number }): Plugin {
  return {
    onValidate({ params, setResult }) {
      const selections = expandedSelections(params.documentAST);
      if (selections <= maxSelections) return;
      const shown = Number.isFinite(selections) && selections < 1e15 ? String(selections) : 'more than 10^15';
      setResult([
        createGraphQLError(
          `The operation selects ${shown} fields once its fragments are expanded; the limit is ${maxSelections}. Spread each fragment fewer times.`,
          { extensions: { code: ErrorCode.MAX_SELECTIONS_EXCEEDED } },
        ),
      ]);
    },
  };
}
