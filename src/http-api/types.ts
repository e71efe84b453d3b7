import type { FunctionDefinition, LambdaHandler, Logger } from '../config/types.js';

/** `AWS_PROXY` to a Lambda function, as `AWS::ApiGatewayV2::Integration` spells it. */
export interface HttpIntegration {
  /** The name of a function in `functions`. */
  function: string;
  /** The event and result contract (default `2.0`). */
  payloadFormatVersion?: '2.0' | '1.0';
  /** 50–30000 (default 30000); past it the client gets 503. */
  timeoutInMillis?: number;
}

/** One route: its key (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`) names it in `routes`. */
export interface HttpRoute {
  integration: HttpIntegration;
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
  /** Template parameter values over their `Default`s. */
  parameterOverrides?: Record<string, string>;
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
}
