import type { EventHeaders } from './event-headers.js';
import type { QueryParameters } from './parse-query.js';

/** Per-request ids and time, made at the edge so the transforms stay pure. */
export interface RequestIds {
  requestId: string;
  extendedRequestId: string;
  /** `X-Amzn-Trace-Id` of the response: `Root=…;Parent=…;Sampled=…`. */
  traceId: string;
  /** `X-Amzn-Trace-Id` in the event: the Root alone unless the client sent a trace of its own. */
  eventTraceId: string;
  requestTimeEpoch: number;
}

/** One HTTP request as API Gateway sees it: plain data, read once from the socket. */
export interface RequestData {
  httpMethod: string;
  /** The event's `path`: after the stage, leading slashes collapsed, percent-escapes kept. */
  path: string;
  /**
   * `path` as the guards judge it (the methodArn's and the resource policy's): one slash between
   * segments, none at the end. Same resource as `path`, one spelling.
   */
  canonicalPath: string;
  /** `requestContext.path`: the URL path as sent (fragment and scheme://host dropped), stage included. */
  requestPath: string;
  query: QueryParameters | null;
  /** The query string as sent (after `?`, undecoded): a SigV4 signature covers these bytes. */
  rawQuery?: string;
  headers: EventHeaders;
  /** Node's `rawHeaders` (names as sent, in order), before the gateway adds its own. */
  rawHeaders?: readonly string[];
  /** Empty until the guards let the request in, unless a guard needs it (a signed payload hash). */
  body: Buffer;
  sourceIp: string;
  protocol: string;
  seed: RequestIds;
  /** Set by the method's guard once it let the request in. */
  auth?: RequestAuth;
  /** Set when a custom domain's base path mapping led here: `requestContext.domainName`, `$context.customDomain`. */
  customDomain?: { domainName: string; basePathMatched: string };
}

/** Who the emulated API is: fixed for an `apiGateway()` instance. */
export interface ApiIdentity {
  restApiId: string;
  accountId: string;
  region: string;
  stageName: string;
  deploymentId: string;
  stageVariables: Record<string, string> | null;
}

/** The matched resource and method, as the event names them. */
export interface RouteMatch {
  resourcePath: string;
  resourceId: string;
  pathParameters: Record<string, string> | null;
}

/**
 * Who the request was let in as, for the event and `$context`: `authorizer` becomes
 * `requestContext.authorizer` (Lambda authorizer: principalId, context values, integrationLatency;
 * Cognito: `claims`), `identity` fields overwrite `requestContext.identity`'s (AWS_IAM: accessKey,
 * accountId, caller, user, userArn).
 */
export interface RequestAuth {
  authorizer?: Record<string, unknown>;
  identity?: Record<string, string | null>;
  /** A Lambda authorizer's `usageIdentifierKey`: the API key when `apiKeySource` is AUTHORIZER. */
  usageIdentifierKey?: string;
}
