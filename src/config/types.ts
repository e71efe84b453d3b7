import type { Context, Handler } from 'aws-lambda';
import type { FunctionLogLevel, SystemLogLevel } from './log-levels.js';

/** Methods a resource can declare; `ANY` covers every method without its own entry. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS' | 'ANY';

// biome-ignore lint/suspicious/noExplicitAny: a Lambda handler may take and return anything.
export type LambdaHandler = Handler<any, any>;

/** A Lambda function: its handler plus the settings Lambda itself would hold. */
export interface FunctionDefinition {
  /** The handler function, or Lambda's `Handler` string (`file.export`, `dir/file.export`) under `codeUri`. */
  handler: LambdaHandler | string;
  /** Where a `Handler` string's module lives (default: the definition file's folder, or the working directory). */
  codeUri?: string;
  /** Function timeout in seconds, as Lambda's `Timeout` (default 3). */
  timeout?: number;
  /** Environment variables, merged into `process.env` at startup (existing values win). */
  environment?: Record<string, string>;
  /** `MemorySize` in MB, reported as `context.memoryLimitInMB` (default 128). */
  memorySize?: number;
  /**
   * `process`: run in execution environments of its own (child processes: its own environment
   * variables, working directory at the code root, memory cap, timeout that ends it); `none`: in
   * the gateway's process. Default: the API's `isolation`. Needs a `Handler` string.
   */
  isolation?: Isolation;
  /** `ReservedConcurrentExecutions`: at most this many isolated environments; further calls are throttled. */
  reservedConcurrency?: number;
  /** Lambda's `LoggingConfig`: the format and levels of the function's log (see `functionLogs`), and its log group. */
  loggingConfig?: LoggingConfig;
}

/** A function's `LoggingConfig` (CreateFunction), in the API's own casing. */
export interface LoggingConfig {
  /** `Text` (default): `{time}\t{requestId}\t{LEVEL}\t{message}` lines; `JSON`: one JSON record per line. */
  logFormat?: 'Text' | 'JSON';
  /** JSON only: application lines below this level are dropped (default INFO). */
  applicationLogLevel?: FunctionLogLevel;
  /** JSON only: platform events below this level are dropped (default INFO; WARN drops START and REPORT). */
  systemLogLevel?: SystemLogLevel;
  /** The log group (default `/aws/lambda/{name}`): `context.logGroupName` and `AWS_LAMBDA_LOG_GROUP_NAME`. */
  logGroup?: string;
}

/** The function a log line comes from, for a `functionLogs.logger` function. */
export interface FunctionLogSource {
  functionName: string;
  logGroupName: string;
  logStreamName: string;
}

/** Where the functions' logs go: `console.*` inside them, and their START / END / REPORT lines. */
export interface FunctionLogsOptions {
  /**
   * A pino-compatible logger: a Text line goes to `logger.info(line)`, a JSON record to
   * `logger.info({ lambda: record })`, through `logger.child({ functionName })` when it has
   * `child`. Or a function called with each line and the function it comes from. Default: the
   * API's `logger`.
   */
  logger?: Logger | ((line: string, source: FunctionLogSource) => void);
}

/** Where a function's code runs: its own execution environments (`process`) or the gateway's process. */
export type Isolation = 'process' | 'none';

export type IntegrationType = 'AWS_PROXY' | 'AWS' | 'MOCK' | 'HTTP' | 'HTTP_PROXY';
export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';
export type ContentHandling = 'CONVERT_TO_TEXT' | 'CONVERT_TO_BINARY';

/** An integration response (put-integration-response). */
export interface IntegrationResponse {
  statusCode: string;
  /** Java regex matched (whole string) against a Lambda error's `errorMessage`; absent = the default response. */
  selectionPattern?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
  contentHandling?: ContentHandling;
}

