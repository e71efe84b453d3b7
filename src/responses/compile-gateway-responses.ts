import { validateHeaderValue } from 'node:http';
import type { GatewayResponse } from '../config/types.js';
import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { firstAcceptType } from '../http/media-type.js';
import { compileTemplates } from '../integrations/integration-responses.js';
import { toTemplateContext, toTemplateParams } from '../integrations/template-scope.js';
import type { CompiledTemplate, TemplateScope } from '../vtl/compile-template.js';
import type { GatewayError } from './gateway-error.js';
import { toWireHeaderValue } from './header-value.js';
import type { HttpResponse } from './http-response.js';
import { HEADER_TARGET } from './validate-gateway-responses.js';

type HeaderSource =
  | { kind: 'static'; value: string }
  | { kind: 'header' | 'querystring' | 'path' | 'stageVariable'; name: string }
  | { kind: 'context'; keys: string[] };

/** One configured gateway response, compiled once. */
interface CompiledGatewayResponse {
  statusCode: number | undefined;
  headers: [name: string, source: HeaderSource][];
  templates: Map<string, CompiledTemplate>;
}

/** The request a gateway error answers, when there is one; `route` is absent when no resource matched. */
export interface GatewayErrorScope {
  request?: GatewayRequest;
  route?: RouteMatch;
}

// No resource matched: `$context.resourcePath` and `resourceId` have nothing to name.
const NO_ROUTE = { resourcePath: null, resourceId: null, pathParameters: null } as unknown as RouteMatch;

function parseSource(value: string): HeaderSource {
  if (value.startsWith("'")) return { kind: 'static', value: value.slice(1, -1) };
  if (value.startsWith('context.'))
    return { kind: 'context', keys: value.slice('context.'.length).split('.') };
  if (value.startsWith('stageVariables.'))
    return { kind: 'stageVariable', name: value.slice('stageVariables.'.length) };
  const [, , location, name] = value.split('.') as [
    string,
    string,
    'header' | 'querystring' | 'path',
    string,
  ];
  return { kind: location, name: location === 'header' ? name.toLowerCase() : name };
}

function compileResponse(type: string, response: GatewayResponse): CompiledGatewayResponse {
  return {
    statusCode: response.statusCode === undefined ? undefined : Number(response.statusCode),
    headers: Object.entries(response.responseParameters ?? {}).map(([target, source]) => [
      target.slice(HEADER_TARGET.length),
      parseSource(source),
    ]),
    templates: compileTemplates(response.responseTemplates, `gatewayResponses.${type}.responseTemplates`),
  };
}

/** The template for the first Accept type, else application/json, else the first declared. */
function chooseTemplate(
  templates: ReadonlyMap<string, CompiledTemplate>,
  acceptType: string | undefined,
): [string, CompiledTemplate] | undefined {
  if (templates.size === 0) return undefined;
  const exact = acceptType === undefined ? undefined : templates.get(acceptType);
  if (exact !== undefined) return [acceptType as string, exact];
  const json = templates.get('application/json');
  if (json !== undefined) return ['application/json', json];
  return templates.entries().next().value;
}

/**
 * The API's gateway responses, compiled at startup: what each gateway error looks like on the
 * wire. Lookup (D-gwr): the type's own response, else DEFAULT_4XX / DEFAULT_5XX by the error's
 * status class, else the built-in answer; the chosen response replaces the built-in one whole.
 * @example
 * new GatewayResponses({ DEFAULT_4XX: { statusCode: '400' } }, identity)
 *   .render(new GatewayError('MISSING_AUTHENTICATION_TOKEN')) // → 400 {"message":"Missing Authentication Token"}
 */
export class GatewayResponses {
  readonly #responses = new Map<string, CompiledGatewayResponse>();
  /** Whether the built-in ACCESS_DENIED body keeps its capital `Message` (guards §2.1, §10). */
  readonly #capitalAccessDenied: boolean;

  constructor(
    config: Record<string, GatewayResponse> | undefined,
    private readonly identity: ApiIdentity,
  ) {
    for (const [type, response] of Object.entries(config ?? {})) {
      this.#responses.set(type, compileResponse(type, response));
    }
    this.#capitalAccessDenied = !(
      (this.#responses.get('ACCESS_DENIED')?.templates.size ?? 0) > 0 ||
      (this.#responses.get('DEFAULT_4XX')?.templates.size ?? 0) > 0
    );
  }

  #lookup(error: GatewayError): CompiledGatewayResponse | undefined {
    return (
      this.#responses.get(error.responseType) ??
      this.#responses.get(error.statusCode >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX')
    );
  }

