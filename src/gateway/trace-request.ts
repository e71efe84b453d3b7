import type { ServerResponse } from 'node:http';
import type { Logger } from '../config/types.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { mediaTypeOf } from '../http/media-type.js';
import type { RequestSeed } from '../http/request-seed.js';
import type { GatewayError } from '../responses/gateway-error.js';
import type { RequestValidator } from '../validation/request-validator.js';
import { type ExecutionLogSetting, ExecutionTrace, LineKind, writeExecutionLog } from './execution-log.js';

/** A test invoke's run through the gateway: whether guards run, and where its trace is left. */
export interface TestInvokeMode {
  /** false: AWS's test invoke bypasses authorization (and API keys); true runs them as a stage does. */
  authorize: boolean;
  trace?: ExecutionTrace;
}

/** What tracing needs of the API and of the matched method. */
interface TracedApi {
  identity: ExecutionTrace['identity'];
  now: () => number;
  testInvoke?: TestInvokeMode;
  executionLogger: Logger;
}

interface TracedMethod {
  executionLog?: ExecutionLogSetting;
}

/** The trace of a request whose method logs executions, or of a test invoke. */
export function startTrace(api: TracedApi, method: TracedMethod, seed: RequestSeed): ExecutionTrace {
  const trace = new ExecutionTrace(seed.requestId, api.identity, api.now);
  trace.setting = api.testInvoke === undefined ? method.executionLog : undefined;
  trace.add(LineKind.Stage, `Extended Request Id: ${seed.extendedRequestId}`);
  return trace;
}

/** The validator's verdict: the content type it judged a body by, and why it refused. */
export function traceValidation(
  req: GatewayRequest,
  validator: RequestValidator | undefined,
  invalid: GatewayError | undefined,
): void {
  const trace = req.trace as ExecutionTrace;
  const contentType = mediaTypeOf(req.headers.lower.get('content-type')) ?? 'application/json';
  if (invalid !== undefined) trace.validationFailed(invalid, contentType);
  // Said for a parameters-only validator too (AWS's non-proxy tutorial's Test log).
  else if (validator !== undefined) trace.validationSucceeded(contentType);
}

/** The closing lines, then the stage's execution log or the test invoke's result. */
export function finishTrace(
  api: TracedApi,
  trace: ExecutionTrace,
  res: ServerResponse,
  seed: RequestSeed,
): void {
  const root = /Root=([^;]*)/.exec(seed.traceId)?.[1] ?? '';
  trace.finish(res.statusCode, root);
  if (api.testInvoke !== undefined) api.testInvoke.trace = trace;
  else if (trace.setting !== undefined) writeExecutionLog(trace, trace.setting, api.executionLogger);
}
