/**
 * A function's own log, as Lambda writes its CloudWatch log stream: the lines its code prints
 * through `console.*` and the platform's START / END / REPORT lines. The same sink serves a
 * function run in the gateway's process and one run in its own execution environment.
 */
import util from 'node:util';
import type { FunctionLogLevel, SystemLogLevel } from '../config/log-levels.js';
import { toFormatted } from './format-error.js';

/** Lambda's `LoggingConfig` (CreateFunction), as far as the log's lines go. */
export interface FunctionLogFormat {
  /** `Text` (Lambda's default) or `JSON`. */
  logFormat?: 'Text' | 'JSON';
  /** JSON only: the least detailed application level kept (default INFO). */
  applicationLogLevel?: FunctionLogLevel;
  /** JSON only: the least detailed platform level kept (default INFO). */
  systemLogLevel?: SystemLogLevel;
}

/** What the REPORT line of one invocation says. */
export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memorySizeMB: number;
  maxMemoryUsedMB: number;
  /** Only on the first invocation of an execution environment (a cold start). */
  initDurationMs?: number;
  /**
   * `success` (the default), `failure` (the handler returned an error), `timeout`, or `error`
   * (the environment itself failed: it exited, ran out of memory).
   */
  status?: 'success' | 'failure' | 'error' | 'timeout';
  /** With `error` (and `failure` in the JSON format): `Runtime.ExitError`, `Runtime.OutOfMemory`, the error's type. */
  errorType?: string;
  /** With `timeout`: the function's timeout, for the `Task timed out after N.NN seconds` line. */
  timeoutMs?: number;
}

export interface FunctionLog {
  /**
   * One `console.*` call of the function's code. `message` is already formatted
   * (`util.format` of its arguments); `requestId` is undefined during the Init phase.
   */
  write(level: FunctionLogLevel, message: string, requestId: string | undefined, time: Date): void;
  /** One `console.*` call given its own arguments: the JSON format keeps an object as an object. */
  writeValues(level: FunctionLogLevel, values: unknown[], requestId: string | undefined, time: Date): void;
  /**
   * A line already in this log's format (`formatTextLine` or `formatJsonMessage`, made where the
   * code ran: another process), kept or dropped by its level as the others.
   */
  writeFormatted(level: FunctionLogLevel, line: string): void;
  /** The runtime's own error lines (`Invoke Error`, `Uncaught Exception`, …), as its `structuredConsole.logError`. */
  logError(label: string, error: unknown, requestId: string | undefined, time: Date): void;
  /** `START RequestId: … Version: …`, as an invocation begins. */
  start(requestId: string, time?: Date): void;
  /** `END RequestId: …` then `REPORT RequestId: …`, as it ends. */
  end(report: InvocationReport, time?: Date): void;
}

/** Where the lines go: one string per log event, without a trailing newline; `json` for the JSON format. */
export type LogLineSink = (line: string, json?: boolean) => void;

/** What a function's log needs to know of it. */
export interface LoggedFunction {
  version: string;
  /** `platform.start` carries it in the JSON format. */
  invokedFunctionArn?: string;
}

// LogPatch.js `levels`: a call is kept when its priority reaches the configured level's.
const PRIORITY: Record<FunctionLogLevel, number> = {
  TRACE: 1,
  DEBUG: 2,
  INFO: 3,
  WARN: 4,
  ERROR: 5,
  FATAL: 6,
};
const SYSTEM_PRIORITY: Record<SystemLogLevel, number> = { DEBUG: 1, INFO: 2, WARN: 3 };

/**
 * Lambda's billed duration in whole milliseconds, rounded up. Since August 2025 the Init phase of
 * an on-demand function is billed too, so a cold start's Billed Duration includes its Init
 * Duration (recorded JSON log, 2026: durationMs 1233.96 + initDurationMs 463.512 → billedDurationMs 1698).
 */
export function billedDuration(durationMs: number, initDurationMs = 0): number {
  return Math.max(1, Math.ceil(durationMs + initDurationMs));
}

/**
 * The function's log in its `LoggingConfig` format: `Text` lines as the Node.js runtime and the
 * platform write them, or `JSON` records, each filtered by its level as Lambda filters them.
 * @example createFunctionLog({ version: '$LATEST' }, (line) => process.stdout.write(`${line}\n`))
 */
export function createFunctionLog(
  fn: LoggedFunction,
  sink: LogLineSink,
  format: FunctionLogFormat = {},
): FunctionLog {
  if (format.logFormat === 'JSON') return jsonLog(fn, sink, format);
  return textLog(fn, sink);
}

/** aws-lambda-nodejs-runtime-interface-client LogPatch.js `logTextToFd`: `{time}\t{requestId}\t{LEVEL}\t{message}`. */
export function formatTextLine(
  level: FunctionLogLevel,
  message: string,
  requestId: string | undefined,
  time: Date,
): string {
  return `${time.toISOString()}\t${requestId}\t${level}\t${message}`;
}

