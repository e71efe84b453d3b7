import type { Integration, Method } from '../../config/types.js';
import type { CompiledIntegration } from '../compiled-integration.js';
import { compileIntegrationResponses, compileTemplates } from '../integration-responses.js';
import { HttpIntegration } from './http-integration.js';
import { HttpProxyIntegration } from './http-proxy-integration.js';
import type { HttpTarget } from './http-target.js';
import { compileUri } from './http-uri.js';
import { compileParameterMappings } from './request-parameters.js';

/** `type: 'HTTP' | 'HTTP_PROXY'` (already validated) → the integration that calls the backend. */
export function compileHttpIntegration(
  route: string,
  method: Method,
  timeoutMs: number,
): CompiledIntegration {
  const integration: Integration = method.integration;
  const target: HttpTarget = {
    uri: compileUri(integration.uri as string, `${route}: integration`),
    httpMethod: String(integration.httpMethod).toUpperCase(),
    mappings: compileParameterMappings(integration.requestParameters),
    timeoutMs,
  };
  if (integration.type === 'HTTP_PROXY') return new HttpProxyIntegration(target);
  return new HttpIntegration({
    target,
    passthroughBehavior: integration.passthroughBehavior ?? 'WHEN_NO_MATCH',
    requestTemplates: compileTemplates(
      integration.requestTemplates,
      `${route}: integration.requestTemplates`,
    ),
    contentHandling: integration.contentHandling,
    responses: compileIntegrationResponses(route, integration.integrationResponses, method.methodResponses),
  });
}
