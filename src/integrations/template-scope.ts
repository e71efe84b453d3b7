import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import type { TemplateParams, TemplateScope } from '../vtl/compile-template.js';
import { toRequestContext } from './proxy.js';

/**
 * `$context` for one request: the request context plus the writable override maps a template
 * may fill (`#set($context.responseOverride.status = 400)`). Fresh per request, never shared.
 */
export function toTemplateContext(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
): Record<string, unknown> {
  const context = toRequestContext(req, route, api) as unknown as Record<string, unknown>;
  // In templates an identity field nobody filled is "" where the proxy event has null: the
  // framework's default template copies each field with #set, and a null would leave the
  // previous field's value in place. Events AWS rendered with it show "" (Serverless docs,
  // events/apigateway "Example LAMBDA event"; logandk/serverless-wsgi tests). apiKey and
  // apiKeyId stay absent (read as null) unless an API key let the request in.
  const identity = context.identity as Record<string, unknown>;
  for (const key of Object.keys(identity)) identity[key] ??= '';
  // $context.customDomain.basePathMatched: only through a custom domain (not in the proxy event).
  if (req.customDomain !== undefined)
    context.customDomain = { basePathMatched: req.customDomain.basePathMatched };
  context.responseOverride = { header: {} };
  context.requestOverride = { header: {}, querystring: {}, path: {} };
  return context;
}

/** `$input.params()`: path, query string and header maps, each name → one value. */
export function toTemplateParams(req: GatewayRequest, route: RouteMatch): TemplateParams {
  return {
    path: route.pathParameters ? { ...route.pathParameters } : {},
    querystring: req.query ? { ...req.query.single } : {},
    header: { ...req.headers.headers },
  };
}

/** The scope a request template renders in; a response template reuses it with the payload as body. */
export function toTemplateScope(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
  body: string,
): TemplateScope {
  return {
    body,
    params: toTemplateParams(req, route),
    context: toTemplateContext(req, route, api),
    stageVariables: api.stageVariables ? { ...api.stageVariables } : {},
  };
}
