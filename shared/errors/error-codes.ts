/**
 * The closed list of expected failures. Each has one HTTP status and renders to the
 * RealWorld error shape `{"errors": {<key>: [<message>]}}`; anything not listed here is
 * an unexpected error and is answered with the generic `internal` body.
 */
export const errorCodes = {
  tokenMissing: { status: 401, key: "token", message: "is missing" },
  tokenInvalid: { status: 401, key: "token", message: "invalid" },
  credentialsInvalid: { status: 401, key: "credentials", message: "invalid" },
  articleForbidden: { status: 403, key: "article", message: "forbidden" },
  commentForbidden: { status: 403, key: "comment", message: "forbidden" },
  articleNotFound: { status: 404, key: "article", message: "not found" },
  commentNotFound: { status: 404, key: "comment", message: "not found" },
  profileNotFound: { status: 404, key: "profile", message: "not found" },
  userNotFound: { status: 404, key: "user", message: "not found" },
  routeNotFound: { status: 404, key: "route", message: "not found" },
  methodNotAllowed: { status: 405, key: "method", message: "not allowed" },
  emailTaken: { status: 409, key: "email", message: "has already been taken" },
  usernameTaken: { status: 409, key: "username", message: "has already been taken" },
  bodyMalformed: { status: 400, key: "request", message: "body must be valid JSON" },
  bodyTooLarge: { status: 413, key: "request", message: "body is too large" },
  mediaTypeUnsupported: { status: 415, key: "content-type", message: "must be application/json" },
  validationFailed: { status: 422, key: "request", message: "is invalid" },
  rateLimited: { status: 429, key: "rate", message: "limit exceeded, retry later" },
  internal: { status: 500, key: "server", message: "internal error" },
  databaseUnavailable: { status: 503, key: "database", message: "unavailable, retry later" },
  originUnavailable: { status: 503, key: "origin", message: "unavailable, retry later" },
  metricsUnavailable: { status: 503, key: "metrics", message: "unavailable, retry later" },
  passwordCheckBusy: { status: 503, key: "credentials", message: "too many sign-ins at once, retry later" },
} as const satisfies Record<string, ErrorCodeDefinition>;

export interface ErrorCodeDefinition {
  status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 502 | 503 | 504;
  key: string;
  message: string;
}

export type ErrorCode = keyof typeof errorCodes;
