import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '../config/types.js';
import { mergeStages } from '../definitions/merge-stages.js';
import { serveDomains } from '../domains/serve-domains.js';
import { REQUEST_ID } from '../gateway/handle-request.js';
import { answerHealth, checkHealthPath, isHealthRequest } from '../gateway/health.js';
import type { ServedHttpApi } from '../http-api/domains/http-api-definition-domains.js';
import type { HttpApiMiddleware } from '../http-api/types.js';
import { type ApiGatewayMiddleware, apiGateway, type CloseOptions } from '../index.js';
import { INIT_HANDLERS, type initModuleFunctions } from '../lambda/check-handlers.js';
import { terminalFunctionLogs } from '../lambda/function-log-sink.js';
import { reloadHandlers } from '../lambda/load-handler.js';
import { catchHandlerErrors } from '../lambda/runtime-env.js';
import { httpApisNote, startHttpApis, withHttpApiFunctions } from './http-apis.js';
import { ApiFileError, describe, type LoadedApi, loadApi, SOURCE_NAMES } from './load-api.js';
import { type Command, DEFAULT_GRACE_PERIOD_SECONDS } from './parse-command.js';
import { basePathOf, listRoutes } from './route-table.js';
import { memoryMeterWarning, metersInMemory, onPrimaryStop, workerRole } from './serve-workers.js';
import { onStopSignals } from './stop-signals.js';
import { watchFolder } from './watch-folder.js';

type InitResult = Awaited<ReturnType<typeof initModuleFunctions>>;
type ServeCommand = Extract<Command, { name: 'serve' }>;

/**
 * Serves the API on bare node:http until SIGINT or SIGTERM (resolving 0 then). With `watch`, a
 * change under the file's folder rebuilds the gateway, swapped in for the next request; a
 * rebuild that fails leaves the last good one serving. Rejects when the API cannot start.
 */
