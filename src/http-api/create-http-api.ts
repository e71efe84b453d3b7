import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedOptions, ThrottleSettings, UsageStore } from '../config/types.js';
import { compileFunctions, shortId } from '../gateway/create-gateway.js';
import { mappingOf } from '../http/matched-mapping.js';
import { parseQuery } from '../http/parse-query.js';
import { readBody } from '../http/read-body.js';
import { createRequestSeed, type RequestSeed } from '../http/request-seed.js';
import { parseRequestTarget } from '../http/request-target.js';
import { sendForbidden } from '../http/send-forbidden.js';
import {
  INIT_HANDLERS,
  initModuleFunctions,
  type ModuleFunction,
  warnMissingModules,
} from '../lambda/check-handlers.js';
import { captureConsole } from '../lambda/console-capture.js';
import type { LambdaFunction } from '../lambda/context.js';
import { invoke } from '../lambda/invoke.js';
import type { IsolatedRunner } from '../lambda/invoke-types.js';
import { catchHandlerErrors } from '../lambda/runtime-env.js';
import { createUsageStore } from '../usage/create-usage-store.js';
import { compileRouteAuth, type RouteAuth } from './auth/route-auth.js';
import { applyCors, type CompiledCors, compileCors, isPreflight, preflightHeaders } from './cors.js';
import { markHttpApi } from './domains/http-api-marker.js';
import { httpApiPaths } from './domains/http-api-paths.js';
import { fromResultV1, fromResultV2, type HttpApiResponse } from './from-result.js';
import { HTTP_API_ERRORS, type HttpApiErrorType } from './http-api-errors.js';
import type { HttpApiFacts } from './logs/http-api-facts.js';
import { createHttpStageLog, type HttpStageLog } from './logs/http-stage-log.js';
import { requestLookup, responseLookup } from './mapping-sources.js';
import { type HttpRouteKey, matchHttpRoute, parseRouteKey, sortRoutes } from './match-http-route.js';
import {
  compileRequestParameters,
  compileResponseParameters,
  type Mapping,
  mapRequest,
  mapResponse,
} from './parameter-mapping.js';
import { routeThrottle, takeRouteToken } from './throttling.js';
import { toEventV1 } from './to-event-v1.js';
import { type HttpApiIdentity, type HttpApiRequest, toEventV2 } from './to-event-v2.js';
import type { HttpApiMiddleware, HttpApiOptions } from './types.js';
import { validateHttpApi } from './validate-http-api.js';

/** A route's integration, ready to call. */
interface CompiledHttpIntegration {
  fn: LambdaFunction;
  payloadFormatVersion: '2.0' | '1.0';
  timeoutInMillis: number;
  requestParameters: Mapping[];
  responseParameters: Map<number, Mapping[]>;
  /** Undefined when neither the stage nor the route sets a limit: no bucket, no store call. */
  throttle: ThrottleSettings | undefined;
  /** The route's authorizer, when it has one. */
  authorize?: RouteAuth;
}

/** CFN-integration: TimeoutInMillis defaults to 30000. */
const DEFAULT_TIMEOUT_MS = 30_000;

// Hop-by-hop headers end at API Gateway's front door; it sets content-length itself.
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
]);
// Not passed on from a 2.0 result: the gateway frames the answer itself.
const FRAMING = new Set(['content-length', 'connection', 'transfer-encoding']);

/** An HTTP API compiled once: identity, routes in AWS's order, functions. */
interface CompiledHttpApi {
  identity: HttpApiIdentity;
  /** `/dev`, or `''` for the `$default` stage. */
  basePath: string;
  routes: HttpRouteKey<CompiledHttpIntegration>[];
  clock: () => number;
  logger: NonNullable<HttpApiOptions['logger']>;
  cors: CompiledCors | undefined;
  store: UsageStore;
  /** Access log and metrics; undefined while both are off. */
  stageLog: HttpStageLog | undefined;
  /** Only custom domains serve it; its own URL answers 403. */
  disableExecuteApiEndpoint: boolean;
}

