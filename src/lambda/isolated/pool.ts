/**
 * Isolated execution environments: a function given by `Handler` string runs in child processes
 * of its own, each one Lambda execution environment.
 *
 * Why processes, not worker threads: a worker shares its process's working directory (Lambda's
 * is the code root, `LAMBDA_TASK_ROOT`, and relative paths resolve against it), its `process.env`
 * is only a copy of one environment per process, and its memory cap (`resourceLimits`) covers the
 * V8 heap only. Measured on Node 20 (2 shared cores, under load): a forked process is ready in
 * 340 ms against 185 ms for a worker thread, and a 200-byte message's round trip takes 0.15 ms
 * against 0.05 ms. The start is paid once per environment (a cold start) and the round trip is
 * small next to a request's own cost, so processes are chosen: they alone give the contract
 * (cwd, env, a memory cap on the whole process, a crash that cannot reach the gateway).
 *
 * Concurrency as Lambda's: an environment runs one invocation at a time; a function has as many
 * environments as it has concurrent invocations, up to `reservedConcurrency`, past which an
 * invocation is throttled (Lambda answers 429 TooManyRequestsException, which API Gateway turns
 * into a 500 for both AWS_PROXY and AWS integrations). Without `reservedConcurrency`, where
 * Lambda would scale up to the account's limit, a host bound applies instead (twice the CPU
 * count, at least 4) and further invocations wait for an environment rather than fail.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { LambdaFunction } from '../context.js';
import { createFunctionLog, type FunctionLog } from '../function-log.js';
import type { InvokeOptions, IsolatedInvokeResult, LambdaErrorPayload } from '../invoke-types.js';
import { ExecutionEnvironment, type RunOutcome } from './environment.js';
import type { EnvironmentFunction } from './protocol.js';

/** Lambda's limit on an on-demand Init phase (Lambda developer guide, "Lambda execution environment"). */
export const INIT_LIMIT_MS = 10_000;

/** Environments per function without `reservedConcurrency`: the host's bound, past which calls queue. */
export const HOST_CONCURRENCY = Math.max(4, 2 * os.availableParallelism());

/** Lambda's answer to an invocation past the function's reserved concurrency (Invoke API, 429). */
export const THROTTLED: LambdaErrorPayload = {
  errorType: 'TooManyRequestsException',
  errorMessage: 'Rate Exceeded.',
};

export interface PoolOptions {
  fn: EnvironmentFunction;
  /** The environment variables of each environment, complete. */
  env: Record<string, string>;
  memorySizeMB: number;
  /** Throttle past this many concurrent invocations; absent: queue past the host bound. */
  reservedConcurrency?: number;
  /** Default INIT_LIMIT_MS. */
  initLimitMs?: number;
  /** Environments at most without `reservedConcurrency` (default HOST_CONCURRENCY). */
  maxEnvironments?: number;
  /** The function's log, read at each invocation (it may be set once the function is compiled). */
  log(): FunctionLog;
}

