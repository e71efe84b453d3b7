import type { GatewayRequest } from '../../http/gateway-request.js';
import { GatewayError } from '../../responses/gateway-error.js';
import type { ApiRuntime } from '../compiled-integration.js';
import type { OutboundOutcome } from './http-client.js';

/**
 * The answer when the backend gave none. A timeout is 504 "Endpoint request timed out" (execution
 * log "Execution failed due to a timeout error", per
 * https://repost.aws/knowledge-center/api-gateway-504-errors). Anything else (refused, reset, no
 * such host, a bad certificate, a reply that is not HTTP) is 500 "Internal server error", logged as
 * "Execution failed due to configuration error: {reason}" as AWS logs a certificate it refuses
 * (https://repost.aws/knowledge-center/api-gateway-ssl-certificate-backend) or a target that does
 * not listen (https://repost.aws/knowledge-center/api-gateway-500-error-vpc).
 */
export function backendFailure(
  outcome: Exclude<OutboundOutcome, { kind: 'response' }>,
  req: GatewayRequest,
  api: ApiRuntime,
  url: string,
  timeoutMs: number,
): GatewayError {
  if (outcome.kind === 'timeout') {
    const facts = req.seed.facts;
    if (facts !== undefined) facts.integrationError = 'Endpoint request timed out';
    req.trace?.error('Execution failed due to a timeout error');
    api.logger.error(
      `Execution failed due to a timeout error: ${url} gave no answer within the integration timeout of ${timeoutMs} ms (timeoutInMillis)`,
    );
    return new GatewayError('INTEGRATION_TIMEOUT');
  }
  const line = `Execution failed due to configuration error: ${outcome.reason}`;
  const facts = req.seed.facts;
  if (facts !== undefined) facts.integrationError = outcome.reason;
  req.trace?.error(line);
  api.logger.error(`${line} (${url})`);
  return new GatewayError('API_CONFIGURATION_ERROR');
}
