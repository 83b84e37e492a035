import { PothosValidationError } from '@pothos/core';
import { GraphQLError, type Source } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { ErrorCode } from '../errors.ts';

function withCode(error: GraphQLError, code: ErrorCode, keepCause = true): GraphQLError {
  if (error.extensions?.['code']) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: keepCause ? error.originalError : undefined,
    extensions: { ...error.extensions, code },
  });
}

/**
 * An error graphql-jit raised, given the source and positions graphql-js errors carry. Its errors
 * hold `locations` only, and both `withCode` and yoga (omitInternalsFromError, before answering)
 * rebuild an error from its nodes, source and positions: a compiled execution's errors reached
 * clients without locations. Other errors are returned as they are.
 */
function located(error: GraphQLError, source: Source | undefined): GraphQLError {
  if (!source || error.nodes || error.source || !error.locations?.length) return error;
  // Line starts as graphql-js counts lines (getLocation): \r\n, \n or \r ends one.
  const lineStarts = [0];
  for (const match of source.body.matchAll(/\r\n|[\n\r]/g)) lineStarts.push(match.index + match[0].length);
  return new GraphQLError(error.message, {
    source,
    positions: error.locations.map(({ line, column }) => (lineStarts[line - 1] ?? 0) + column - 1),
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * Gives every error a stable `extensions.code`. graphql-js reports parse, validation and
 * variable-coercion failures without one, and Pothos raises PothosValidationError for IDs
 * of the wrong type; both would otherwise reach clients code-less.
 */
export function useErrorCodes(): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError) replaceParseResult(withCode(result, ErrorCode.GRAPHQL_PARSE_FAILED));
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((e) => withCode(e, ErrorCode.GRAPHQL_VALIDATION_FAILED)));
      };
    },
    onExecute({ args }) {
      const source = args.document.loc?.source;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors) return;
          // Variable coercion failures: graphql-js returns errors and no `data` at all.
          const coercion = !('data' in result);
          setResult({
            ...result,
            errors: result.errors.map((error) => {
              const e = located(error, source);
              // A scalar's parseValue may throw a plain TypeError on odd client input (graphql-scalars'
              // CountryCode on {"toString": null}, found by tests/server/fuzz.test.ts): the message already
              // says what is wrong, and keeping that cause would get the error masked as internal.
              if (coercion) return withCode(e, ErrorCode.BAD_USER_INPUT, false);
              if (e.originalError instanceof PothosValidationError) {
                const isId = /global ID|^ID: /i.test(e.originalError.message);
                return withCode(e, isId ? ErrorCode.INVALID_ID : ErrorCode.BAD_USER_INPUT);
              }
              return e;
            }),
          });
        },
      };
    },
  };
}

/**
 * Yoga's masking, but never exposing internals (stack, original message), whatever NODE_ENV
 * says: yoga's default reveals them when NODE_ENV=development, our default for `npm start`.
 */
export function maskError(error: unknown, message: string): Error {
  // An outage is not a bug: clients get a stable, retryable code and HTTP 503 (the status
  // load balancers and retry middleware understand), still without internals.
  if (isDatabaseUnavailable(error)) {
    return createGraphQLError('The database is unavailable; retry shortly.', {
      extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, http: { status: 503, headers: { 'Retry-After': '1' } } },
    });
  }
  return yogaMaskError(error, message, false);
}