/** The integration (put-integration); `function` or a Lambda `uri` names the function. */
export interface Integration {
  type: IntegrationType;
  /** Name of a function in `functions`. */
  function?: string;
  /**
   * `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{lambdaArn}/invocations`; for
   * HTTP and HTTP_PROXY the backend's http(s) URL, `{name}` placeholders filled by
   * `integration.request.path.{name}` in `requestParameters`, `${stageVariables.x}` allowed.
   */
  uri?: string;
  /** The integration's own method; Lambda integrations must use POST (the default). HTTP_PROXY: `ANY` sends the client's method. */
  httpMethod?: string;
  /** HTTP and HTTP_PROXY: `INTERNET` (the default) only; a `VPC_LINK` cannot be reached from here. */
  connectionType?: 'INTERNET' | 'VPC_LINK';
  /** 50 – 29000 ms, default 29000. */
  timeoutInMillis?: number;
  passthroughBehavior?: PassthroughBehavior;
  requestTemplates?: Record<string, string>;
  requestParameters?: Record<string, string>;
  integrationResponses?: IntegrationResponse[];
  contentHandling?: ContentHandling;
  cacheKeyParameters?: string[];
  cacheNamespace?: string;
  credentials?: string;
}

export interface MethodResponse {
  statusCode: string;
  responseParameters?: Record<string, boolean>;
  responseModels?: Record<string, string>;
}

export type AuthorizationType = 'NONE' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'AWS_IAM';

/** A method (put-method) on a resource. */
export interface Method {
  integration: Integration;
  authorizationType?: AuthorizationType;
  /** Name of an entry of `authorizers` (CUSTOM and COGNITO_USER_POOLS). */
  authorizer?: string;
  /** COGNITO_USER_POOLS: an access token must carry one of these scopes; without them, an ID token is expected. */
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  /** Name of an entry of `requestValidators`; without one, neither parameters nor body are checked. */
  requestValidator?: string;
  /** `method.request.{path|querystring|header}.{name}` → required (checked by a validator with validateRequestParameters). */
  requestParameters?: Record<string, boolean>;
  /** Content type (or `$default`) → name of an entry of `models` (checked by a validator with validateRequestBody). */
  requestModels?: Record<string, string>;
  methodResponses?: MethodResponse[];
  operationName?: string;
}

export type ResourceMethods = Partial<Record<HttpMethod, Method>>;

/** What the console's "Enable CORS" builds for a resource; `true` takes every default. */
export interface CorsOptions {
  /** `Access-Control-Allow-Origin` (default `*`). */
  allowOrigin?: string;
  /** `Access-Control-Allow-Headers` (default `Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token`). */
  allowHeaders?: string;
  /** `Access-Control-Allow-Methods` (default: the resource's methods and OPTIONS). */
  allowMethods?: string;
  /** Also put `Access-Control-Allow-Origin` on the DEFAULT_4XX and DEFAULT_5XX gateway responses. */
  gatewayResponses?: boolean;
}

/** A resource: its methods, and optionally CORS. */
export type ResourceDefinition = ResourceMethods & { cors?: boolean | CorsOptions };

/** A Lambda authorizer (create-authorizer, type TOKEN or REQUEST); `function` or a Lambda `uri` names the function. */
export interface LambdaAuthorizer {
  type: 'TOKEN' | 'REQUEST';
  function?: string;
  /** The authorizer's `authorizerUri`, as an integration's `uri`. */
  uri?: string;
  /** TOKEN: one header (default `method.request.header.Authorization`); REQUEST: a comma-separated list. */
  identitySource?: string;
  /** TOKEN only: a regular expression the token must match, else 401 without invoking. */
  identityValidationExpression?: string;
  /** Result cache TTL in seconds, 0 – 3600 (default 300; 0 disables the cache). */
  authorizerResultTtlInSeconds?: number;
}

/** A Cognito user-pool authorizer. */
export interface CognitoAuthorizer {
  type: 'COGNITO_USER_POOLS';
  /** `arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`. */
  providerARNs: string[];
  /** Default `method.request.header.Authorization`. */
  identitySource?: string;
  authorizerResultTtlInSeconds?: number;
}

export type Authorizer = LambdaAuthorizer | CognitoAuthorizer;

/** Where a user pool's signing keys come from: a JWKS object, a path to a JSON file, or an https URL. */
export interface UserPoolKeys {
  jwks: { keys: Record<string, unknown>[] } | string;
}

