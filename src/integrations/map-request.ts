import type { ContentHandling, PassthroughBehavior } from '../config/types.js';
import type { GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { mediaTypeOf } from '../http/media-type.js';
import { GatewayError } from '../responses/gateway-error.js';
import type { CompiledTemplate, TemplateScope } from '../vtl/compile-template.js';
import type { ApiRuntime } from './compiled-integration.js';
import { selectRequestTemplate } from './select-template.js';
import { toTemplateScope } from './template-scope.js';

/** The integration request's mapping settings, compiled once. */
export interface RequestMapping {
  passthroughBehavior: PassthroughBehavior;
  requestTemplates: Map<string, CompiledTemplate>;
  contentHandling: ContentHandling | undefined;
}

/** The integration request payload, and the scope its template ran in (response templates reuse it). */
export interface MappedRequest {
  text: string;
  scope: TemplateScope;
}

/**
 * Request side shared by AWS and MOCK: the template chosen by Content-Type, or passthrough, or
 * the 415 the passthrough behaviour demands; a template that fails to render is a 500.
 */
export function mapRequest(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiRuntime,
  mapping: RequestMapping,
): MappedRequest | GatewayError {
  const mediaType = mediaTypeOf(req.headers.lower.get('content-type'));
  const choice = selectRequestTemplate(mapping.requestTemplates, mediaType, mapping.passthroughBehavior);
  if (choice.kind === 'unsupported') return new GatewayError('UNSUPPORTED_MEDIA_TYPE');
  let body: string;
  if (req.body.length > 0 && api.isBinary(mediaType)) {
    // Templates only see text: a binary payload needs CONVERT_TO_TEXT (base64) to be mapped.
    if (mapping.contentHandling === 'CONVERT_TO_TEXT') body = req.body.toString('base64');
    else if (choice.kind === 'template') return new GatewayError('API_CONFIGURATION_ERROR');
    else body = req.body.toString('latin1');
  } else if (mapping.contentHandling === 'CONVERT_TO_BINARY') {
    body = Buffer.from(req.body.toString('utf8'), 'base64').toString('latin1');
  } else {
    body = req.body.toString('utf8');
  }
  const scope = toTemplateScope(req, route, api.identity, body);
  if (choice.kind === 'passthrough') return { text: body, scope };
  try {
    return { text: choice.template.render(scope), scope };
  } catch (error) {
    api.logger.error(
      'Execution failed due to configuration error: Unable to transform request:',
      (error as Error).message,
    );
    return new GatewayError('API_CONFIGURATION_ERROR');
  }
}
