import path from 'node:path';
import type { LambdaFunction } from '../context.js';
import type { FunctionLog } from '../function-log.js';
import type { IsolatedRunner } from '../invoke-types.js';
import type { ModuleHandler } from '../load-handler.js';
import { EnvironmentPool, logOf } from './pool.js';

// The caller's credentials and PATH reach the function, as Lambda gives it its role's credentials;
// nothing else of the gateway's environment does.
const PASSED_THROUGH = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'PATH'];

export interface IsolatedFunctionSpec {
  /** The compiled function, its runtime `variables` filled in. */
  fn: LambdaFunction;
  handler: string;
  codeRoot: string;
  environment?: Record<string, string>;
  memorySizeMB: number;
  reservedConcurrency?: number;
}

/**
 * The environment of each execution environment: the function's `environment`, then the
 * variables the runtime defines (which `environment` cannot override on Lambda), `TZ=:UTC` and
 * `LANG=en_US.UTF-8` as Lambda sets them ("Defined runtime environment variables"), and the
 * caller's credentials and PATH.
 */
export function environmentOf(spec: IsolatedFunctionSpec): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...spec.environment, ...spec.fn.variables, TZ: ':UTC', LANG: 'en_US.UTF-8' };
}

/**
 * An isolated function: its runner (for `invoke`) and a stand-in handler whose `init()` starts
 * one environment ahead of the first request (for `serve`'s startup check). The stand-in is never
 * called with an event: `invoke` hands the call to the runner.
 */
export function isolateFunction(spec: IsolatedFunctionSpec): {
  runner: IsolatedRunner;
  handler: ModuleHandler;
} {
  const fallback: { log?: FunctionLog } = {};
  const pool = new EnvironmentPool({
    fn: {
      name: spec.fn.name,
      version: spec.fn.version,
      timeoutMs: spec.fn.timeoutMs,
      memoryLimitInMB: spec.fn.memoryLimitInMB,
      invokedFunctionArn: spec.fn.invokedFunctionArn,
      logGroupName: spec.fn.logGroupName,
      handler: spec.handler,
      codeRoot: path.resolve(spec.codeRoot),
    },
    env: environmentOf(spec),
    memorySizeMB: spec.memorySizeMB,
    reservedConcurrency: spec.reservedConcurrency,
    log: () => logOf(spec.fn, fallback),
  });
  const handler = (() => {
    throw new Error(`functions["${spec.fn.name}"] runs in its own execution environment`);
  }) as unknown as ModuleHandler;
  handler.init = async () => {
    const failed = await pool.warm();
    if (failed === undefined) return;
    // As a failed in-process Init: the runtime's error type as the name (Runtime.ImportModuleError, …).
    const failure = new Error(failed.error.errorMessage);
    failure.name = failed.error.errorType;
    if (failed.location !== undefined) Object.defineProperty(failure, 'location', { value: failed.location });
    throw failure;
  };
  return {
    runner: { invoke: (event, options) => pool.invoke(event, options), close: () => pool.close() },
    handler,
  };
}
