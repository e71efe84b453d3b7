import cluster from 'node:cluster';
import dotenv from 'dotenv';
import type { Logger } from '../config/types.js';
import { toOpenApi } from '../definitions/openapi-export.js';
import { exportDefinedHttpApi } from '../http-api/openapi/load-http-api-openapi.js';
import { HELP } from './help.js';
import { httpApiRows } from './http-apis.js';
import { runInvoke } from './invoke.js';
import { ApiFileError, loadApi } from './load-api.js';
import { type Command, parseCommand, parsePort } from './parse-command.js';
import { formatRoutes, listRoutes } from './route-table.js';
import { errorLine, serve } from './serve.js';
import { serveWorkers } from './serve-workers.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

const DEFAULT_PORT = 3000;

// Everything the gateway logs goes to stderr, so `export`'s stdout stays one JSON document.
const logger: Logger = {
  debug: (...args) => console.error(...args),
  info: (...args) => console.error(...args),
  warn: (...args) => console.error(...args),
  error: (...args) => console.error(...args),
};

/**
 * Runs one command line (argv after `node cli.js`); resolves with the exit code: 0 done, 1 the API
 * cannot be read or served, 2 a usage error.
 * @example
 * process.exitCode = await runCli(['routes', 'template.yaml']);
 */
export async function runCli(argv: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    return fail(error);
  }
  if (command.name === 'help') {
    process.stdout.write(HELP[command.topic]);
    return EXIT_OK;
  }
  try {
    for (const file of command.envFiles) {
      const { error } = dotenv.config({ path: file, override: false, quiet: true });
      if (error !== undefined) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        throw new ApiFileError(file, missing ? 'no such file (--env-file)' : error.message);
      }
    }
    switch (command.name) {
      case 'serve': {
        const port = command.port ?? (process.env.PORT ? parsePort(process.env.PORT, 'PORT') : DEFAULT_PORT);
        // The primary only forks: each worker runs this same command line and serves.
        if (command.workers !== undefined && cluster.isPrimary) return await serveWorkers(command);
        return await serve(command, port, logger);
      }
      case 'routes': {
        const { options, httpApis, restless } = await loadApi(command, logger);
        const rows = [...(restless === true ? [] : listRoutes(options)), ...httpApiRows(httpApis ?? [])];
        process.stdout.write(`${formatRoutes(rows)}\n`);
        return EXIT_OK;
      }
      case 'invoke':
        return await runInvoke(command, logger, (text) => process.stdout.write(text));
      case 'export': {
        const { options, restless, httpApis } = await loadApi(command, logger);
        if (restless !== true && command.httpApi !== true && (httpApis ?? []).length > 0)
          logger.warn(
            `apigw-express: export: writes the REST API; --http-api writes the HTTP API (${(httpApis ?? []).map((api) => api.name).join(', ')})`,
          );
        const document =
          restless === true || command.httpApi === true
            ? exportDefinedHttpApi(httpApis ?? [], logger)
            : toOpenApi(options);
        process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
        return EXIT_OK;
      }
    }
  } catch (error) {
    return fail(error, command.name === 'serve' ? undefined : command.file);
  }
}

function fail(error: unknown, file?: string): number {
  if (error instanceof UsageError) {
    process.stderr.write(`apigw-express: ${error.message}\nRun apigw-express --help for usage.\n`);
    return EXIT_USAGE;
  }
  const line =
    error instanceof ApiFileError || file === undefined ? errorLine(error) : `${file}: ${errorLine(error)}`;
  process.stderr.write(`apigw-express: ${line}\n`);
  return EXIT_ERROR;
}
