import { createHash } from 'node:crypto';
import type { Logger, MethodSetting } from '../config/types.js';
import type { ApiIdentity, RequestData, RouteMatch } from '../http/request-data.js';
import type { LambdaFunction } from '../lambda/context.js';
import type { InvokeResult } from '../lambda/invoke.js';
import type { GatewayError } from '../responses/gateway-error.js';
import type { HttpResponse } from '../responses/http-response.js';

/**
 * One request's steps in API Gateway's words, shared by the console's Test log and the stage's
 * execution log (`API-Gateway-Execution-Logs_{apiId}/{stage}`), which say the same lines.
 * Wording and order: AWS's Lambda non-proxy tutorial's test log
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/getting-started-lambda-non-proxy-integration.html),
 * a recorded `test-invoke-method` of a proxy integration (2024) and recorded CloudWatch execution logs.
 */

/** How a line is kept: by level (INFO/ERROR), by `dataTraceEnabled`, and whether Test shows it. */
export const LineKind = {
  /** `loggingLevel: INFO`. */
  Info: 0,
  /** INFO with `dataTraceEnabled`: request and response data. */
  Data: 1,
  /** Logged at ERROR and INFO alike. */
  Error: 2,
  /** Execution log only (usage plan, extended request id): the console's Test skips them. */
  Stage: 3,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

export interface TraceLine {
  time: number;
  kind: LineKind;
  message: string;
}

/** A method's execution logging, from the stage's `methodSettings`. */
export interface ExecutionLogSetting {
  level: 'ERROR' | 'INFO';
  dataTrace: boolean;
}

/** CloudWatch cuts an execution log event at 1 KB (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-execution-logging.html): recorded lines keep 1,024 characters then ` [TRUNCATED]`. */
export const MAX_LINE_LENGTH = 1024;

// Sensitive values keep their last 6 characters, as AWS's logs show an API key or a principal.
const VISIBLE_TAIL = 6;
const REDACTED_HEADERS = new Set(['authorization', 'x-api-key', 'x-amz-security-token', 'cookie']);

/** `****…last6`: AWS's redaction of keys, tokens and principals. */
export function redact(value: string): string {
  if (value.length <= VISIBLE_TAIL) return '*'.repeat(value.length);
  return '*'.repeat(value.length - VISIBLE_TAIL) + value.slice(-VISIBLE_TAIL);
}

/** Java's `Map.toString()`, the form every map in the log takes: `{a=1, b=2}`. */
export function javaMap(entries: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of entries) out += `${out === '' ? '' : ', '}${key}=${value}`;
  return `{${out}}`;
}

