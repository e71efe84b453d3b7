import { validateHeaderValue } from 'node:http';
import { ConfigError } from '../config/config-error.js';
import type {
  CorsOptions,
  GatewayResponse,
  Method,
  ResolvedOptions,
  ResourceDefinition,
  ResourceMethods,
} from '../config/types.js';

const CORS_KEYS = ['allowOrigin', 'allowHeaders', 'allowMethods', 'gatewayResponses'];
export const DEFAULT_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token';
// What the console writes for ANY (and what ANY covers): the methods in alphabetical order.
const ANY_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const ORIGIN = 'Access-Control-Allow-Origin';
const ORIGIN_TARGET = `method.response.header.${ORIGIN}`;

/** A resource's `cors`, checked at startup. */
export function validateCors(cors: unknown, path: string): void {
  const where = `resources["${path}"].cors`;
  if (typeof cors === 'boolean') return;
  if (typeof cors !== 'object' || cors === null || Array.isArray(cors)) {
    throw new ConfigError(
      `${where}: must be true, false or { allowOrigin, allowHeaders, allowMethods, gatewayResponses }`,
    );
  }
  for (const [key, value] of Object.entries(cors)) {
    if (!CORS_KEYS.includes(key)) {
      throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${CORS_KEYS.join(', ')})`);
    }
    if (key === 'gatewayResponses') {
      if (typeof value !== 'boolean') throw new ConfigError(`${where}.gatewayResponses: must be a boolean`);
      continue;
    }
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError(
        `${where}.${key}: must be a non-empty string (the header's value, without quotes)`,
      );
    }
    try {
      validateHeaderValue(key, value);
    } catch {
      throw new ConfigError(`${where}.${key}: ${JSON.stringify(value)} is not a valid header value`);
    }
  }
}

/** `'GET,OPTIONS'`: the resource's methods with OPTIONS, ANY standing for all of them. */
function allowedMethods(methods: ResourceMethods): string {
  const names = new Set(['OPTIONS']);
  for (const name of Object.keys(methods)) {
    if (name.toUpperCase() === 'ANY') for (const m of ANY_METHODS) names.add(m);
    else names.add(name.toUpperCase());
  }
  return [...names].sort().join(',');
}

/** The console's preflight method: MOCK, 200, the three headers, an empty body. */
function preflightMethod(cors: CorsOptions, methods: ResourceMethods): Method {
  const headers = {
    'Access-Control-Allow-Headers': cors.allowHeaders ?? DEFAULT_ALLOW_HEADERS,
    'Access-Control-Allow-Methods': cors.allowMethods ?? allowedMethods(methods),
    [ORIGIN]: cors.allowOrigin ?? '*',
  };
  const responseParameters: Record<string, string> = {};
  const declared: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(headers)) {
    responseParameters[`method.response.header.${name}`] = `'${value}'`;
    declared[`method.response.header.${name}`] = false;
  }
  return {
    authorizationType: 'NONE',
    methodResponses: [{ statusCode: '200', responseParameters: declared }],
    integration: {
      type: 'MOCK',
      passthroughBehavior: 'WHEN_NO_MATCH',
      requestTemplates: { 'application/json': '{"statusCode": 200}' },
      integrationResponses: [
        { statusCode: '200', responseParameters, responseTemplates: { 'application/json': '' } },
      ],
    },
  };
}

const hasOwnHeader = (parameters: Record<string, unknown> | undefined) =>
  Object.keys(parameters ?? {}).some((key) => key.toLowerCase() === ORIGIN_TARGET.toLowerCase());

/**
 * A non-proxy method with `Access-Control-Allow-Origin` on its 200 integration response (and
 * declared on its 200 method response, when it has one); a header already mapped stays as it is.
 */
