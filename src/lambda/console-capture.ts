import type { FunctionLogLevel } from '../config/log-levels.js';
import { invocations } from './runtime-env.js';

// LogPatch.js: console.log is console.info.
const METHODS = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
} as const satisfies Record<string, FunctionLogLevel>;
type Method = keyof typeof METHODS;
type ConsoleMethod = (...args: unknown[]) => void;

let holders = 0;
const originals = new Map<Method, ConsoleMethod>();
const patched = new Map<Method, ConsoleMethod>();
// A sink that prints through console (the default logger is console) reaches the original.
let writing = false;

/**
 * Routes `console.*` calls made inside an invocation of a function that has a log to that log, as
 * the Lambda runtime patches `console` (LogPatch.js); calls outside any invocation, or from a
 * function without a log, reach the console as before. Installed once per process for every
 * holder; returns the release, the last one restoring the console.
 */
export function captureConsole(): () => void {
  if (holders++ === 0) install();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) uninstall();
  };
}

function install(): void {
  const target = console as unknown as Record<Method, ConsoleMethod>;
  for (const [method, level] of Object.entries(METHODS) as [Method, FunctionLogLevel][]) {
    const original = target[method];
    const capture = function (this: unknown, ...args: unknown[]): void {
      if (!writing) {
        const invocation = invocations.getStore();
        const log = invocation?.fn.log;
        if (log !== undefined) {
          writing = true;
          try {
            // The Init phase has no request id: the runtime prints `undefined`.
            log.writeValues(
              level,
              args,
              invocation?.initializing ? undefined : invocation?.requestId,
              new Date(),
            );
          } finally {
            writing = false;
          }
          return;
        }
      }
      original.apply(this, args);
    };
    originals.set(method, original);
    patched.set(method, capture);
    target[method] = capture;
  }
}

function uninstall(): void {
  const target = console as unknown as Record<Method, ConsoleMethod>;
  for (const [method, original] of originals) {
    // Someone who patched console after us keeps their patch (ours then passes calls through).
    if (target[method] === patched.get(method)) target[method] = original;
  }
  originals.clear();
  patched.clear();
}
