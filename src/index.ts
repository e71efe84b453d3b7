import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from './config/config-error.js';
import type { TypedApiGatewayOptions } from './config/function-types.js';
import type { ApiGatewayOptions, Authorizer, ResolvedOptions, ResourceDefinition } from './config/types.js';
import { hasDefinition, loadDefinition } from './definitions/load-definition.js';
import { type CompiledApi, createGateway } from './gateway/create-gateway.js';
import { answerUnexpected, handleRequest } from './gateway/handle-request.js';
import { createRequestSeed } from './http/request-seed.js';
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
  APIGatewayProxyHandler,
  APIGatewayProxyResult,
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
export type {
  ApiGatewayOptions,
  ApiKey,
  AuthorizationType,
  Authorizer,
  AwsCredential,
  CognitoAuthorizer,
  ContentHandling,
  CorsOptions,
  FunctionDefinition,
  GatewayResponse,
  HttpMethod,
  Integration,
  IntegrationResponse,
  IntegrationType,
  Isolation,
  LambdaAuthorizer,
  LambdaHandler,
  Logger,
  Method,
  MethodResponse,
  MethodSetting,
  ModelSchema,
  PassthroughBehavior,
  RequestValidatorDefinition,
  ResolvedOptions,
  ResourceDefinition,
  ResourceMethods,
  ThrottleSettings,
  UsagePlan,
  UserPoolKeys,
} from './config/types.js';
export { loadDefinition } from './definitions/load-definition.js';
export { toOpenApi } from './definitions/openapi-export.js';
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

/** Connect-style middleware; also a plain `node:http` request listener when given a `next`. */
export interface ApiGatewayMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Settles once the API is ready to serve: at once for inline `resources`; after the definition
   * is read for `openapi`, `template` or `serverless` (rejecting with its ConfigError). Requests
   * that arrive earlier wait for it.
   */
  ready: Promise<void>;
  /** Releases what the gateway holds open (a Redis connection), so the process can exit. */
  close(): Promise<void>;
}

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
    ready = loadDefinition(options, logger).then((resolved) => {
      api = createGateway(resolved);
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
    api = createGateway(options as ResolvedOptions);
    ready = Promise.resolve();
  }
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
    if (api !== undefined) {
      serve(api, req, res, pass);
      return;
    }
    ready.then(
      () => serve(api as CompiledApi, req, res, pass),
      () => answerUnready(res, failure),
    );
  } as ApiGatewayMiddleware;
  // After the options passed validation (a bad value threw above, or fails `ready`).
  const release =
    options.catchHandlerErrors === true
      ? catchHandlerErrors(options.logger ?? console, 'rethrow')
      : undefined;
  middleware.ready = ready;
  // For `serve`: Lambda's Init phase of every function by module path, before the first request.
  Object.defineProperty(middleware, INIT_HANDLERS, {
    value: () => ready.then(() => initModuleFunctions((api as CompiledApi).moduleFunctions)),
  });
  middleware.close = async () => {
    release?.();
    await ready.catch(() => undefined);
    await api?.closeEnvironments();
    await api?.store.close?.();
  };
  return middleware;
}

function serve(api: CompiledApi, req: IncomingMessage, res: ServerResponse, pass: () => void): void {
  handleRequest(api, req, res, pass).catch((error) => answerUnexpected(api, res, createRequestSeed(), error));
}

/** A definition that could not be read: every request gets AWS's 500 rather than a hang. */
function answerUnready(res: ServerResponse, _failure: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = 500;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('x-amzn-ErrorType', 'InternalServerErrorException');
  res.end('{"message": "Internal server error"}');
}
