import { randomBytes } from 'node:crypto';
import type { ClientContext, CognitoIdentity, Context } from 'aws-lambda';
import type { FunctionLog } from './function-log.js';
import type { IsolatedRunner } from './invoke-types.js';

/** What a function is deployed as; compiled once per function at startup. */
export interface LambdaFunction {
  readonly name: string;
  readonly handler: (
    event: unknown,
    context: Context,
    callback: (error?: unknown, result?: unknown) => void,
  ) => unknown;
  readonly timeoutMs: number;
  readonly memoryLimitInMB: string;
  readonly invokedFunctionArn: string;
  readonly logGroupName: string;
  readonly version: string;
  /** The runtime's variables (`AWS_LAMBDA_FUNCTION_NAME`, …), seen in `process.env` by its invocations. */
  readonly variables?: Record<string, string>;
  /** Its log stream: `console.*` lines and START/END/REPORT; absent when function logs are not captured. */
  readonly log?: FunctionLog;
  /** Set when it runs in execution environments of its own (`isolation: 'process'`): `invoke` hands calls to it. */
  readonly isolated?: IsolatedRunner;
}

/** Settles an invocation from the Context's legacy `succeed`/`fail`/`done` API. */
export type Settle = (error: unknown, result: unknown) => void;

// One log stream per function, as one warm execution environment has (and no random bytes per call).
const LOG_STREAMS = new WeakMap<object, string>();

export function logStreamName(fn: Pick<LambdaFunction, 'version'>): string {
  let stream = LOG_STREAMS.get(fn);
  if (stream === undefined) {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
    stream = `${day}/[${fn.version}]${randomBytes(16).toString('hex')}`;
    LOG_STREAMS.set(fn, stream);
  }
  return stream;
}

/** The Lambda `Context`: a class with prototype methods, so an invocation allocates no closures. */
export class LambdaContext implements Context {
  callbackWaitsForEmptyEventLoop = true;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  identity?: CognitoIdentity = undefined;
  clientContext?: ClientContext = undefined;

  // ES private: a handler that logs or copies its context sees only the runtime's own fields.
  readonly #deadlineMs: number;
  readonly #settle: Settle;

  constructor(
    fn: LambdaFunction,
    readonly awsRequestId: string,
    deadlineMs: number,
    settle: Settle,
  ) {
    this.#deadlineMs = deadlineMs;
    this.#settle = settle;
    this.functionName = fn.name;
    this.functionVersion = fn.version;
    this.invokedFunctionArn = fn.invokedFunctionArn;
    this.memoryLimitInMB = fn.memoryLimitInMB;
    this.logGroupName = fn.logGroupName;
    this.logStreamName = logStreamName(fn);
  }

  getRemainingTimeInMillis(): number {
    return Math.max(0, this.#deadlineMs - Date.now());
  }

  done(error?: Error, result?: unknown): void {
    this.#settle(error ?? null, result);
  }

  fail(error: Error | string): void {
    // The runtime's `fail(null)` still fails: `done('handled')`.
    this.#settle(error ?? 'handled', undefined);
  }

  succeed(messageOrObject: unknown): void {
    this.#settle(null, messageOrObject);
  }
}
