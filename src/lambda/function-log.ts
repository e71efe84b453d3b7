/**
 * A function's own log, as Lambda writes its CloudWatch log stream: the lines its code prints
 * through `console.*` and the platform's START / END / REPORT lines. The same sink serves a
 * function run in the gateway's process and one run in its own execution environment.
 */

/** `console.*` levels as the Node.js runtime names them. */
export type FunctionLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** What the REPORT line of one invocation says. */
export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Only on the first invocation of an execution environment (a cold start). */
  initDurationMs?: number;
  /** `timeout` and `error` are shown in the JSON format's `platform.report` status. */
  status?: 'success' | 'error' | 'timeout';
}

export interface FunctionLog {
  /**
   * One `console.*` call of the function's code. `message` is already formatted
   * (`util.format` of its arguments); `requestId` is undefined during the Init phase.
   */
  write(level: FunctionLogLevel, message: string, requestId: string | undefined, time: Date): void;
  /** `START RequestId: … Version: …`, as an invocation begins. */
  start(requestId: string, time?: Date): void;
  /** `END RequestId: …` then `REPORT RequestId: …`, as it ends. */
  end(report: InvocationReport, time?: Date): void;
}

/** Where the lines go: one string per line, without its newline. */
export type LogLineSink = (line: string) => void;

/** Lambda's billed duration: whole milliseconds, rounded up. */
export function billedDuration(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** The text format (LoggingConfig `LogFormat: Text`, the default). */
export function createFunctionLog(fn: { version: string }, sink: LogLineSink): FunctionLog {
  return {
    write(level, message, requestId, time) {
      sink(`${time.toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${message}`);
    },
    start(requestId) {
      sink(`START RequestId: ${requestId} Version: ${fn.version}`);
    },
    end(report) {
      sink(`END RequestId: ${report.requestId}`);
      const init =
        report.initDurationMs !== undefined ? `\tInit Duration: ${report.initDurationMs.toFixed(2)} ms` : '';
      sink(
        `REPORT RequestId: ${report.requestId}\tDuration: ${report.durationMs.toFixed(2)} ms\tBilled Duration: ${billedDuration(report.durationMs)} ms\tMemory Size: ${report.memorySizeMB} MB\tMax Memory Used: ${report.maxMemoryUsedMB} MB${init}\t`,
      );
    },
  };
}