function truncate(message: string): string {
  return message.length > MAX_LINE_LENGTH ? `${message.slice(0, MAX_LINE_LENGTH)} [TRUNCATED]` : message;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Java's `Date.toString()` in UTC, the Test log's time: `Mon Dec 07 04:26:46 UTC 2026`. */
export function formatTestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** SigV4's `X-Amz-Date`: `20240611T033006Z`. */
function amzDate(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** An authorizer's id as AWS shows it (`62mgrc`): 6 characters, stable for its name. */
export function authorizerId(name: string): string {
  const hash = createHash('sha256').update(`authorizer:${name}`).digest();
  let id = '';
  for (let i = 0; i < 6; i++) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[hash[i] % 36];
  return id;
}

function lambdaUri(fn: LambdaFunction, region: string): string {
  return `https://lambda.${region}.amazonaws.com/2015-03-31/functions/${fn.invokedFunctionArn}/invocations`;
}

function headerValue(value: string | string[]): string {
  return typeof value === 'string' ? value : value.join(',');
}

function bodyText(body: string | Buffer): string {
  return typeof body === 'string' ? body : body.toString('utf8');
}

/** `JSON.stringify` that cannot throw: the trace must never change an answer. */
function json(value: unknown): string {
  try {
    return JSON.stringify(value === undefined ? null : value) ?? '';
  } catch {
    return '';
  }
}

/**
 * The steps of one request, recorded only when the method logs or a test invoke asks: every hook
 * is `req.trace?.step(…)`, so with logging off a request pays one undefined check per hook.
 */
export class ExecutionTrace {
  readonly lines: TraceLine[] = [];
  /** A step failed: ERROR-level logging keeps this request's lines. */
  failed = false;
  /** Set once the integration answered: "Successfully completed execution". */
  completed = false;
  /** The method's execution logging; undefined for a test invoke. Set before the first step. */
  setting: ExecutionLogSetting | undefined;
  /** The function's request id, for `AWS Integration Endpoint RequestId`. */
  private endpointRequestId: string | undefined;
  private sentAt = 0;
  /** The integration was called: its failures are said by its own lines, not a gateway response's. */
  private integrationCalled = false;
  /** A non-proxy integration's method response lists the trace header first (recorded logs). */
  private traceHeaderFirst = false;

  constructor(
    readonly requestId: string,
    readonly identity: ApiIdentity,
    private readonly now: () => number,
  ) {}

  add(kind: LineKind, message: string): void {
    this.lines.push({ time: this.now(), kind, message });
  }

  error(message: string): void {
    this.failed = true;
    this.add(LineKind.Error, message);
  }

  /** "Starting execution" through the method request's data: the request as the client sent it. */
  methodRequest(req: RequestData, route: RouteMatch): void {
    this.add(LineKind.Info, `Starting execution for request: ${this.requestId}`);
    this.add(LineKind.Info, `HTTP Method: ${req.httpMethod}, Resource Path: ${req.path}`);
    this.add(LineKind.Data, `Method request path: ${javaMap(Object.entries(route.pathParameters ?? {}))}`);
    const query =
      req.query === null ? [] : Object.entries(req.query.multi).map(([k, v]) => [k, v.join(',')] as const);
    this.add(LineKind.Data, `Method request query string: ${javaMap(query)}`);
    // A stage logs the headers its integration gets (X-Forwarded-For and the rest included, as
    // recorded); a test invoke only the ones it was given (recorded: `{}` for none).
    const headers: [string, string][] = [];
    const raw = req.rawHeaders ?? [];
    const pairs: [string, string][] = [];
    if (this.setting === undefined)
      for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i], raw[i + 1]]);
    else pairs.push(...Object.entries(req.headers.headers));
    for (const [name, value] of pairs) {
      headers.push([name, REDACTED_HEADERS.has(name.toLowerCase()) ? redact(value) : value]);
    }
    this.add(LineKind.Data, `Method request headers: ${javaMap(headers)}`);
    this.add(LineKind.Data, `Method request body before transformations: ${req.body.toString('utf8')}`);
  }

  validationSucceeded(contentType: string): void {
    this.add(LineKind.Info, `Request validation succeeded for content type ${contentType}`);
  }

  validationFailed(error: GatewayError, contentType: string): void {
    // Parameters: AWS's client message; a body: the model's detail, as the console's Test shows it.
    this.error(
      error.responseType === 'BAD_REQUEST_BODY'
        ? `Request body does not match model schema for content type ${contentType}: ${error.validationErrorString}`
        : `Request validation failed: ${error.errorMessage}`,
    );
  }

  /** The Lambda Invoke call: URI, the headers API Gateway signs, the payload after transformations. */
  endpointRequest(
    fn: LambdaFunction,
    payload: unknown,
    route: RouteMatch,
    req: RequestData,
    requestId: string,
  ): void {
    const { region, accountId, restApiId, stageName } = this.identity;
    const uri = lambdaUri(fn, region);
    const body = typeof payload === 'string' ? payload : json(payload);
    const now = this.now();
    this.endpointRequestId = requestId;
    this.integrationCalled = true;
    // A mapped payload is text; the proxy event is an object.
    this.traceHeaderFirst = typeof payload === 'string';
    this.add(LineKind.Info, `Endpoint request URI: ${uri}`);
    this.add(
      LineKind.Data,
      `Endpoint request headers: ${javaMap([
        ['X-Amz-Date', amzDate(now)],
        ['x-amzn-apigateway-api-id', restApiId],
        ['Accept', 'application/json'],
        ['User-Agent', `AmazonAPIGateway_${restApiId}`],
        ['Host', `lambda.${region}.amazonaws.com`],
        ['X-Amz-Content-Sha256', createHash('sha256').update(body).digest('hex')],
        ['X-Amzn-Trace-Id', req.seed.eventTraceId],
        ['x-amzn-lambda-integration-tag', this.requestId],
        [
          'X-Amz-Source-Arn',
          `arn:aws:execute-api:${region}:${accountId}:${restApiId}/${stageName}/${req.httpMethod}${route.resourcePath}`,
        ],
      ])}`,
    );
    this.add(LineKind.Data, `Endpoint request body after transformations: ${body}`);
    this.add(LineKind.Info, `Sending request to ${uri}`);
    this.sentAt = now;
  }

  /**
   * Lambda's answer: status, headers and payload before transformations, and the function error
   * line when the payload is one. Returns nothing; the integration decides the answer.
   */
  endpointResponse(result: InvokeResult, req: RequestData, payloadText?: string): void {
    if (result.kind === 'integration-timeout') {
      this.error('Execution failed due to a timeout error');
      return;
    }
    const failed = result.kind !== 'result';
    const payload = payloadText ?? (failed ? json(result.error) : json(result.value));
    this.lambdaResponse(req, payload, failed ? result.error.errorMessage : undefined);
  }

  /** The response of Lambda's Invoke; `functionError`: the error message of a failed invocation. */
  lambdaResponse(req: RequestData, payload: string, functionError: string | undefined, status = 200): void {
    const now = this.now();
    this.add(
      LineKind.Info,
      `Received response. Status: ${status}, Integration latency: ${Math.max(0, now - this.sentAt)} ms`,
    );
    const headers: [string, string][] = [
      ['Date', new Date(now).toUTCString()],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(payload))],
      ['Connection', 'keep-alive'],
      ['x-amzn-RequestId', this.endpointRequestId ?? ''],
    ];
    if (functionError !== undefined) headers.push(['X-Amz-Function-Error', 'Unhandled']);
    headers.push(
      ['x-amzn-Remapped-Content-Length', '0'],
      ['X-Amz-Executed-Version', '$LATEST'],
      ['X-Amzn-Trace-Id', req.seed.traceId.toLowerCase()],
    );
    this.add(LineKind.Data, `Endpoint response headers: ${javaMap(headers)}`);
    this.add(LineKind.Data, `Endpoint response body before transformations: ${payload}`);
    if (functionError !== undefined) {
      this.error(
        `Lambda execution failed with status 200 due to customer function error: ${functionError}. Lambda request id: ${this.endpointRequestId}`,
      );
    }
  }

  /** A MOCK integration: its request template's output is the whole endpoint request. */
  mockRequest(payload: string): void {
    this.integrationCalled = true;
    this.add(LineKind.Data, `Endpoint request body after transformations: ${payload}`);
  }

  /** The method response the client gets, after the integration response's mapping. */
  methodResponse(response: HttpResponse, traceId: string | undefined): void {
    this.completed = true;
    this.add(LineKind.Data, `Method response body after transformations: ${bodyText(response.body)}`);
    const headers: [string, string][] = response.headers.map(([name, value]) => [name, headerValue(value)]);
    if (traceId !== undefined) {
      if (this.traceHeaderFirst) headers.unshift(['X-Amzn-Trace-Id', traceId]);
      else headers.push(['X-Amzn-Trace-Id', traceId]);
    }
    this.add(LineKind.Data, `Method response headers: ${javaMap(headers)}`);
  }

  startAuthorizer(name: string): void {
    this.add(LineKind.Info, `Starting authorizer: ${authorizerId(name)} for request: ${this.requestId}`);
  }

  /** The authorizer function's call; a TOKEN authorizer's token shows redacted. */
  authorizerRequest(fn: LambdaFunction, event: unknown, token: string | undefined): void {
    if (token !== undefined) this.add(LineKind.Data, `Incoming identity: ${redact(token)}`);
    const uri = lambdaUri(fn, this.identity.region);
    this.add(LineKind.Info, `Endpoint request URI: ${uri}`);
    this.add(LineKind.Data, `Endpoint request body after transformations: ${json(event)}`);
    this.sentAt = this.now();
  }

  authorizerResult(value: unknown): void {
    this.add(LineKind.Data, `Authorizer result body before parsing: ${json(value)}`);
  }

  /** The policy was read: it let the request in, or not. */
  authorizerPolicy(principalId: string, allowed: boolean): void {
    this.add(LineKind.Info, `Using valid authorizer policy for principal: ${redact(principalId)}`);
    this.add(LineKind.Info, 'Successfully completed authorizer execution');
    if (!allowed) this.error('The client is not authorized to perform this operation.');
  }

  unauthorized(): void {
    this.error(`Unauthorized request: ${this.requestId}`);
  }

  /** The authorizer threw, timed out or returned no policy AWS can read. */
  authorizerFailed(detail?: string): void {
    if (detail !== undefined) this.error(`Execution failed due to configuration error: ${detail}`);
    this.error('Execution failed due to configuration error: Authorizer error');
  }

  /** The usage-plan check that let the request on (its wording in recorded execution logs). */
  usagePlan(method: string, resourcePath: string, apiKeyRequired: boolean, apiKey: string | undefined): void {
    const stage = `${this.identity.restApiId}/${this.identity.stageName}`;
    // Recorded: `API Key: API Stage: …` without a key, `API Key: ****ReKPrb API Stage: …` with one.
    const key = apiKey === undefined ? '' : `${redact(apiKey)} `;
    this.add(
      LineKind.Stage,
      `Verifying Usage Plan for request: ${this.requestId}. API Key: ${key}API Stage: ${stage}`,
    );
    if (!apiKeyRequired) {
      this.add(
        LineKind.Stage,
        `API Key authorized because method '${method} ${resourcePath}' does not require API Key. Request will not contribute to throttle or quota limits`,
      );
    }
    this.add(LineKind.Stage, `Usage Plan check succeeded for API Key ${key}and API Stage ${stage}`);
  }

  /** A gateway response answered instead of the integration (authorizer, validation, a failed call). */
  gatewayResponse(error: GatewayError): void {
    this.failed = true;
    if (this.integrationCalled) return;
    this.add(
      LineKind.Error,
      `Gateway response type: ${error.responseType} with status code: ${error.statusCode}`,
    );
  }

  /** The last lines, once the answer's status is known. */
  finish(status: number, traceRoot: string): void {
    if (this.completed && !this.failed) this.add(LineKind.Info, 'Successfully completed execution');
    this.add(this.failed ? LineKind.Error : LineKind.Info, `Method completed with status: ${status}`);
    if (this.endpointRequestId !== undefined)
      this.add(LineKind.Stage, `AWS Integration Endpoint RequestId : ${this.endpointRequestId}`);
    this.add(LineKind.Stage, `X-ray Tracing ID : ${traceRoot}`);
  }
}

