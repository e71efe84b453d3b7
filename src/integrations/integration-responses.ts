import { ConfigError } from '../config/config-error.js';
import type { ContentHandling, IntegrationResponse, MethodResponse } from '../config/types.js';
import { decodeBase64 } from '../http/decode-base64.js';
import { GatewayError } from '../responses/gateway-error.js';
import { toWireHeaderValue } from '../responses/header-value.js';
import type { HttpResponse } from '../responses/http-response.js';
import { AWS_REMAPPED, remapHeaderName } from '../responses/remap-headers.js';
import { type CompiledTemplate, compileTemplate, type TemplateScope } from '../vtl/compile-template.js';
import { evaluateJsonPath } from '../vtl/json-path.js';
import { selectResponseTemplate } from './select-template.js';
import { compileSelectionPattern } from './selection-pattern.js';

type ParameterSource =
  | { kind: 'static'; value: string }
  | { kind: 'header'; name: string }
  | { kind: 'body'; jsonPath: string | undefined }
  | { kind: 'stageVariable'; name: string }
  | { kind: 'context'; keys: string[] };

/** An integration response compiled once: regex built, templates parsed, parameter sources parsed. */
export interface CompiledIntegrationResponse {
  statusCode: number;
  /** Full-match regex; undefined for the default response. */
  pattern: RegExp | undefined;
  parameters: [header: string, source: ParameterSource][];
  templates: Map<string, CompiledTemplate>;
  contentHandling: ContentHandling | undefined;
}

/** What the integration handed back: the payload text and the integration's response headers. */
export interface IntegrationResult {
  payload: string;
  /** Lower-case name → value (`integration.response.header.*`). */
  headers: Map<string, string>;
}

const HEADER_TARGET = 'method.response.header.';

function parseSource(value: string, where: string): ParameterSource {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
    return { kind: 'static', value: value.slice(1, -1) };
  }
  if (value.startsWith('integration.response.header.')) {
    return { kind: 'header', name: value.slice('integration.response.header.'.length).toLowerCase() };
  }
  if (value === 'integration.response.body') return { kind: 'body', jsonPath: undefined };
  if (value.startsWith('integration.response.body.')) {
    return { kind: 'body', jsonPath: `$.${value.slice('integration.response.body.'.length)}` };
  }
  if (value.startsWith('stageVariables.'))
    return { kind: 'stageVariable', name: value.slice('stageVariables.'.length) };
  if (value.startsWith('context.'))
    return { kind: 'context', keys: value.slice('context.'.length).split('.') };
  throw new ConfigError(
    `${where}: ${JSON.stringify(value)} is not a mapping source ('static', integration.response.header.X, integration.response.body[.path], stageVariables.X, context.X)`,
  );
}

/** Templates keyed by lower-cased media type; a syntax error names the route and the field. */
export function compileTemplates(
  templates: Record<string, string> | undefined,
  where: string,
): Map<string, CompiledTemplate> {
  const compiled = new Map<string, CompiledTemplate>();
  for (const [type, source] of Object.entries(templates ?? {})) {
    try {
      compiled.set(type.toLowerCase(), compileTemplate(source));
    } catch (error) {
      throw new ConfigError(`${where}["${type}"]: ${(error as Error).message}`);
    }
  }
  return compiled;
}

/**
 * Integration responses for a method, checked as put-integration-response checks them: one per
 * status code, and a mapped header declared by its status's method response when there is one. AWS
 * accepts an integration response whose status has no method response (recorded:
 * test_lambda_selection_patterns), so that is not checked.
 * Sorted by status code, the order in which selection patterns are tried.
 */
export function compileIntegrationResponses(
  route: string,
  responses: readonly IntegrationResponse[] | undefined,
  methodResponses: readonly MethodResponse[] | undefined,
): CompiledIntegrationResponse[] {
  const declared = methodResponses && new Map(methodResponses.map((r) => [String(r.statusCode), r]));
  const seen = new Set<string>();
  const compiled = (responses ?? []).map((response, i) => {
    const where = `${route}: integration.integrationResponses[${i}]`;
    const status = String(response.statusCode);
    if (seen.has(status)) throw new ConfigError(`${where}.statusCode: ${status} is declared twice`);
    seen.add(status);
    const methodResponse = declared?.get(status);
    let pattern: RegExp | undefined;
    if (response.selectionPattern !== undefined && response.selectionPattern !== '') {
      try {
        pattern = compileSelectionPattern(response.selectionPattern);
      } catch (error) {
        throw new ConfigError(`${where}.selectionPattern: ${(error as Error).message}`);
      }
    }
    const parameters: [string, ParameterSource][] = [];
    for (const [target, value] of Object.entries(response.responseParameters ?? {})) {
      if (!target.startsWith(HEADER_TARGET) || target.length === HEADER_TARGET.length) {
        throw new ConfigError(
          `${where}.responseParameters["${target}"]: keys are method.response.header.{name}`,
        );
      }
      if (methodResponse && methodResponse.responseParameters?.[target] === undefined) {
        throw new ConfigError(
          `${where}.responseParameters["${target}"]: not declared in the ${status} method response's responseParameters`,
        );
      }
      parameters.push([
        target.slice(HEADER_TARGET.length),
        parseSource(value, `${where}.responseParameters["${target}"]`),
      ]);
    }
    return {
      statusCode: Number(status),
      pattern,
      parameters,
      templates: compileTemplates(response.responseTemplates, `${where}.responseTemplates`),
      contentHandling: response.contentHandling,
    };
  });
  return compiled.sort((a, b) => a.statusCode - b.statusCode);
}

