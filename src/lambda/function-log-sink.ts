import type { FunctionLogSource, FunctionLogsOptions, Logger, LoggingConfig } from '../config/types.js';
import { createFunctionLog, type FunctionLog, type LogLineSink } from './function-log.js';

type ChildLogger = Logger & { child?: (bindings: Record<string, unknown>) => Logger };

/**
 * A function's log, its lines going where `functionLogs` says: a function given each line and
 * its source, or a pino-compatible logger (`info(line)` for Text, `info({ lambda: record })` for
 * JSON so that pino keeps its own `level` and `msg`; per function a `child({ functionName })`).
 * A sink that throws loses the line, never the invocation.
 */
export function createFunctionLogFor(
  fn: { name: string; version: string; invokedFunctionArn: string; logGroupName: string },
  logStreamName: string,
  config: LoggingConfig | undefined,
  options: FunctionLogsOptions,
  fallback: Logger,
): FunctionLog {
  const target = options.logger ?? fallback;
  let write: LogLineSink;
  if (typeof target === 'function') {
    const source: FunctionLogSource = { functionName: fn.name, logGroupName: fn.logGroupName, logStreamName };
    write = (line) => target(line, source);
  } else {
    const parent = target as ChildLogger;
    const logger: Logger =
      typeof parent.child === 'function' ? parent.child({ functionName: fn.name }) : parent;
    const info = (logger.info ?? logger.warn).bind(logger);
    write = (line, json) => (json === true ? info({ lambda: JSON.parse(line) }) : info(line));
  }
  const sink: LogLineSink = (line, json) => {
    try {
      write(line, json);
    } catch {
      // a broken logger must not fail the function
    }
  };
  return createFunctionLog(fn, sink, config);
}

/** `apigw-express serve`'s sink: each line on stdout, after the name of the function it comes from. */
export function terminalFunctionLogs(write: (text: string) => void = (text) => process.stdout.write(text)) {
  return {
    logger: (line: string, source: FunctionLogSource) => write(`[${source.functionName}] ${line}\n`),
  } satisfies FunctionLogsOptions;
}