export async function serve(command: ServeCommand, port: number, logger: Logger): Promise<number> {
  // Paths on the command line and in an options module stay relative to where serve started.
  const cwd = process.cwd();
  // Under --workers, the first worker says what every worker would say.
  const role = workerRole();
  const quietStart = role !== undefined && !role.announce;
  let starting = quietStart;
  const startLogger: Logger = quietStart
    ? { ...logger, warn: (...args) => (starting ? undefined : logger.warn(...args)) }
    : logger;
  let served = await startStages(command, startLogger, cwd);
  const { loaded } = served;
  // serve owns its process: a handler's late throw is logged and fails its request, never ends it.
  const release = catchHandlerErrors(logger, 'log');
  // Before the first request, as Lambda starts a function in its code root.
  let said: string | undefined;
  const moveToCodeRoot = (options: LoadedApi['options']) => {
    const { folder, line } = chooseWorkingDirectory(codeRoots(options, cwd), cwd);
    // Isolated, each function runs in its own code root: several roots need no warning.
    const isolated = (command.isolation ?? options.isolation ?? 'process') === 'process';
    if (isolated && folder === cwd) return;
    if (folder !== process.cwd()) process.chdir(folder);
    if (line !== undefined && line !== said && !quietStart) process.stdout.write(`${line}\n`);
    said = line;
  };
  moveToCodeRoot(withHttpApiFunctions(loaded.options, loaded.httpApis ?? []));
  const outside = outsideStages(logger);
  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => served.handle(req, res, outside);
  const respond =
    command.quiet === true
      ? handle
      : (req: http.IncomingMessage, res: http.ServerResponse) => logged(req, res, handle);
  let draining = false;
  const { healthPath } = command;
  const server = http.createServer((req, res) => {
    // Not an API Gateway route: the load balancer's, unlogged, 503 once draining so it stops sending.
    if (healthPath !== undefined && isHealthRequest(req, healthPath)) {
      return answerHealth(res, draining ? 'draining' : 'ok');
    }
    if (draining) res.setHeader('Connection', 'close');
    respond(req, res);
  });
  try {
    for (const base of served.basePaths) {
      if (healthPath !== undefined) checkHealthPath(healthPath, base, '--health-path');
    }
    // In the code root, as Lambda's Init: a Handler or CodeUri typo stops serve here, not at a request.
    await initStages(served, loaded.shown, logger);
    await listen(server, port, command.host);
  } catch (error) {
    release();
    await served.close();
    throw error;
  }
  starting = false;
  const { port: bound } = server.address() as AddressInfo;
  const urls = served.basePaths.map((base) => `http://${displayHost(command.host)}:${bound}${base}`);
  if (!quietStart) {
    process.stdout.write(
      loaded.restless === true
        ? `apigw-express: serving ${command.file} (${SOURCE_NAMES[loaded.kind]})${httpApisNote(loaded.httpApis ?? [], `http://${displayHost(command.host)}:${bound}`).replace(/^;/, ',')}\n`
        : `apigw-express: serving ${command.file} (${SOURCE_NAMES[loaded.kind]}), ${countRoutes(loaded)} on ${urls.join(' and ')}${stagesNote(served)}${httpApisNote(loaded.httpApis ?? [], `http://${displayHost(command.host)}:${bound}`)}\n`,
    );
    if (served.domainNames.length > 0) {
      process.stdout.write(
        `apigw-express: custom domains ${served.domainNames.join(', ')}: requests with that Host header go through their base path mappings\n`,
      );
    }
  }
  if (role?.announce === true && role.count > 1 && metersInMemory(loaded.options)) {
    logger.warn(memoryMeterWarning(role.count));
  }

  const root = path.dirname(loaded.file);
  let reloading: Promise<void> | undefined;
  let pending = false;
  const reload = async () => {
    forgetModules(root);
    // Handler modules load afresh on their next call (CommonJS caches under the code roots are dropped).
    reloadHandlers();
    try {
      const fresh = await startStages(command, logger, cwd);
      moveToCodeRoot(withHttpApiFunctions(fresh.loaded.options, fresh.loaded.httpApis ?? []));
      try {
        await initStages(fresh, command.file, logger);
      } catch (error) {
        await fresh.close();
        throw error;
      }
      const previous = served;
      served = fresh;
      await previous.close();
      process.stdout.write(`apigw-express: reloaded ${command.file}, ${countRoutes(fresh.loaded)}\n`);
    } catch (error) {
      process.stderr.write(
        `apigw-express: reload failed, still serving the last good version: ${errorLine(error)}\n`,
      );
    }
  };
  // One reload at a time; changes during one make one more afterwards.
  const scheduleReload = () => {
    if (reloading !== undefined) {
      pending = true;
      return;
    }
    reloading = reload().finally(() => {
      reloading = undefined;
      if (pending) {
        pending = false;
        scheduleReload();
      }
    });
  };
  const watcher = command.watch ? watchFolder(root, scheduleReload) : undefined;
  if (watcher !== undefined) process.stdout.write(`apigw-express: watching ${root} for changes\n`);

  const gracePeriod = command.gracePeriod ?? DEFAULT_GRACE_PERIOD_SECONDS;
  return new Promise((resolve) => {
    // New connections are refused at once; requests in flight get --grace-period to finish.
    const stop = (reason: string) => {
      if (draining) return;
      draining = true;
      // Under --workers the primary says it, once.
      if (role === undefined) {
        process.stdout.write(
          `apigw-express: ${reason}: draining requests in flight (up to ${gracePeriod} s); a second signal stops at once\n`,
        );
      }
      watcher?.close();
      server.close();
      server.closeIdleConnections();
      const closing: CloseOptions = { graceMs: gracePeriod * 1000 };
      Promise.all([reloading, served.close(closing)])
        .catch((error) => logger.error('apigw-express: closing:', describe(error)))
        .finally(() => {
          // A handler's late throw is caught until its request has settled.
          release();
          server.closeAllConnections();
          removeSignals();
          removePrimary();
          resolve(0);
        });
    };
    const removeSignals = onStopSignals(stop);
    const removePrimary = onPrimaryStop(stop);
  });
}

/** The folders the functions given by `Handler` string load from, once each. */
export function codeRoots(options: LoadedApi['options'], cwd: string): string[] {
  const roots = new Set<string>();
  for (const entry of Object.values(options.functions ?? {})) {
    if (typeof entry === 'object' && entry !== null && typeof entry.handler === 'string') {
      roots.add(path.resolve(cwd, entry.codeUri ?? '.'));
    }
  }
  return [...roots];
}