/** A model (create-model): a JSON Schema draft 4 object; `$ref` another model as `https://apigateway.amazonaws.com/restapis/{apiId}/models/{Name}`. */
export type ModelSchema = Record<string, unknown>;

/** A request validator (create-request-validator); both flags default to false. */
export interface RequestValidatorDefinition {
  validateRequestBody?: boolean;
  validateRequestParameters?: boolean;
}

/** A gateway response (put-gateway-response). */
export interface GatewayResponse {
  statusCode?: string;
  /** `gatewayresponse.header.X` → `'static'`, `method.request.header.x`, `stageVariables.x`, `context.x`… */
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

/** An API key (create-api-key); a bare string in `apiKeys` is a key value. */
export interface ApiKey {
  /** Default: derived from the value. */
  id?: string;
  name?: string;
  value: string;
  /** Default true; a disabled key is refused as an unknown one is. */
  enabled?: boolean;
}

/** Requests per second refilled, and the bucket size. */
export interface ThrottleSettings {
  rateLimit: number;
  burstLimit: number;
}

/** A usage plan (create-usage-plan) for this stage, with its keys. */
export interface UsagePlan {
  name: string;
  /** Key values, ids or names from `apiKeys`. */
  apiKeys: string[];
  throttle?: ThrottleSettings;
  /** Requests per period: DAY, WEEK (from Sunday) or MONTH, in UTC; `offset` requests are taken off the first period's limit. */
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number };
  /** `'/pets/GET'` (resource path + `/` + method) → a throttle of its own for that method. */
  methodThrottle?: Record<string, ThrottleSettings>;
}

/** Stage method settings (update-stage `/{resourcePath}/{httpMethod}/throttling/*`); `*` matches any. */
export interface MethodSetting {
  resourcePath: string;
  httpMethod: string;
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  /** Execution logging: `OFF` (default), `ERROR` or `INFO`, as the stage's `loggingLevel`. */
  loggingLevel?: 'OFF' | 'ERROR' | 'INFO';
  /** Execution logs include full request and response data (`dataTraceEnabled`). */
  dataTraceEnabled?: boolean;
  /** CloudWatch metrics for this method (`metricsEnabled`, detailed metrics). */
  metricsEnabled?: boolean;
}

/** An IAM principal that may sign requests to AWS_IAM methods. */
export interface AwsCredential {
  secretAccessKey: string;
  /** `arn:aws:iam::{account}:user/{name}` or `arn:aws:sts::{account}:assumed-role/{role}/{session}`. */
  userArn: string;
  /** Required with temporary (`ASIA…`) keys. */
  sessionToken?: string;
  /** `requestContext.identity.caller`/`user` (default: derived from the ARN). */
  caller?: string;
}

/**
 * Where access-log lines go: a function given each line, a logger (`info(line)`: pino, console),
 * or a writable stream (one `write` per line, newline-terminated).
 */
export type AccessLogDestination =
  | ((line: string) => void)
  | { write(chunk: string): unknown }
  | { info(line: string): void };

/** A stage's access logging (update-stage `accessLogSettings`). */
export interface AccessLogSettings {
  /**
   * One line of `$context` variables, as AWS takes it (must include `$context.requestId` or
   * `$context.extendedRequestId`). Optional only when a definition's stage gives it.
   */
  format?: string;
  /** Default: standard output, one line per request. */
  destination?: AccessLogDestination;
}

/** The part of an OpenTelemetry `Meter` (`@opentelemetry/api`) the gateway uses; a real Meter fits. */
export interface MetricsMeter {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: Record<string, string>): void };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): { record(value: number, attributes?: Record<string, string>): void };
}

/** One stage of the API (create-stage / `AWS::ApiGateway::Stage`): what differs between stages. */
export interface Stage {
  /** Stage variables: `stageVariables` in events, `$stageVariables` in templates, `${stageVariables.x}` in a Lambda `uri`. */
  variables?: Record<string, string>;
  /** This stage's throttles and execution logging (default: the top-level `methodSettings`). */
  methodSettings?: MethodSetting[];
  /** This stage's access log, over the top-level `accessLogSettings` (default: those). */
  accessLogSettings?: AccessLogSettings;
  /** `requestContext.deploymentId` and `$context.deploymentId` (default: derived from the API and stage). */
  deploymentId?: string;
  description?: string;
}