/** The console's Test log: a header line, then `{time} : {message}` for every step. */
export function renderTestLog(trace: ExecutionTrace): string {
  let out = `Execution log for request ${trace.requestId}\n`;
  for (const line of trace.lines) {
    if (line.kind === LineKind.Stage) continue;
    out += `${formatTestTime(line.time)} : ${truncate(line.message)}\n`;
  }
  return out;
}

/**
 * The stage's execution log: `({requestId}) {message}` per line, as CloudWatch stores them. At
 * ERROR only a failed request's error lines; without `dataTraceEnabled` no request or response data.
 */
export function writeExecutionLog(trace: ExecutionTrace, setting: ExecutionLogSetting, logger: Logger): void {
  if (setting.level === 'ERROR' && !trace.failed) return;
  const prefix = `(${trace.requestId}) `;
  for (const line of trace.lines) {
    if (line.kind === LineKind.Data && !setting.dataTrace) continue;
    if (setting.level === 'ERROR' && line.kind !== LineKind.Error) continue;
    const text = prefix + truncate(line.message);
    try {
      if (line.kind === LineKind.Error) logger.error(text);
      else (logger.info ?? logger.warn).call(logger, text);
    } catch {
      // a broken logger must not change the answer
    }
  }
}

/**
 * The setting that applies to a method: for each of `loggingLevel` and `dataTraceEnabled` the most
 * specific entry giving it wins (path, then method), as for throttling. Undefined when logging is off.
 */
export function executionLogSettingFor(
  settings: MethodSetting[] | undefined,
  resourcePath: string,
  httpMethod: string,
): ExecutionLogSetting | undefined {
  let level: { score: number; value: MethodSetting['loggingLevel'] } | undefined;
  let dataTrace: { score: number; value: boolean } | undefined;
  for (const setting of settings ?? []) {
    const pathHit =
      setting.resourcePath === '/*' || setting.resourcePath === '*' || setting.resourcePath === resourcePath;
    const methodHit = setting.httpMethod === '*' || setting.httpMethod.toUpperCase() === httpMethod;
    if (!pathHit || !methodHit) continue;
    const score = (setting.resourcePath === resourcePath ? 2 : 0) + (setting.httpMethod !== '*' ? 1 : 0);
    if (setting.loggingLevel !== undefined && (level === undefined || score >= level.score)) {
      level = { score, value: setting.loggingLevel };
    }
    if (setting.dataTraceEnabled !== undefined && (dataTrace === undefined || score >= dataTrace.score)) {
      dataTrace = { score, value: setting.dataTraceEnabled };
    }
  }
  if (level?.value === undefined || level.value === 'OFF') return undefined;
  return { level: level.value, dataTrace: dataTrace?.value === true };
}
