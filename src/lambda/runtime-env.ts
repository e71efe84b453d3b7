import { AsyncLocalStorage } from 'node:async_hooks';
import util from 'node:util';
import type { Logger } from '../config/types.js';
import type { LambdaFunction } from './context.js';
import { toFormatted } from './format-error.js';

/** The invocation that code runs for: set around each handler call, inherited by all it schedules. */
export interface Invocation {
  readonly fn: LambdaFunction;
  readonly requestId: string;
  /** Set while the function's module loads (Lambda's Init phase): its log lines carry no request id. */
  readonly initializing?: boolean;
  /** Ends the invocation with `error` unless it has settled already; tells which. */
  fail(error: unknown): boolean;
}

/**
 * Every handler call runs inside `invocations.run(…)`: its timers, promises and I/O callbacks
 * carry the invocation, so a late throw and a read of `process.env` find the function they belong to.
 */
export const invocations = new AsyncLocalStorage<Invocation>();

/**
 * The variables the Lambda runtime defines for a function (Lambda developer guide, "Defined runtime
 * environment variables"), reserved there so `environment` cannot set them. `TZ`,
 * `AWS_LAMBDA_RUNTIME_API`, credentials and `_X_AMZN_TRACE_ID` are left out: one process has one
 * time zone, there is no runtime API to call, and the host's own credentials stay what they are.
 */
export function runtimeVariables(
  fn: Pick<LambdaFunction, 'name' | 'version' | 'memoryLimitInMB' | 'logGroupName'>,
  logStreamName: string,
  region: string,
  code?: { root: string; handler: string },
): Record<string, string> {
  return {
    ...(code !== undefined && { LAMBDA_TASK_ROOT: code.root, _HANDLER: code.handler }),
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: fn.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: fn.memoryLimitInMB,
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
  };
}

const OVERLAY = Symbol.for('apigw-express.runtime-variables');

function ownVariables(key: string | symbol): Record<string, string> | undefined {
  if (typeof key !== 'string') return undefined;
  const variables = invocations.getStore()?.fn.variables;
  return variables !== undefined && Object.hasOwn(variables, key) ? variables : undefined;
}

/**
 * Puts each function's runtime variables in `process.env` for the code of its own invocations.
 * All functions share one process, so `process.env` becomes a view over the real one: inside an
 * invocation (however many others interleave with it) a function's own variables show over the
 * process's, outside any invocation nothing changes. Setting or deleting one of them inside an
 * invocation changes that function's copy, as its own sandbox would keep it. Once per process.
 */
