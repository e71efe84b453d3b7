import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LambdaErrorPayload } from '../invoke-types.js';
import type { EnvironmentFunction, FromEnvironment, ToEnvironment } from './protocol.js';

/** How one invocation in an environment ended, and whether the environment lives on. */
export type RunOutcome = (
  | { kind: 'result'; value: unknown }
  | { kind: 'error'; error: LambdaErrorPayload }
  | { kind: 'timeout'; error: LambdaErrorPayload }
) & { maxMemoryUsedMB: number };

export type InitOutcome =
  | { ok: true }
  /** `location`: the file and line of a syntax error, for serve's startup check. */
  | { ok: false; error: LambdaErrorPayload; timedOut: boolean; location?: string };

export interface EnvironmentOptions {
  fn: EnvironmentFunction;
  /** The whole environment of the process: nothing of the gateway's own is added. */
  env: Record<string, string>;
  memorySizeMB: number;
  onLog(message: Extract<FromEnvironment, { type: 'log' }>): void;
}

/** Where the child's entry lives, in src/ (run through tsx) as in dist/cjs and dist/esm. */
function locateEntry(): { file: string; execArgv: string[] } {
  const folder = currentFolder();
  for (const name of ['child.js', 'child.ts']) {
    const file = path.join(folder, name);
    if (!fs.existsSync(file)) continue;
    if (name.endsWith('.js')) return { file, execArgv: [] };
    // Source run (tests): the child is TypeScript too; tsx is a dev dependency then.
    const tsx = createRequire(file).resolve('tsx');
    return { file, execArgv: ['--import', pathToFileURL(tsx).href] };
  }
  throw new Error(`apigw-express: the execution environment's entry is missing from ${folder}`);
}

/**
 * This module's folder. The CommonJS build (and ts-jest) has `__dirname`; the ES module build
 * has no `__dirname` and its CommonJS twin cannot spell `import.meta`, so the ES module reads its
 * own URL from a stack frame.
 */
function currentFolder(): string {
  if (typeof __dirname === 'string') return __dirname;
  const frame = new Error().stack?.split('\n').find((line) => line.includes('file://'));
  const url = frame?.match(/(file:\/\/[^\s)]+?):\d+:\d+/)?.[1];
  if (url === undefined) throw new Error('apigw-express: cannot locate the execution environment entry');
  return path.dirname(new URL(url).pathname);
}

let entry: ReturnType<typeof locateEntry> | undefined;

// Go's names for the signals, as Lambda's "Runtime exited with error: signal: …" spells them.
const SIGNAL_NAMES: Record<string, string> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
};

const PAGE_SIZE = 4096;
const WATCH_INTERVAL_MS = 50;

/**
 * One execution environment: a child process with the function's environment variables only,
 * its code root as working directory, the module loaded once, one invocation at a time. It ends
 * on a timeout, a crash, memory over `memorySize`, or `kill()`; it is never reused after that.
 */
export class ExecutionEnvironment {
  private readonly child: ChildProcess;
  private waiting:
    | ((message: FromEnvironment | { type: 'exit'; reason: string; oom: boolean }) => void)
    | undefined;
  private outOfMemory = false;
  private killed = false;
  private exitReason: string | undefined;
  readonly exited: Promise<void>;
  /** False once it has ended or is ending. */
  alive = true;
  /** True once its Init phase succeeded. */
  initialized = false;
  lastMaxMemoryUsedMB = 0;