function textLog(fn: LoggedFunction, sink: LogLineSink): FunctionLog {
  return {
    write(level, message, requestId, time) {
      sink(formatTextLine(level, message, requestId, time));
    },
    writeValues(level, values, requestId, time) {
      sink(formatTextLine(level, util.format(...values), requestId, time));
    },
    writeFormatted(_level, line) {
      sink(line);
    },
    logError(label, error, requestId, time) {
      // LogPatch.js `textErrorLogger`: console.error(label, Errors.toFormatted(Errors.intoError(err))).
      sink(formatTextLine('ERROR', util.format(label, toFormatted(intoError(error))), requestId, time));
    },
    start(requestId) {
      sink(`START RequestId: ${requestId} Version: ${fn.version}`);
    },
    end(report, time = new Date()) {
      if (report.status === 'timeout' && report.timeoutMs !== undefined) {
        // The platform's own line, without a level (Lambda "Troubleshoot invocation issues": Task timed out).
        sink(
          `${time.toISOString()} ${report.requestId} Task timed out after ${(report.timeoutMs / 1000).toFixed(2)} seconds`,
        );
      }
      sink(`END RequestId: ${report.requestId}`);
      sink(textReport(report));
    },
  };
}

/** The text REPORT line: tab-separated fields, each ending with a tab, as CloudWatch shows it. */
export function textReport(report: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDuration(report.durationMs, report.initDurationMs)} ms`,
    `Memory Size: ${report.memorySizeMB} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMB} MB`,
  ];
  if (report.initDurationMs !== undefined)
    fields.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  // A function error says nothing more; a timeout or a failed environment says its status.
  if (report.status === 'timeout') fields.push('Status: timeout');
  else if (report.status === 'error') {
    fields.push('Status: error');
    if (report.errorType !== undefined) fields.push(`Error Type: ${report.errorType}`);
  }
  return `${fields.join('\t')}\t`;
}

function jsonLog(fn: LoggedFunction, sink: LogLineSink, format: FunctionLogFormat): FunctionLog {
  // Lambda's defaults once the format is JSON (API_LoggingConfig).
  const least = PRIORITY[format.applicationLogLevel ?? 'INFO'];
  const platform = SYSTEM_PRIORITY[format.systemLogLevel ?? 'INFO'] <= SYSTEM_PRIORITY.INFO;
  return {
    write(level, message, requestId, time) {
      if (PRIORITY[level] < least) return;
      sink(formatJsonMessage(level, [message], requestId, time), true);
    },
    writeValues(level, values, requestId, time) {
      if (PRIORITY[level] < least) return;
      sink(formatJsonMessage(level, values, requestId, time), true);
    },
    writeFormatted(level, line) {
      if (PRIORITY[level] < least) return;
      sink(line, true);
    },
    logError(_label, error, requestId, time) {
      // LogPatch.js `jsonErrorLogger`: the label is dropped, the error is the message.
      if (PRIORITY.ERROR < least) return;
      sink(formatJsonMessage('ERROR', [intoError(error)], requestId, time), true);
    },
    start(requestId, time = new Date()) {
      // platform.start and platform.report are INFO system events: WARN keeps neither.
      if (!platform) return;
      const record: Record<string, unknown> = { requestId };
      if (fn.invokedFunctionArn !== undefined) record.functionArn = fn.invokedFunctionArn;
      record.version = fn.version;
      sink(JSON.stringify({ time: time.toISOString(), type: 'platform.start', record }), true);
    },
    end(report, time = new Date()) {
      if (!platform) return;
      sink(
        JSON.stringify({ time: time.toISOString(), type: 'platform.report', record: jsonReport(report) }),
        true,
      );
    },
  };
}

const millis = (ms: number) => Math.round(ms * 1000) / 1000;

/** The Telemetry API's `platform.report` record (Lambda "Telemetry API Event schema reference"). */
export function jsonReport(report: InvocationReport): Record<string, unknown> {
  const metrics: Record<string, number> = {
    durationMs: millis(report.durationMs),
    billedDurationMs: billedDuration(report.durationMs, report.initDurationMs),
    memorySizeMB: report.memorySizeMB,
    maxMemoryUsedMB: report.maxMemoryUsedMB,
  };
  if (report.initDurationMs !== undefined) metrics.initDurationMs = millis(report.initDurationMs);
  const record: Record<string, unknown> = {
    requestId: report.requestId,
    metrics,
    status: report.status ?? 'success',
  };
  if (report.status !== undefined && report.status !== 'success' && report.errorType !== undefined) {
    record.errorType = report.errorType;
  }
  return record;
}

/**
 * LogPatch.js `formatJsonMessage`: one argument is the message as it is (an object stays an
 * object, an Error becomes `{errorType, errorMessage, stackTrace, …its own fields}`); several are
 * `util.format`ted, the first Error among them adding its `errorType`, `errorMessage` and
 * `stackTrace`. A value JSON cannot hold (a cycle, a BigInt) is formatted instead.
 */
export function formatJsonMessage(
  level: FunctionLogLevel,
  values: unknown[],
  requestId: string | undefined,
  time: Date,
): string {
  const result: Record<string, unknown> = { timestamp: time.toISOString(), level, requestId };
  if (values.length <= 1) {
    result.message = values[0];
    try {
      return JSON.stringify(result, jsonErrorReplacer);
    } catch {
      result.message = util.format(result.message);
      return JSON.stringify(result);
    }
  }
  result.message = util.format(...values);
  for (const value of values) {
    if (value instanceof Error) {
      result.errorType = value.constructor?.name ?? 'UnknownError';
      result.errorMessage = value.message;
      result.stackTrace = typeof value.stack === 'string' ? value.stack.split('\n') : [];
      break;
    }
  }
  return JSON.stringify(result);
}

function jsonErrorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return {
    errorType: value.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
    ...value,
  };
}

/** Errors.js `intoError`: what is not an Error is wrapped in one. */
function intoError(error: unknown): Error {
  return error instanceof Error ? error : new Error(error as string);
}
