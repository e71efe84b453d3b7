import { randomUUID } from 'node:crypto';
import type { GatewayRequest, RouteMatch } from '../gateway/gateway-request.js';
import { firstAcceptType, mediaTypeOf } from '../http/media-type.js';
import type { LambdaFunction } from '../lambda/context.js';
import { invoke } from '../lambda/invoke.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from './compiled-integration.js';
import { fromProxyResult, toProxyEvent } from './proxy.js';

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
    if (event.body !== null && event.body.length > SIZE_CHECK_THRESHOLD) {
      if (Buffer.byteLength(JSON.stringify(event)) > LAMBDA_PAYLOAD_LIMIT)
        return new GatewayError('REQUEST_TOO_LARGE');
    }
    const outcome = await invoke(this.fn, event, {
      requestId: randomUUID(),
      integrationTimeoutMs: this.timeoutMs,
    });
    switch (outcome.kind) {
      case 'integration-timeout':
        return new GatewayError('INTEGRATION_TIMEOUT');
      case 'error':
      case 'timeout':
        api.logger.error(`Lambda function ${this.fn.name} failed:`, JSON.stringify(outcome.error));
        return new GatewayError('DEFAULT_5XX');
    }
    const value = outcome.value;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { body?: unknown }).body === 'string' &&
      (value as { body: string }).body.length > SIZE_CHECK_THRESHOLD &&
      Buffer.byteLength(JSON.stringify(value)) > LAMBDA_PAYLOAD_LIMIT
    ) {
      api.logger.error(`Lambda function ${this.fn.name} returned more than 6 MB`);
      return new GatewayError('DEFAULT_5XX');
    }
    const response = fromProxyResult(value, api.isBinary(firstAcceptType(req.headers.lower.get('accept'))));
    if (response instanceof GatewayError) {
      api.logger.error(`Lambda function ${this.fn.name}: Malformed Lambda proxy response`);
      return response;
    }
    return { response, traced: true };
  }
}