  /** The answer for a gateway error; never throws (a template that fails leaves the built-in body). */
  render(error: GatewayError, scope: GatewayErrorScope = {}): HttpResponse {
    const configured = this.#lookup(error);
    let body = error.body;
    if (error.responseType === 'ACCESS_DENIED' && !this.#capitalAccessDenied) {
      body = `{"message":${JSON.stringify(error.errorMessage)}}`;
    }
    let contentType = 'application/json';
    const out = new Map<string, [string, string]>();
    if (configured === undefined) {
      out.set('content-type', ['Content-Type', contentType]);
      if (error.errorType) out.set('x-amzn-errortype', ['x-amzn-ErrorType', error.errorType]);
      return { statusCode: error.statusCode, headers: [...out.values()], body };
    }
    let templateScope: TemplateScope | undefined;
    const chosen = chooseTemplate(
      configured.templates,
      firstAcceptType(scope.request?.headers.lower.get('accept')),
    );
    if (chosen !== undefined) {
      templateScope = this.#scope(error, scope);
      try {
        body = chosen[1].render(templateScope);
        contentType = chosen[0];
      } catch {
        // AWS has no further fallback to answer with: the built-in body stands.
      }
    }
    out.set('content-type', ['Content-Type', contentType]);
    if (error.errorType) out.set('x-amzn-errortype', ['x-amzn-ErrorType', error.errorType]);
    for (const [name, source] of configured.headers) {
      if (source.kind === 'context') templateScope ??= this.#scope(error, scope);
      let value =
        source.kind === 'context'
          ? contextValue((templateScope as TemplateScope).context, source.keys)
          : this.#parameter(source, scope);
      if (value === undefined) continue;
      value = toWireHeaderValue(value);
      try {
        validateHeaderValue(name, value);
      } catch {
        continue; // a value the client or an authorizer put there that no header can carry
      }
      out.set(name.toLowerCase(), [name, value]);
    }
    return { statusCode: configured.statusCode ?? error.statusCode, headers: [...out.values()], body };
  }

  #parameter(
    source: Exclude<HeaderSource, { kind: 'context' }>,
    scope: GatewayErrorScope,
  ): string | undefined {
    switch (source.kind) {
      case 'static':
        return source.value;
      case 'header':
        return scope.request?.headers.lower.get(source.name);
      case 'querystring':
        return scope.request?.query?.single[source.name];
      case 'path':
        return scope.route?.pathParameters?.[source.name];
      case 'stageVariable':
        return this.identity.stageVariables?.[source.name];
    }
  }

  /** `$context` (with `error`), `$input.params()` and `$stageVariables` for a gateway response. */
  #scope(error: GatewayError, scope: GatewayErrorScope): TemplateScope {
    const request = scope.request;
    const route = scope.route ?? NO_ROUTE;
    const context: Record<string, unknown> =
      request === undefined
        ? {
            accountId: this.identity.accountId,
            apiId: this.identity.restApiId,
            deploymentId: this.identity.deploymentId,
            stage: this.identity.stageName,
          }
        : toTemplateContext(request, route, this.identity);
    context.error = {
      message: error.errorMessage,
      messageString: JSON.stringify(error.errorMessage),
      responseType: error.responseType,
      // JSON-escaped but not quoted: templates put it inside their own quotes (FR capture, guards §4).
      validationErrorString:
        error.validationErrorString === undefined
          ? null
          : JSON.stringify(error.validationErrorString).slice(1, -1),
    };
    return {
      body: '',
      params:
        request === undefined ? { path: {}, querystring: {}, header: {} } : toTemplateParams(request, route),
      context,
      stageVariables: this.identity.stageVariables ? { ...this.identity.stageVariables } : {},
    };
  }
}

function contextValue(context: Record<string, unknown>, keys: readonly string[]): string | undefined {
  let value: unknown = context;
  for (const key of keys) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value === undefined || value === null || typeof value === 'object' ? undefined : String(value);
}

/** Built-in answers only: for code that runs before an API is compiled, and for tests. */
export const BUILT_IN_RESPONSES = new GatewayResponses(undefined, {
  restApiId: '',
  accountId: '',
  region: '',
  stageName: '',
  deploymentId: '',
  stageVariables: null,
});
