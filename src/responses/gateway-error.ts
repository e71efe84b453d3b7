import {
  GATEWAY_RESPONSES,
  type GatewayResponseDefault,
  type GatewayResponseType,
} from './gateway-responses.js';

/** What a request-validation error knows beyond its type: `$context.error.message` and detail. */
export interface GatewayErrorOptions {
  /** `$context.error.message`; the built-in body becomes this message in the type's byte form. */
  message?: string;
  /** `$context.error.validationErrorString` (request validation failures). */
  validationErrorString?: string;
}

// `{"message":` or `{"message": `: the part of a built-in body before its message.
const BODY_PREFIX = /^\{"[Mm]essage": ?/;

/**
 * API Gateway answering on its own (no integration response): one class for every type, keyed
 * by the gateway response type so that status, headers and body come from one table.
 * @example throw new GatewayError('MISSING_AUTHENTICATION_TOKEN');
 */
export class GatewayError extends Error {
  readonly code = 'APIGW_GATEWAY_ERROR';
  readonly statusCode: number;
  readonly body: string;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString: string | undefined;
  constructor(
    readonly responseType: GatewayResponseType,
    /** Overrides the table's body (e.g. a message with details), keeping its status and headers. */
    body?: string | GatewayErrorOptions,
    /** Overrides the table's status where AWS sends the type with another code. */
    statusCode?: number,
  ) {
    const row = GATEWAY_RESPONSES[responseType];
    const opts = typeof body === 'object' ? body : {};
    const text =
      typeof body === 'string'
        ? body
        : opts.message !== undefined
          ? `${BODY_PREFIX.exec(row.body)?.[0] ?? '{"message":'}${JSON.stringify(opts.message)}}`
          : row.body;
    super(`${responseType}: ${text}`);
    this.name = 'GatewayError';
    this.statusCode = statusCode ?? row.statusCode;
    this.body = text;
    this.validationErrorString = opts.validationErrorString;
  }

  get errorType(): string | undefined {
    const row: GatewayResponseDefault = GATEWAY_RESPONSES[this.responseType];
    return row.errorType;
  }
}
