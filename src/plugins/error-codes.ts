import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
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
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors) return;
          // Variable coercion failures: graphql-js returns errors and no `data` at all.
          const coercion = !('data' in result);
          setResult({
            ...result,
            errors: result.errors.map((e) => {
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