function withOriginHeader(method: Method, origin: string): Method {
  const integration = method.integration;
  const responses = integration.integrationResponses;
  if (integration.type === 'AWS_PROXY' || !responses?.some((r) => String(r.statusCode) === '200'))
    return method;
  return {
    ...method,
    methodResponses: method.methodResponses?.map((r) =>
      String(r.statusCode) !== '200' || hasOwnHeader(r.responseParameters)
        ? r
        : { ...r, responseParameters: { ...r.responseParameters, [ORIGIN_TARGET]: false } },
    ),
    integration: {
      ...integration,
      integrationResponses: responses.map((r) =>
        String(r.statusCode) !== '200' || hasOwnHeader(r.responseParameters)
          ? r
          : { ...r, responseParameters: { ...r.responseParameters, [ORIGIN_TARGET]: `'${origin}'` } },
      ),
    },
  };
}

/** DEFAULT_4XX / DEFAULT_5XX with the origin header added, unless the API maps that header itself. */
function withGatewayOrigin(response: GatewayResponse | undefined, origin: string): GatewayResponse {
  const parameters = response?.responseParameters ?? {};
  const target = `gatewayresponse.header.${ORIGIN}`;
  if (Object.keys(parameters).some((key) => key.toLowerCase() === target.toLowerCase()))
    return response ?? {};
  return { ...response, responseParameters: { ...parameters, [target]: `'${origin}'` } };
}

/**
 * Expands every resource's `cors` into what the console's "Enable CORS" builds (reference §7),
 * once, before compiling: a MOCK OPTIONS method (unless the resource declares one), the origin
 * header on non-proxy 200 responses, and with `gatewayResponses: true` the origin header on
 * DEFAULT_4XX and DEFAULT_5XX. Returns new options; the caller's object is left as it was.
 * @example
 * expandCors({ resources: { '/pets': { GET: getPets, cors: true } } }).resources['/pets'].OPTIONS
 * // → MOCK method answering 200 with Access-Control-Allow-Methods 'GET,OPTIONS'
 */
export function expandCors(options: ResolvedOptions): ResolvedOptions {
  const resources: Record<string, ResourceDefinition> = {};
  let gatewayOrigin: { origin: string; path: string } | undefined;
  let changed = false;
  for (const [path, definition] of Object.entries(options.resources)) {
    const { cors: setting, ...methods } = definition;
    if (setting === undefined || setting === false) {
      resources[path] = setting === undefined ? definition : methods;
      changed ||= setting !== undefined;
      continue;
    }
    changed = true;
    const cors: CorsOptions = setting === true ? {} : setting;
    const origin = cors.allowOrigin ?? '*';
    const expanded: ResourceMethods = {};
    for (const [name, method] of Object.entries(methods) as [string, Method][]) {
      expanded[name as keyof ResourceMethods] = withOriginHeader(method, origin);
    }
    // A declared OPTIONS method (any spelling of the name) is the API's own: it wins.
    if (!Object.keys(methods).some((name) => name.toUpperCase() === 'OPTIONS')) {
      expanded.OPTIONS = preflightMethod(cors, methods);
    }
    resources[path] = expanded;
    if (cors.gatewayResponses) {
      if (gatewayOrigin !== undefined && gatewayOrigin.origin !== origin) {
        throw new ConfigError(
          `resources["${path}"].cors.gatewayResponses: DEFAULT_4XX and DEFAULT_5XX are the API's own and carry one origin; resources["${gatewayOrigin.path}"] already gives '${gatewayOrigin.origin}', this one '${origin}'`,
        );
      }
      gatewayOrigin = { origin, path };
    }
  }
  if (!changed) return options;
  let gatewayResponses = options.gatewayResponses;
  if (gatewayOrigin !== undefined) {
    gatewayResponses = {
      ...gatewayResponses,
      DEFAULT_4XX: withGatewayOrigin(gatewayResponses?.DEFAULT_4XX, gatewayOrigin.origin),
      DEFAULT_5XX: withGatewayOrigin(gatewayResponses?.DEFAULT_5XX, gatewayOrigin.origin),
    };
  }
  return { ...options, resources, gatewayResponses };
}