export function createHttpApi(options: HttpApiOptions): HttpApiMiddleware {
  validateHttpApi(options);
  const routeOptions = options.routes as NonNullable<HttpApiOptions['routes']>;
  const logger = options.logger ?? console;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const stage = options.stageName ?? '$default';
  const moduleFunctions: ModuleFunction[] = [];
  const runners: IsolatedRunner[] = [];
  // Route keys first: a bad key is a ConfigError before any function module is touched.
  const keys = Object.keys(routeOptions);
  const parsed = keys.map((key) => parseRouteKey<string>(key, key));
  sortRoutes(parsed);
  const functions = compileFunctions(
    {
      functions: options.functions,
      region: options.region,
      resources: {},
      functionLogs: options.functionLogs,
    } as ResolvedOptions,
    region,
    accountId,
    logger,
    moduleFunctions,
    logger,
    runners,
  );
  // An HTTP API answers a function error 500 (REST: 502).
  warnMissingModules(moduleFunctions, logger, 500);
  const identity: HttpApiIdentity = {
    apiId: options.apiId ?? shortId(`httpapi:${keys.join(',')}`),
    accountId,
    region,
    stage,
    stageVariables:
      options.stageVariables !== undefined && Object.keys(options.stageVariables).length > 0
        ? { ...options.stageVariables }
        : undefined,
  };
  const routeAuth = compileRouteAuth(options, identity, functions, options.clock ?? Date.now, logger);
  const routes = sortRoutes(
    parsed.map((route) => {
      const integration = routeOptions[route.routeKey].integration;
      return {
        ...route,
        target: {
          fn: functions.get(integration.function) as LambdaFunction,
          payloadFormatVersion: integration.payloadFormatVersion ?? '2.0',
          timeoutInMillis: integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS,
          // Checked by validateHttpApi: no problems left to collect here.
          requestParameters: compileRequestParameters(integration.requestParameters, '', []),
          responseParameters: compileResponseParameters(integration.responseParameters, '', []),
          throttle:
            options.throttle !== undefined || options.routeSettings?.[route.routeKey]?.throttle !== undefined
              ? routeThrottle(options.throttle, options.routeSettings?.[route.routeKey])
              : undefined,
          authorize: routeAuth(route.routeKey),
        },
      };
    }),
  );
  const api: CompiledHttpApi = {
    identity,
    basePath: stage === '$default' ? '' : `/${stage}`,
    routes,
    clock: options.clock ?? Date.now,
    logger,
    cors: compileCors(options.cors),
    store: createUsageStore(options.store, options.clock ?? Date.now),
    stageLog: createHttpStageLog(
      options.accessLogSettings,
      options.metrics,
      identity,
      options.clock ?? Date.now,
      logger,
    ),
    disableExecuteApiEndpoint: options.disableExecuteApiEndpoint === true,
  };
  const release = options.catchHandlerErrors === false ? () => {} : catchHandlerErrors(logger, 'rethrow');
  const releaseConsole = options.functionLogs !== undefined ? captureConsole() : undefined;
  const middleware = function httpApiMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ) {
    // Gateway errors carry apigw-requestid (D-routes), those before any route too.
    const freshId = () => createRequestSeed(api.clock(), undefined).extendedRequestId;
    const pass = () => {
      if (next) next();
      else answer(res, 'NOT_FOUND', freshId());
    };
    const facts = api.stageLog?.begin(req);
    const served = serveHttpApi(api, req, res, pass, facts).catch((error) => {
      logger.error('apigw-express: unexpected error serving an HTTP API request:', error);
      answer(res, 'INTERNAL_SERVER_ERROR', freshId());
    });
    if (facts !== undefined) served.then(() => api.stageLog?.finish(facts, res));
  } as HttpApiMiddleware;
  middleware.ready = Promise.resolve();
  // For `serve`: Lambda's Init phase of every function by module path, as for REST APIs.
  Object.defineProperty(middleware, INIT_HANDLERS, { value: () => initModuleFunctions(moduleFunctions) });
  markHttpApi(middleware, () => Promise.resolve(identity));
  middleware.close = async () => {
    release();
    releaseConsole?.();
    await api.store.close?.();
    await Promise.all(runners.map((runner) => runner.close()));
  };
  return middleware;
}

