import type {
  FunctionDefinition,
  LambdaHandler,
  Logger,
  ThrottleSettings,
  UsageStoreOption,
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
}

export interface HttpApiOptions {
  /** Lambda function name → handler, or a full definition (a `Handler` string under `codeUri`). */
  functions?: Record<string, LambdaHandler | FunctionDefinition>;
  /** Route key (`METHOD /path`, `ANY /path`, `$default`) → its integration. */
  routes: Record<string, HttpRoute>;
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
}
