import { LambdaContext, type LambdaFunction } from './context.js';
import { InvocationLog } from './invocation-log.js';
import type { InvokeOptions, InvokeResult, LambdaErrorPayload } from './invoke-types.js';
import type { ModuleHandler } from './load-handler.js';
import { type Invocation, invocations } from './runtime-env.js';

export type { InvokeOptions, InvokeOutcome, InvokeResult, LambdaErrorPayload } from './invoke-types.js';

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

/** One invocation awaiting its outcome; its own node in the deadline list of its timeout length. */
class Pending {
  prev: Pending | undefined = undefined;
  next: Pending | undefined = undefined;
  list: DeadlineList | undefined = undefined;

  constructor(
    readonly deadline: number,
    readonly expire: () => void,
  ) {}
}

/** Invocations with the same timeout length expire in the order they started: a FIFO. */
class DeadlineList {
  head: Pending | undefined = undefined;
  tail: Pending | undefined = undefined;

  push(p: Pending): void {
    p.list = this;
    p.prev = this.tail;
    if (this.tail) this.tail.next = p;
    else this.head = p;
    this.tail = p;
  }

  remove(p: Pending): void {
    if (p.prev) p.prev.next = p.next;
    else this.head = p.next;
    if (p.next) p.next.prev = p.prev;
    else this.tail = p.prev;
    p.prev = p.next = p.list = undefined;
  }
}

/**
 * Every invocation's timeout on one shared timer, instead of a setTimeout and clearTimeout each:
 * a FIFO per timeout length (a handful per API), the timer set for the earliest head. Unref'd,
 * so pending invocations never keep the process alive.
 */
const deadlines = new Map<number, DeadlineList>();
let timer: NodeJS.Timeout | undefined;
let timerAt = Number.POSITIVE_INFINITY;

function addDeadline(timeoutMs: number, expire: () => void): Pending {
  const pending = new Pending(performance.now() + timeoutMs, expire);
  let list = deadlines.get(timeoutMs);
  if (list === undefined) {
    list = new DeadlineList();
    deadlines.set(timeoutMs, list);
  }
  list.push(pending);
  if (pending.deadline < timerAt) schedule(pending.deadline);
  return pending;
}

function removeDeadline(pending: Pending): void {
  // The timer stays: when it fires early for what is left, it sets itself again.
  pending.list?.remove(pending);
}

function schedule(at: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timerAt = at;
  timer = setTimeout(expireDue, Math.max(0, Math.ceil(at - performance.now())));
  timer.unref();
}

function expireDue(): void {
  timer = undefined;
  timerAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  for (const list of deadlines.values()) {
    let head = list.head;
    while (head !== undefined && head.deadline <= now) {
      list.remove(head);
      head.expire();
      head = list.head;
    }
    if (head !== undefined && head.deadline < next) next = head.deadline;
  }
  if (next !== Number.POSITIVE_INFINITY && next < timerAt) schedule(next);
}

/**
 * Runs a handler as the Lambda Node.js runtime does: async/promise results, `callback(err, res)`
 * and `context.succeed/fail/done` all settle it, first one wins. A synchronous throw, a rejection
 * or `callback(err)` becomes an error outcome; the function's and the integration's timeouts race.
 */
export function invoke(fn: LambdaFunction, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
  if (fn.isolated !== undefined) return fn.isolated.invoke(event, options);
  return new Promise<InvokeResult>((resolve) => {
    let settled = false;
    const functionTimeout = fn.timeoutMs <= options.integrationTimeoutMs;
    const limit = functionTimeout ? fn.timeoutMs : options.integrationTimeoutMs;
    // Only a function with a log pays for one.
    const log = fn.log !== undefined ? new InvocationLog(fn, fn.log, options.requestId) : undefined;
    // After the integration gives up, the function runs on to its own timeout, as on Lambda.
    let functionDeadline: Pending | undefined;
    const pending = addDeadline(limit, () => {
      if (settled) return;
      settled = true;
      if (log !== undefined) {
        if (functionTimeout) log.timeout();
        else functionDeadline = addDeadline(fn.timeoutMs - limit, () => log.timeout());
      }
      resolve(
        functionTimeout
          ? { kind: 'timeout', error: timeoutPayload(options.requestId, fn.timeoutMs) }
          : { kind: 'integration-timeout' },
      );
    });
    const endLog =
      log !== undefined
        ? (error: unknown, reported: boolean): void => {
            if (functionDeadline !== undefined) removeDeadline(functionDeadline);
            log.settle(error, reported);
          }
        : undefined;
    const settle = (error: unknown, value: unknown): void => {
      endLog?.(error, false);
      if (settled) return;
      settled = true;
      removeDeadline(pending);
      if (error !== null && error !== undefined) resolve({ kind: 'error', error: toErrorPayload(error) });
      else resolve({ kind: 'result', value });
    };
    const context = new LambdaContext(fn, options.requestId, Date.now() + fn.timeoutMs, settle);
    // What the handler schedules carries its invocation: a late throw fails it while it is open.
    const invocation: Invocation = {
      fn,
      requestId: options.requestId,
      fail: (error) => {
        // The runtime logged it already, as an Uncaught Exception or Unhandled Promise Rejection.
        endLog?.(error ?? 'handled', true);
        if (settled) return false;
        settle(error ?? 'handled', undefined);
        return true;
      },
    };
    if (log !== undefined) {
      // A module loading for this call prints its Init lines before START, as on Lambda.
      const loadIfCold = (fn.handler as Partial<ModuleHandler>).loadIfCold;
      log.start(loadIfCold !== undefined ? invocations.run(invocation, loadIfCold) : undefined);
    }
    try {
      const returned = invocations.run(invocation, fn.handler, event, context, settle);
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