/** One request, top to bottom: stage → path → route → body → event → function → answer. */
async function serveHttpApi(
  api: CompiledHttpApi,
  req: IncomingMessage,
  res: ServerResponse,
  pass: () => void,
  facts?: HttpApiFacts,
): Promise<void> {
  const target = parseRequestTarget(req.url ?? '/');
  if (target === undefined)
    return answer(res, 'NOT_FOUND', createRequestSeed(api.clock(), undefined).extendedRequestId);
  // Through a custom domain the mapping chose this API and stage; else the URL names the stage.
  const mapping = mappingOf(req);
  const { basePath } = api;
  if (mapping === undefined) {
    // A named stage serves under its own prefix; what is outside it stays the host app's.
    if (basePath !== '' && target.path !== basePath && !target.path.startsWith(`${basePath}/`)) return pass();
    if (api.disableExecuteApiEndpoint) return sendForbidden(res);
  } else if (mapping.stage !== undefined && mapping.stage !== api.identity.stage) return sendForbidden(res);
  const seed = createRequestSeed(api.clock(), req.headers['x-amzn-trace-id']);
  // AWS's request ids look like `ATfSmjLgPHcESJw=`: the one in the event, and `apigw-requestid`.
  const requestId = seed.extendedRequestId;
  if (facts !== undefined) [facts.requestId, facts.requestTimeEpoch] = [requestId, seed.requestTimeEpoch];
  const paths = httpApiPaths(target.path, basePath, mapping);
  if (paths === undefined) return answer(res, 'BAD_REQUEST', requestId);
  const { rawPath, routePath } = paths;
  const method = (req.method ?? 'GET').toUpperCase();
  const match = matchHttpRoute(api.routes, method, routePath);
  // D-cors: with CORS configured, API Gateway answers a preflight itself when no route takes
  // OPTIONS; an `ANY` or `$default` route takes it, authorizer and all (D-cors' $default note;
  // observed: dev.to/aws-builders/fixing-up-cors-errors-in-http-api-5fh4).
  if (match === undefined && api.cors !== undefined && isPreflight(method, req.headers))
    return send(
      res,
      { statusCode: 204, headers: preflightHeaders(api.cors, req.headers), body: '' },
      requestId,
    );
  if (match === undefined) return answer(res, 'NOT_FOUND', requestId);
  if (facts !== undefined) facts.routeKey = match.route.routeKey;
  const throttle = match.route.target.throttle;
  if (throttle !== undefined) {
    // D-thr: per route, the route's own settings over the stage's defaults. A failing store refuses.
    const bucket = `httpapi:${api.identity.apiId}:${api.identity.stage}:${match.route.routeKey}`;
    let admitted: boolean;
    try {
      admitted = await takeRouteToken(api.store, bucket, throttle);
    } catch (error) {
      api.logger.error('apigw-express: the usage store failed; the request is refused:', error);
      return answer(res, 'INTERNAL_SERVER_ERROR', requestId);
    }
    if (!admitted) return answer(res, 'TOO_MANY_REQUESTS', requestId);
  }
  const body = await readBody(req);
  if (body.kind === 'aborted') return;
  if (body.kind !== 'bytes') return answer(res, 'PAYLOAD_TOO_LARGE', requestId);
  const request: HttpApiRequest = {
    method,
    rawPath,
    rawQueryString: target.query,
    query: parseQuery(target.query),
    headers: eventHeaders(req, body.bytes.length, seed),
    body: body.bytes,
    sourceIp: sourceIpOf(req),
    requestId,
    timeEpoch: seed.requestTimeEpoch,
    routeKey: match.route.routeKey,
    pathParameters: match.pathParameters,
    signedPath: target.path,
    signedHeaders: rawHeaderValues(req),
  };
  if (paths.customDomain !== undefined) request.customDomain = paths.customDomain;
  const integration = match.route.target;
  if (facts !== undefined) facts.request = request;
  // The authorizer judges the request as the client sent it; mapping shapes the integration's.
  const auth = integration.authorize === undefined ? undefined : await integration.authorize(request);
  facts?.authorized(auth);
  if (auth?.kind === 'deny') return answer(res, auth.type, requestId, auth.headers);
  if (integration.requestParameters.length > 0)
    mapRequest(integration.requestParameters, request, requestLookup(request, routePath, api.identity));
  const v2 = integration.payloadFormatVersion === '2.0';
  const event = v2 ? toEventV2(request, api.identity) : toEventV1(request, api.identity);
  const authorizer = auth === undefined ? undefined : v2 ? auth.v2 : auth.v1;
  if (authorizer !== undefined) (event.requestContext as { authorizer?: unknown }).authorizer = authorizer;
  const invokedAt = facts === undefined ? 0 : api.clock();
  const outcome = await invoke(integration.fn, event, {
    requestId: seed.requestId,
    integrationTimeoutMs: integration.timeoutInMillis,
  });
  facts?.invoked(outcome, seed.requestId, api.clock() - invokedAt);
  if (outcome.kind === 'integration-timeout') {
    api.logger.error(
      `Lambda function ${integration.fn.name}: no answer within the integration timeout of ${integration.timeoutInMillis} ms (timeoutInMillis)`,
    );
    return answer(res, 'SERVICE_UNAVAILABLE', requestId);
  }
  if (outcome.kind !== 'result') {
    api.logger.error(`Lambda function ${integration.fn.name} failed:`, JSON.stringify(outcome.error));
    return answer(res, 'INTERNAL_SERVER_ERROR', requestId);
  }
  const response = v2 ? fromResultV2(outcome.value) : fromResultV1(outcome.value);
  if (response === undefined) {
    api.logger.error(
      `Lambda function ${integration.fn.name}: ${match.route.routeKey}: a result payload format ${integration.payloadFormatVersion} cannot answer with (see its response format); the client gets 500`,
    );
    return answer(res, 'INTERNAL_SERVER_ERROR', requestId);
  }
  facts?.answered(response);
  if (integration.responseParameters.size > 0)
    mapResponse(integration.responseParameters, response, responseLookup(response, request, api.identity));
  if (api.cors !== undefined) response.headers = applyCors(api.cors, req.headers, response.headers);
  send(res, response, requestId);
}