/**
 * On Lambda a function runs in its code root (LAMBDA_TASK_ROOT), so a file read by relative path
 * is found there. One process has one working directory: with one code root, serve moves there;
 * with several, it stays where it started and says so.
 */
export function chooseWorkingDirectory(roots: string[], cwd: string): { folder: string; line?: string } {
  if (roots.length === 1) {
    return {
      folder: roots[0],
      line: `apigw-express: working directory ${roots[0]} (the functions' code root, as on Lambda)`,
    };
  }
  if (roots.length === 0) return { folder: cwd };
  return {
    folder: cwd,
    line: `apigw-express: the functions have ${roots.length} code roots (${roots.join(', ')}); the working directory stays ${cwd}, so a path relative to it is not relative to a function's code as on Lambda`,
  };
}

/** `<file>: <message>` for an API's errors, the message alone for the rest. */
export function errorLine(error: unknown): string {
  return error instanceof ApiFileError ? `${error.file}: ${error.message}` : describe(error);
}

async function startGateway(
  loaded: LoadedApi,
  isolation?: 'process' | 'none',
): Promise<ApiGatewayMiddleware> {
  try {
    // The functions' logs on the terminal, as Lambda writes them (unless the options route them);
    // each function in environments of its own, as Lambda runs it, unless told otherwise.
    const gateway = apiGateway({
      ...loaded.options,
      functionLogs: loaded.options.functionLogs ?? terminalFunctionLogs(),
      isolation: isolation ?? loaded.options.isolation ?? 'process',
    });
    await gateway.ready;
    return gateway;
  } catch (error) {
    throw error instanceof ApiFileError ? error : new ApiFileError(loaded.shown, describe(error));
  }
}

/** The gateways of every stage served, each passing the requests outside its stage to the next. */
interface ServedStages {
  loaded: LoadedApi;
  stageNames: string[];
  basePaths: string[];
  gateways: ApiGatewayMiddleware[];
  /** The definition's HTTP APIs, served after the REST stages. */
  httpApis: HttpApiMiddleware[];
  /** The definition's custom domains: a request whose Host names one goes through its mappings. */
  domainNames: string[];
  handle(req: http.IncomingMessage, res: http.ServerResponse, outside: OutsideStages): void;
  close(options?: CloseOptions): Promise<void>;
}

type OutsideStages = (req: http.IncomingMessage, res: http.ServerResponse, basePaths: string[]) => void;

/**
 * Every stage the definition declares is served (a SAM API's own stage and SAM's extra `Stage`),
 * each with its own settings, as on AWS; `--stage` serves that one alone.
 */
