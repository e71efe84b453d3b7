import type { GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { firstAcceptType } from '../http/media-type.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { ApiRuntime, CompiledIntegration, IntegrationOutcome } from './compiled-integration.js';
import {
  type CompiledIntegrationResponse,
  renderMethodResponse,
  selectIntegrationResponse,
} from './integration-responses.js';
import { mapRequest, type RequestMapping } from './map-request.js';

export interface MockIntegrationConfig extends RequestMapping {
  responses: CompiledIntegrationResponse[];
}

// AWS also accepts the CDK-style `{statusCode: 200}` (unquoted key), so read the number directly.
const STATUS_CODE = /^\s*\{[\s\S]*?["']?statusCode["']?\s*:\s*(-?\d+)\s*[,}]/;

/** The status a MOCK request template asks for, or undefined when it gives no integer. */
export function mockStatusCode(rendered: string): number | undefined {
  try {
    const parsed = JSON.parse(rendered) as { statusCode?: unknown };
    return Number.isInteger(parsed?.statusCode) ? (parsed.statusCode as number) : undefined;
  } catch {
    const match = STATUS_CODE.exec(rendered);
    return match ? Number(match[1]) : undefined;
  }
}

/** `type: 'MOCK'`: the request template's statusCode selects the integration response; no backend. */
export class MockIntegration implements CompiledIntegration {
  constructor(private readonly config: MockIntegrationConfig) {}

  async execute(req: GatewayRequest, route: RouteMatch, api: ApiRuntime): Promise<IntegrationOutcome> {
    const payload = mapRequest(req, route, api, this.config);
    if (payload instanceof GatewayError) return payload;
    const { scope } = payload;
    req.trace?.mockRequest(payload.text);
    // With no template at all there is nothing to ask for a status: the default response answers.
    const statusCode = this.config.requestTemplates.size === 0 ? 200 : mockStatusCode(payload.text);
    if (statusCode === undefined) {
      req.trace?.error(
        'Execution failed due to configuration error: Unable to parse statusCode. It should be an integer that is defined in the request template.',
      );
      api.logger.error(
        'Execution failed: Unable to parse statusCode. It should be an integer that is defined in the request template.',
      );
      return new GatewayError('API_CONFIGURATION_ERROR');
    }
    const selected = selectIntegrationResponse(this.config.responses, String(statusCode));
    if (!selected) return new GatewayError('API_CONFIGURATION_ERROR');
    // A mock has no backend payload: without a response template the body is empty.
    const response = renderMethodResponse(
      selected,
      { payload: '', headers: new Map() },
      scope,
      firstAcceptType(req.headers.lower.get('accept')),
    );
    if (response instanceof GatewayError) return response;
    return { response, traced: false };
  }
}
