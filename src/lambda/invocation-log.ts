import type { LambdaFunction } from './context.js';
import type { FunctionLog, InvocationReport } from './function-log.js';
import type { ModuleHandler } from './load-handler.js';

const MB = 1024 * 1024;

/**
 * One in-process invocation's lines in its function's log: START as it begins (after the Init
 * phase of a module loaded for it); as it ends, the
 * runtime's `Invoke Error` line for an error, then END and REPORT. Made only for a function that
 * has a log, so an invocation without one does no work for it.
 */
export class InvocationLog {
  private readonly started = performance.now();
  private startLogged = false;
  private ended = false;

  constructor(
    private readonly fn: LambdaFunction,
    private readonly log: FunctionLog,
    private readonly requestId: string,
  ) {}

  /** START: at once, or once the module the call waits for has loaded (its Init lines come first, as on Lambda). */
  start(loading?: Promise<unknown>): void {
    if (loading === undefined) this.writeStart();
    else loading.then(this.writeStart, this.writeStart);
  }

  private readonly writeStart = (): void => {
    if (this.startLogged) return;
    this.startLogged = true;
    this.log.start(this.requestId, new Date());
  };

  /** The handler's outcome. `reported`: the runtime has logged the error already (a late throw). */
  settle(error: unknown, reported = false): void {
    if (this.ended) return;
    const failed = error !== null && error !== undefined;
    // CallbackContext.js `postError`: structuredConsole.logError('Invoke Error', err).
    if (failed && !reported) this.log.logError('Invoke Error', error, this.requestId, new Date());
    this.end(failed ? 'failure' : 'success', failed ? errorTypeOf(error) : undefined);
  }

  /** The function ran out of its own time. */
  timeout(): void {
    this.end('timeout');
  }

  private end(status: NonNullable<InvocationReport['status']>, errorType?: string): void {
    if (this.ended) return;
    this.ended = true;
    // Timed out while its module was still loading: START still opens the invocation's lines.
    this.writeStart();
    const now = performance.now();
    // A module loaded during this call: its Init Duration is reported, and not counted twice.
    const init = (this.fn.handler as Partial<ModuleHandler>).takeInit?.();
    const from = init !== undefined ? Math.max(this.started, init.endedAt) : this.started;
    this.log.end(
      {
        requestId: this.requestId,
        durationMs: Math.max(0, now - from),
        memorySizeMB: Number(this.fn.memoryLimitInMB),
        // The whole process's resident memory: an approximation of the function's own peak.
        maxMemoryUsedMB: Math.round(process.memoryUsage.rss() / MB),
        ...(init !== undefined && { initDurationMs: init.durationMs }),
        status,
        ...(errorType !== undefined && { errorType }),
        ...(status === 'timeout' && { timeoutMs: this.fn.timeoutMs }),
      },
      new Date(),
    );
  }
}

/** The error's type as the runtime names it (`toRapidResponse`'s errorType). */
function errorTypeOf(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}