/** The environments of one function. */
export class EnvironmentPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly queue: ((env: ExecutionEnvironment | undefined) => void)[] = [];
  /** Init durations of environments started ahead of their first call (`warm`), until that call. */
  private readonly warmInit = new WeakMap<ExecutionEnvironment, number>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  /** Environments alive now (idle and busy). */
  get size(): number {
    return this.all.size;
  }

  /**
   * One invocation: a warm environment, or a new one (a cold start), or a wait for one, or a
   * throttle. The integration's timeout may give up first; the function then runs on to its own.
   */
  invoke(event: unknown, options: InvokeOptions): Promise<IsolatedInvokeResult> {
    const fn = this.options.fn;
    const run = this.run(event, options.requestId);
    if (options.integrationTimeoutMs >= fn.timeoutMs) return run;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'integration-timeout' }), options.integrationTimeoutMs);
      run.then((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
    });
  }

  /** Starts one environment ahead of the first call (as provisioned concurrency does), for `serve`. */
  async warm(): Promise<{ error: LambdaErrorPayload; location?: string } | undefined> {
    if (this.all.size > 0 || this.closed) return undefined;
    const env = this.spawn();
    const begun = performance.now();
    const init = await env.init(this.options.initLimitMs ?? INIT_LIMIT_MS);
    if (!init.ok) {
      this.drop(env);
      return { error: init.error, location: init.location };
    }
    // An on-demand environment (AWS_LAMBDA_INITIALIZATION_TYPE): its Init is reported on the
    // REPORT of the first invocation it serves, as a cold start's is.
    this.warmInit.set(env, performance.now() - begun);
    this.release(env);
    return undefined;
  }

  /** Ends every environment; waiting invocations fail as if their environment had died. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter(undefined);
    const exits = [...this.all].map((env) => {
      env.kill();
      return env.exited;
    });
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(exits);
  }

  private async run(event: unknown, requestId: string): Promise<IsolatedInvokeResult> {
    if (this.closed) return { kind: 'error', error: closedError(requestId) };
    let env = this.takeIdle();
    if (env === undefined) {
      const reserved = this.options.reservedConcurrency;
      const bound = reserved ?? this.options.maxEnvironments ?? HOST_CONCURRENCY;
      if (this.all.size < bound) env = this.spawn();
      else if (reserved !== undefined) return { kind: 'throttled', error: THROTTLED };
      else {
        env = await new Promise<ExecutionEnvironment | undefined>((resolve) => this.queue.push(resolve));
        if (env === undefined) return { kind: 'error', error: closedError(requestId) };
      }
    }
    const log = this.options.log();
    const fn = this.options.fn;
    let initDurationMs = this.warmInit.get(env);
    if (initDurationMs !== undefined) this.warmInit.delete(env);
    let timeoutMs = fn.timeoutMs;
    if (!env.initialized) {
      // A cold start: the Init phase, reported with the invocation it serves.
      const begun = performance.now();
      let init = await env.init(this.options.initLimitMs ?? INIT_LIMIT_MS);
      if (!init.ok && init.timedOut) {
        // Past the Init limit, Lambda runs Init again as part of the invocation, under the
        // function's timeout (Lambda developer guide, "Lambda execution environment", Init phase).
        this.drop(env);
        env = this.spawn();
        const again = performance.now();
        init = await env.init(fn.timeoutMs);
        if (!init.ok && init.timedOut) init = { ...init, error: timedOut(requestId, fn.timeoutMs) };
        timeoutMs = Math.max(1, fn.timeoutMs - (performance.now() - again));
      }
      initDurationMs = performance.now() - begun;
      if (!init.ok) {
        this.drop(env);
        log.start(requestId);
        log.end({
          requestId,
          durationMs: initDurationMs,
          memorySizeMB: this.options.memorySizeMB,
          maxMemoryUsedMB: env.lastMaxMemoryUsedMB,
          initDurationMs,
          status: init.timedOut ? 'timeout' : 'error',
        });
        return { kind: init.timedOut ? 'timeout' : 'error', error: init.error };
      }
    }
    log.start(requestId);
    const invokeStart = performance.now();
    const outcome: RunOutcome = await env.invoke(requestId, event, timeoutMs, fn.timeoutMs);
    log.end({
      requestId,
      durationMs: performance.now() - invokeStart,
      memorySizeMB: this.options.memorySizeMB,
      maxMemoryUsedMB: outcome.maxMemoryUsedMB,
      ...(initDurationMs !== undefined && { initDurationMs }),
      status: outcome.kind === 'result' ? 'success' : outcome.kind,
    });
    if (env.alive) this.release(env);
    else this.drop(env);
    if (outcome.kind === 'result') return { kind: 'result', value: outcome.value };
    return { kind: outcome.kind, error: outcome.error };
  }

  private takeIdle(): ExecutionEnvironment | undefined {
    while (this.idle.length > 0) {
      const env = this.idle.pop() as ExecutionEnvironment;
      if (env.alive) return env;
      this.drop(env);
    }
    return undefined;
  }

  private spawn(): ExecutionEnvironment {
    const env = new ExecutionEnvironment({
      fn: this.options.fn,
      // Each execution environment writes a log stream of its own, as on Lambda.
      env: { ...this.options.env, AWS_LAMBDA_LOG_STREAM_NAME: newLogStream(this.options.fn.version) },
      memorySizeMB: this.options.memorySizeMB,
      onLog: (line) =>
        this.options.log().write(line.level, line.message, line.requestId, new Date(line.time)),
    });
    this.all.add(env);
    return env;
  }

  /** An environment free again: to the first waiting invocation, else kept warm. */
  private release(env: ExecutionEnvironment): void {
    if (this.closed) {
      env.kill();
      this.all.delete(env);
      return;
    }
    const waiter = this.queue.shift();
    if (waiter !== undefined) waiter(env);
    else this.idle.push(env);
  }

  /** An environment gone: a waiting invocation gets a new one in its place. */
  private drop(env: ExecutionEnvironment): void {
    env.kill();
    if (!this.all.delete(env)) return;
    const waiter = this.queue.shift();
    if (waiter !== undefined) waiter(this.closed ? undefined : this.spawn());
  }
}

/** `2026/12/07/[$LATEST]` and 32 hex digits, as Lambda names an environment's log stream. */
function newLogStream(version: string): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/** Lambda's own message for a function that ran out of time. */
export function timedOut(requestId: string, timeoutMs: number): LambdaErrorPayload {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
  };
}

function closedError(requestId: string): LambdaErrorPayload {
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
  };
}

/** `fn.log`, or the terminal when nobody captures the function's log: isolated output is never lost. */
export function logOf(fn: LambdaFunction, fallback: { log?: FunctionLog }): FunctionLog {
  if (fn.log !== undefined) return fn.log;
  fallback.log ??= createFunctionLog(fn, (line) => process.stdout.write(`${line}\n`));
  return fallback.log;
}
