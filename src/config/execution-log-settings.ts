import { ConfigError } from './config-error.js';
import type { Logger } from './types.js';

const LOGGING_LEVELS = ['OFF', 'ERROR', 'INFO'];

/** `executionLogger`: what it is called with must be there, or a request would find out. */
export function checkExecutionLogger(logger: unknown): void {
  if (logger === undefined) return;
  const fields = logger as Partial<Logger> | null;
  if (
    typeof fields !== 'object' ||
    fields === null ||
    typeof fields.error !== 'function' ||
    (typeof fields.info !== 'function' && typeof fields.warn !== 'function')
  ) {
    throw new ConfigError('executionLogger: a logger with error() and info() (console and pino fit)');
  }
}

/** A method setting's logging fields, as update-stage takes them; `where` names the entry. */
export function checkExecutionLogSetting(setting: Record<string, unknown>, where: string): void {
  if (setting.loggingLevel !== undefined && !LOGGING_LEVELS.includes(setting.loggingLevel as string)) {
    throw new ConfigError(
      `${where}.loggingLevel: 'OFF', 'ERROR' or 'INFO', got ${JSON.stringify(setting.loggingLevel)}`,
    );
  }
  if (setting.dataTraceEnabled !== undefined && typeof setting.dataTraceEnabled !== 'boolean') {
    throw new ConfigError(`${where}.dataTraceEnabled: true or false`);
  }
}
