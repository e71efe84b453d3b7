import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { CompiledApi } from './create-gateway.js';
import { renderTestLog } from './execution-log.js';
import { handleRequest } from './handle-request.js';
import type { TestInvokeMode } from './trace-request.js';

const TEST_INVOKE_STAGE = 'test-invoke-stage';

/** One request for `testInvoke`, as the console's Test form and `test-invoke-method` take it. */
export interface TestInvokeRequest {
  /** The HTTP method (`GET`, `POST`, …). */
  method: string;
  /** The path below the stage, path parameters filled in: `/pets/1`. */
  path: string;
  /** `a=1&b=2`, or name → value(s). */
  query?: string | Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Stage variables for this call, over the API's own (as `test-invoke-method --stage-variables`). */
  stageVariables?: Record<string, string>;
  /**
   * Run the method's authorizer and API key check as a deployed stage does. Default false: AWS's
   * test invoke bypasses authorization
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-lambda-non-proxy-integration.html).
   */
  authorize?: boolean;
}

/** What `test-invoke-method` answers: the response, its latency and the execution log. */
export interface TestInvokeResult {
  status: number;
  /** Name → value; several values of one header are joined with `,`. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  body: string;
  latencyMs: number;
  /** The console's Test log: `Execution log for request {id}`, then `{time} : {step}` lines. */
  log: string;
}

function queryString(query: TestInvokeRequest['query']): string {
  if (query === undefined) return '';
  if (typeof query === 'string') return query.startsWith('?') ? query.slice(1) : query;
  const parts: string[] = [];
  for (const [name, values] of Object.entries(query)) {
    for (const value of typeof values === 'string' ? [values] : values)
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

function fakeRequest(api: CompiledApi, input: TestInvokeRequest, body: Buffer): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  const query = queryString(input.query);
  const path = input.path.startsWith('/') ? input.path : `/${input.path}`;
  req.method = input.method.toUpperCase();
  req.url = `${api.basePath}${path}${query === '' ? '' : `?${query}`}`;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const raw: string[] = [];
  for (const [name, values] of Object.entries(input.headers ?? {})) {
    for (const value of typeof values === 'string' ? [values] : values) {
      raw.push(name, value);
      const lower = name.toLowerCase();
      const previous = req.headers[lower];
      req.headers[lower] = previous === undefined ? value : `${previous}, ${value}`;
    }
  }
  req.rawHeaders = raw;
  if (body.length > 0) req.push(body);
  req.push(null);
  return req;
}

function addHeaders(into: Map<string, [string, string[]]>, headers: OutgoingHttpHeaders): void {
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    into.set(name.toLowerCase(), [name, values]);
  }
}

/**
 * Runs one request through the compiled API without a socket, as AWS's TestInvokeMethod does,
 * and collects the answer with the Test log. Never rejects for what the API answers.
 */
export async function runTestInvoke(
  compiled: CompiledApi,
  input: TestInvokeRequest,
): Promise<TestInvokeResult> {
  const mode: TestInvokeMode = { authorize: input.authorize === true };
  // A test invoke runs on no deployed stage: AWS's events say `test-invoke-stage` and a path
  // without a stage (recorded `test-invoke-method` of a proxy integration, 2024).
  const stageVariables =
    input.stageVariables === undefined
      ? compiled.identity.stageVariables
      : { ...compiled.identity.stageVariables, ...input.stageVariables };
  const view: Record<string, PropertyDescriptor> = {
    testInvoke: { value: mode },
    basePath: { value: '' },
    // The console's Test button is no endpoint: it runs with the execute-api URL turned off too.
    disableExecuteApiEndpoint: { value: false },
    // With `stages`, the first stage's methods run, as the console tests the API, not a stage.
    stages: { value: undefined },
    identity: { value: { ...compiled.identity, stageName: TEST_INVOKE_STAGE, stageVariables } },
  };
  const api = Object.create(compiled, view) as CompiledApi;
  const body = input.body === undefined ? Buffer.alloc(0) : Buffer.from(input.body);
  const req = fakeRequest(api, input, body);
  if (body.length > 0 && req.headers['content-length'] === undefined) {
    req.headers['content-length'] = String(body.length);
  }
  const res = new ServerResponse(req);
  const started = api.now();
  const headers = new Map<string, [string, string[]]>();
  let status = 200;
  let text = '';
  res.writeHead = ((code: number, more?: OutgoingHttpHeaders) => {
    status = code;
    res.statusCode = code;
    addHeaders(headers, res.getHeaders());
    if (more !== undefined && typeof more === 'object') addHeaders(headers, more);
    return res;
  }) as ServerResponse['writeHead'];
  let ended = false;
  res.end = ((chunk?: unknown) => {
    if (ended) return res;
    ended = true;
    if (headers.size === 0) {
      status = res.statusCode;
      addHeaders(headers, res.getHeaders());
    }
    if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) text = Buffer.from(chunk).toString('utf8');
    return res;
  }) as ServerResponse['end'];
  // handleRequest never rejects; its trace's last lines are written once it returns.
  await handleRequest(api, req, res, () => undefined);
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, values] of headers.values()) {
    single[name] = values.join(',');
    multi[name] = values;
  }
  return {
    status,
    headers: single,
    multiValueHeaders: multi,
    body: text,
    latencyMs: Math.max(0, api.now() - started),
    log: mode.trace === undefined ? '' : renderTestLog(mode.trace),
  };
}
