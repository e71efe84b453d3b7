import type { GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import { firstAcceptType, mediaTypeOf } from '../../http/media-type.js';
import { GatewayError } from '../../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from '../compiled-integration.js';
import {
  type CompiledIntegrationResponse,
  renderMethodResponse,
  selectIntegrationResponse,
} from '../integration-responses.js';
import { mapRequest, type RequestMapping } from '../map-request.js';
import { backendFailure } from './backend-failure.js';
import { sendHttpRequest } from './http-client.js';
import { type HttpTarget, mapParameters, withQuery } from './http-target.js';
import { traceEndpointRequest, traceEndpointResponse } from './trace-http.js';

export interface HttpIntegrationConfig extends RequestMapping {
  target: HttpTarget;
  responses: CompiledIntegrationResponse[];
}

// Copied from the method request: the headers API Gateway's front end added (X-Forwarded-*,
// the trace), as recorded for an HTTP integration (test_http_integration_with_lambda[HTTP]).
const FORWARDED = ['x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'];

/**
 * `HTTP` (non-proxy): the request template's output (or the passthrough body) goes to the backend
 * with only the mapped headers and query parameters; the backend's status code, as a string,
 * selects the integration response (`selectionPattern` on the status, not an error message).
 */
export class HttpIntegration implements CompiledIntegration {
  constructor(private readonly config: HttpIntegrationConfig) {}

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const { target, responses } = this.config;
    const payload = mapRequest(req, route, api, this.config);
    if (payload instanceof GatewayError) return payload;
    const mapped = mapParameters(target, req, route, api.identity);
    const url = withQuery(mapped.url, '', mapped.querystring);

    // What AWS sends besides the mappings (recorded: Accept, Content-Type, User-Agent
    // AmazonAPIGateway_{apiId}, x-amzn-apigateway-api-id and the forwarding headers).
    const lower = req.headers.lower;
    const headers = new Map<string, [string, string[]]>([
      ['accept', ['Accept', [lower.get('accept') ?? 'application/json']]],
      ['content-type', ['Content-Type', [lower.get('content-type') ?? 'application/json']]],
      ['user-agent', ['User-Agent', [`AmazonAPIGateway_${api.identity.restApiId}`]]],
      ['x-amzn-apigateway-api-id', ['x-amzn-apigateway-api-id', [api.identity.restApiId]]],
    ]);
    for (const name of FORWARDED) {
      const value = lower.get(name);
      if (value !== undefined) headers.set(name, [req.headers.names.get(name) ?? name, [value]]);
    }
    for (const [key, entry] of mapped.headers) headers.set(key, entry);
    const flat: [string, string][] = [];
    for (const [name, values] of headers.values()) for (const value of values) flat.push([name, value]);

    const method = target.httpMethod === 'ANY' ? req.httpMethod : target.httpMethod;
    // mapRequest passes a binary body through as latin1 text: the same bytes go out.
    const binary =
      api.isBinary(mediaTypeOf(lower.get('content-type'))) &&
      this.config.contentHandling !== 'CONVERT_TO_TEXT';
    const body =
      payload.text === '' || method === 'GET' || method === 'HEAD'
        ? undefined
        : Buffer.from(payload.text, binary ? 'latin1' : 'utf8');

    const facts = req.seed.facts;
    const trace = req.trace;
    const timed = facts !== undefined || trace !== undefined;
    const started = timed ? api.now() : 0;
    if (trace !== undefined) traceEndpointRequest(trace, url, flat, body);
    const outcome = await sendHttpRequest({ url, method, headers: flat, body, timeoutMs: target.timeoutMs });
    const latency = timed ? api.now() - started : 0;
    if (facts !== undefined) facts.integrationLatency = Math.max(0, latency);
    if (trace !== undefined && outcome.kind === 'response') traceEndpointResponse(trace, outcome, latency);
    if (outcome.kind !== 'response') return backendFailure(outcome, req, api, url, target.timeoutMs);
    if (facts !== undefined) facts.integrationStatus = facts.integrationServiceStatus = outcome.statusCode;

    const backendHeaders = new Map<string, string>();
    for (const [name, value] of outcome.headers) {
      const previous = backendHeaders.get(name);
      backendHeaders.set(name, previous === undefined ? value : `${previous},${value}`);
    }
    const selected = selectIntegrationResponse(responses, String(outcome.statusCode));
    if (!selected) {
      const line =
        'Execution failed due to configuration error: No match for output mapping and no default output mapping configured';
      req.trace?.error(line);
      api.logger.error(`${line} (endpoint status ${outcome.statusCode})`);
      return new GatewayError('API_CONFIGURATION_ERROR');
    }
    const response = renderMethodResponse(
      selected,
      { payload: outcome.body.toString('utf8'), headers: backendHeaders },
      payload.scope,
      firstAcceptType(lower.get('accept')),
    );
    if (response instanceof GatewayError) return response;
    return { response, traced: true };
  }
}