async function startStages(command: ServeCommand, logger: Logger, cwd: string): Promise<ServedStages> {
  const loaded = await loadApi(command, logger, cwd);
  const all = [loaded];
  const others =
    command.stageName === undefined && loaded.options.basePath === undefined ? loaded.stages.slice(1) : [];
  // The definition's warnings were given once, for the first stage.
  const quiet: Logger = {
    debug: (...args) => logger.debug?.(...args),
    info: (...args) => logger.info?.(...args),
    warn: () => undefined,
    error: (...args) => logger.error(...args),
  };
  for (const stageName of others) {
    const stage = await loadApi({ ...command, stageName }, quiet, cwd);
    if (stage.options.logger === quiet) stage.options = { ...stage.options, logger };
    all.push(stage);
  }
  const gateways: ApiGatewayMiddleware[] = [];
  if (loaded.restless === true) return startHttpApisOnly(command, loaded, logger);
  // One gateway for all the stages when they differ only in their own settings.
  const merged = all.length > 1 ? mergeStages(all.map((stage) => stage.options)) : undefined;
  try {
    if (merged !== undefined)
      gateways.push(await startGateway({ ...loaded, options: merged }, command.isolation));
    else for (const stage of all) gateways.push(await startGateway(stage, command.isolation));
  } catch (error) {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    throw error;
  }
  const basePaths = all.map((stage) => basePathOf(stage.options));
  const stageNames = all.map((stage) => stage.options.stageName ?? 'prod');
  // The definition's HTTP APIs after its REST stages, which pass on what is outside them.
  let httpApis: HttpApiMiddleware[];
  try {
    httpApis = await startHttpApis(loaded.httpApis ?? [], logger, command.isolation);
  } catch (error) {
    await Promise.all(gateways.map((gateway) => gateway.close()));
    throw error instanceof ApiFileError ? error : new ApiFileError(loaded.shown, describe(error));
  }
  let domains: Awaited<ReturnType<typeof serveDomains>>;
  try {
    domains = await serveDomains(
      { ...command, file: loaded.file, kind: loaded.kind, stageName: stageNames[0] },
      new Map(stageNames.map((name, i) => [name, gateways[i] as ApiGatewayMiddleware])),
      logger,
      servedHttpApis(loaded, httpApis),
    );
  } catch (error) {
    await Promise.all([...gateways, ...httpApis].map((gateway) => gateway.close()));
    throw error instanceof ApiFileError ? error : new ApiFileError(loaded.shown, describe(error));
  }
  const chain = [...gateways, ...httpApis] as ApiGatewayMiddleware[];
  const byStage = (req: http.IncomingMessage, res: http.ServerResponse, outside: OutsideStages) => {
    let index = 0;
    const next = (): void => {
      const gateway = chain[index++];
      if (gateway !== undefined) gateway(req, res, next);
      else outside(req, res, basePaths);
    };
    next();
  };
  return {
    loaded,
    stageNames,
    basePaths,
    gateways,
    httpApis,
    domainNames: domains?.domainNames ?? [],
    handle(req, res, outside) {
      if (domains === undefined) byStage(req, res, outside);
      else domains.handler(req, res, () => byStage(req, res, outside));
    },
    close: async (options) => {
      await Promise.all([
        ...gateways.map((gateway) => gateway.close(options)),
        ...httpApis.map((api) => api.close()),
      ]);
    },
  };
}

/** A definition of HTTP APIs only: no REST stage; their custom domains, if any. */
async function startHttpApisOnly(
  command: ServeCommand,
  loaded: LoadedApi,
  logger: Logger,
): Promise<ServedStages> {
  let httpApis: HttpApiMiddleware[];
  let domains: Awaited<ReturnType<typeof serveDomains>>;
  try {
    httpApis = await startHttpApis(loaded.httpApis ?? [], logger, command.isolation);
  } catch (error) {
    throw error instanceof ApiFileError ? error : new ApiFileError(loaded.shown, describe(error));
  }
  try {
    domains = await serveDomains(
      { ...command, file: loaded.file, kind: loaded.kind },
      new Map(),
      logger,
      servedHttpApis(loaded, httpApis),
    );
  } catch (error) {
    await Promise.all(httpApis.map((api) => api.close()));
    throw error instanceof ApiFileError ? error : new ApiFileError(loaded.shown, describe(error));
  }
  const byApi = (req: http.IncomingMessage, res: http.ServerResponse, outside: OutsideStages) => {
    let index = 0;
    const next = (): void => {
      const api = httpApis[index++];
      if (api !== undefined) api(req, res, next);
      else outside(req, res, []);
    };
    next();
  };
  return {
    loaded,
    stageNames: [],
    basePaths: [],
    gateways: [],
    httpApis,
    domainNames: domains?.domainNames ?? [],
    handle(req, res, outside) {
      if (domains === undefined) byApi(req, res, outside);
      else domains.handler(req, res, () => byApi(req, res, outside));
    },
    close: async () => {
      await Promise.all(httpApis.map((api) => api.close()));
    },
  };
}

function stagesNote(served: ServedStages): string {
  const { stageNames, loaded } = served;
  if (stageNames.length > 1) return ` (stages ${stageNames.join(', ')})`;
  const declared = loaded.stages.filter((name) => name !== stageNames[0]);
  return declared.length > 0
    ? ` (stage ${stageNames[0]}; the definition also declares ${declared.join(', ')})`
    : '';
}

const LOGGED_OUTSIDE_PATHS = 1000;

/**
 * A request under no stage served gets what API Gateway answers for a stage its API lacks, 403
 * `{"message":"Forbidden"}`, ForbiddenException
 * (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden). The body stays AWS's; the hint naming the stages served goes in an
 * `apigw-express-hint` header and, once per path, the log.
 */
