import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { GraphQLError, ValidationContext } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../../errors.ts';
import { translateParseErrors } from './parse-errors.ts';

export interface LimitOptions {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxDocumentBytes: number;
  maxBodyBytes: number;
  /** Reported in the `extensions.cost` of the early 413 answer, which no later plugin sees. */
  maxCost: number;
  /** Replace graphql-js "Did you mean …?" hints, which reveal field names of a schema one may not introspect. */
  hideSuggestions: boolean;
}

// Armor prefixes every rejection with "Syntax Error:", which misleads for depth or aliases.
const plainMessage = (error: GraphQLError) => error.message.replace(/^Syntax Error: /, '');

/** Turns an armor validation rejection into one coded error instead of armor's code-less throw. */
function reportAs(code: ErrorCode) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        context?.reportError(createGraphQLError(plainMessage(error), { extensions: { code } }));
      },
    ],
  };
}

/**
 * Levels of nesting `variables` and `extensions` may have. The deepest input the schema takes is
 * six levels (`createReview(input:)`), a JSON argument adds a few; the bound only has to stop
 * values whose walks run out of stack: the response cache's key (JSON.stringify) threw
 * "Maximum call stack size exceeded", a 500, at ~10,000 levels (20 KB of `[`).
 */
export const MAX_INPUT_DEPTH = 32;

/** Whether `value` nests deeper than `limit` arrays and objects; iterative, and stops at the first path past it. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth === limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

function tooLarge(message: string) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.DOCUMENT_TOO_LARGE, http: { status: 413 } } });
}

/**
 * Size and shape limits, all enforced before execution: body size on arrival, document size
 * before parsing, tokens while parsing, depth/aliases/directives as validation rules.
 * Armor's own cost limit stays off: cost is ours (cost.ts) because it needs `first`/`last`.
 */
export function useLimits(options: LimitOptions): Plugin[] {
  // Armor types its plugin for an empty context; yoga plugins see a wider one, which is compatible.
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: options.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reportAs(ErrorCode.MAX_DEPTH_EXCEEDED) },
    maxAliases: { n: options.maxAliases, ...reportAs(ErrorCode.MAX_ALIASES_EXCEEDED) },
    maxDirectives: { n: options.maxDirectives, ...reportAs(ErrorCode.MAX_DIRECTIVES_EXCEEDED) },
    maxTokens: {
      n: options.maxTokens,
      // The token limit fires inside the lexer, where there is no validation context to report to.
      onReject: [
        (_context: unknown, error: GraphQLError) => {
          throw createGraphQLError(plainMessage(error), { extensions: { code: ErrorCode.MAX_TOKENS_EXCEEDED } });
        },
      ],
    },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: options.hideSuggestions },
  }) as Plugin;

  const sizes: Plugin = {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > options.maxBodyBytes) {
        const error = { message: `Request body is ${length} bytes; the limit is ${options.maxBodyBytes}.`, extensions: { code: ErrorCode.DOCUMENT_TOO_LARGE } };
        const body = { errors: [error], extensions: { cost: { requested: 0, limit: options.maxCost } } };
        endResponse(new fetchAPI.Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json; charset=utf-8' } }));
      }
    },
    // graphql-yoga 5 JSON.parse-s the `variables` and `extensions` of GET query strings and
    // url-encoded forms without a catch: malformed JSON there was a 500 (found by the fuzz test).
    onRequestParse: translateParseErrors((error) =>
      error instanceof SyntaxError
        ? createGraphQLError('`variables` and `extensions` must be JSON objects.', { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } })
        : undefined,
    ),
    onParams({ params }) {
      // Yoga checks the shape of the params only after every plugin's onParams; the response
      // cache and metrics read them first and crashed on an `operationName` object (fuzz test).
      for (const key of ['query', 'operationName'] as const) {
        const value: unknown = params[key];
        if (value != null && typeof value !== 'string') {
          throw createGraphQLError(`\`${key}\` must be a string.`, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });
        }
      }
      for (const key of ['variables', 'extensions'] as const) {
        const value: unknown = params[key];
        if (value != null && (typeof value !== 'object' || Array.isArray(value))) {
          throw createGraphQLError(`\`${key}\` must be a JSON object.`, { extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } } });
        }
        if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
          throw createGraphQLError(`\`${key}\` nests arrays and objects more than ${MAX_INPUT_DEPTH} levels deep.`, {
            extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
          });
        }
      }
      if (typeof params.query !== 'string') return;
      const bytes = Buffer.byteLength(params.query, 'utf8');
      if (bytes > options.maxDocumentBytes) {
        throw tooLarge(`The document is ${bytes} bytes; the limit is ${options.maxDocumentBytes}.`);
      }
    },
  };
  return [sizes, armor];
}
