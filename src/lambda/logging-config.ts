import { ConfigError } from '../config/config-error.js';
import type { LoggingConfig } from '../config/types.js';

const KEYS = ['logFormat', 'applicationLogLevel', 'systemLogLevel', 'logGroup'];
const FORMATS = ['Text', 'JSON'];
const APPLICATION_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
const SYSTEM_LEVELS = ['DEBUG', 'INFO', 'WARN'];
// API_LoggingConfig: LogGroup is 1 to 512 of these.
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function shown(value: unknown): string {
  return typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
}

/** A function's `loggingConfig`, checked as Lambda's API_LoggingConfig checks it. */
export function validateLoggingConfig(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object (got ${shown(value)})`);
  for (const key of Object.keys(value)) {
    if (!KEYS.includes(key)) throw new ConfigError(`${where}.${key}: unknown field (${KEYS.join(', ')})`);
  }
  const oneOf = (key: string, allowed: string[]) => {
    const v = value[key];
    if (v !== undefined && !allowed.includes(v as string)) {
      throw new ConfigError(`${where}.${key}: ${shown(v)} (one of ${allowed.join(', ')})`);
    }
  };
  oneOf('logFormat', FORMATS);
  oneOf('applicationLogLevel', APPLICATION_LEVELS);
  oneOf('systemLogLevel', SYSTEM_LEVELS);
  if (
    value.logGroup !== undefined &&
    !(typeof value.logGroup === 'string' && LOG_GROUP.test(value.logGroup))
  ) {
    throw new ConfigError(
      `${where}.logGroup: ${shown(value.logGroup)} (1 to 512 letters, digits and . - _ / #)`,
    );
  }
  // "To use log-level filtering, your function must be configured to use the JSON log format"
  // (Lambda developer guide, Log-level filtering).
  for (const key of ['applicationLogLevel', 'systemLogLevel']) {
    if (value[key] !== undefined && value.logFormat !== 'JSON') {
      throw new ConfigError(
        `${where}.${key}: needs logFormat "JSON" (Lambda filters levels in the JSON format only)`,
      );
    }
  }
}

/** The `functionLogs` option: an object with an optional `logger` (a logger with `info`, or a function). */
export function validateFunctionLogs(value: unknown): void {
  if (value === undefined) return;
  if (!isObject(value))
    throw new ConfigError(`functionLogs: must be an object such as { logger } (got ${shown(value)})`);
  for (const key of Object.keys(value)) {
    if (key !== 'logger') throw new ConfigError(`functionLogs.${key}: unknown field (logger)`);
  }
  const logger = value.logger;
  if (logger === undefined || typeof logger === 'function') return;
  if (!isObject(logger) || typeof logger.info !== 'function') {
    throw new ConfigError(
      'functionLogs.logger: a logger with an info method (pino, console) or a function called with each line',
    );
  }
}

/** `context.logGroupName` and `AWS_LAMBDA_LOG_GROUP_NAME`: the configured group, else Lambda's default. */
export function logGroupName(functionName: string, config: LoggingConfig | undefined): string {
  return config?.logGroup ?? `/aws/lambda/${functionName}`;
}

/**
 * The variables the runtime reads its format and level from (the Node.js runtime's LogPatch.js
 * reads `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL`): set when the format is JSON.
 */
export function loggingVariables(config: LoggingConfig | undefined): Record<string, string> {
  if (config?.logFormat !== 'JSON') return {};
  return { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: config.applicationLogLevel ?? 'INFO' };
}
