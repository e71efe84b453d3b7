import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from './config/config-error.js';
import type { TypedApiGatewayOptions } from './config/function-types.js';
import type { ApiGatewayOptions, Authorizer, ResolvedOptions, ResourceDefinition } from './config/types.js';
import { hasDefinition } from './definitions/load-definition.js';
import { loadDefinitionStages } from './definitions/merge-stages.js';
import type { CompiledApi } from './gateway/create-gateway.js';
import { answerUnexpected, handleRequest, readTarget } from './gateway/handle-request.js';
import { answerHealth, isHealthRequest } from './gateway/health.js';
import { answerClosing, type CloseOptions, InFlightRequests } from './gateway/in-flight.js';
import type { ApiGatewayMiddleware } from './gateway/middleware.js';
import { compileApi, isUnderStage } from './gateway/stages.js';
import { runTestInvoke, type TestInvokeRequest, type TestInvokeResult } from './gateway/test-invoke.js';
import { mappedPrefix, mappingOf } from './http/matched-mapping.js';
import { createRequestSeed } from './http/request-seed.js';
import { createHttpApi } from './http-api/create-http-api.js';
import {
  hasHttpApiDefinition,
  httpApiFromDefinition,
} from './http-api/definitions/http-api-from-definition.js';
import { isHttpApi } from './http-api/domains/http-api-marker.js';
import type { HttpApiMiddleware, HttpApiOptions } from './http-api/types.js';

export {
  loadHttpApiDefinition,
  loadHttpApiDefinitions,
} from './http-api/definitions/load-http-api-definition.js';
export {
  exportHttpApiOpenApi,
  type HttpApiExportOptions,
} from './http-api/openapi/export-http-api-openapi.js';

import { INIT_HANDLERS, initModuleFunctions } from './lambda/check-handlers.js';
import { catchHandlerErrors } from './lambda/runtime-env.js';

// The types handlers are written against, so `import type { … } from 'apigw-express'` needs nothing else.
export type {
  APIGatewayAuthorizerCallback,
  APIGatewayAuthorizerHandler,
  APIGatewayAuthorizerResult,
  APIGatewayAuthorizerResultContext,
  APIGatewayAuthorizerWithContextHandler,
  APIGatewayAuthorizerWithContextResult,
  APIGatewayEventDefaultAuthorizerContext,
  APIGatewayEventIdentity,
  APIGatewayEventRequestContext,
  APIGatewayEventRequestContextWithAuthorizer,
  APIGatewayProxyCallback,
  APIGatewayProxyCognitoAuthorizer,
  APIGatewayProxyEvent,
  APIGatewayProxyEventBase,
  APIGatewayProxyEventV2,
  APIGatewayProxyHandler,
  APIGatewayProxyHandlerV2,
  APIGatewayProxyResult,
  APIGatewayProxyResultV2,
  APIGatewayProxyWithCognitoAuthorizerEvent,
  APIGatewayProxyWithCognitoAuthorizerHandler,
  APIGatewayProxyWithLambdaAuthorizerEvent,
  APIGatewayProxyWithLambdaAuthorizerHandler,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerHandler,
  APIGatewayRequestAuthorizerWithContextHandler,
  APIGatewayTokenAuthorizerEvent,
  APIGatewayTokenAuthorizerHandler,
  APIGatewayTokenAuthorizerWithContextHandler,
  Callback,
  Context,
  Handler,
  PolicyDocument,
  Statement,
  StatementEffect,
} from 'aws-lambda';
export { ConfigError } from './config/config-error.js';
export type { HandlerOf, TypedApiGatewayOptions, TypedFunctions } from './config/function-types.js';
export type { FunctionLogLevel, SystemLogLevel } from './config/log-levels.js';
export type {
  AccessLogDestination,
  AccessLogSettings,
  ApiGatewayOptions,
  ApiKey,
  AuthorizationType,
  Authorizer,
  AwsCredential,
  CognitoAuthorizer,
  ContentHandling,
  CorsOptions,
  FunctionDefinition,
  FunctionLogSource,
  FunctionLogsOptions,
  GatewayResponse,
  HttpMethod,
  Integration,
  IntegrationResponse,
  IntegrationType,
  Isolation,
  LambdaAuthorizer,
  LambdaHandler,
  Logger,
  LoggingConfig,
  Method,
  MethodResponse,
  MethodSetting,
  MetricsMeter,
  MetricsOptions,
  ModelSchema,
  PassthroughBehavior,
  RequestValidatorDefinition,
  ResolvedOptions,
  ResourceDefinition,
  ResourceMethods,
  Stage,
  ThrottleSettings,
  UsagePlan,
  UserPoolKeys,
} from './config/types.js';
export { loadDefinition } from './definitions/load-definition.js';
export { toOpenApi } from './definitions/openapi-export.js';
export {
  type BasePathMapping,
  type CustomDomainName,
  type CustomDomainsHandler,
  customDomains,
} from './domains/custom-domains.js';
export { definitionDomainNames } from './domains/definition-domains.js';
export type { DomainDefinitionSource } from './domains/read-domain-mappings.js';
export type { CloseOptions } from './gateway/in-flight.js';
export type { ApiGatewayMiddleware } from './gateway/middleware.js';
export type { TestInvokeRequest, TestInvokeResult } from './gateway/test-invoke.js';
export { reloadHandlers } from './lambda/load-handler.js';
export { GatewayError, type GatewayErrorOptions } from './responses/gateway-error.js';
export { GATEWAY_RESPONSES, type GatewayResponseType } from './responses/gateway-responses.js';
export { StoreUnavailableError } from './usage/store-unavailable-error.js';
export type {
  QuotaUse,
  QuotaWindow,
  RedisConnectionOptions,
  UsageStore,
  UsageStoreOption,
} from './usage/usage-store.js';