/** The stage's CloudWatch metrics, exported through OpenTelemetry. */
export interface MetricsOptions {
  /** `metrics.getMeter('…')` of an app that set up an OpenTelemetry MeterProvider. */
  meter: MetricsMeter;
  /** The `ApiName` dimension (default: the restApiId). */
  apiName?: string;
}

/** Logger shape that `console` and pino both satisfy. */
export interface Logger {
  debug?(...args: unknown[]): void;
  info?(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface ApiGatewayOptions {
  /** Stage name; requests are served under `/{stageName}` (default `prod`). */
  stageName?: string;
  /** URL prefix; overrides `/{stageName}`. `''` serves at the root, as a custom domain mapping does. */
  basePath?: string;
  /**
   * As the REST API setting: only custom domains (`customDomains()`) serve the API; a request to
   * its own base path (the execute-api URL) is answered 403 `{"message":"Forbidden"}`.
   */
  disableExecuteApiEndpoint?: boolean;
  stageVariables?: Record<string, string>;
  /**
   * Several stages served by one gateway, each under `/{stageName}` with its own variables,
   * method settings (throttles, execution logging), access log and authorizer cache; a path
   * under none passes on. Replaces `stageName`, `stageVariables` and `basePath`.
   */
  stages?: Record<string, Stage>;
  binaryMediaTypes?: string[];
  /** Lambda function name → handler, or a full definition. */
  functions?: Record<string, LambdaHandler | FunctionDefinition>;
  /** Resource path (`/`, `/items/{id}`, `/files/{proxy+}`) → methods (and `cors`); required unless a definition gives them. */
  resources?: Record<string, ResourceDefinition>;
  /** An OpenAPI 3 / Swagger 2 definition with `x-amazon-apigateway-*` extensions: a path, or the document itself. */
  openapi?: string | Record<string, unknown>;
  /** A SAM or CloudFormation template (`cdk synth` output included): a path, or the template itself. */
  template?: string | Record<string, unknown>;
  /** A Serverless Framework `serverless.yml` (v3/v4 `http` events): a path, or the parsed document. */
  serverless?: string | Record<string, unknown>;
  /** CloudFormation `Parameters` values for a `template` (over their defaults). */
  parameterOverrides?: Record<string, string>;
  /**
   * The stack a `template` stands for (default `local`, as `sam local`): `AWS::StackName`, and
   * the first part of the names CloudFormation generates for unnamed resources
   * (`{stackName}-{LogicalId}-{SUFFIX}`, the suffix derived from both, so names are stable).
   */
  stackName?: string;
  /** `Fn::ImportValue` export name → value, for a definition that imports another stack's output (an authorizer's ARN). */
  importValues?: Record<string, string>;
  /**
   * Serve a definition whose restrictions cannot be enforced here (an authorizer defined outside
   * it, a PRIVATE endpoint, an OpenAPI scheme REST APIs lack) with those restrictions dropped;
   * each method opened is logged. Without it such a definition refuses to start.
   */
  serveUnenforcedGuardsOpen?: boolean;
  /** Let a definition's OpenAPI `$ref`s fetch http(s) URLs, loopback and private addresses included (default `false`: refused; files are read only under the definition's folder either way). */
  allowRemoteRefs?: boolean;
  /** Authorizer name → authorizer, referenced by methods' `authorizer`. */
  authorizers?: Record<string, Authorizer>;
  /**
   * Bytes of memory the authorizer result cache may hold, for all the API's Lambda and Cognito
   * authorizers together (default 67108864, 64 MiB). Keys are client tokens, so the budget is
   * in bytes: past it, the least recently used results are evicted and their next request calls
   * the authorizer again. 0 caches nothing.
   */
  authorizerCacheSizeInBytes?: number;
  /** Cognito user pool id (`us-east-1_ABC123`) → its signing keys. */
  userPools?: Record<string, UserPoolKeys>;
  /** Model name → JSON Schema draft 4, referenced by methods' `requestModels`. */
  models?: Record<string, ModelSchema>;
  /** Request validator name → which checks it makes, referenced by methods' `requestValidator`. */
  requestValidators?: Record<string, RequestValidatorDefinition>;
  /** Gateway response type (`UNAUTHORIZED`, `DEFAULT_4XX`, …) → override. */
  gatewayResponses?: Record<string, GatewayResponse>;
  /** Access key id (any word a SigV4 Credential carries: `AKIA…`, `AKIDEXAMPLE`, `test`) → secret and principal, for AWS_IAM methods. */
  awsCredentials?: Record<string, AwsCredential>;
  /**
   * The API's resource policy (IAM policy document, object or JSON text), evaluated for
   * `execute-api:Invoke` on every method, combined with its authorizationType as AWS does.
   */
  resourcePolicy?: Record<string, unknown> | string;
  /**
   * Values for condition keys a local gateway cannot know (`aws:SourceVpce`, `aws:SourceVpc`,
   * `aws:PrincipalOrgID`, …), so statements using them can be evaluated; `null` = absent from
   * every request. `aws:SecureTransport` may be forced too (TLS ended by a proxy in front).
   */
  resourcePolicyContext?: Record<string, string | null>;
  /** Where the API key of an `apiKeyRequired` method comes from: the `x-api-key` header, or the authorizer's `usageIdentifierKey`. */
  apiKeySource?: 'HEADER' | 'AUTHORIZER';
  apiKeys?: (string | ApiKey)[];
  /** Without usage plans, every enabled key in `apiKeys` is valid and unlimited. */
  usagePlans?: UsagePlan[];
  methodSettings?: MethodSetting[];
  /** Where throttle buckets and quota counts live: in memory (default), Redis shared by every instance (`{ redis, keyPrefix }`), or a store of your own. */
  store?: UsageStoreOption;
  /** Milliseconds since the epoch; every TTL, expiry and signature date reads it (default `Date.now`). */
  clock?: () => number;
  /**
   * Request body bytes held at once across all requests (default 100 MB, at least 10 MB). A body
   * is read only after the guards that need none let it in; past this bound a request is answered
   * 429 Too Many Requests (the THROTTLED gateway response) instead of being buffered.
   */
  maxBufferedBodyBytes?: number;
  /**
   * Access logging: each answered request writes one line in `format` (AWS's `$context`
   * variables; absent values log `-`) to `destination`. Off by default.
   */
  accessLogSettings?: AccessLogSettings;
  /**
   * The stage's CloudWatch metrics (Count, 4XXError, 5XXError, Latency, IntegrationLatency,
   * CacheHitCount, CacheMissCount) recorded on an OpenTelemetry meter; dimensions ApiName and
   * Stage, plus Method and Resource where a methodSetting turns on `metricsEnabled`. Off by default.
   */
  metrics?: MetricsOptions;
  /**
   * Credentials that sign AWS service integrations' requests (SigV4). Default: the environment
   * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the AWS_PROFILE (or
   * `default`) profile of ~/.aws/credentials. An integration's `credentials` role is not assumed.
   */
  awsServiceCredentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Endpoint per service, keyed as the integration uri names the service
   * (`{ dynamodb: 'http://127.0.0.1:8000', s3: … }`); wins over AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL.
   */
  awsEndpoints?: Record<string, string>;
  /** Identity of the emulated API, used in events, ARNs and `$context`. */
  restApiId?: string;
  accountId?: string;
  region?: string;
  logger?: Logger;
  /**
   * Where the stage's execution log goes, one `({requestId}) {message}` line per call (`info`, or
   * `error` for a failure's lines), for the methods `methodSettings` gives a `loggingLevel` of
   * `ERROR` or `INFO` (default: `logger`).
   */
  executionLogger?: Logger;
  /**
   * Catch what a handler throws after its call returned (from a timer, or a promise rejection
   * nobody awaits) instead of letting it end the process: it is logged as the Lambda runtime logs
   * it, and fails its request when that is still open. Installs process-wide `uncaughtException`
   * and `unhandledRejection` listeners until `close()`; errors from outside any invocation are
   * left to the host's own listeners, or end the process as before. Default true, so that no
   * handler can end the server; `false` leaves every error to the host app.
   */
  catchHandlerErrors?: boolean;
  /**
   * Capture each function's log as Lambda writes it: `console.*` calls made inside an invocation
   * (and a module's Init) become `{time}\t{requestId}\t{LEVEL}\t{message}` lines, or JSON records
   * (`loggingConfig.logFormat`), with START, END and REPORT around each invocation. Calls outside
   * any invocation are untouched. Off by default (then handlers' `console.*` prints as usual);
   * `apigw-express serve` prints them on the terminal.
   */
  functionLogs?: FunctionLogsOptions;
  /**
   * A path outside the stage (`/healthz`) answering GET and HEAD with 200 `{"status":"ok"}` while
   * serving and 503 before `ready` and from `close()` on, for a load balancer's health check.
   * Not an API Gateway feature: AWS has no such endpoint.
   */
  healthPath?: string;
  /**
   * Where functions given by `Handler` string run (inline handlers always run in-process):
   * `process`, each in execution environments of its own as on Lambda; `none` (default), in
   * this process, fastest for tests. A function's own `isolation` overrides it.
   */
  isolation?: Isolation;
}

export type { Context };

/** Options once a definition (`openapi`, `template`, `serverless`) has been read into resources. */
export type ResolvedOptions = ApiGatewayOptions & { resources: Record<string, ResourceDefinition> };

/**
 * Where usage plans keep their throttling buckets and quota counters. The gateway calls one
 * store for every API key; the default lives in memory, `{ redis }` shares it across processes,
 * and any object with these two methods can stand in (a DynamoDB or Postgres one, say).
 *
 * Both methods reject with `StoreUnavailableError` when the counts cannot be read or written;
 * the gateway then answers 500 for that request rather than let it through unmetered.
 * @example
 * const store = createUsageStore({ redis: 'redis://127.0.0.1:6379', keyPrefix: 'apigw:' }, Date.now);
 * const window = quotaPeriod('MONTH', Date.now());
 * if (!(await store.takeToken('key-1', 10, 20))) throw new GatewayError('THROTTLED');
 * if (!(await store.useQuota('key-1', 5000, window)).allowed) throw new GatewayError('QUOTA_EXCEEDED');
 */
export interface UsageStore {
  /**
   * Takes one token from the bucket `key`: the bucket holds at most `burstLimit` tokens, starts
   * full and refills at `rateLimit` tokens per second. Resolves `false` when it is empty.
   */
  takeToken(key: string, rateLimit: number, burstLimit: number): Promise<boolean>;
  /**
   * Counts one use of quota `key` in `window` when fewer than `limit` were counted there; a
   * refused use is not counted. `used` is the count after this call.
   */
  useQuota(key: string, limit: number, window: QuotaWindow): Promise<QuotaUse>;
  /** Releases connections; the store refuses further calls. */
  close?(): Promise<void>;
}

/** One quota period, `[start, end)` in ms since the epoch (see `quotaPeriod`). */
export interface QuotaWindow {
  start: number;
  end: number;
}

export interface QuotaUse {
  allowed: boolean;
  used: number;
}

/**
 * ioredis connection options (`new Redis(options)`), e.g. `{ host, port, password, db, tls }`.
 * Typed loosely so that apps without ioredis installed still type-check.
 */
export interface RedisConnectionOptions {
  host?: string;
  port?: number;
  path?: string;
  username?: string;
  password?: string;
  db?: number;
  [option: string]: unknown;
}

/** The gateway's `store` option: memory when absent, Redis with `redis`, or your own store. */
export type UsageStoreOption =
  | {
      /** `redis://…` URL or ioredis options; requires the optional peer dependency `ioredis`. */
      redis?: string | RedisConnectionOptions;
      /** Prepended to every Redis key; default `apigw:`. */
      keyPrefix?: string;
    }
  | UsageStore;

/** Milliseconds since the epoch; the gateway's clock, so tests can move time. */
