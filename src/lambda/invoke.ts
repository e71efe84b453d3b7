import { LambdaContext, type LambdaFunction } from './context.js';

/** The error payload the Node.js runtime sends for a failed invocation (its `toRapidResponse`). */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** A handler's failure is data: AWS selects on it, so nothing is thrown past `invoke`. */
export type InvokeOutcome =
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: LambdaErrorPayload }
  | { kind: 'timeout'; error: LambdaErrorPayload };

export interface InvokeOptions {
  requestId: string;
  /** The integration gives up first when its timeout is shorter than the function's. */
  integrationTimeoutMs: number;
}

/** Outcome of the race with the integration timeout. */
export type InvokeResult = InvokeOutcome | { kind: 'integration-timeout' };

/** Mirrors aws-lambda-nodejs-runtime-interface-client `Errors.toRapidResponse`. */
export function toErrorPayload(error: unknown): LambdaErrorPayload {
  try {
    if (error instanceof Error || isErrorLike(error)) {
      const e = error as Error;
      return {
        errorType: String(e.name),
        errorMessage: String(e.message),
        trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function isErrorLike(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).name === 'string' &&
    typeof (value as Error).message === 'string' &&
    typeof (value as Error).stack === 'string'
  );
}

function timeoutPayload(requestId: string, timeoutMs: number): LambdaErrorPayload {
  // Lambda's own message for a function that ran out of time.
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

/**
 * Runs a handler as the Lambda Node.js runtime does: async/promise results, `callback(err, res)`
 * and `context.succeed/fail/done` all settle it, first one wins. A synchronous throw, a rejection
 * or `callback(err)` becomes an error outcome; the function's and the integration's timeouts race.
 */
export function invoke(fn: LambdaFunction, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
  return new Promise<InvokeResult>((resolve) => {
    let settled = false;
    const functionTimeout = fn.timeoutMs <= options.integrationTimeoutMs;
    const limit = functionTimeout ? fn.timeoutMs : options.integrationTimeoutMs;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve(
        functionTimeout
          ? { kind: 'timeout', error: timeoutPayload(options.requestId, fn.timeoutMs) }
          : { kind: 'integration-timeout' },
      );
    }, limit);
    const settle = (error: unknown, value: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== null && error !== undefined) resolve({ kind: 'error', error: toErrorPayload(error) });
      else resolve({ kind: 'result', value });
    };
    const context = new LambdaContext(fn, options.requestId, Date.now() + fn.timeoutMs, settle);
    try {
      const returned = fn.handler(event, context, settle);
      if (returned && typeof (returned as PromiseLike<unknown>).then === 'function') {
        (returned as PromiseLike<unknown>).then(
          (value) => settle(null, value),
          // The runtime's `context.fail`: a rejection without a reason still fails, as "handled".
          (error) => settle(error ?? 'handled', undefined),
        );
      }
    } catch (error) {
      // The runtime passes a synchronous throw to `callback(err)`: `throw null` is a success.
      settle(error, undefined);
    }
  });
}
