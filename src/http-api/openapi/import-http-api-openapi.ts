import { ConfigError } from '../../config/config-error.js';
import { functionNameOf } from '../../definitions/openapi/lambda-uri.js';
import { readOpenApiDocument } from '../../definitions/openapi/read-document.js';
import type { HttpCorsConfiguration } from '../cors.js';
import type {
  HttpApiOptions,
  HttpAuthorizer,
  HttpIntegration,
  HttpLambdaAuthorizer,
  HttpRoute,
} from '../types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What an HTTP API's OpenAPI document declares, as `httpApi()` options. */
export interface HttpApiOpenApiImport {
  /** `info.title`: the API's name. */
  name?: string;
  options: Pick<HttpApiOptions, 'routes' | 'authorizers' | 'cors'>;
  /** The Lambda functions the integrations and authorizers name (from their ARNs). */
  functionNames: string[];
  /**
   * The guards of operations left out for want of an integration, by route key: a template that
   * integrates such an operation elsewhere (a SAM event) keeps the document's guard on it.
   */
  guardsWithoutIntegration: Record<string, RouteGuard | ConfigError>;
}

type RouteGuard = Pick<HttpRoute, 'authorizer' | 'authorizationType' | 'authorizationScopes'>;

export interface HttpApiOpenApiContext {
  /** Where relative `$ref` files are read from when the document is given as an object. */
  baseDir: string;
  allowRemoteRefs?: boolean;
  /** What the document has that is not served here is named in it. */
  unsupported?: string[];
}

/** OpenAPI operation keys → route methods (`x-amazon-apigateway-any-method` is `ANY`). */
const OPERATIONS: Record<string, string> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};
// Path item fields with nothing to serve: documentation only.
const PATH_ITEM_DOCS = new Set(['parameters', 'summary', 'description', 'servers', '$ref']);
// Integration fields read, or harmless as AWS's export writes them.
const INTEGRATION_FIELDS = new Set([
  'type',
  'uri',
  'httpMethod',
  'payloadFormatVersion',
  'timeoutInMillis',
  'requestParameters',
  'responseParameters',
  'connectionType',
  'credentials',
]);
const CORS_FIELDS = [
  'allowOrigins',
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'allowCredentials',
] as const;
const ROOT_EXTENSIONS = new Set(['x-amazon-apigateway-cors', 'x-amazon-apigateway-importexport-version']);

/** A guard a route may name in `security`: an authorizer, or SigV4. */
type Scheme = { kind: 'authorizer'; authorizer: HttpAuthorizer } | { kind: 'iam' };

/**
 * Whether an OpenAPI document describes an HTTP API (v2) rather than a REST API: OpenAPI 3 with
 * something only HTTP APIs have (D-ext: `x-amazon-apigateway-importexport-version` is "for HTTP
 * APIs"; `payloadFormatVersion`, `x-amazon-apigateway-cors`, JWT authorizers, `isDefaultRoute`).
 */
export function isHttpApiOpenApi(doc: unknown): boolean {
  if (!isObject(doc) || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3')) return false;
  if (doc['x-amazon-apigateway-importexport-version'] !== undefined) return true;
  if (doc['x-amazon-apigateway-cors'] !== undefined) return true;
  const components = isObject(doc.components) ? doc.components : {};
  if (components['x-amazon-apigateway-integrations'] !== undefined) return true;
  const schemes = isObject(components.securitySchemes) ? Object.values(components.securitySchemes) : [];
  for (const scheme of schemes) {
    const authorizer = isObject(scheme) ? scheme['x-amazon-apigateway-authorizer'] : undefined;
    if (
      isObject(authorizer) &&
      (String(authorizer.type).toLowerCase() === 'jwt' ||
        authorizer.authorizerPayloadFormatVersion !== undefined)
    )
      return true;
  }
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (path === '$default' || path === '/$default') return true;
    if (!isObject(item)) continue;
    for (const key of Object.keys(OPERATIONS)) {
      const op = item[key];
      if (!isObject(op)) continue;
      const integration = op['x-amazon-apigateway-integration'];
      if (
        op.isDefaultRoute === true ||
        (isObject(integration) && integration.payloadFormatVersion !== undefined)
      )
        return true;
    }
  }
  return false;
}

/**
 * Reads an OpenAPI 3 document as `aws apigatewayv2 import-api` builds an HTTP API from it: routes
 * from paths × methods, `AWS_PROXY` integrations to the functions their `uri` names, authorizers
 * from `securitySchemes`, CORS from `x-amazon-apigateway-cors`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html).
 * @example
 * const { options } = await importHttpApiOpenApi('./api.yaml', { baseDir: '.' });
 */
