import { type ExecutionTrace, javaMap, LineKind, redact } from '../../gateway/execution-log.js';
import type { BackendResponse } from './http-client.js';

// Secrets the client sent stay masked here too, as in the method request's headers.
const REDACTED = new Set(['authorization', 'x-api-key', 'x-amz-security-token', 'cookie']);

/**
 * The execution log's endpoint request lines for an HTTP backend, worded as AWS logs them
 * ("Sending request to https://…", https://repost.aws/knowledge-center/api-gateway-ssl-certificate-backend).
 */
export function traceEndpointRequest(
  trace: ExecutionTrace,
  url: string,
  headers: readonly [string, string][],
  body: Buffer | undefined,
): void {
  trace.add(LineKind.Info, `Endpoint request URI: ${url}`);
  const shown = headers.map(([name, value]): [string, string] => [
    name,
    REDACTED.has(name.toLowerCase()) ? redact(value) : value,
  ]);
  trace.add(LineKind.Data, `Endpoint request headers: ${javaMap(shown)}`);
  trace.add(LineKind.Data, `Endpoint request body after transformations: ${body?.toString('utf8') ?? ''}`);
  trace.add(LineKind.Info, `Sending request to ${url}`);
}

/** The backend's answer as the execution log shows it, before any transformation. */
export function traceEndpointResponse(
  trace: ExecutionTrace,
  response: BackendResponse,
  latencyMs: number,
): void {
  trace.add(
    LineKind.Info,
    `Received response. Status: ${response.statusCode}, Integration latency: ${Math.max(0, latencyMs)} ms`,
  );
  trace.add(LineKind.Data, `Endpoint response headers: ${javaMap(response.headers)}`);
  trace.add(
    LineKind.Data,
    `Endpoint response body before transformations: ${response.body.toString('utf8')}`,
  );
}