  constructor(private readonly options: EnvironmentOptions) {
    entry ??= locateEntry();
    const memory = options.memorySizeMB;
    // The runtime's bootstrap: old space 90 % and semi space 5 % of the function's memory
    // (github.com/lambci/node-custom-lambda v10.x/bootstrap, after /var/runtime/bootstrap).
    const execArgv = [
      ...entry.execArgv,
      `--max-old-space-size=${Math.floor((memory * 90) / 100)}`,
      `--max-semi-space-size=${Math.max(1, Math.floor((memory * 5) / 100))}`,
    ];
    this.child = fork(entry.file, [], {
      cwd: options.fn.codeRoot,
      env: options.env,
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.alive = false;
        this.stopWatchdog();
        const reason = signal !== null ? `signal: ${SIGNAL_NAMES[signal] ?? signal}` : `exit status ${code}`;
        this.exitReason = reason;
        const oom = this.outOfMemory || (signal === 'SIGKILL' && !this.killed);
        this.waiting?.({ type: 'exit', reason, oom });
        resolve();
      });
    });
    this.child.on('error', () => {
      // a failed spawn ends in 'exit' too
    });
    this.child.on('message', (message: FromEnvironment) => {
      if (message.type === 'log') this.options.onLog(message);
      else this.waiting?.(message);
    });
    // Not kept alive by its environments: the gateway's own work decides when it exits.
    this.child.unref();
    (this.child as unknown as { channel?: { unref(): void } }).channel?.unref();
  }

  /** Lambda's Init phase: loads the module, within `limitMs`. */
  init(limitMs: number): Promise<InitOutcome> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.kill();
        resolve({
          ok: false,
          timedOut: true,
          error: {
            errorType: 'Runtime.InitTimeout',
            errorMessage: `Init phase timed out after ${limitMs / 1000} seconds`,
          },
        });
      }, limitMs);
      this.waiting = (message) => {
        if (
          message.type !== 'ready' &&
          message.type !== 'init-error' &&
          message.type !== 'exit' &&
          message.type !== 'crash'
        )
          return;
        clearTimeout(timer);
        this.waiting = undefined;
        if (message.type === 'ready') {
          this.initialized = true;
          resolve({ ok: true });
        } else if (message.type === 'exit')
          resolve({ ok: false, timedOut: false, error: exitError(undefined, message.reason, message.oom) });
        else {
          this.kill();
          resolve({
            ok: false,
            timedOut: false,
            error: message.error,
            ...(message.type === 'init-error' &&
              message.location !== undefined && { location: message.location }),
          });
        }
      };
      this.send({ type: 'init', fn: this.options.fn });
    });
  }

  /** One invocation; past `timeoutMs` the environment is ended, as Lambda ends a timed-out sandbox. */
  invoke(
    requestId: string,
    event: unknown,
    timeoutMs: number,
    configuredMs = timeoutMs,
  ): Promise<RunOutcome> {
    return new Promise((resolve) => {
      if (!this.alive) {
        resolve({
          kind: 'error',
          error: exitError(requestId, this.exitReason ?? 'signal: killed', false),
          maxMemoryUsedMB: 0,
        });
        return;
      }
      const done = (outcome: RunOutcome) => {
        clearTimeout(timer);
        this.stopWatchdog();
        this.waiting = undefined;
        if (outcome.maxMemoryUsedMB > this.lastMaxMemoryUsedMB)
          this.lastMaxMemoryUsedMB = outcome.maxMemoryUsedMB;
        else outcome.maxMemoryUsedMB = this.lastMaxMemoryUsedMB;
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        this.kill();
        done({
          kind: 'timeout',
          // Lambda's own message for a function that ran out of time.
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(configuredMs / 1000).toFixed(2)} seconds`,
          },
          maxMemoryUsedMB: this.lastMaxMemoryUsedMB,
        });
      }, timeoutMs);
      this.waiting = (message) => {
        switch (message.type) {
          case 'result':
            done({
              kind: 'result',
              value: message.payload === undefined ? undefined : JSON.parse(message.payload),
              maxMemoryUsedMB: message.maxMemoryUsedMB,
            });
            return;
          case 'error':
            done({ kind: 'error', error: message.error, maxMemoryUsedMB: message.maxMemoryUsedMB });
            return;
          case 'crash':
            // The runtime exits after posting it; the process is ended here in case it lingers.
            this.kill();
            done({ kind: 'error', error: message.error, maxMemoryUsedMB: this.lastMaxMemoryUsedMB });
            return;
          case 'exit':
            done({
              kind: 'error',
              error: exitError(requestId, message.reason, message.oom),
              maxMemoryUsedMB: message.oom ? this.options.memorySizeMB : this.lastMaxMemoryUsedMB,
            });
            return;
        }
      };
      this.startWatchdog();
      this.send({ type: 'invoke', requestId, event, deadlineMs: Date.now() + timeoutMs });
    });
  }

  /** Ends the process at once (SIGKILL: a function's code gets no say). */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    this.killed = true;
    this.stopWatchdog();
    // Held until its exit is seen: whoever awaits `exited` (close) must not see the process end first.
    this.child.ref();
    this.child.kill('SIGKILL');
  }

  private send(message: ToEnvironment): void {
    try {
      this.child.send(message);
    } catch {
      // the channel closed: 'exit' reports it
    }
  }

  /**
   * `memorySize` as a cap on the whole process (heap, buffers, native memory), read from
   * /proc while an invocation runs, so a busy event loop cannot hide it. Elsewhere only the heap
   * limit above applies. One timer watches every busy environment.
   */
  private startWatchdog(): void {
    if (this.child.pid === undefined || process.platform !== 'linux') return;
    busy.add(this);
    if (watchdog === undefined) {
      watchdog = setInterval(watchMemory, WATCH_INTERVAL_MS);
      watchdog.unref();
    }
  }

  private stopWatchdog(): void {
    busy.delete(this);
    if (busy.size === 0 && watchdog !== undefined) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }

  /** Called by the watchdog: notes the process's memory, ends it when over `memorySize`. */
  checkMemory(): void {
    let rss: number;
    try {
      rss = Number(fs.readFileSync(`/proc/${this.child.pid}/statm`, 'utf8').split(' ')[1]) * PAGE_SIZE;
    } catch {
      return;
    }
    const usedMB = Math.round(rss / (1024 * 1024));
    if (usedMB > this.lastMaxMemoryUsedMB) this.lastMaxMemoryUsedMB = usedMB;
    if (rss < this.options.memorySizeMB * 1024 * 1024) return;
    this.outOfMemory = true;
    this.killed = false;
    this.alive = false;
    this.stopWatchdog();
    this.child.ref();
    this.child.kill('SIGKILL');
  }
}

const busy = new Set<ExecutionEnvironment>();
let watchdog: NodeJS.Timeout | undefined;

function watchMemory(): void {
  for (const env of busy) env.checkMemory();
}

/**
 * What Lambda answers when the runtime process ends mid-invocation: `Runtime.OutOfMemory` when it
 * was killed for its memory, else `Runtime.ExitError` with Go's wording of the exit (observed:
 * github.com/adobe/helix-html2md-service/issues/1001, awslabs/amazon-s3-find-and-forget/pull/283).
 */
function exitError(requestId: string | undefined, reason: string, oom: boolean): LambdaErrorPayload {
  const prefix = requestId !== undefined ? `RequestId: ${requestId} ` : '';
  return {
    errorType: oom ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
    errorMessage: `${prefix}Error: Runtime exited with error: ${oom ? 'signal: killed' : reason}`,
  };
}
