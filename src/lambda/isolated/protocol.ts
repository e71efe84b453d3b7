import type { FunctionLogLevel } from '../../config/log-levels.js';
import type { LambdaErrorPayload } from '../invoke-types.js';

/** What an execution environment needs to know of its function (the rest is in its environment variables). */
export interface EnvironmentFunction {
  name: string;
  version: string;
  timeoutMs: number;
  memoryLimitInMB: string;
  invokedFunctionArn: string;
  logGroupName: string;
  /** The `Handler` string, loaded from the working directory (the code root). */
  handler: string;
  codeRoot: string;
}

/** Gateway → environment. */
export type ToEnvironment =
  | { type: 'init'; fn: EnvironmentFunction }
  | { type: 'invoke'; requestId: string; event: unknown; deadlineMs: number };

/** Environment → gateway. Results travel as the runtime's JSON text, as Lambda returns them. */
export type FromEnvironment =
  | { type: 'log'; level: FunctionLogLevel; message: string; requestId?: string; time: number }
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload; location?: string }
  | { type: 'result'; requestId: string; payload?: string; maxMemoryUsedMB: number }
  | { type: 'error'; requestId: string; error: LambdaErrorPayload; maxMemoryUsedMB: number }
  /** An uncaught exception or unhandled rejection: the runtime reports it, then exits. */
  | { type: 'crash'; requestId?: string; error: LambdaErrorPayload };
