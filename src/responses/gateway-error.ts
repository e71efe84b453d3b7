import {
  GATEWAY_RESPONSES,
  type GatewayResponseDefault,
  type GatewayResponseType,
} from './gateway-responses.js';

/** What an error site knows beyond its type. Every field is optional; the table fills the rest. */
export interface GatewayErrorOptions {
  /**
   * `$context.error.message` (null: none, as for AUTHORIZER_CONFIGURATION_ERROR). The built-in
   * body becomes this message in the type's own byte form (`{"Message":"…"}` for ACCESS_DENIED).
   */
  message?: string | null;
  /** `$context.error.validationErrorString` (request validation failures). */
  validationErrorString?: string;
  /** The built-in body bytes, where AWS writes them otherwise than the message alone would say. */
  body?: string;
  /** Overrides the table's status where AWS sends the type with another code. */
  statusCode?: number;
  /** Overrides the table's `x-amzn-ErrorType` (SigV4's IncompleteSignatureException under INVALID_SIGNATURE). */
  errorType?: string;
}

// `{"message":`, `{"message": ` or `{"Message":`: the part of a built-in body before its message.
const BODY_PREFIX = /^\{"[Mm]essage": ?/;

/** The type's built-in body with another message, in the same bytes the table uses. */
function bodyWithMessage(row: GatewayResponseDefault, message: string | null): string {
  const prefix = BODY_PREFIX.exec(row.body)?.[0] ?? '{"message":';
  return `${prefix}${JSON.stringify(message)}}`;
}

/**
 * API Gateway answering on its own (no integration response): one class for every type, keyed
 * by the gateway response type so that status, headers and body come from one table, and the
 * API's `gatewayResponses` (then DEFAULT_4XX / DEFAULT_5XX) can override them.
 *
 * Forms: `new GatewayError(type)`; `new GatewayError(type, { message, validationErrorString,
 * body, statusCode })` where `message` is `$context.error.message` and the built-in body is
 * derived from it; and the older `new GatewayError(type, body, statusCode)`.
 * @example
 * throw new GatewayError('MISSING_AUTHENTICATION_TOKEN');
 * new GatewayError('ACCESS_DENIED', {
 *   message: 'User is not authorized to access this resource with an explicit deny',
 * }); // 403 {"Message":"User is not authorized to access this resource with an explicit deny"}
 */
export class GatewayError extends Error {
  readonly code = 'APIGW_GATEWAY_ERROR';
  readonly statusCode: number;
  /** The built-in body bytes, sent when no gateway response template applies. */
  readonly body: string;
  /** `$context.error.message`. */
  readonly errorMessage: string | null;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString: string | undefined;
  /** The `x-amzn-ErrorType` header; none where AWS sends none we could confirm. */
  readonly errorType: string | undefined;
  constructor(
    readonly responseType: GatewayResponseType,
    options?: GatewayErrorOptions | string,
    statusCode?: number,
  ) {
    const row: GatewayResponseDefault = GATEWAY_RESPONSES[responseType];
    const opts: GatewayErrorOptions =
      typeof options === 'string' ? { body: options, statusCode } : (options ?? {});
    const errorMessage = opts.message !== undefined ? opts.message : row.message;
    const body = opts.body ?? (opts.message !== undefined ? bodyWithMessage(row, opts.message) : row.body);
    super(`${responseType}: ${body}`);
    this.name = 'GatewayError';
    this.statusCode = opts.statusCode ?? row.statusCode;
    this.body = body;
    this.errorMessage = errorMessage;
    this.validationErrorString = opts.validationErrorString;
    this.errorType = opts.errorType ?? row.errorType;
  }
}
