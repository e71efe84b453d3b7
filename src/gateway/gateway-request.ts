import type { RequestAuth } from '../auth/guard.js';
import type { EventHeaders } from '../http/event-headers.js';
import type { QueryParameters } from '../http/parse-query.js';
import type { RequestSeed } from './request-seed.js';

/** One HTTP request as API Gateway sees it: plain data, read once from the socket. */
export interface GatewayRequest {
  httpMethod: string;
  /** The event's `path`: after the stage, leading slashes collapsed, percent-escapes kept. */
  path: string;
  /** `requestContext.path`: the URL path exactly as sent, stage included. */
  requestPath: string;
  query: QueryParameters | null;
  /** The query string as sent (after `?`, undecoded): a SigV4 signature covers these bytes. */
  rawQuery?: string;
  headers: EventHeaders;
  /** Node's `rawHeaders` (names as sent, in order), before the gateway adds its own. */
  rawHeaders?: readonly string[];
  body: Buffer;
  sourceIp: string;
  protocol: string;
  seed: RequestSeed;
  /** Set by the method's guard once it let the request in. */
  auth?: RequestAuth;
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
