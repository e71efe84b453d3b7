import { ConfigError } from '../../config/config-error.js';
import { lambdaInvocationUri } from '../../definitions/openapi/lambda-uri.js';
import type { HttpCorsConfiguration } from '../cors.js';
import type { HttpApiOptions, HttpAuthorizer, HttpRoute } from '../types.js';

type Json = Record<string, unknown>;

export interface HttpApiExportOptions {
  /** `info.title` (default: the API id). */
  title?: string;
}

/** SAM's name for the scheme of AWS_IAM routes (samtranslator open_api.py, EnableIamAuthorizer). */
const IAM_SCHEME = 'AWS_IAM';
// The order AWS's export writes CORS fields in (recorded exports of HTTP APIs).
const CORS_ORDER: (keyof HttpCorsConfiguration)[] = [
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'allowCredentials',
  'allowOrigins',
];

/**
 * An HTTP API as the OpenAPI 3.0 document `aws apigatewayv2 export-api --specification OAS30`
 * writes with its extensions: `x-amazon-apigateway-integration` (`aws_proxy`, `payloadFormatVersion`,
 * the function's invocation `uri` in `region`/`accountId`), `x-amazon-apigateway-cors`, authorizers in
 * `components.securitySchemes`, `x-amazon-apigateway-importexport-version: "1.0"`. A JWT
 * authorizer's `jwks` has no place in it: imported again, its keys come from the issuer's discovery.
 * @example
 * writeFileSync('api.json', JSON.stringify(exportHttpApiOpenApi(options), null, 2));
 */
export function exportHttpApiOpenApi(options: HttpApiOptions, settings: HttpApiExportOptions = {}): Json {
  if (options.routes === undefined)
    throw new ConfigError('routes: an HTTP API to export gives its routes (load a definition first)');
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const apiId = options.apiId ?? 'api';
  const stage = options.stageName ?? '$default';
  const paths: Record<string, Json> = {};
  for (const [routeKey, route] of Object.entries(options.routes)) {
    const [method, path] = routeKey === '$default' ? ['ANY', '/$default'] : splitRouteKey(routeKey);
    paths[path] ??= {};
    const item = paths[path];
    const operation: Json = {
      // `$default` is written at `/$default` with isDefaultRoute, as import-api reads it back.
      ...(routeKey === '$default' && { isDefaultRoute: true }),
      responses: { default: { description: `Default response for ${routeKey}` } },
      ...security(route),
      'x-amazon-apigateway-integration': integration(route, region, accountId),
    };
    item[method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()] = operation;
    const parameters = pathParameters(path);
    if (parameters.length > 0) item.parameters = parameters;
  }
  const doc: Json = {
    openapi: '3.0.1',
    info: { title: settings.title ?? apiId, version: '1.0' },
    servers: [
      {
        url: `https://${apiId}.execute-api.${region}.amazonaws.com/{basePath}`,
        variables: { basePath: { default: stage === '$default' ? '' : stage } },
      },
    ],
    paths,
  };
  const schemes = securitySchemes(options, region, accountId);
  if (Object.keys(schemes).length > 0) doc.components = { securitySchemes: schemes };
  if (options.cors !== undefined) {
    const cors: Json = {};
    for (const key of CORS_ORDER) if (options.cors[key] !== undefined) cors[key] = options.cors[key];
    doc['x-amazon-apigateway-cors'] = cors;
  }
  doc['x-amazon-apigateway-importexport-version'] = '1.0';
  return doc;
}

function splitRouteKey(routeKey: string): [string, string] {
  const space = routeKey.indexOf(' ');
  if (space < 0) throw new ConfigError(`routes["${routeKey}"]: "METHOD /path" or "$default"`);
  return [routeKey.slice(0, space), routeKey.slice(space + 1)];
}

function integration(route: HttpRoute, region: string, accountId: string): Json {
  const { integration: i } = route;
  // Field order as AWS's export writes it.
  return {
    payloadFormatVersion: i.payloadFormatVersion ?? '2.0',
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: lambdaInvocationUri(region, accountId, i.function),
    connectionType: 'INTERNET',
    ...(i.timeoutInMillis !== undefined && { timeoutInMillis: i.timeoutInMillis }),
    ...(i.requestParameters !== undefined && { requestParameters: { ...i.requestParameters } }),
    ...(i.responseParameters !== undefined && { responseParameters: structuredClone(i.responseParameters) }),
  };
}

function security(route: HttpRoute): Json {
  if (route.authorizationType === 'AWS_IAM') return { security: [{ [IAM_SCHEME]: [] }] };
  if (route.authorizer === undefined) return {};
  return { security: [{ [route.authorizer]: [...(route.authorizationScopes ?? [])] }] };
}

/** `{id}` and `{proxy+}` as the export declares them: path-level, required strings. */
function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    description: `Generated path parameter for ${name}`,
    required: true,
    schema: { type: 'string' },
  }));
}

function securitySchemes(options: HttpApiOptions, region: string, accountId: string): Record<string, Json> {
  const schemes: Record<string, Json> = {};
  for (const [name, authorizer] of Object.entries(options.authorizers ?? {}))
    schemes[name] = authorizerScheme(authorizer, region, accountId);
  if (Object.values(options.routes ?? {}).some((r) => r.authorizationType === 'AWS_IAM'))
    schemes[IAM_SCHEME] = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  return schemes;
}

function authorizerScheme(authorizer: HttpAuthorizer, region: string, accountId: string): Json {
  if (authorizer.type === 'JWT')
    return {
      type: 'oauth2',
      flows: {},
      'x-amazon-apigateway-authorizer': {
        identitySource: authorizer.identitySource ?? '$request.header.Authorization',
        jwtConfiguration: { audience: [...authorizer.audience], issuer: authorizer.issuer },
        type: 'jwt',
      },
    };
  const sources = authorizer.identitySource ?? [];
  const header = sources.length === 1 ? /^\$request\.header\.(.+)$/.exec(sources[0])?.[1] : undefined;
  return {
    type: 'apiKey',
    name: header ?? 'Unused',
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': {
      ...(sources.length > 0 && { identitySource: sources.join(', ') }),
      authorizerUri: lambdaInvocationUri(region, accountId, authorizer.function),
      authorizerPayloadFormatVersion: authorizer.authorizerPayloadFormatVersion,
      authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds ?? 0,
      ...(authorizer.enableSimpleResponses !== undefined && {
        enableSimpleResponses: authorizer.enableSimpleResponses,
      }),
      type: 'request',
    },
  };
}
