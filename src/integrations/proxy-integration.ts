import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { firstAcceptType, mediaTypeOf } from '../http/media-type.js';
import type { LambdaFunction } from '../lambda/context.js';
import { invoke } from '../lambda/invoke.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from './compiled-integration.js';
import { jsonByteLengthWithBody, jsonStringByteLength, jsonUtf8ByteLength } from './json-byte-length.js';
import { fromProxyResult, MalformedProxyResult, toProxyEvent } from './proxy.js';

/** AWS's execution log line for it, with the function (the client's 504 body says only "Endpoint request timed out"). */
export function logIntegrationTimeout(api: ApiRuntime, functionName: string, timeoutMs: number): void {
  api.logger.error(
    `Lambda function ${functionName}: Execution failed due to a timeout error: no answer within the integration timeout of ${timeoutMs} ms (timeoutInMillis)`,
  );
}

/**
 * Lambda refused the call (429 TooManyRequestsException, past reservedConcurrency): API Gateway
 * answers 500 Internal server error for AWS_PROXY and AWS integrations alike, and no integration
 * response can map it (repost.aws QUfI6bsdd0SOiPeyimzxSkfQ; stackoverflow.com/questions/36363280:
 * "It will always be considered as 500", since then the INTEGRATION_FAILURE gateway response).
 */
export function throttled(api: ApiRuntime, functionName: string): GatewayError {
  api.logger.error(
    `Lambda function ${functionName}: Execution failed due to configuration error: Lambda invocation failed with status: 429 (TooManyRequestsException: Rate Exceeded.)`,
  );
  return new GatewayError('INTEGRATION_FAILURE');
}

/** Lambda's synchronous Invoke limit, for the request event and for the result alike. */
export const LAMBDA_PAYLOAD_LIMIT = 6 * 1024 * 1024;
// Below this, a payload cannot reach the limit, so its exact size is never computed.
const SIZE_CHECK_THRESHOLD = 5 * 1024 * 1024;

/** `AWS_PROXY`: the request becomes the proxy event, the function's result becomes the response. */
export class ProxyIntegration implements CompiledIntegration {
  constructor(
    private readonly fn: LambdaFunction,
    private readonly timeoutMs: number,
  ) {}

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const isBinary = api.isBinary(mediaTypeOf(req.headers.lower.get('content-type')));
    const event = toProxyEvent(req, route, api.identity, isBinary);
    // toProxyEvent decodes a text body from these bytes as UTF-8 (a binary one as base64).
    if (event.body !== null && isOverLimit(event, event.body, isBinary, isBinary ? undefined : req.body))
      return new GatewayError('REQUEST_TOO_LARGE');
    const requestId = randomUUID();
    const facts = req.seed.facts;
    const started = facts === undefined ? 0 : api.now();
    req.trace?.endpointRequest(this.fn, event, route, req, requestId);
    const outcome = await invoke(this.fn, event, { requestId, integrationTimeoutMs: this.timeoutMs });
    facts?.invoked(outcome, requestId, api.now() - started);
    req.trace?.endpointResponse(outcome, req);
    switch (outcome.kind) {
      case 'integration-timeout':
        logIntegrationTimeout(api, this.fn.name, this.timeoutMs);
        return new GatewayError('INTEGRATION_TIMEOUT');
      case 'throttled':
        return throttled(api, this.fn.name);
      case 'error':
      case 'timeout':
        api.logger.error(`Lambda function ${this.fn.name} failed:`, JSON.stringify(outcome.error));
        return new GatewayError('DEFAULT_5XX');
    }
    const response = toResponse(
      outcome.value,
      api.isBinary(firstAcceptType(req.headers.lower.get('accept'))),
    );
    if (response === TOO_LARGE) {
      req.trace?.error('Execution failed due to configuration error: Malformed Lambda proxy response');
      api.logger.error(`Lambda function ${this.fn.name} returned more than 6 MB`);
      return new GatewayError('DEFAULT_5XX');
    }
    if (response === UNSERIALISABLE) {
      // The runtime's JSON.stringify threw: a function error, as a throwing handler.
      req.trace?.error('Execution failed due to configuration error: Malformed Lambda proxy response');
      api.logger.error(`Lambda function ${this.fn.name} failed: Unable to stringify response body`);
      return new GatewayError('DEFAULT_5XX');
    }
    if (response instanceof GatewayError) {
      // AWS's execution log says no more than this; the reason is ours, to find the field.
      const reason = response instanceof MalformedProxyResult ? `: ${response.reason}` : '';
      if (facts !== undefined) facts.integrationError = 'Malformed Lambda proxy response';
      req.trace?.error('Execution failed due to configuration error: Malformed Lambda proxy response');
      api.logger.error(
        `Lambda function ${this.fn.name}: Execution failed due to configuration error: Malformed Lambda proxy response${reason}`,
      );
      return response;
    }
    // $context.integration.status: for a proxy integration, the status the function returned.
    if (facts !== undefined) facts.integrationStatus = response.statusCode;
    return { response, traced: true };
  }
}

/**
 * Whether the payload's JSON is over Lambda's limit, counted without building it. `utf8`: the
 * bytes `body` was decoded from, counted instead when they are valid UTF-8 (faster than the string).
 */
function isOverLimit(payload: object, body: string, base64: boolean, utf8?: Buffer): boolean {
  if (body.length <= SIZE_CHECK_THRESHOLD) return false;
  // Every UTF-16 unit is at least one byte: past the limit already, no need to count.
  if (body.length > LAMBDA_PAYLOAD_LIMIT) return true;
  const bodyJsonBytes = base64
    ? body.length + 2 // nothing in base64 needs escaping
    : utf8 !== undefined && isUtf8(utf8)
      ? jsonUtf8ByteLength(utf8)
      : jsonStringByteLength(body);
  return jsonByteLengthWithBody(payload, bodyJsonBytes) > LAMBDA_PAYLOAD_LIMIT;
}

const TOO_LARGE = Symbol('too large');
const UNSERIALISABLE = Symbol('unserialisable');

/** A plain object, as a handler's literal is: what AWS sees of it is what `fromProxyResult` reads. */
function isPlainResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * AWS sees the result as the runtime's `JSON.stringify` wrote it. A plain result is read as it
 * is; anything else (a failed read, a malformed shape, a class instance, a `toJSON`, a Date or a
 * function inside, NaN) is read again from its JSON, so that only what AWS would refuse is refused.
 */
function toResponse(
  value: unknown,
  decodeBinary: boolean,
): ReturnType<typeof fromProxyResult> | typeof TOO_LARGE | typeof UNSERIALISABLE {
  try {
    if (isPlainResult(value)) {
      const body = (value as { body?: unknown }).body;
      if (typeof body === 'string' && isOverLimit(value as object, body, false)) return TOO_LARGE;
      const response = fromProxyResult(value, decodeBinary);
      if (!(response instanceof GatewayError)) return response;
    }
  } catch {
    // a getter or a Proxy trap threw: the serialisation below decides
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch {
    return UNSERIALISABLE;
  }
  // A function or a symbol serialises to nothing: AWS gets an empty payload.
  if (text === undefined) return fromProxyResult(undefined, decodeBinary);
  if (text.length > SIZE_CHECK_THRESHOLD && Buffer.byteLength(text) > LAMBDA_PAYLOAD_LIMIT) return TOO_LARGE;
  return fromProxyResult(JSON.parse(text), decodeBinary);
}