/**
 * Mounts an API Gateway REST API (v1) on an Express app or a bare `node:http` server.
 * Throws `ConfigError` at once for a config API Gateway would refuse; with a definition
 * (`openapi`, `template`, `serverless`) the definition's problems reject `ready` instead.
 * An inline handler in `functions` is typed by what the same call names it in: an AWS_PROXY
 * integration's proxy event and result, a TOKEN or REQUEST authorizer's event and policy.
 * @example
 * app.use(apiGateway({
 *   stageName: 'prod',
 *   functions: { 'my-function': async () => ({ statusCode: 200, body: 'Hello from Lambda!' }) },
 *   resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'my-function' } } } },
 * }));
 */
export function apiGateway<
  Name extends string,
  const R extends Record<string, ResourceDefinition> = Record<string, ResourceDefinition>,
  const A extends Record<string, Authorizer> = Record<string, Authorizer>,
>(typedOptions: TypedApiGatewayOptions<Name, R, A>): ApiGatewayMiddleware {
  const options = typedOptions as ApiGatewayOptions;
  let api: CompiledApi | undefined;
  let failure: unknown;
  let ready: Promise<void>;
  if (hasDefinition(options)) {
    const logger = options.logger ?? console;
    ready = loadDefinitionStages(options, logger).then((resolved) => {
      api = compileApi(resolved);
    });
    // Nobody may be listening for `ready`: the failure is kept for the requests, not thrown at the process.
    ready.catch((error) => {
      failure = error;
      try {
        logger.error('apigw-express: the definition cannot be served:', (error as Error)?.message ?? error);
      } catch {
        // a broken logger must not turn this into an unhandled rejection
      }
    });
  } else {
    if (options.resources === undefined) {
      throw new ConfigError('resources: missing (or give a definition: openapi, template or serverless)');
    }
    api = compileApi(options as ResolvedOptions);
    ready = Promise.resolve();
  }
  const inFlight = new InFlightRequests();
  const healthPath = options.healthPath;
  const middleware = function apiGatewayMiddleware(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ) {
    const pass = () => {
      if (next) next();
      else if (!res.headersSent) {
        res.statusCode = 404;
        res.end();
      }
    };
    if (healthPath !== undefined && isHealthRequest(req, healthPath)) {
      answerHealth(res, inFlight.closing ? 'draining' : api !== undefined ? 'ok' : 'starting');
      return;
    }
    if (inFlight.closing) {
      // Outside the stage stays the host app's; before `ready` the stage is unknown, so answer.
      if (
        api !== undefined &&
        (mappingOf(req) === undefined
          ? !isUnderStage(api, req)
          : readTarget(req, servedPrefix(req, api), true) === undefined)
      )
        pass();
      else answerClosing(res);
      return;
    }
    if (api !== undefined) {
      serve(api, req, res, pass, inFlight);
      return;
    }
    // Waiting for the definition counts as in flight: close() waits for it too.
    inFlight.add(res);
    ready.then(
      () => serve(api as CompiledApi, req, res, pass, inFlight),
      () => {
        answerUnready(res, failure);
        inFlight.delete(res);
      },
    );
  } as ApiGatewayMiddleware;
  // After the options passed validation (a bad value threw above, or fails `ready`).
  const release =
    options.catchHandlerErrors !== false
      ? catchHandlerErrors(options.logger ?? console, 'rethrow')
      : undefined;
  middleware.ready = ready;
  // For `serve`: Lambda's Init phase of every function by module path, before the first request.
  Object.defineProperty(middleware, INIT_HANDLERS, {
    value: () => ready.then(() => initModuleFunctions((api as CompiledApi).moduleFunctions)),
  });
  Object.defineProperty(middleware, COMPILED_API, {
    value: () => ready.then(() => api as CompiledApi),
  });
  middleware.close = async (closeOptions?: CloseOptions) => {
    await drain(inFlight, closeOptions, options.logger ?? console);
    release?.();
    await ready.catch(() => undefined);
    api?.releaseConsole?.();
    await api?.closeEnvironments();
    await api?.store.close?.();
  };
  return middleware;
}

