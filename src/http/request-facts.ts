import type { InvokeResult } from '../lambda/invoke.js';
import type { RequestAuth, RequestData, RouteMatch } from './request-data.js';

/** An authorization step as access logs see it: `status`, `latency` (ms), `error`. */
export interface StepFacts {
  status: number;
  latency: number;
  error: string | undefined;
}

/**
 * What one request did, for its access-log line and metrics: filled by the pipeline only when
 * access logs or metrics are on (`seed.facts` is absent otherwise, and every hook checks that).
 * Every field is set in the constructor so each record has one shape. `-1` and `undefined`
 * mean "not reached", which the access log renders as `-`.
 */
export class RequestFacts {
  /** The request, once read; routing failures keep it, refusals before it do not log. */
  request: RequestData | undefined = undefined;
  route: RouteMatch | undefined = undefined;
  /** The matched method (`httpMethod` as declared: `ANY` stays `ANY`), for the metric dimensions. */
  methodKey: string | undefined = undefined;
  /** The method response status sent. */
  status = -1;
  /** Bytes of the response payload sent. */
  responseLength = -1;
  /** `$context.error.*` of a gateway response. */
  errorMessage: string | null | undefined = undefined;
  errorResponseType: string | undefined = undefined;
  validationErrorString: string | undefined = undefined;
  /** The method's guard (authorizationType and resource policy) as one step. */
  authorize: StepFacts | undefined = undefined;
  /** Who the caller is (a signature, a token, a Lambda authorizer) established. */
  authenticate: StepFacts | undefined = undefined;
  /** A Lambda or Cognito authorizer's own step. */
  authorizer: StepFacts | undefined = undefined;
  authorizerIntegrationLatency = -1;
  authorizerIntegrationStatus = -1;
  authorizerRequestId: string | undefined = undefined;
  /** The authorizer's result came from its cache (true), was computed (false), or no cache (undefined). */
  authorizerCacheHit: boolean | undefined = undefined;
  /** The backend call: Lambda's own status, the function's status, its latency and request id. */
  integrationLatency = -1;
  integrationServiceStatus = -1;
  integrationStatus = -1;
  integrationRequestId: string | undefined = undefined;
  integrationError: string | undefined = undefined;
  /** When the answer was sent (the `clock`), for `responseLatency`. */
  endedAt = -1;

  constructor(
    /** The `clock` when the request arrived. */
    readonly startedAt: number,
  ) {}

  /** A backend Lambda call: Lambda answers 200 for a function error too, and nothing on a cut-off call. */
  invoked(outcome: InvokeResult, requestId: string, latency: number): void {
    this.integrationLatency = Math.max(0, latency);
    if (outcome.kind === 'integration-timeout') {
      this.integrationError = 'Endpoint request timed out';
      return;
    }
    this.integrationRequestId = requestId;
    this.integrationServiceStatus = 200;
    this.integrationStatus = 200;
    if (outcome.kind !== 'result') this.integrationError = outcome.error.errorMessage;
  }

  /**
   * The method's guard answered. `authorize` is the whole step; `authenticate` is set when a
   * caller was identified, or refused for want of a valid identity.
   */
  guarded(outcome: RequestAuth | GatewayErrorFacts, latency: number): void {
    const refused = outcome instanceof Error;
    const step: StepFacts = {
      status: refused ? outcome.statusCode : 200,
      latency: Math.max(0, latency),
      error: refused ? (outcome.errorMessage ?? undefined) : undefined,
    };
    this.authorize = step;
    const identified = !refused && (outcome.authorizer !== undefined || outcome.identity !== undefined);
    if (identified || (refused && AUTHENTICATION_FAILURES.has(outcome.responseType))) {
      this.authenticate = step;
    }
  }

  /** A Lambda or Cognito authorizer's own step: its answer, and whether its cache served it. */
  authorized(outcome: RequestAuth | GatewayErrorFacts, latency: number): void {
    const refused = outcome instanceof Error;
    this.authorizer = {
      status: refused ? outcome.statusCode : 200,
      latency: Math.max(0, latency),
      error: refused ? (outcome.errorMessage ?? undefined) : undefined,
    };
  }
}

/** What the facts read of a GatewayError (kept structural: this module stays below responses/). */
export interface GatewayErrorFacts extends Error {
  readonly responseType: string;
  readonly statusCode: number;
  readonly errorMessage: string | null;
}

// Refusals for want of a valid identity, as opposed to an identified caller being denied.
const AUTHENTICATION_FAILURES = new Set([
  'UNAUTHORIZED',
  'MISSING_AUTHENTICATION_TOKEN',
  'INVALID_SIGNATURE',
  'EXPIRED_TOKEN',
]);
