import type { Context, Handler } from 'aws-lambda';

/** Methods a resource can declare; `ANY` covers every method without its own entry. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS' | 'ANY';

// biome-ignore lint/suspicious/noExplicitAny: a Lambda handler may take and return anything.
export type LambdaHandler = Handler<any, any>;

/** A Lambda function: its handler plus the settings Lambda itself would hold. */
export interface FunctionDefinition {
  handler: LambdaHandler;
  /** Function timeout in seconds, as Lambda's `Timeout` (default 3). */
  timeout?: number;
  /** Environment variables, merged into `process.env` at startup (existing values win). */
  environment?: Record<string, string>;
  /** `MemorySize` in MB, reported as `context.memoryLimitInMB` (default 128). */
  memorySize?: number;
}

export type IntegrationType = 'AWS_PROXY' | 'AWS' | 'MOCK';
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
  /** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{lambdaArn}/invocations`. */
  uri?: string;
  /** The integration's own method; Lambda integrations must use POST (the default). */
  httpMethod?: string;
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

/** A method (put-method) on a resource. */
export interface Method {
  integration: Integration;
  authorizationType?: 'NONE' | 'CUSTOM' | 'COGNITO_USER_POOLS' | 'AWS_IAM';
  apiKeyRequired?: boolean;
  requestParameters?: Record<string, boolean>;
  requestModels?: Record<string, string>;
  methodResponses?: MethodResponse[];
  operationName?: string;
}

export type ResourceMethods = Partial<Record<HttpMethod, Method>>;

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
  stageVariables?: Record<string, string>;
  binaryMediaTypes?: string[];
  /** Lambda function name → handler, or a full definition. */
  functions?: Record<string, LambdaHandler | FunctionDefinition>;
  /** Resource path (`/`, `/items/{id}`, `/files/{proxy+}`) → methods. */
  resources: Record<string, ResourceMethods>;
  /** Identity of the emulated API, used in events, ARNs and `$context`. */
  restApiId?: string;
  accountId?: string;
  region?: string;
  logger?: Logger;
}

export type { Context };