/**
 * The integration response AWS selects: on success the default one (patterns are never tried);
 * on error the first pattern matching the whole `selector` (the Lambda errorMessage, or the MOCK
 * status code), else the default.
 */
export function selectIntegrationResponse(
  responses: readonly CompiledIntegrationResponse[],
  selector: string | undefined,
): CompiledIntegrationResponse | undefined {
  if (selector !== undefined) {
    for (const response of responses) if (response.pattern?.test(selector)) return response;
  }
  return responses.find((response) => response.pattern === undefined);
}

function parameterValue(
  source: ParameterSource,
  result: IntegrationResult,
  scope: TemplateScope,
): string | undefined {
  switch (source.kind) {
    case 'static':
      return source.value;
    case 'header':
      return result.headers.get(source.name);
    case 'stageVariable':
      return scope.stageVariables[source.name];
    case 'context': {
      let value: unknown = scope.context;
      for (const key of source.keys) {
        value =
          typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
      }
      return value === undefined || value === null ? undefined : String(value);
    }
    case 'body': {
      if (source.jsonPath === undefined) return result.payload;
      let document: unknown;
      try {
        document = JSON.parse(result.payload);
      } catch {
        return undefined;
      }
      const [match] = evaluateJsonPath(document, source.jsonPath);
      if (match === undefined || match === null) return undefined;
      return typeof match === 'string' ? match : JSON.stringify(match);
    }
  }
}

/** A JSON string literal holding base64 (what a Lambda returns) is unquoted before decoding. */
function decodeBase64Payload(text: string): Buffer | undefined {
  let b64: unknown = text.trim();
  if ((b64 as string).startsWith('"')) {
    try {
      b64 = JSON.parse(b64 as string);
    } catch {
      return undefined;
    }
  }
  return typeof b64 === 'string' ? decodeBase64(b64) : undefined;
}

/**
 * The method response for a selected integration response: mapped headers, the body from the
 * response template chosen by Accept (else the payload itself), content handling, and finally
 * `$context.responseOverride` from any template.
 */
export function renderMethodResponse(
  selected: CompiledIntegrationResponse,
  result: IntegrationResult,
  scope: TemplateScope,
  acceptType: string | undefined,
): HttpResponse | GatewayError {
  const headers = new Map<string, [string, string]>();
  let contentType = 'application/json';
  let body: string | Buffer = result.payload;
  const chosen = selectResponseTemplate(selected.templates, acceptType);
  if (chosen) {
    contentType = chosen[0];
    scope.body = result.payload;
    try {
      body = chosen[1].render(scope);
    } catch {
      return new GatewayError('API_CONFIGURATION_ERROR');
    }
  }
  headers.set('content-type', ['Content-Type', contentType]);
  for (const [name, source] of selected.parameters) {
    const value = parameterValue(source, result, scope);
    if (value !== undefined) headers.set(name.toLowerCase(), [name, value]);
  }
  if (selected.contentHandling === 'CONVERT_TO_BINARY') {
    const bytes = decodeBase64Payload(body as string);
    if (!bytes) return new GatewayError('API_CONFIGURATION_ERROR');
    body = bytes;
  }

  let statusCode = selected.statusCode;
  const override = scope.context.responseOverride as
    | { status?: unknown; header?: Record<string, unknown> }
    | undefined;
  if (override) {
    const status = Number(override.status);
    if (override.status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599) {
      statusCode = status;
    }
    for (const [name, value] of Object.entries(override.header ?? {})) {
      if (value !== undefined && value !== null) headers.set(name.toLowerCase(), [name, String(value)]);
    }
  }
  const out: [string, string][] = [];
  for (const [name, value] of headers.values()) {
    const sent = remapHeaderName(name, AWS_REMAPPED);
    if (sent !== undefined) out.push([sent, toWireHeaderValue(value)]);
  }
  return { statusCode, headers: out, body };
}
