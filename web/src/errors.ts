import type { CombinedError } from 'urql';

/**
 * The API's stable error codes (`extensions.code`, src/errors.ts, and the `UserError.code`s of
 * mutations) as sentences a reader can act on. An unknown code falls back to the API's message.
 */
const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'This needs a write key. Enter one on the editor desk.',
  FORBIDDEN: 'Your key is not allowed to do this (it needs the write scope).',
  NOT_FOUND: 'Nothing here: the record does not exist (any more).',
  INVALID_ID: 'That link is broken: the id in it names nothing.',
  INVALID_CURSOR: 'This list changed since it was loaded. Reload the page.',
  BAD_USER_INPUT: 'Some of the values sent are not valid.',
  RATE_LIMITED: 'Too many requests from here. Wait a few seconds and retry.',
  COST_LIMIT_EXCEEDED: 'That request asks for too much at once.',
  DATABASE_UNAVAILABLE: 'The catalogue is unavailable for a moment. Retry shortly.',
  SERVICE_UNAVAILABLE: 'The server is starting or restarting. Retry in a second.',
  PERSISTED_QUERY_NOT_FOUND: 'This page is older than the server it talks to. Reload the page.',
  PERSISTED_QUERY_ONLY: 'This page is older than the server it talks to. Reload the page.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on the server. Retry, and tell us if it persists.',
  // UserError codes of mutations.
  INVALID: 'Some of the values entered are not valid.',
  CONFLICT: 'Someone else changed this meanwhile. Reload and try again.',
  TAKEN: 'That value is already used by another record.',
  NOT_PENDING: 'This proposal was already accepted or rejected.',
  IDEMPOTENCY_KEY_REUSED: 'This request was already sent with different values.',
  CITATION_REQUIRED: 'A fact needs a citation.',
  EXCERPT_NOT_FOUND: 'The excerpt does not occur in the article.',
};

export function messageForCode(code: string | undefined, fallback: string): string {
  return (code && MESSAGES[code]) ?? fallback;
}

/** The human message for a failed request: the first error's code, else the network failure. */
export function describeError(error: CombinedError): string {
  const first = error.graphQLErrors[0];
  if (first) {
    const code = first.extensions?.['code'];
    return messageForCode(typeof code === 'string' ? code : undefined, first.message);
  }
  if (error.networkError) return 'The server cannot be reached. Check your connection and retry.';
  return error.message;
}