export function installRuntimeVariables(): void {
  const current = process.env as NodeJS.ProcessEnv & { [OVERLAY]?: true };
  if (current[OVERLAY]) return;
  process.env = new Proxy(current, {
    get(target, key) {
      if (key === OVERLAY) return true;
      const own = ownVariables(key);
      return own !== undefined ? own[key as string] : Reflect.get(target, key);
    },
    set(target, key, value) {
      const own = ownVariables(key);
      if (own === undefined) return Reflect.set(target, key, value);
      own[key as string] = String(value);
      return true;
    },
    deleteProperty(target, key) {
      const own = ownVariables(key);
      if (own === undefined) return Reflect.deleteProperty(target, key);
      delete own[key as string];
      return true;
    },
    has(target, key) {
      return ownVariables(key) !== undefined || Reflect.has(target, key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      const variables = invocations.getStore()?.fn.variables;
      if (variables === undefined) return keys;
      const seen = new Set(keys);
      for (const key of Object.keys(variables)) if (!seen.has(key)) keys.push(key);
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      const own = ownVariables(key);
      if (own === undefined) return Reflect.getOwnPropertyDescriptor(target, key);
      return { value: own[key as string], writable: true, enumerable: true, configurable: true };
    },
  });
}

// The Node.js runtime's own class (aws-lambda-nodejs-runtime-interface-client src/Errors.js).
class UnhandledPromiseRejection extends Error {
  constructor(
    readonly reason: unknown,
    readonly promise: Promise<unknown>,
  ) {
    super(reason as string);
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

/** One installation: a gateway with `catchHandlerErrors`, or `serve`. */
interface Catcher {
  logger: Logger;
  /** `log`: `serve` owns its process. `rethrow`: a host app's own errors end it as they would have. */
  unattributed: 'log' | 'rethrow';
}

const catchers: Catcher[] = [];

/**
 * Catches what a handler throws after its call returned (from a timer, or a rejection nobody
 * awaits), instead of letting it end the process: logged as the Node.js runtime logs it, and the
 * invocation it came from, found by `invocations`, fails when it is still open (its caller answers
 * 502, an authorizer's 500) — on Lambda the runtime fails the invocation in flight and the sandbox
 * restarts. Errors that come from no invocation are logged (`log`) or left to the host: handled
 * by its own listeners, or ending the process as Node would (`rethrow`). Returns the uninstaller.
 */
export function catchHandlerErrors(logger: Logger, unattributed: Catcher['unattributed']): () => void {
  const catcher: Catcher = { logger, unattributed };
  catchers.push(catcher);
  if (catchers.length === 1) {
    process.on('uncaughtException', onUncaughtException);
    process.on('unhandledRejection', onUnhandledRejection);
  }
  return () => {
    const index = catchers.indexOf(catcher);
    if (index < 0) return;
    catchers.splice(index, 1);
    if (catchers.length === 0) uninstall();
  };
}

function uninstall(): void {
  catchers.length = 0;
  process.off('uncaughtException', onUncaughtException);
  process.off('unhandledRejection', onUnhandledRejection);
}

function onUncaughtException(error: unknown): void {
  const invocation = invocations.getStore();
  if (invocation !== undefined) {
    report(invocation, 'Uncaught Exception', error);
    return;
  }
  if (logUnattributed('an uncaught exception', error)) return;
  // Someone else's listener has it; else the process ends with Node's own report.
  if (process.listenerCount('uncaughtException') > 1) return;
  uninstall();
  process.nextTick(() => {
    throw error;
  });
}

function onUnhandledRejection(reason: unknown, promise: Promise<unknown>): void {
  const invocation = invocations.getStore();
  if (invocation !== undefined) {
    report(invocation, 'Unhandled Promise Rejection', new UnhandledPromiseRejection(reason, promise));
    return;
  }
  if (logUnattributed('an unhandled rejection', reason)) return;
  if (process.listenerCount('unhandledRejection') > 1) return;
  // Without an unhandledRejection listener, Node gives it to the uncaughtException ones, or ends.
  const others = process.listeners('uncaughtException').filter((l) => l !== onUncaughtException);
  if (others.length > 0) {
    for (const listener of others) listener(reason as Error, 'unhandledRejection');
    return;
  }
  uninstall();
  process.nextTick(() => {
    throw reason;
  });
}

function logUnattributed(what: string, error: unknown): boolean {
  const catcher = catchers.find((c) => c.unattributed === 'log');
  if (catcher === undefined) return false;
  safely(catcher.logger, `apigw-express: ${what} outside any invocation:`, error);
  return true;
}

/**
 * The runtime's log line (LogPatch.js): `{time}\t{requestId}\tERROR\t{label} \t{json}`, into the
 * function's own log when it has one (in its format), else to the logger.
 */
function report(invocation: Invocation, label: string, error: unknown): void {
  const requestId = invocation.initializing ? undefined : invocation.requestId;
  const log = invocation.fn.log;
  if (log !== undefined) {
    try {
      log.logError(label, error, requestId, new Date());
    } catch {
      // a broken log must not throw from a process listener
    }
  } else {
    // The runtime logs `Errors.intoError(error)`: a thrown value that is not an Error is wrapped in one.
    const shown = error instanceof Error ? error : new Error(error as string);
    const line = `${new Date().toISOString()}\t${requestId}\tERROR\t${util.format(label, toFormatted(shown))}`;
    safely(catchers[catchers.length - 1].logger, line);
  }
  invocation.fail(error);
}

function safely(logger: Logger, ...args: unknown[]): void {
  try {
    logger.error(...args);
  } catch {
    // a broken logger must not throw from a process listener
  }
}
