import {
  type OutgoingHttpHeaders,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { RequestSeed } from '../http/request-seed.js';
import {
  BUILT_IN_RESPONSES,
  type GatewayErrorScope,
  type GatewayResponses,
} from './compile-gateway-responses.js';
import { GatewayError } from './gateway-error.js';
import { isNonAsciiHeaderValue } from './header-value.js';
import type { HttpResponse } from './http-response.js';

/** The host app's own headers (Express's X-Powered-By) are not API Gateway's. */
function removeHostHeaders(res: ServerResponse): void {
  if (res.hasHeader('x-powered-by')) res.removeHeader('x-powered-by');
}

type HeaderValue = string | string[];

/** Case-insensitive, the last value winning in the first one's place, as `setHeader` has it. */
function putHeader(headers: Map<string, [string, HeaderValue]>, name: string, value: HeaderValue): void {
  headers.set(name.toLowerCase(), [name, value]);
}

/**
 * writeHead fixes the framing before `end(body)` could: the Content-Length that `end` adds by
 * itself, in the same cases (not for HEAD, 204, 304, nor HTTP/1.0, nor when the headers frame it).
 */
function needsContentLength(
  res: ServerResponse,
  status: number,
  headers: Map<string, [string, HeaderValue]>,
): boolean {
  return (
    res.useChunkedEncodingByDefault &&
    status !== 204 &&
    status !== 304 &&
    res.req?.method !== 'HEAD' &&
    !headers.has('content-length') &&
    !headers.has('transfer-encoding') &&
    !res.hasHeader('content-length') &&
    !res.hasHeader('transfer-encoding')
  );
}

/**
 * The only code that writes to the client. Adds the headers API Gateway puts on every answer.
 * `responses` and `scope` shape the error answer that replaces a response that cannot be sent.
 */
export function sendResponse(
  res: ServerResponse,
  response: HttpResponse,
  seed: RequestSeed,
  traced: boolean,
  responses: GatewayResponses = BUILT_IN_RESPONSES,
  scope?: GatewayErrorScope,
): void {
  if (res.headersSent || res.destroyed) return;
  const status = response.statusCode;
  if (!(status >= 200 && status <= 599)) {
    // A 1xx would go out as an interim response and leave the client waiting for the answer
    // (an integration response or a responseOverride can name one): a configuration error.
    sendGatewayError(res, new GatewayError('API_CONFIGURATION_ERROR'), seed, responses, scope);
    return;
  }
  const headers = new Map<string, [string, HeaderValue]>();
  let nonAscii = false;
  for (const [name, value] of response.headers) {
    // All checked before any is set: the error answer that follows a throw here must not carry
    // half of this one's headers.
    validateHeaderName(name);
    if (typeof value === 'string') validateHeaderValue(name, value);
    else for (const item of value) validateHeaderValue(name, item);
    putHeader(headers, name, value);
    if (!nonAscii)
      nonAscii = typeof value === 'string' ? isNonAsciiHeaderValue(value) : value.some(isNonAsciiHeaderValue);
  }
  putHeader(headers, 'x-amzn-RequestId', seed.requestId);
  putHeader(headers, 'x-amz-apigw-id', seed.extendedRequestId);
  if (traced) putHeader(headers, 'X-Amzn-Trace-Id', seed.traceId);
  removeHostHeaders(res);
  // Said explicitly, Node adds no `Keep-Alive: timeout=…` of its own: API Gateway never sends one.
  if (res.shouldKeepAlive && !headers.has('connection') && !res.hasHeader('connection'))
    putHeader(headers, 'Connection', 'keep-alive');
  // Node encodes the header block as UTF-8 when it sends it with a string body, byte per
  // character with a Buffer: a Buffer keeps header bytes as toWireHeaderValue laid them out.
  const body =
    nonAscii && typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  if (needsContentLength(res, status, headers)) {
    putHeader(
      headers,
      'Content-Length',
      String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    );
  }
  // One writeHead, not a setHeader per header; an object (not a flat list) for the on-headers
  // hooks of host middleware. Null prototype: `__proto__` is a valid header name.
  const out: OutgoingHttpHeaders = Object.create(null);
  for (const [name, value] of headers.values()) out[name] = value;
  res.writeHead(status, out);
  res.end(body);
  const facts = seed.facts;
  if (facts !== undefined) {
    facts.status = status;
    facts.responseLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  }
}

/** A gateway error as the API's gateway responses render it (the built-in ones by default). */
export function sendGatewayError(
  res: ServerResponse,
  error: GatewayError,
  seed: RequestSeed,
  responses: GatewayResponses = BUILT_IN_RESPONSES,
  scope?: GatewayErrorScope,
): void {
  if (res.headersSent || res.destroyed) return;
  const facts = seed.facts;
  if (facts !== undefined) {
    facts.errorMessage = error.errorMessage;
    facts.errorResponseType = error.responseType;
    facts.validationErrorString = error.validationErrorString;
  }
  sendResponse(res, responses.render(error, scope), seed, false);
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
 * A request target whose path URL readers resolve elsewhere (dot segments, a backslash): refused
 * before routing. AWS's answer for such a target is not recorded; 400 is the one that cannot
 * reach a resource other than the one the guards would judge.
 */
export function sendBadRequest(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  removeHostHeaders(res);
  res.statusCode = 400;
  res.setHeader('Content-Type', 'application/json');
  res.end('{"message":"Bad Request"}');
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