export async function importHttpApiOpenApi(
  source: string | Json,
  ctx: HttpApiOpenApiContext,
): Promise<HttpApiOpenApiImport> {
  const { dereferenced: doc, oas3 } = await readOpenApiDocument(source, ctx.baseDir, ctx.allowRemoteRefs);
  // D-openapi: "HTTP APIs support only the OpenAPI 3.0 specification" (Swagger 2 is an error).
  if (!oas3) throw new ConfigError('openapi: an HTTP API is imported from OpenAPI 3.0 only, not Swagger 2.0');
  const unsupported = ctx.unsupported ?? [];
  const version = doc['x-amazon-apigateway-importexport-version'];
  // D-ext: "Currently, the only supported value is 1.0."
  if (version !== undefined && String(version) !== '1.0' && version !== 1)
    throw new ConfigError(
      `openapi: x-amazon-apigateway-importexport-version: "1.0" is the only version (got ${JSON.stringify(version)})`,
    );
  for (const key of Object.keys(doc)) {
    if (key.startsWith('x-amazon-apigateway-') && !ROOT_EXTENSIONS.has(key))
      unsupported.push(`openapi: ${key}`);
  }
  const functionNames = new Set<string>();
  const schemes = readSchemes(doc, functionNames, unsupported);
  const rootSecurity = doc.security;
  const routes: Record<string, HttpRoute> = {};
  const guardsWithoutIntegration: Record<string, RouteGuard | ConfigError> = {};
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    if (!isObject(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      const where = `openapi: paths["${path}"].${key}`;
      const method = OPERATIONS[key.toLowerCase()];
      if (method === undefined) {
        if (!PATH_ITEM_DOCS.has(key)) unsupported.push(`${where}: not read`);
        continue;
      }
      if (!isObject(op)) continue;
      const routeKey = routeKeyOf(path, method, op, where);
      const integration = op['x-amazon-apigateway-integration'];
      if (!isObject(integration)) {
        unsupported.push(`${where}: no x-amazon-apigateway-integration, route left out`);
        // Read only if a template integrates it: a guard that cannot be read then refuses to start.
        try {
          const guard = readSecurity(op.security ?? rootSecurity, schemes, `${where}.security`, []);
          if (Object.keys(guard).length > 0) guardsWithoutIntegration[routeKey] = guard;
        } catch (error) {
          guardsWithoutIntegration[routeKey] = error as ConfigError;
        }
        continue;
      }
      const imported = readIntegration(integration, `${where}.x-amazon-apigateway-integration`, unsupported);
      if (imported === undefined) continue;
      functionNames.add(imported.function);
      if (routes[routeKey] !== undefined)
        throw new ConfigError(`${where}: route "${routeKey}" is declared twice`);
      routes[routeKey] = {
        integration: imported,
        ...readSecurity(op.security ?? rootSecurity, schemes, `${where}.security`, unsupported),
      };
    }
  }
  const options: HttpApiOpenApiImport['options'] = { routes };
  const authorizers = Object.fromEntries(
    [...schemes].flatMap(([name, s]) => (s.kind === 'authorizer' ? [[name, s.authorizer]] : [])),
  );
  if (Object.keys(authorizers).length > 0) options.authorizers = authorizers;
  const cors = readCors(doc['x-amazon-apigateway-cors']);
  if (cors !== undefined) options.cors = cors;
  const info = isObject(doc.info) ? doc.info : {};
  return {
    ...(typeof info.title === 'string' && { name: info.title }),
    options,
    functionNames: [...functionNames],
    guardsWithoutIntegration,
  };
}

/** `$default` is path `$default` (SAM) or `/$default` with `x-amazon-apigateway-any-method`, or `isDefaultRoute: true`. */
function routeKeyOf(path: string, method: string, op: Json, where: string): string {
  const isDefault = path === '$default' || path === '/$default' || op.isDefaultRoute === true;
  if (!isDefault) return `${method} ${path}`;
  if (method !== 'ANY')
    throw new ConfigError(`${where}: the $default route is x-amazon-apigateway-any-method, not ${method}`);
  return '$default';
}

