import type { ApiGatewayOptions, Logger } from '../config/types.js';
import type { ApiIdentity, GatewayRequest, RequestAuth, RouteMatch } from '../http/gateway-request.js';
import type { ApiRuntime } from '../integrations/compiled-integration.js';
import type { LambdaFunction } from '../lambda/context.js';
import type { GatewayError } from '../responses/gateway-error.js';

/** A method's guard (its authorizationType), compiled once: lets a request in, or answers for API Gateway. */
export interface MethodGuard {
  authorize(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<RequestAuth | GatewayError>;
  /**
   * True when `authorize` reads `req.body` (a SigV4 signature over the payload's hash); the
   * payload is then read first. Other guards run before it is read, so a refused request never
   * gets its body buffered.
   */
  readsBody?(req: GatewayRequest): boolean;
}

/** What compiling guards needs from the rest of startup. */
export interface GuardContext {
  options: ApiGatewayOptions;
  functions: Map<string, LambdaFunction>;
  identity: ApiIdentity;
  logger: Logger;
  now: () => number;
}

export type { RequestAuth };
