import { randomUUID } from 'node:crypto';
import type { GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { firstAcceptType } from '../http/media-type.js';
import type { LambdaFunction } from '../lambda/context.js';
import { invoke, type LambdaErrorPayload } from '../lambda/invoke.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from './compiled-integration.js';
import {
  type CompiledIntegrationResponse,
  type IntegrationResult,
  renderMethodResponse,
  selectIntegrationResponse,
} from './integration-responses.js';
import { mapRequest, type RequestMapping } from './map-request.js';
import { LAMBDA_PAYLOAD_LIMIT, logIntegrationTimeout, throttled } from './proxy-integration.js';

/** Where `X-Amz-Invocation-Type` comes from: a static value or a method request header. */
export type InvocationTypeSource =
  | { kind: 'static'; value: string }
  | { kind: 'header'; name: string }
  | undefined;

export interface AwsIntegrationConfig extends RequestMapping {
  fn: LambdaFunction;
  timeoutMs: number;
  invocationType: InvocationTypeSource;
  responses: CompiledIntegrationResponse[];
}

/** Approximates the Jackson message AWS relays when the Lambda payload is not JSON. */
function notJson(text: string, error: Error): GatewayError {
  const excerpt = text.length > 500 ? `${text.slice(0, 500)}...` : text;
  const detail = `Could not parse request body into json: Could not parse payload into json: ${error.message}\n at [Source: (String)${JSON.stringify(excerpt)}; line: 1, column: 1]`;
  return new GatewayError('DEFAULT_4XX', {
    message: detail,
    body: JSON.stringify({ message: detail }).replace('":"', '": "'),
    statusCode: 400,
  });
}

/** What a getter or a `toJSON` threw, as text; a Symbol or a throwing `toString` must not throw again. */
function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return typeof error;
  }
}

function lambdaHeaders(requestId: string, functionError: boolean): Map<string, string> {
  const headers = new Map([
    ['content-type', 'application/json'],
    ['x-amzn-requestid', requestId],
    ['x-amz-executed-version', '$LATEST'],
  ]);
  if (functionError) headers.set('x-amz-function-error', 'Unhandled');
  return headers;
}

/** Non-proxy Lambda integration (`type: 'AWS'`): mapping templates on both sides. */
export class AwsIntegration implements CompiledIntegration {
  constructor(private readonly config: AwsIntegrationConfig) {}

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const { fn, responses } = this.config;
    const payload = mapRequest(req, route, api, this.config);
    if (payload instanceof GatewayError) return payload;
    const { scope } = payload;

    // Lambda's Invoke takes JSON only; an empty payload arrives as an empty object.
    let event: unknown = {};
    if (payload.text.trim() !== '') {
      try {
        event = JSON.parse(payload.text);
      } catch (error) {
        return notJson(payload.text, error as Error);
      }
    }

    const requestId = randomUUID();
    req.trace?.endpointRequest(fn, payload.text, route, req, requestId);
    let result: IntegrationResult;
    let errorMessage: string | undefined;
    const asynchronous = this.invocationType(req) === 'Event';
    if (asynchronous) {
      // Asynchronous invoke: Lambda answers 202 at once with an empty payload.
      invoke(fn, event, { requestId, integrationTimeoutMs: fn.timeoutMs }).then(
        (outcome) => {
          if (outcome.kind !== 'result')
            api.logger.error(`Lambda function ${fn.name} (async) failed:`, outcome);
        },
        (error) => api.logger.error(error),
      );
      result = { payload: '', headers: lambdaHeaders(requestId, false) };
    } else {
      const facts = req.seed.facts;
      const started = facts === undefined ? 0 : api.now();
      const outcome = await invoke(fn, event, { requestId, integrationTimeoutMs: this.config.timeoutMs });
      facts?.invoked(outcome, requestId, api.now() - started);
      if (outcome.kind === 'integration-timeout') {
        req.trace?.endpointResponse(outcome, req);
        logIntegrationTimeout(api, fn.name, this.config.timeoutMs);
        return new GatewayError('INTEGRATION_TIMEOUT');
      }
      if (outcome.kind === 'throttled') return throttled(api, fn.name);
      let failure: LambdaErrorPayload | undefined = outcome.kind === 'result' ? undefined : outcome.error;
      let text = '';
      if (outcome.kind === 'result') {
        try {
          // The Node.js runtime's serialisation, byte for byte.
          // A function or a symbol serialises to nothing: the payload is empty.
          text =
            (JSON.stringify(outcome.value === undefined ? null : outcome.value) as string | undefined) ?? '';
        } catch (error) {
          failure = {
            errorType: 'Runtime.UnmarshalError',
            errorMessage: `Unable to stringify response body: ${describe(error)}`,
          };
        }
        if (!failure && Buffer.byteLength(text) > LAMBDA_PAYLOAD_LIMIT) {
          failure = {
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMIT} bytes).`,
          };
        }
      }
      if (failure) {
        text = JSON.stringify(failure);
        errorMessage = failure.errorMessage;
      }
      result = { payload: text, headers: lambdaHeaders(requestId, failure !== undefined) };
    }
    req.trace?.lambdaResponse(req, result.payload, errorMessage, asynchronous ? 202 : 200);

    const selected = selectIntegrationResponse(responses, errorMessage);
    if (errorMessage !== undefined) {
      // An error a selection pattern maps to a 4xx is the API's answer by design, not a failure.
      const line = [`Lambda function ${fn.name} failed:`, result.payload] as const;
      if (selected?.pattern !== undefined && selected.statusCode < 500) api.logger.debug?.(...line);
      else api.logger.error(...line);
    }
    if (!selected) {
      req.trace?.error(
        'Execution failed due to configuration error: No match for output mapping and no default output mapping configured',
      );
      api.logger.error(
        'Execution failed due to configuration error: No match for output mapping and no default output mapping configured',
      );
      return new GatewayError('API_CONFIGURATION_ERROR');
    }
    const response = renderMethodResponse(
      selected,
      result,
      scope,
      firstAcceptType(req.headers.lower.get('accept')),
    );
    if (response instanceof GatewayError) return response;
    return { response, traced: true };
  }

  private invocationType(req: GatewayRequest): string {
    const source = this.config.invocationType;
    if (!source) return 'RequestResponse';
    if (source.kind === 'static') return source.value;
    return req.headers.lower.get(source.name) ?? 'RequestResponse';
  }
}
