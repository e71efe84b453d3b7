import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../../config/config-error.js';
import { createHttpApi } from '../create-http-api.js';
import { httpApiIdentityOf, markHttpApi } from '../domains/http-api-marker.js';
import { loadHttpApiOpenApi } from '../openapi/load-http-api-openapi.js';
import type { HttpApiMiddleware, HttpApiOptions } from '../types.js';
import { loadHttpApiDefinition, sourcesOf } from './load-http-api-definition.js';
import { definitionSources, placeProblems } from './place-problems.js';
import { validateUserPools, withUserPoolKeys } from './read-http-authorizers.js';

/** Whether `httpApi()` is asked to read a definition (then it is ready asynchronously). */
export const hasHttpApiDefinition = (options: HttpApiOptions): boolean =>
  typeof options === 'object' &&
  options !== null &&
  (options.template !== undefined || options.serverless !== undefined || options.openapi !== undefined);

/**
 * `httpApi({ template | serverless | openapi })`: the definition's first HTTP API, with the options given
 * beside it winning (`functions` by name, `stageName`, `logger`, `clock`…). Requests wait for
 * `ready`; a definition that fails to load answers 500 and rejects `ready`.
 */
export function httpApiFromDefinition(options: HttpApiOptions): HttpApiMiddleware {
  const { template, serverless, openapi, parameterOverrides, userPools, ...given } = options;
  if (given.routes !== undefined)
    throw new ConfigError(
      `routes: not with ${template !== undefined ? 'template' : serverless !== undefined ? 'serverless' : 'openapi'} (the definition gives the routes)`,
    );
  if (parameterOverrides !== undefined && template === undefined)
    throw new ConfigError('parameterOverrides: only a template has Parameters');
  validateUserPools(userPools);
  const logger = given.logger ?? console;
  let inner: HttpApiMiddleware | undefined;
  const ready = (async () => {
    const unsupported: string[] = [];
    const ctx = {
      stageName: given.stageName,
      parameterOverrides,
      region: given.region,
      accountId: given.accountId,
      unsupported,
    };
    const loaded: Partial<HttpApiOptions> =
      openapi !== undefined
        ? await loadHttpApiOpenApi(openapi, { template, serverless }, ctx)
        : await loadHttpApiDefinition({ template, serverless }, ctx);
    if (unsupported.length > 0)
      logger.warn(`apigw-express: httpApi(): not supported, left out: ${unsupported.join('; ')}`);
    const merged = {
      ...loaded,
      ...given,
      routes: loaded.routes,
      functions: { ...loaded.functions, ...given.functions },
      // Authorizers given beside the definition replace the definition's of the same name.
      authorizers: withUserPoolKeys({ ...loaded.authorizers, ...given.authorizers }, userPools),
      // The stage's format, with a `destination` given beside it.
      ...(loaded.accessLogSettings !== undefined && {
        accessLogSettings: { ...loaded.accessLogSettings, ...given.accessLogSettings },
      }),
    };
    try {
      inner = createHttpApi(merged);
    } catch (error) {
      throw placeProblems(error, definitionSources(sourcesOf(loaded), given));
    }
    await inner.ready;
  })();
  // Not left unhandled: a request or the caller's `await ready` sees the error.
  ready.catch(() => {});
  const middleware = function httpApiDefinitionMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ) {
    ready.then(
      () => (inner as HttpApiMiddleware)(req, res, next),
      (error) => {
        logger.error('apigw-express: httpApi(): the definition did not load:', error);
        if (res.headersSent || res.destroyed) return;
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json');
        res.end('{"message":"Internal Server Error"}');
      },
    );
  } as HttpApiMiddleware;
  middleware.ready = ready;
  markHttpApi(middleware, () => ready.then(() => httpApiIdentityOf(inner as HttpApiMiddleware)));
  middleware.close = async () => {
    await ready.catch(() => {});
    await inner?.close();
  };
  return middleware;
}
