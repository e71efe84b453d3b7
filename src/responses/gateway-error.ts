import {
  GATEWAY_RESPONSES,
  type GatewayResponseDefault,
  type GatewayResponseType,
} from './gateway-responses.js';

/**
 * API Gateway answering on its own (no integration response): one class for every type, keyed
 * by the gateway response type so that status, headers and body come from one table.
 * @example throw new GatewayError('MISSING_AUTHENTICATION_TOKEN');
 */
export class GatewayError extends Error {
  readonly code = 'APIGW_GATEWAY_ERROR';
  readonly statusCode: number;
  readonly body: string;
  constructor(
    readonly responseType: GatewayResponseType,
    /** Overrides the table's body (e.g. a message with details), keeping its status and headers. */
    body?: string,
    /** Overrides the table's status where AWS sends the type with another code. */
    statusCode?: number,
  ) {
    const row = GATEWAY_RESPONSES[responseType];
    super(`${responseType}: ${body ?? row.body}`);
    this.name = 'GatewayError';
    this.statusCode = statusCode ?? row.statusCode;
    this.body = body ?? row.body;
  }

  get errorType(): string | undefined {
    const row: GatewayResponseDefault = GATEWAY_RESPONSES[this.responseType];
    return row.errorType;
  }
}
