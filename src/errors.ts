import { createGraphQLError } from 'graphql-yoga';

/**
 * Stable `extensions.code` values clients can switch on. Anything not listed is masked as
 * INTERNAL_SERVER_ERROR (message "Unexpected error.") and logged with its stack.
 */
export const ErrorCode = {
  /** Malformed global ID, or an ID of another type than the field accepts. */
  INVALID_ID: 'INVALID_ID',
  /** An argument failed validation (range, format, mutually exclusive arguments). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /**
   * A pagination cursor (`after`/`before`) that this API did not issue, that was altered, or that
   * was issued for another ordering or another search. Restart paging without a cursor.
   */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** The HTTP request is not a GraphQL request (invalid JSON, no query, wrong method); set by graphql-yoga. */
  BAD_REQUEST: 'BAD_REQUEST',
  /**
   * A POST body the server does not read (HTTP 415): not `application/json` (or
   * `application/graphql+json`, `application/graphql`), a charset other than UTF-8, a
   * `Content-Encoding` other than identity, or a form/multipart body while ALLOW_FORM_POSTS is off.
   */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The document does not parse. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  /** The document does not validate against the schema (unknown field, wrong type…). */
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  /**
   * The field needs an API key and the request has none usable: no `Authorization: Bearer`, a
   * token that is not a key, or a revoked key (the message says which). docs/writing.md#api-keys.
   */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** A valid API key without the scope the field needs (`extensions.requiredScopes`). */
  FORBIDDEN: 'FORBIDDEN',
  /** A record an argument refers to does not exist (mutations report it as a user error instead). */
  NOT_FOUND: 'NOT_FOUND',
  /** The database cannot be reached or did not answer in time; retry later (HTTP 503, Retry-After). */
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',
  /** The operation nests fields deeper than MAX_DEPTH. */
  MAX_DEPTH_EXCEEDED: 'MAX_DEPTH_EXCEEDED',
  /** The operation uses more aliases than MAX_ALIASES. */
  MAX_ALIASES_EXCEEDED: 'MAX_ALIASES_EXCEEDED',
  /** The document has more lexical tokens than MAX_TOKENS. */
  MAX_TOKENS_EXCEEDED: 'MAX_TOKENS_EXCEEDED',
  /** The operation uses more directives than MAX_DIRECTIVES. */
  MAX_DIRECTIVES_EXCEEDED: 'MAX_DIRECTIVES_EXCEEDED',
  /** The operation selects more than MAX_SELECTIONS fields once its fragment spreads are expanded. */
  MAX_SELECTIONS_EXCEEDED: 'MAX_SELECTIONS_EXCEEDED',
  /** The document is longer than MAX_DOCUMENT_BYTES, or the request body longer than MAX_BODY_BYTES. */
  DOCUMENT_TOO_LARGE: 'DOCUMENT_TOO_LARGE',
  /** The operation's estimated cost is above MAX_COST. */
  COST_LIMIT_EXCEEDED: 'COST_LIMIT_EXCEEDED',
  /** The client spent its cost points for the current window (HTTP 429, see Retry-After). */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A persisted-query hash the server does not know: send the query along with it (APQ), or use a trusted document. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  /** Trusted-documents mode: only documents of the manifest are accepted, by id. */
  PERSISTED_QUERY_ONLY: 'PERSISTED_QUERY_ONLY',
  /** APQ registration whose sha256Hash is not the hash of the query sent. */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  /**
   * A subscription beyond LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT open subscriptions of this client
   * (`extensions.scope` "client"), or LIVE_MAX_SUBSCRIPTIONS of the server ("server"); HTTP 429.
   * docs/live.md#limits.
   */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The server is starting or shutting down (HTTP 503, Retry-After); retry, e.g. on another instance. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** Masked unexpected failure. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * `UserError.code` of mutation payloads (docs/writing.md#user-errors): expected failures of a
 * write, returned in `userErrors` beside a null result, never as GraphQL errors. The GraphQL enum
 * UserErrorCode is built from this list, with these descriptions.
 */
export const UserErrorCode = {
  INVALID: 'An input value is malformed or out of range; `field` points at it.',
  NOT_FOUND: 'A record the input names (by id or slug) does not exist.',
  CONFLICT: 'The `version` sent is not the current one: someone else wrote first. `currentVersion` holds the current one; read again and retry.',
  TAKEN: 'A value that must be unique (slug, external id, alias…) is already used by another record.',
  IN_USE: 'The record cannot be deleted while others depend on it (e.g. a person with credits without `cascade: true`, a cited source).',
  CITATION_REQUIRED: 'A fact is set without a citation backing it. Cite it, or (with the `admin` scope) state a `note` instead.',
  EXCERPT_NOT_FOUND: 'A citation excerpt does not occur verbatim in the source text (or not as many times as `occurrence` asks).',
  NOT_REVERTIBLE: 'The revision cannot be reverted (a delete or a merge: the record and what it took with it are gone).',
  SAME_ENTITY: 'A merge names the same record twice.',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was already used, within 24 hours, for a different request by the same caller.',
  NOT_PENDING: 'The proposal was already accepted or rejected.',
  DEPENDENCY_NOT_ACCEPTED:
    'A proposal depends on others (a credit on its film and person) that are not accepted: accept them first, or pass `withDependencies: true`; `message` names their keys.',
  NOT_OPEN: 'The conflict was already resolved.',
} as const;

export type UserErrorCode = keyof typeof UserErrorCode;

export function userInputError(message: string, extra: Record<string, unknown> = {}) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...extra } });
}

export function invalidIdError(message: string) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.INVALID_ID } });
}

export function invalidCursorError(message: string) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.INVALID_CURSOR } });
}

export function forbiddenError(message: string) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.FORBIDDEN } });
}

export function notFoundError(message: string) {
  return createGraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}
