import type { ServerResponse } from 'node:http';
import type { RequestSeed } from '../gateway/request-seed.js';
import { GatewayError } from './gateway-error.js';
import { isNonAsciiHeaderValue } from './header-value.js';
import type { HttpResponse } from './http-response.js';

/** The host app's own headers (Express's X-Powered-By) are not API Gateway's. */
function removeHostHeaders(res: ServerResponse): void {
  if (res.hasHeader('x-powered-by')) res.removeHeader('x-powered-by');
}

/** The only code that writes to the client. Adds the headers API Gateway puts on every answer. */
export function sendResponse(
  res: ServerResponse,
  response: HttpResponse,
  seed: RequestSeed,
  traced: boolean,
): void {
  if (res.headersSent || res.destroyed) return;
  const status = response.statusCode;
  if (!(status >= 200 && status <= 599)) {
    // A 1xx would go out as an interim response and leave the client waiting for the answer
    // (an integration response or a responseOverride can name one): a configuration error.
    sendGatewayError(res, new GatewayError('API_CONFIGURATION_ERROR'), seed);
    return;
  }
  removeHostHeaders(res);
  const written: string[] = [];
  let nonAscii = false;
  try {
    for (const [name, value] of response.headers) {
      res.setHeader(name, value);
      written.push(name);
      if (!nonAscii)
        nonAscii = Array.isArray(value) ? value.some(isNonAsciiHeaderValue) : isNonAsciiHeaderValue(value);
    }
  } catch (error) {
    // All or nothing: the error answer that follows must not carry half of this one's headers.
    for (const name of written) res.removeHeader(name);
    throw error;
  }
  res.setHeader('x-amzn-RequestId', seed.requestId);
  res.setHeader('x-amz-apigw-id', seed.extendedRequestId);
  if (traced) res.setHeader('X-Amzn-Trace-Id', seed.traceId);
  // Said explicitly, Node adds no `Keep-Alive: timeout=…` of its own: API Gateway never sends one.
  if (res.shouldKeepAlive && !res.hasHeader('connection')) res.setHeader('Connection', 'keep-alive');
  res.statusCode = status;
  // Node encodes the header block as UTF-8 when it sends it with a string body, byte per
  // character with a Buffer: a Buffer keeps header bytes as toWireHeaderValue laid them out.
  res.end(nonAscii && typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body);
}

export function sendGatewayError(res: ServerResponse, error: GatewayError, seed: RequestSeed): void {
  if (res.headersSent || res.destroyed) return;
  const headers: [string, string][] = [['Content-Type', 'application/json']];
  if (error.errorType) headers.push(['x-amzn-ErrorType', error.errorType]);
  sendResponse(res, { statusCode: error.statusCode, headers, body: error.body }, seed, false);
}

/** Over 10 MB the request never reaches the API: plain text, and none of the gateway's headers. */
export function sendPayloadTooLarge(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  removeHostHeaders(res);
  res.statusCode = 413;
  res.setHeader('Content-Type', 'text; charset=utf-8');
  // The body may still be arriving; close rather than read 10 MB+ we will discard.
  res.setHeader('Connection', 'close');
  res.end('HTTP content length exceeded 10485760 bytes.');
}

/**
 * A URL over the 10,240-character quota is refused by API Gateway's front end, before the API
 * runs: 414 with the message of the authorizer ARN length check, none of the API's headers.
 */
export function sendUriTooLong(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  removeHostHeaders(res);
  res.statusCode = 414;
  res.setHeader('Content-Type', 'application/json');
  res.end('{"message":"Request URI too long"}');
}