function outsideStages(logger: Logger): OutsideStages {
  const logged = new Set<string>();
  return (req, res, basePaths) => {
    if (res.headersSent || res.destroyed) return;
    const path = (req.url ?? '/').split('?')[0];
    const hint = stageHint(path, basePaths);
    if (!logged.has(path) && logged.size < LOGGED_OUTSIDE_PATHS) {
      logged.add(path);
      logger.warn(`apigw-express: ${req.method} ${path}: 403 Forbidden, ${hint}`);
    }
    res.statusCode = 403;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('x-amzn-ErrorType', 'ForbiddenException');
    res.setHeader('apigw-express-hint', hint);
    res.end('{"message":"Forbidden"}');
  };
}

/** `outside the stages served: /Prod, /Stage`, and the stage it differs from only in case. */
function stageHint(path: string, basePaths: string[]): string {
  const first = `/${path.split('/')[1] ?? ''}`.toLowerCase();
  const cased = basePaths.find((base) => base.toLowerCase() === first);
  const served = `outside the ${basePaths.length === 1 ? 'stage' : 'stages'} served: ${basePaths.join(', ')}`;
  return cased !== undefined ? `${served} (stage names are case-sensitive: ${cased})` : served;
}

/** Every stage's functions loaded before the first request (modules load once; each stage holds its own). */
async function initStages(served: ServedStages, shown: string, logger: Logger): Promise<void> {
  for (const gateway of [...served.gateways, ...served.httpApis]) await initHandlers(gateway, shown, logger);
}

/** Loads every function given by Handler string; one line per function that cannot load. */
async function initHandlers(
  gateway: ApiGatewayMiddleware | HttpApiMiddleware,
  shown: string,
  logger: Logger,
): Promise<void> {
  const init = (gateway as unknown as Record<symbol, () => Promise<InitResult>>)[INIT_HANDLERS];
  const { problems, retried } = await init();
  // What a module threw while it ran (a database not reachable yet): tried again at the next call, as Lambda does.
  for (const line of retried) logger.warn(`apigw-express: ${line} (tried again at its next call)`);
  if (problems.length === 0) return;
  const head =
    problems.length === 1 ? 'a function cannot load:' : `${problems.length} functions cannot load:`;
  throw new ApiFileError(shown, `${head}\n${problems.map((line) => `  ${line}`).join('\n')}`);
}

/**
 * One line per request once it is answered: method, path, status, milliseconds and the request
 * id the client got (`x-amzn-RequestId`), to find the request's other log lines.
 */
function logged(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): void {
  const started = performance.now();
  const method = req.method;
  const target = req.url ?? '/';
  const path = target.split('?', 1)[0];
  res.once('close', () => {
    const ms = Math.round(performance.now() - started);
    const id = (req as { [REQUEST_ID]?: string })[REQUEST_ID];
    const status = res.headersSent ? String(res.statusCode) : 'no answer (client gone)';
    const request = `${method} ${path}${id !== undefined ? ` req=${id}` : ''}`;
    // The prefix the gateway's own lines about this request carry.
    process.stdout.write(`apigw-express [${request}] ${status} ${ms} ms\n`);
  });
  handle(req, res);
}

function countRoutes(loaded: LoadedApi): string {
  const count = listRoutes(loaded.options).length;
  return count === 1 ? '1 route' : `${count} routes`;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} on ${host} is in use (--port picks another; 0 any free one)`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

// Handler modules under the API's folder are read afresh by the next require (node_modules stays cached).
function forgetModules(root: string): void {
  const cache = createRequire(path.join(root, 'index.js')).cache;
  const prefix = root + path.sep;
  const dependencies = `${path.sep}node_modules${path.sep}`;
  for (const key of Object.keys(cache)) {
    if (key.startsWith(prefix) && !key.includes(dependencies, prefix.length - 1)) delete cache[key];
  }
}

/** The definition's HTTP APIs as started, with the names and stages their mappings give. */
function servedHttpApis(loaded: LoadedApi, started: HttpApiMiddleware[]): ServedHttpApi[] {
  return (loaded.httpApis ?? []).map((defined, i) => ({
    name: defined.name,
    api: started[i],
    stage: defined.options.stageName ?? '$default',
  }));
}
