import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  AccessLogSettings,
  ApiGatewayOptions,
  FunctionDefinition,
  FunctionLogsOptions,
  LambdaHandler,
  Logger,
  MetricsMeter,
  ThrottleSettings,
  UsageStoreOption,
  UserPoolKeys,
} from '../config/types.js';
import type { HttpCorsConfiguration } from './cors.js';
import type { HttpRequestParameters, HttpResponseParameters } from './parameter-mapping.js';
import type { HttpRouteSettings } from './throttling.js';

/** `AWS_PROXY` to a Lambda function, as `AWS::ApiGatewayV2::Integration` spells it. */
export interface HttpIntegration {
  /** The name of a function in `functions`. */
  function: string;
  /** The event and result contract (default `2.0`). */
  payloadFormatVersion?: '2.0' | '1.0';
  /** 50–30000 (default 30000); past it the client gets 503. */
  timeoutInMillis?: number;
  /** `append|overwrite|remove:header.x`, `…:querystring.x`, `overwrite:path` → value, before the call. */
  requestParameters?: HttpRequestParameters;
  /** Status code → `overwrite:statuscode`, `append|overwrite|remove:header.x` → value, on the answer. */
  responseParameters?: HttpResponseParameters;
}

/** One route: its key (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`) names it in `routes`. */
export interface HttpRoute {
  integration: HttpIntegration;
  /** The name of an authorizer in `authorizers` that guards this route. */
  authorizer?: string;
  /** `AWS_IAM`: a SigV4 signature by one of `awsCredentials` (instead of an `authorizer`). */
  authorizationType?: 'AWS_IAM';
  /** JWT: the token's `scope`/`scp` must hold at least one of these, else 403. */
  authorizationScopes?: string[];
}

/** `AWS::ApiGatewayV2::Authorizer` of type JWT. */
export interface HttpJwtAuthorizer {
  type: 'JWT';
  /** Where the token is (default `$request.header.Authorization`); raw or `Bearer …`. */
  identitySource?: string;
  /** The tokens' `iss`, exactly: an https URL (http only on localhost). */
  issuer: string;
  /** `aud` (or `client_id` when there is no `aud`) must be one of these. */
  audience: string[];
  /** Signing keys: a JWKS object, a file, or a URL (default: the `jwks_uri` of `{issuer}/.well-known/openid-configuration`). */
  jwks?: { keys: Record<string, unknown>[] } | string;
}

/** `AWS::ApiGatewayV2::Authorizer` of type REQUEST: a Lambda function decides. */
export interface HttpLambdaAuthorizer {
  type: 'REQUEST';
  /** The name of a function in `functions`. */
  function: string;
  /** The event the function gets and the answers it may give. */
  authorizerPayloadFormatVersion: '1.0' | '2.0';
  /** 2.0 only: the function may answer `{ isAuthorized, context }` instead of an IAM policy. */
  enableSimpleResponses?: boolean;
  /** `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`: all required; their values key the cache. */
  identitySource?: string[];
  /** 0–3600 (default 0, no cache): how long an answer holds for the same identity source values. */
  authorizerResultTtlInSeconds?: number;
}

export type HttpAuthorizer = HttpJwtAuthorizer | HttpLambdaAuthorizer;

/** `httpApi({ metrics })`: the stage's CloudWatch metrics on an OpenTelemetry meter. */
export interface HttpApiMetricsOptions {
  /** `metrics.getMeter('…')` of an app that set up an OpenTelemetry MeterProvider. */
  meter: MetricsMeter;
  /** The stage's `DetailedMetricsEnabled`: adds the Method and Resource dimensions per route. */
  detailedMetricsEnabled?: boolean;
}

export interface HttpApiOptions {
  /** Lambda function name → handler, or a full definition (a `Handler` string under `codeUri`). */
  functions?: Record<string, LambdaHandler | FunctionDefinition>;
  /** Route key (`METHOD /path`, `ANY /path`, `$default`) → its integration (or from `template`/`serverless`). */
  routes?: Record<string, HttpRoute>;
  /** A SAM or CloudFormation template (path or object): its first HTTP API is served. */
  template?: string | Record<string, unknown>;
  /** A serverless.yml (path or object): its `httpApi` events are served. */
  serverless?: string | Record<string, unknown>;
  /** An OpenAPI 3 document (path or object) with `x-amazon-apigateway-*` extensions, as `aws apigatewayv2 import-api` takes it. */
  openapi?: string | Record<string, unknown>;
  /** Template parameter values over their `Default`s. */
  parameterOverrides?: Record<string, string>;
  /**
   * With `template`/`serverless`: Cognito user pool id → its signing keys, for the definition's
   * JWT authorizers whose issuer is that pool (default: the issuer's OpenID discovery).
   */
  userPools?: Record<string, UserPoolKeys>;
  /** Access key id → secret and identity, for AWS_IAM routes (as `apiGateway()`'s option). */
  awsCredentials?: ApiGatewayOptions['awsCredentials'];
  /** Authorizer name → its definition; routes name one in `authorizer`. */
  authorizers?: Record<string, HttpAuthorizer>;
  /** `$default` (the default) serves at the root; a name serves under `/{stageName}`. */
  stageName?: string;
  /** The stage's variables: `stageVariables` in every event. */
  stageVariables?: Record<string, string>;
  /** `requestContext.apiId` (default: a stable id made from the routes). */
  apiId?: string;
  /** `requestContext.accountId` (default `123456789012`). */
  accountId?: string;
  /** Region in ARNs and the default domain name (default `us-east-1`). */
  region?: string;
  /** Where startup warnings and function errors go (default `console`). */
  logger?: Logger;
  /** Milliseconds since the epoch: `requestContext.time`/`timeEpoch` (default `Date.now`). */
  clock?: () => number;
  /** `CorsConfiguration`: API Gateway answers preflights itself and adds the headers to integration answers. */
  cors?: HttpCorsConfiguration;
  /** The stage's default route settings: every route's own bucket (default: the account's 10000/s, burst 5000). */
  throttle?: Partial<ThrottleSettings>;
  /** The stage's `RouteSettings`: route key → `{ throttle }`, over `throttle` field by field. */
  routeSettings?: Record<string, HttpRouteSettings>;
  /** Where the token buckets live: memory by default, `{ redis }` to share them between processes. */
  store?: UsageStoreOption;
  /**
   * The stage's access log: each answered request writes one line in `format` (the HTTP API
   * `$context` variables; absent values log `-`) to `destination` (default stdout). Off by default.
   */
  accessLogSettings?: AccessLogSettings;
  /** The stage's CloudWatch metrics (Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed) on an OpenTelemetry meter. */
  metrics?: HttpApiMetricsOptions;
  /** Each function's log as Lambda writes it (`console.*` inside it, START / END / REPORT), as `apiGateway()`'s option. */
  functionLogs?: FunctionLogsOptions;
  /** Catch a handler's late throw instead of letting it end the process (default true), as `apiGateway()`'s option. */
  catchHandlerErrors?: boolean;
  /** `DisableExecuteApiEndpoint`: only `customDomains()` serve the API; its own URL answers 403. */
  disableExecuteApiEndpoint?: boolean;
}

/** What `httpApi()` returns: Express or `node:http` middleware. */
export interface HttpApiMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /** Settles at once: an HTTP API given inline is ready when `httpApi()` returns. */
  ready: Promise<void>;
  /** Ends isolated functions' environments and stops catching handler errors. */
  close(): Promise<void>;
}
