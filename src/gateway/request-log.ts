import type { Logger } from '../config/types.js';

const OWN_PREFIX = 'apigw-express: ';

/**
 * The API's logger for one request: every line starts `apigw-express [GET /prod/pets req=<id>]`,
 * the request id being the one the client gets in `x-amzn-RequestId`, so that a line can be
 * matched to the request it is about.
 * @example
 * requestLogger(logger, 'GET', '/prod/pets', 'c6af9ac6-…').error('Lambda function pets failed');
 * // apigw-express [GET /prod/pets req=c6af9ac6-…] Lambda function pets failed
 */
export function requestLogger(logger: Logger, method: string, path: string, requestId: string): Logger {
  const prefix = `apigw-express [${method} ${path} req=${requestId}]`;
  const level =
    (name: keyof Logger) =>
    (...args: unknown[]): void => {
      const [first, ...rest] = args;
      if (typeof first === 'string') {
        const text = first.startsWith(OWN_PREFIX) ? first.slice(OWN_PREFIX.length) : first;
        logger[name]?.(`${prefix} ${text}`, ...rest);
      } else logger[name]?.(prefix, ...args);
    };
  return {
    ...(logger.debug !== undefined && { debug: level('debug') }),
    ...(logger.info !== undefined && { info: level('info') }),
    warn: level('warn'),
    error: level('error'),
  };
}
