import type { GatewayRequest, RouteMatch } from '../../http/gateway-request.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from '../compiled-integration.js';
import { backendFailure } from './backend-failure.js';
import { sendHttpRequest } from './http-client.js';
import { type HttpTarget, mapParameters, queryWithout, withQuery } from './http-target.js';
import { traceEndpointRequest, traceEndpointResponse } from './trace-http.js';

// Hop-by-hop request headers (RFC 9110 §7.6.1) and Host, which names the backend instead. The
// gateway's request headers already lack Content-Length, Connection, TE and the like.
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// The backend's own framing and identity headers come back renamed `x-amzn-Remapped-…`, AWS
// setting its own (recorded: test_http_integration_with_lambda[HTTP_PROXY] in LocalStack's
// AWS-validated tests/aws/services/apigateway/test_apigateway_http.snapshot.json).
const REMAPPED = new Set(['connection', 'content-length', 'date', 'server', 'x-amzn-requestid']);
// Dropped: the answer is re-framed (Transfer-Encoding, like the rest of the proxy answers).
const DROPPED = new Set(['keep-alive', 'proxy-connection', 'trailer', 'upgrade', 'transfer-encoding']);

/**
 * `HTTP_PROXY`: the client's method (with `httpMethod: ANY`), headers, query and body go to the
 * backend as they came, plus the headers API Gateway adds; the backend's status, headers and body
 * come back as they are.
 */
export class HttpProxyIntegration implements CompiledIntegration {
  private readonly mappedQueryNames: Set<string>;

  constructor(private readonly target: HttpTarget) {
    this.mappedQueryNames = new Set(
      target.mappings.filter((m) => m.location === 'querystring').map((m) => m.name),
    );
  }

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const target = this.target;
    const mapped = mapParameters(target, req, route, api.identity);
    const url = withQuery(
      mapped.url,
      queryWithout(req.rawQuery ?? '', this.mappedQueryNames),
      mapped.querystring,
    );
    const headers: [string, string][] = [];
    for (const [name, values] of Object.entries(req.headers.multiValueHeaders)) {
      const key = name.toLowerCase();
      if (NOT_FORWARDED.has(key) || mapped.headers.has(key)) continue;
      for (const value of values) headers.push([name, value]);
    }
    if (!req.headers.lower.has('x-amzn-apigateway-api-id') && !mapped.headers.has('x-amzn-apigateway-api-id'))
      headers.push(['x-amzn-apigateway-api-id', api.identity.restApiId]);
    for (const [name, values] of mapped.headers.values())
      for (const value of values) headers.push([name, value]);

    const method = target.httpMethod === 'ANY' ? req.httpMethod : target.httpMethod;
    const facts = req.seed.facts;
    const trace = req.trace;
    const timed = facts !== undefined || trace !== undefined;
    const started = timed ? api.now() : 0;
    const body = req.body.length > 0 ? req.body : undefined;
    if (trace !== undefined) traceEndpointRequest(trace, url, headers, body);
    const outcome = await sendHttpRequest({ url, method, headers, body, timeoutMs: target.timeoutMs });
    const latency = timed ? api.now() - started : 0;
    if (facts !== undefined) facts.integrationLatency = Math.max(0, latency);
    if (trace !== undefined && outcome.kind === 'response') traceEndpointResponse(trace, outcome, latency);
    if (outcome.kind !== 'response') return backendFailure(outcome, req, api, url, target.timeoutMs);
    if (facts !== undefined) facts.integrationStatus = facts.integrationServiceStatus = outcome.statusCode;

    const out: [string, string | string[]][] = [];
    const byName = new Map<string, string[]>();
    for (const [name, value] of outcome.headers) {
      if (DROPPED.has(name)) continue;
      const sent = REMAPPED.has(name) ? `x-amzn-Remapped-${name}` : name;
      const list = byName.get(sent);
      if (list) list.push(value);
      else {
        const values = [value];
        byName.set(sent, values);
        out.push([sent, values]);
      }
    }
    for (const entry of out) {
      const values = entry[1] as string[];
      if (values.length === 1) entry[1] = values[0];
    }
    return { response: { statusCode: outcome.statusCode, headers: out, body: outcome.body }, traced: true };
  }
}
