import type { Logger } from '../config/types.js';
import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import type { GatewayError } from '../responses/gateway-error.js';
import type { HttpResponse } from '../responses/http-response.js';

/** What every integration may read besides the request: fixed per `apiGateway()` instance. */
export interface ApiRuntime {
  identity: ApiIdentity;
  isBinary: (mediaType: string | undefined) => boolean;
  logger: Logger;
  /** The `clock` option: milliseconds since the epoch. */
  now: () => number;
}

/** The integration's answer; `traced` marks Lambda-integrated results (they carry X-Amzn-Trace-Id). */
export type IntegrationOutcome = { response: HttpResponse; traced: boolean } | GatewayError;

/** An integration compiled at startup: templates parsed, function resolved. */
export interface CompiledIntegration {
  execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome>;
}
