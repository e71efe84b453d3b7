/**
 * The answers an HTTP API gives itself (reference §7). There are no gateway responses to
 * customise on HTTP APIs (D-vs); the field is lower-case `message`.
 */
export const HTTP_API_ERRORS = {
  // D-routes: no stage, no route.
  NOT_FOUND: { statusCode: 404, body: '{"message":"Not Found"}' },
  // D-jwt-ts: a refused token; D-lauth: a missing identity source.
  UNAUTHORIZED: { statusCode: 401, body: '{"message":"Unauthorized"}' },
  // Scope, Lambda or IAM denial: UNCONFIRMED (reference §7).
  FORBIDDEN: { statusCode: 403, body: '{"message":"Forbidden"}' },
  // D-ts-lambda: function error, bad result. Status 500 per peers (AWS states only the body).
  INTERNAL_SERVER_ERROR: { statusCode: 500, body: '{"message":"Internal Server Error"}' },
  // Integration timeout: 503 (serverless/serverless docs, sst#2232); body UNCONFIRMED.
  SERVICE_UNAVAILABLE: { statusCode: 503, body: '{"message":"Service Unavailable"}' },
  // A path whose escapes cannot be decoded (hotsock/voker paths.py): status recorded, body UNCONFIRMED.
  BAD_REQUEST: { statusCode: 400, body: '{"message":"Bad Request"}' },
  // Over 10 MB (D-limits): status and body UNCONFIRMED.
  PAYLOAD_TOO_LARGE: { statusCode: 413, body: '{"message":"Request Entity Too Large"}' },
  // D-thr: 429 Too Many Requests; body as a peer gives it, bytes UNCONFIRMED.
  TOO_MANY_REQUESTS: { statusCode: 429, body: '{"message":"Too Many Requests"}' },
} as const;

export type HttpApiErrorType = keyof typeof HTTP_API_ERRORS;
