import type { GatewayRequest, RouteMatch } from '../gateway/gateway-request.js';
import type { ApiRuntime } from '../integrations/compiled-integration.js';
import type { GatewayError } from '../responses/gateway-error.js';

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

/** A method's guard (its authorizationType), compiled once: lets a request in, or answers for API Gateway. */
export interface MethodGuard {
  authorize(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<RequestAuth | GatewayError>;
}
