import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiGatewayOptions } from './config/types.js';
import { createGateway } from './gateway/create-gateway.js';
import { answerUnexpected, handleRequest } from './gateway/handle-request.js';
import { createRequestSeed } from './gateway/request-seed.js';

export type {
  APIGatewayProxyEvent,
  APIGatewayProxyHandler,
  APIGatewayProxyResult,
  Context,
  Handler,
} from 'aws-lambda';
export { ConfigError } from './config/config-error.js';
export type {
  ApiGatewayOptions,
  ContentHandling,
  CorsOptions,
  FunctionDefinition,
  GatewayResponse,
  HttpMethod,
  Integration,
  IntegrationResponse,
  IntegrationType,
  LambdaHandler,
  Logger,
  Method,
  MethodResponse,
  ModelSchema,
  PassthroughBehavior,
  RequestValidatorDefinition,
  ResourceDefinition,
  ResourceMethods,
} from './config/types.js';
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
  /** Releases what the gateway holds open (a Redis connection), so the process can exit. */
  close(): Promise<void>;
}

/**
 * Mounts an API Gateway REST API (v1) on an Express app or a bare `node:http` server.
 * Throws `ConfigError` at once for a config API Gateway would refuse.
 * @example
 * app.use(apiGateway({
 *   stageName: 'prod',
 *   functions: { 'my-function': async () => ({ statusCode: 200, body: 'Hello from Lambda!' }) },
 *   resources: { '/': { GET: { integration: { type: 'AWS_PROXY', function: 'my-function' } } } },
 * }));
 */
export function apiGateway(options: ApiGatewayOptions): ApiGatewayMiddleware {
  const api = createGateway(options);
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
    handleRequest(api, req, res, pass).catch((error) =>
      answerUnexpected(api, res, createRequestSeed(), error),
    );
  } as ApiGatewayMiddleware;
  middleware.close = async () => {
    await api.store.close?.();
  };
  return middleware;
}