function readIntegration(
  integration: Json,
  where: string,
  unsupported: string[],
): HttpIntegration | undefined {
  const type = String(integration.type ?? '').toLowerCase();
  if (type !== 'aws_proxy' || integration.integrationSubtype !== undefined) {
    // D-openapi: HTTP APIs take Lambda proxy and HTTP proxy integrations; only Lambda runs here.
    unsupported.push(
      `${where}: type ${String(integration.type)}${integration.integrationSubtype === undefined ? '' : ` ${String(integration.integrationSubtype)}`} (only aws_proxy to a Lambda function), route left out`,
    );
    return undefined;
  }
  for (const key of Object.keys(integration)) {
    if (!INTEGRATION_FIELDS.has(key)) unsupported.push(`${where}.${key}`);
  }
  const fn = functionNameOf(integration.uri);
  if (fn === undefined)
    throw new ConfigError(`${where}.uri: not a Lambda function ARN (got ${JSON.stringify(integration.uri)})`);
  const result: HttpIntegration = {
    function: fn,
    payloadFormatVersion: payloadVersion(integration.payloadFormatVersion, `${where}.payloadFormatVersion`),
  };
  if (integration.timeoutInMillis !== undefined) result.timeoutInMillis = Number(integration.timeoutInMillis);
  if (integration.requestParameters !== undefined)
    result.requestParameters = integration.requestParameters as HttpIntegration['requestParameters'];
  if (integration.responseParameters !== undefined)
    result.responseParameters = integration.responseParameters as HttpIntegration['responseParameters'];
  return result;
}

/** `"2.0"`, or `2.0`/`1.0` written as YAML or JSON numbers (AWS's own example writes `1.0`). */
function payloadVersion(value: unknown, where: string): '2.0' | '1.0' {
  const text = typeof value === 'number' ? value.toFixed(1) : value;
  if (text === '2.0' || text === '1.0') return text;
  // api-gateway-swagger-extensions-integration: payloadFormatVersion is "Required for HTTP APIs".
  throw new ConfigError(
    `${where}: "2.0" or "1.0", required for an HTTP API's integration (got ${JSON.stringify(value)})`,
  );
}

function readSchemes(doc: Json, functionNames: Set<string>, unsupported: string[]): Map<string, Scheme> {
  const schemes = new Map<string, Scheme>();
  const components = isObject(doc.components) ? doc.components : {};
  const declared = isObject(components.securitySchemes) ? components.securitySchemes : {};
  for (const [name, scheme] of Object.entries(declared)) {
    if (!isObject(scheme)) continue;
    const where = `openapi: components.securitySchemes.${name}`;
    const authorizer = scheme['x-amazon-apigateway-authorizer'];
    if (!isObject(authorizer)) {
      // SAM's EnableIamAuthorizer writes AWS_IAM as an apiKey scheme with this authtype.
      if (String(scheme['x-amazon-apigateway-authtype']).toLowerCase() === 'awssigv4')
        schemes.set(name, { kind: 'iam' });
      continue;
    }
    const type = String(authorizer.type).toLowerCase();
    if (type === 'jwt') {
      schemes.set(name, {
        kind: 'authorizer',
        authorizer: readJwt(scheme, authorizer, `${where}.x-amazon-apigateway-authorizer`),
      });
    } else if (type === 'request') {
      const lambda = readRequestAuthorizer(
        authorizer,
        `${where}.x-amazon-apigateway-authorizer`,
        unsupported,
      );
      functionNames.add(lambda.function);
      schemes.set(name, { kind: 'authorizer', authorizer: lambda });
    } else {
      // A route that names it is refused (readSecurity): never served open.
      unsupported.push(
        `${where}: authorizer type ${String(authorizer.type)} (HTTP APIs have jwt and request)`,
      );
    }
  }
  return schemes;
}

function readJwt(scheme: Json, authorizer: Json, where: string): HttpAuthorizer {
  const config = isObject(authorizer.jwtConfiguration) ? authorizer.jwtConfiguration : {};
  let issuer = config.issuer;
  // An `openIdConnect` scheme may name the issuer by its discovery URL instead (D-ext authorizer examples).
  if (issuer === undefined && typeof scheme.openIdConnectUrl === 'string')
    issuer = scheme.openIdConnectUrl.replace(/\/\.well-known\/openid-configuration\/?$/, '');
  if (typeof issuer !== 'string' || issuer === '')
    throw new ConfigError(`${where}.jwtConfiguration.issuer: missing (or an openIdConnectUrl on the scheme)`);
  const audience = config.audience === undefined ? [] : [config.audience].flat().map(String);
  const jwt: HttpAuthorizer = { type: 'JWT', issuer, audience };
  const source = identitySources(authorizer.identitySource);
  if (source.length > 1)
    throw new ConfigError(`${where}.identitySource: a JWT authorizer has one identity source`);
  if (source.length === 1) jwt.identitySource = source[0];
  return jwt;
}

