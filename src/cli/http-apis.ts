import type { Isolation, Logger } from '../config/types.js';
import type { DefinedHttpApi } from '../http-api/definitions/defined-http-api.js';
import { loadHttpApiDefinitions } from '../http-api/definitions/load-http-api-definition.js';
import { placeProblems } from '../http-api/definitions/place-problems.js';
import { definedHttpApisOfOpenApi } from '../http-api/openapi/load-http-api-openapi.js';
import type { HttpApiMiddleware, HttpRoute } from '../http-api/types.js';
import { httpApi } from '../index.js';
import { terminalFunctionLogs } from '../lambda/function-log-sink.js';
import type { ApiArguments } from './api-arguments.js';
import type { RouteRow } from './route-table.js';

/**
 * The HTTP APIs (v2) a template or serverless.yml declares beside its REST API, or an OpenAPI
 * file's; a module has none. When none can be served, why goes in `unsupported` (for the error
 * that there is nothing to serve) rather than a warning.
 */
export async function loadDefinedHttpApis(
  kind: string,
  file: string,
  args: ApiArguments,
  logger: Logger,
  unsupported: string[] = [],
): Promise<DefinedHttpApi[]> {
  if (kind !== 'template' && kind !== 'serverless' && kind !== 'openapi') return [];
  const apis =
    kind === 'openapi'
      ? await definedHttpApisOfOpenApi(file, { ...args, unsupported })
      : await loadHttpApiDefinitions(
          { [kind]: file },
          {
            stageName: args.stageName,
            parameterOverrides: kind === 'template' ? args.parameterOverrides : undefined,
            stackName: args.stackName,
            unsupported,
          },
        );
  if (apis.length > 0 && unsupported.length > 0)
    logger.warn(`apigw-express: ${kind}: HTTP APIs: not supported, left out: ${unsupported.join('; ')}`);
  return apis;
}

/**
 * Each HTTP API as a middleware, ready (its functions' modules checked). Functions given by
 * `Handler` string run where `isolation` says, as a REST API's do under serve (default `process`).
 */
export async function startHttpApis(
  apis: DefinedHttpApi[],
  logger: Logger,
  isolation: Isolation = 'process',
): Promise<HttpApiMiddleware[]> {
  const started: HttpApiMiddleware[] = [];
  try {
    for (const api of apis) {
      // As for REST APIs, serve prints every function's log on stdout.
      let middleware: HttpApiMiddleware;
      try {
        middleware = httpApi({
          ...api.options,
          functions: isolateFunctions(api.options.functions, isolation),
          logger,
          functionLogs: terminalFunctionLogs(),
        });
      } catch (error) {
        throw placeProblems(error, api.sources);
      }
      started.push(middleware);
      await middleware.ready;
    }
  } catch (error) {
    await Promise.all(started.map((m) => m.close()));
    throw error;
  }
  return started;
}

/** The options with the HTTP APIs' functions beside the REST API's, to find their code roots. */
export function withHttpApiFunctions<T extends { functions?: unknown }>(
  options: T,
  apis: DefinedHttpApi[],
): T {
  if (apis.length === 0) return options;
  const functions = Object.assign({}, ...apis.map((api) => api.options.functions), options.functions);
  return { ...options, functions };
}

/** Each `Handler`-string function without an `isolation` of its own gets serve's. */
function isolateFunctions(
  functions: DefinedHttpApi['options']['functions'],
  isolation: Isolation,
): DefinedHttpApi['options']['functions'] {
  if (functions === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(functions).map(([name, entry]) => [
      name,
      typeof entry === 'object' && typeof entry.handler === 'string' && entry.isolation === undefined
        ? { ...entry, isolation }
        : entry,
    ]),
  );
}

/** `routes` rows: `GET /pets/{id}` as method and path, `$default` as `$default` `*`; stage prefix on the path. */
export function httpApiRows(apis: DefinedHttpApi[]): RouteRow[] {
  const rows: RouteRow[] = [];
  for (const api of apis) {
    const stage = api.options.stageName ?? '$default';
    const prefix = stage === '$default' ? '' : `/${stage}`;
    for (const [key, route] of Object.entries(api.options.routes ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const [method, path] = key === '$default' ? ['$default', '/*'] : key.split(' ');
      rows.push({
        method,
        path: `${prefix}${path}`,
        integration: `HTTP API ${api.name}: AWS_PROXY ${route.integration.function} (${route.integration.payloadFormatVersion ?? '2.0'})`,
        auth: routeAuth(route, api.options.authorizers),
      });
    }
  }
  return rows;
}

/** The route's AuthorizationType as CloudFormation names it, with its authorizer: `JWT users`, `CUSTOM keys`, `AWS_IAM`. */
function routeAuth(route: HttpRoute, authorizers: DefinedHttpApi['options']['authorizers']): string {
  if (route.authorizationType === 'AWS_IAM') return 'AWS_IAM';
  if (route.authorizer === undefined) return 'NONE';
  return `${authorizers?.[route.authorizer]?.type === 'JWT' ? 'JWT' : 'CUSTOM'} ${route.authorizer}`;
}

/** `; HTTP API ServerlessHttpApi: 3 routes on http://…/` for the banner. */
export function httpApisNote(apis: DefinedHttpApi[], origin: string): string {
  return apis
    .map((api) => {
      const count = Object.keys(api.options.routes ?? {}).length;
      const stage = api.options.stageName ?? '$default';
      return `; HTTP API ${api.name}: ${count === 1 ? '1 route' : `${count} routes`} on ${origin}${stage === '$default' ? '/' : `/${stage}`}`;
    })
    .join('');
}