/** Lower-case names, values in order; plus what API Gateway's front end adds (the voker capture). */
function eventHeaders(req: IncomingMessage, bodyLength: number, seed: RequestSeed): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (DROPPED.has(name)) continue;
    const values = headers.get(name);
    if (values === undefined) headers.set(name, [raw[i + 1]]);
    else values.push(raw[i + 1]);
  }
  const sourceIp = sourceIpOf(req);
  const forwardedFor = headers.get('x-forwarded-for');
  headers.set('content-length', [String(bodyLength)]);
  headers.set('x-amzn-trace-id', [seed.eventTraceId]);
  headers.set('x-forwarded-for', [forwardedFor ? `${forwardedFor.join(',')}, ${sourceIp}` : sourceIp]);
  headers.set('x-forwarded-port', [String(req.socket?.localPort ?? 443)]);
  headers.set('x-forwarded-proto', [(req.socket as { encrypted?: boolean })?.encrypted ? 'https' : 'http']);
  return headers;
}

function rawHeaderValues(req: IncomingMessage): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const values = headers.get(name);
    if (values === undefined) headers.set(name, [raw[i + 1]]);
    else values.push(raw[i + 1]);
  }
  return headers;
}

function sourceIpOf(req: IncomingMessage): string {
  const ip = req.socket?.remoteAddress ?? '127.0.0.1';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

function send(res: ServerResponse, response: HttpApiResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = response.statusCode;
  // Repeated names (`set-cookie`, a 1.0 result's multiValueHeaders) go out as one line each.
  const lines = new Map<string, string[]>();
  for (const [name, value] of response.headers) {
    if (FRAMING.has(name.toLowerCase())) continue;
    const values = lines.get(name);
    if (values === undefined) lines.set(name, [value]);
    else values.push(value);
  }
  for (const [name, values] of lines) res.setHeader(name, values.length === 1 ? values[0] : values);
  // Every answer carries it (D-lambda; observed `Apigw-Requestid` on a 200).
  res.setHeader('apigw-requestid', requestId);
  res.end(response.body);
}

/** One of the gateway's own answers (§7), byte for byte. */
function answer(
  res: ServerResponse,
  type: HttpApiErrorType,
  requestId: string | undefined,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const { statusCode, body } = HTTP_API_ERRORS[type];
  res.statusCode = statusCode;
  // D-jwt-ts's recorded JWT refusal has no content-type: www-authenticate says what it is.
  if (headers['www-authenticate'] === undefined) res.setHeader('content-type', 'application/json');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (requestId !== undefined) res.setHeader('apigw-requestid', requestId);
  res.end(body);
}