function readRequestAuthorizer(authorizer: Json, where: string, unsupported: string[]): HttpLambdaAuthorizer {
  const fn = functionNameOf(authorizer.authorizerUri);
  if (fn === undefined)
    throw new ConfigError(
      `${where}.authorizerUri: not a Lambda function ARN (got ${JSON.stringify(authorizer.authorizerUri)})`,
    );
  const raw = authorizer.authorizerPayloadFormatVersion;
  const version = typeof raw === 'number' ? raw.toFixed(1) : raw;
  // CFN-authorizer: AuthorizerPayloadFormatVersion is required for a REQUEST authorizer of an HTTP API.
  if (version !== '1.0' && version !== '2.0')
    throw new ConfigError(
      `${where}.authorizerPayloadFormatVersion: "1.0" or "2.0" (got ${JSON.stringify(raw)})`,
    );
  const lambda: HttpLambdaAuthorizer = {
    type: 'REQUEST',
    function: fn,
    authorizerPayloadFormatVersion: version,
  };
  if (authorizer.enableSimpleResponses !== undefined)
    lambda.enableSimpleResponses =
      authorizer.enableSimpleResponses === true || authorizer.enableSimpleResponses === 'true';
  const sources = identitySources(authorizer.identitySource);
  if (sources.length > 0) lambda.identitySource = sources;
  if (authorizer.authorizerResultTtlInSeconds !== undefined)
    lambda.authorizerResultTtlInSeconds = Number(authorizer.authorizerResultTtlInSeconds);
  if (authorizer.authorizerCredentials !== undefined) unsupported.push(`${where}.authorizerCredentials`);
  return lambda;
}

/** D-ext: "A comma-separated list of mapping expressions"; SAM writes a list. */
function identitySources(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/** The operation's `security` (else the document's): one requirement, one scheme (D-openapi). */
function readSecurity(
  security: unknown,
  schemes: Map<string, Scheme>,
  where: string,
  unsupported: string[],
): RouteGuard {
  if (security === undefined) return {};
  if (!Array.isArray(security)) throw new ConfigError(`${where}: a list of security requirements`);
  // Fail closed: an entry that is no requirement object (`["jwt"]`, `[null]`) must not read as "open".
  const bad = security.findIndex((r) => !isObject(r));
  if (bad !== -1)
    throw new ConfigError(
      `${where}[${bad}]: a security requirement { scheme: [scopes] } (got ${JSON.stringify(security[bad])}); refusing to serve the route open`,
    );
  const requirements = (security as Json[]).filter((r) => Object.keys(r).length > 0);
  if (requirements.length === 0) return {};
  const names = requirements.flatMap((r) => Object.keys(r));
  // D-openapi: "Each operation can have only one of IAM authorization, a Lambda authorizer, or a JWT authorizer."
  if (names.length > 1)
    throw new ConfigError(
      `${where}: one security requirement per operation on an HTTP API (got ${names.join(', ')})`,
    );
  const [name] = names;
  const scheme = schemes.get(name);
  if (scheme === undefined)
    throw new ConfigError(
      `${where}: "${name}" is no jwt or request authorizer, nor SigV4, of components.securitySchemes; refusing to serve the route open`,
    );
  if (scheme.kind === 'iam') return { authorizationType: 'AWS_IAM' };
  const scopes = requirements[0][name];
  // OpenAPI: the value is a list of scope names; anything else would drop the route's scopes.
  if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string'))
    throw new ConfigError(
      `${where}: ${name}: a list of scope names (got ${JSON.stringify(scopes)}); refusing to drop the route's scopes`,
    );
  // CFN-route: AuthorizationScopes are a JWT authorizer's; a Lambda authorizer decides alone.
  if (scheme.authorizer.type !== 'JWT' && scopes.length > 0)
    unsupported.push(`${where}: scopes of a request authorizer (not checked)`);
  return {
    authorizer: name,
    ...(scheme.authorizer.type === 'JWT' && scopes.length > 0 && { authorizationScopes: scopes }),
  };
}

function readCors(value: unknown): HttpCorsConfiguration | undefined {
  if (!isObject(value)) return undefined;
  const cors: Record<string, unknown> = {};
  for (const key of CORS_FIELDS) {
    if (value[key] !== undefined) cors[key] = value[key];
  }
  return cors as HttpCorsConfiguration;
}
