import { BREAK, Kind, visit, type ASTNode, type DocumentNode, type GraphQLError, type ValueNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import { unstorableText } from '../text.ts';

function refusal(message: string, nodes?: ASTNode) {
  return createGraphQLError(`${message} Strings cannot contain NUL or unpaired surrogates.`, {
    ...(nodes ? { nodes } : {}),
    // 400 whatever the Accept header, like a variable that fails coercion: nothing ran.
    extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
  });
}

const at = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** The first unstorable string inside a literal (objects and lists included), with its path. */
function inLiteral(value: ValueNode, path: string): { path: string; reason: string; node: ValueNode } | undefined {
  switch (value.kind) {
    case Kind.STRING: {
      const reason = unstorableText(value.value);
      return reason ? { path, reason, node: value } : undefined;
    }
    case Kind.LIST:
      for (const [i, item] of value.values.entries()) {
        const found = inLiteral(item, at(path, i));
        if (found) return found;
      }
      return undefined;
    case Kind.OBJECT:
      for (const field of value.fields) {
        const found = inLiteral(field.value, at(path, field.name.value));
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Every argument literal of the document (fields, directives, variable defaults). */
function checkDocument(document: DocumentNode): GraphQLError | null {
  let error: GraphQLError | null = null;
  const check = (value: ValueNode | undefined, name: string) => {
    const found = value && inLiteral(value, name);
    if (!found) return undefined;
    error = refusal(`The literal at \`${found.path}\` contains ${found.reason}.`, found.node);
    return BREAK;
  };
  visit(document, {
    Argument: (node) => check(node.value, node.name.value) ?? false,
    VariableDefinition: (node) => check(node.defaultValue, `$${node.variable.name.value}`) ?? false,
  });
  return error;
}

/** Every string anywhere in the variables, as sent (before coercion, so unused ones too). */
function checkVariables(variables: unknown, document: DocumentNode): GraphQLError | null {
  // Iterative: variables may nest deeply (the fuzz test sends 2 000 levels of arrays).
  const pending: [unknown, string][] = [[variables, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const reason = unstorableText(value);
      if (reason) return refusal(`Variable \`$${path}\` contains ${reason}.`, definitionOf(document, path.split(/[.[]/)[0]!));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => pending.push([item, at(path, i)]));
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) pending.push([item, at(path, key)]);
    }
  }
  return null;
}

function definitionOf(document: DocumentNode, name: string): ASTNode | undefined {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const found = definition.variableDefinitions?.find((v) => v.variable.name.value === name);
    if (found) return found;
  }
  return undefined;
}

/**
 * One gate for every string a client sends as input: no NUL and no unpaired surrogate, in
 * argument literals (nested input objects and lists, directive arguments, variable defaults)
 * and anywhere in the variables, for every scalar (String, ID, URL, CountryCode …) and for
 * mutations as for queries. Checked just before execution, once the document has passed
 * validation; a document's literals are checked once (yoga caches parsed documents).
 * Keyset cursors carry strings inside their signed payload; the cursor codec checks those.
 */
export function useStringInputCheck(): Plugin {
  const documents = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let error = documents.get(args.document);
      if (error === undefined) {
        error = checkDocument(args.document);
        documents.set(args.document, error);
      }
      error ??= checkVariables(args.variableValues, args.document);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