// An async function rather than .then callbacks: settling the request allocates no closure.
async function serve(
  api: CompiledApi,
  req: IncomingMessage,
  res: ServerResponse,
  pass: () => void,
  inFlight: InFlightRequests,
): Promise<void> {
  inFlight.add(res);
  try {
    await handleRequest(api, req, res, pass);
  } catch (error) {
    answerUnexpected(api, res, createRequestSeed(), error);
  } finally {
    inFlight.delete(res);
  }
}

/** Waits for the requests in flight; says how many the grace period cut short. */
async function drain(
  inFlight: InFlightRequests,
  closeOptions: CloseOptions | undefined,
  logger: NonNullable<ApiGatewayOptions['logger']>,
): Promise<void> {
  const abandoned = await inFlight.drain(closeOptions?.graceMs);
  if (abandoned > 0) {
    logger.warn(
      `apigw-express: closing: ${abandoned} ${abandoned === 1 ? 'request' : 'requests'} still in flight after graceMs ${closeOptions?.graceMs}, answered 503 and abandoned`,
    );
  }
}

// The compiled API behind a middleware, for testInvoke; not part of the middleware's own surface.
// Registered: customDomains() reads a mapped API's stage through it.
const COMPILED_API = Symbol.for('apigw-express.compiledApi');

/**
 * Runs one request through a mounted gateway without a socket, as the console's Test button and
 * `aws apigateway test-invoke-method` do: the answer, its latency and the execution log in the
 * console's wording. As on AWS, the method's authorizer and API key are bypassed unless
 * `authorize: true`. Rejects with the definition's ConfigError when the API cannot be served.
 * @example
 * const { status, body, log } = await testInvoke(api, { method: 'GET', path: '/pets/1' });
 * // log: 'Execution log for request …\nMon Dec 07 04:26:46 UTC 2026 : Starting execution for request: …'
 */
export async function testInvoke(
  api: ApiGatewayMiddleware,
  request: TestInvokeRequest,
): Promise<TestInvokeResult> {
  const compiled = (api as unknown as { [COMPILED_API]?: () => Promise<CompiledApi> })[COMPILED_API];
  if (compiled === undefined)
    throw new TypeError(
      isHttpApi(api)
        ? 'testInvoke: HTTP APIs have no test invoke on AWS; invokeHttpApi(api, request) runs a request through one'
        : 'testInvoke: give it what apiGateway() returned',
    );
  return runTestInvoke(await compiled(), request);
}

/** Where the API's resources start for this request: the stage, or a custom domain's base path. */
function servedPrefix(req: IncomingMessage, api: CompiledApi): string {
  const mapping = mappingOf(req);
  return mapping === undefined ? api.basePath : mappedPrefix(mapping, api.identity.stageName);
}

/** A definition that could not be read: every request gets AWS's 500 rather than a hang. */
function answerUnready(res: ServerResponse, _failure: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('x-amzn-ErrorType', 'InternalServerErrorException');
  res.end('{"message": "Internal server error"}');
}

export type { HttpCorsConfiguration } from './http-api/cors.js';
export type { HttpApiMapping } from './http-api/domains/http-api-mapping.js';
export type { HttpRequestParameters, HttpResponseParameters } from './http-api/parameter-mapping.js';
export {
  type HttpApiInvokeRequest,
  type HttpApiInvokeResult,
  invokeHttpApi,
} from './http-api/test-invoke.js';
export type { HttpRouteSettings } from './http-api/throttling.js';
export type {
  HttpApiMetricsOptions,
  HttpApiMiddleware,
  HttpApiOptions,
  HttpAuthorizer,
  HttpIntegration,
  HttpJwtAuthorizer,
  HttpLambdaAuthorizer,
  HttpRoute,
} from './http-api/types.js';

/**
 * Mounts an API Gateway HTTP API (v2) on an Express app or a bare `node:http` server: routes
 * (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`) with Lambda integrations, payload format 2.0 or
 * 1.0. Throws `ConfigError` at once for a config API Gateway would refuse.
 * @example
 * app.use(httpApi({
 *   functions: { hello: async () => ({ message: 'Hello from Lambda!' }) },
 *   routes: { 'GET /hello': { integration: { function: 'hello' } } },
 * }));
 */
export function httpApi(options: HttpApiOptions): HttpApiMiddleware {
  if (hasHttpApiDefinition(options)) return httpApiFromDefinition(options);
  return createHttpApi(options);
}
