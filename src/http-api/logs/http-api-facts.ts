import type { IncomingMessage } from 'node:http';
import type { InvokeResult } from '../../lambda/invoke.js';
import type { RouteAuthResult } from '../auth/route-auth.js';
import type { HttpApiResponse } from '../from-result.js';
import { HTTP_API_ERRORS, type HttpApiErrorType } from '../http-api-errors.js';
import type { HttpApiRequest } from '../to-event-v2.js';

// The refusal's message, as the client reads it in the body.
const REFUSALS = {
  UNAUTHORIZED: 'Unauthorized',
  FORBIDDEN: 'Forbidden',
  INTERNAL_SERVER_ERROR: 'Internal Server Error',
} as const;

/**
 * What one HTTP API request did, for its access-log line and metrics. Made only while one of
 * them is on; every field is set here so each record has one shape. `-1` and `undefined` mean
 * "not reached", which the access log renders as `-`.
 */
export class HttpApiFacts {
  /** `apigw-requestid`; empty until the request is inside the stage. */
  requestId = '';
  requestTimeEpoch = -1;
  /** Once read (a route matched and the body arrived). */
  request: HttpApiRequest | undefined = undefined;
  /** The matched route, also for requests refused before their body was read. */
  routeKey: string | undefined = undefined;
  /** The integration's answer, after response mapping; absent when the gateway answered itself. */
  response: HttpApiResponse | undefined = undefined;
  /** The status sent. */
  status = -1;
  /** The function's own status: its result's, before response mapping. */
  integrationStatus = -1;
  /** The gateway's own answer (§7), when it gave one. */
  errorType: HttpApiErrorType | undefined = undefined;
  /** `requestContext.authorizer` of payload 2.0: `{ jwt }`, `{ lambda }` or `{ iam }`. */
  authorizer: Record<string, unknown> | undefined = undefined;
  /** A Lambda authorizer's `principalId` (IAM policy answers). */
  principalId: unknown = undefined;
  authorizerError: string | undefined = undefined;
  integrationLatency = -1;
  /** Lambda's own status (200 even for a function error). */
  integrationServiceStatus = -1;
  integrationRequestId: string | undefined = undefined;
  integrationError: string | undefined = undefined;
  /** When the answer was sent (the `clock`), for `responseLatency` and `Latency`. */
  endedAt = -1;

  constructor(
    /** The `clock` when the request arrived. */
    readonly startedAt: number,
    readonly req: IncomingMessage,
  ) {}

  /** Bytes of the payload sent: the integration's body, or the gateway's own answer. */
  responseLength(): number | undefined {
    if (this.response !== undefined) return Buffer.byteLength(this.response.body);
    if (this.errorType !== undefined) return HTTP_API_ERRORS[this.errorType].body.length;
    return this.status < 0 ? undefined : 0;
  }

  /** Bytes in and out (UNCONFIRMED: AWS says only "the amount of data processed in bytes"). */
  dataProcessed(): number | undefined {
    const out = this.responseLength();
    return out === undefined ? undefined : (this.request?.body.length ?? 0) + out;
  }

  authorized(auth: RouteAuthResult | undefined): void {
    if (auth === undefined) return;
    if (auth.kind === 'allow') {
      this.authorizer = auth.v2;
      if (auth.v2.lambda !== undefined) this.principalId = auth.v1?.principalId;
    }
    // The refusal's message; AWS writes a longer reason for a Lambda authorizer that misbehaves
    // (dev.classmethod.jp, "$context.authorizer.error"), not reproduced here.
    else this.authorizerError = REFUSALS[auth.type];
  }

  /** The integration's answer, as the function gave it (mapping may still change it). */
  answered(response: HttpApiResponse): void {
    this.response = response;
    this.integrationStatus = response.statusCode;
  }

  /** The backend Lambda call: Lambda answers 200 for a function error too, nothing on a cut-off call. */
  invoked(outcome: InvokeResult, requestId: string, latency: number): void {
    this.integrationLatency = Math.max(0, latency);
    if (outcome.kind === 'integration-timeout') {
      this.integrationError = 'Endpoint request timed out';
      return;
    }
    this.integrationRequestId = requestId;
    // Past reservedConcurrency Lambda itself answers 429 TooManyRequestsException.
    this.integrationServiceStatus = outcome.kind === 'throttled' ? 429 : 200;
    // The function's errorMessage, as REST stages log it; AWS's exact HTTP API wording is UNCONFIRMED.
    if (outcome.kind !== 'result') this.integrationError = outcome.error.errorMessage;
  }
}
