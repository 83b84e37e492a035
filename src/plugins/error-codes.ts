import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createGraphQLError, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';

function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  if (error.extensions?.['code']) return error;
  return createGraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
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
          // Variable coercion failures: graphql-js returns errors and no `data` at all.
          if ('data' in result || !('errors' in result) || !result.errors) return;
          setResult({ ...result, errors: result.errors.map((e) => withCode(e, ErrorCode.BAD_USER_INPUT)) });
        },
      };
    },
  };
}

/**
 * Yoga's masking, plus: Pothos validation errors become coded client errors, and everything
 * masked is logged with its stack. Never exposes internals, whatever NODE_ENV says.
 */
export function createMaskError(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError ? error.originalError : error;
    if (original instanceof PothosValidationError && error instanceof GraphQLError) {
      const code = /global ID|^ID: /i.test(original.message) ? ErrorCode.INVALID_ID : ErrorCode.BAD_USER_INPUT;
      return withCode(error, code);
    }
    const masked = yogaMaskError(error, message, false);
    if (masked !== error) {
      logger.error({ err: original, path: error instanceof GraphQLError ? error.path : undefined }, 'unexpected error');
    }
    return masked;
  };
}
