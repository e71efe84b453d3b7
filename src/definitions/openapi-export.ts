import type {
  Authorizer,
  Integration,
  LambdaAuthorizer,
  Method,
  ResolvedOptions,
  ResourceDefinition,
} from '../config/types.js';
import { lambdaInvocationUri } from './openapi/lambda-uri.js';

type Json = Record<string, unknown>;

const METHOD_KEYS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'] as const;
const LOCATIONS: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };
const MODEL_REF = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)(#.*)?$/;
// AWS's export writes the enums lower-case (recorded: LocalStack test_export_oas30_openapi).
const lower = (value: string | undefined) => value?.toLowerCase();

/**
 * The API as an OpenAPI 3.0 document with the `x-amazon-apigateway-*` extensions AWS's
 * `get-export --export-type oas30 --parameters extensions=integrations,authorizers` writes: a Lambda
 * integration's `uri` is the invocation ARN of its function in `region` / `accountId`.
 * @example
 * writeFileSync('api.json', JSON.stringify(toOpenApi(options), null, 2));
 */
export function toOpenApi(options: ResolvedOptions): Record<string, unknown> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const paths: Json = {};
  for (const [path, resource] of Object.entries(options.resources)) {
    const item = exportResource(resource, path, { region, accountId });
    if (Object.keys(item).length > 0) paths[path] = item;
  }
  const components: Json = {};
  if (options.models !== undefined && Object.keys(options.models).length > 0) {
    components.schemas = Object.fromEntries(
      Object.entries(options.models).map(([name, schema]) => [name, pointRefs(schema)]),
    );
  }
  const securitySchemes = exportSecuritySchemes(options, region, accountId);
  if (Object.keys(securitySchemes).length > 0) components.securitySchemes = securitySchemes;

  const doc: Json = {
    openapi: '3.0.1',
    info: { title: options.restApiId ?? 'apigw-express', version: '1.0' },
    servers: [
      {
        url: `https://${options.restApiId ?? 'api'}.execute-api.${region}.amazonaws.com/{basePath}`,
        variables: { basePath: { default: options.stageName ?? 'prod' } },
      },
    ],
    paths,
  };
  if (Object.keys(components).length > 0) doc.components = components;
  if (options.binaryMediaTypes?.length)
    doc['x-amazon-apigateway-binary-media-types'] = [...options.binaryMediaTypes];
  if (options.gatewayResponses !== undefined && Object.keys(options.gatewayResponses).length > 0) {
    doc['x-amazon-apigateway-gateway-responses'] = structuredClone(options.gatewayResponses);
  }
  if (options.requestValidators !== undefined && Object.keys(options.requestValidators).length > 0) {
    doc['x-amazon-apigateway-request-validators'] = Object.fromEntries(
      Object.entries(options.requestValidators).map(([name, v]) => [
        name,
        {
          validateRequestBody: v.validateRequestBody === true,
          validateRequestParameters: v.validateRequestParameters === true,
        },
      ]),
    );
  }
  if (options.apiKeySource !== undefined) doc['x-amazon-apigateway-api-key-source'] = options.apiKeySource;
  if (options.resourcePolicy !== undefined) {
    doc['x-amazon-apigateway-policy'] = policyObject(options.resourcePolicy);
  }
  return doc;
}

interface Account {
  region: string;
  accountId: string;
}

function exportResource(resource: ResourceDefinition, path: string, account: Account): Json {
  const item: Json = {};
  const pathParameters = [...path.matchAll(/\{([^}]+?)\+?\}/g)].map((m) => m[1] as string);
  for (const httpMethod of METHOD_KEYS) {
    const method = resource[httpMethod];
    if (method === undefined) continue;
    const key = httpMethod === 'ANY' ? 'x-amazon-apigateway-any-method' : httpMethod.toLowerCase();
    item[key] = exportMethod(method, pathParameters, account);
  }
  return item;
}

function exportMethod(method: Method, pathParameters: string[], account: Account): Json {
  const operation: Json = {};
  if (method.operationName !== undefined) operation.operationId = method.operationName;
  const declared = { ...method.requestParameters };
  // A path parameter is always required; AWS's export lists it even when the method did not.
  for (const name of pathParameters) declared[`method.request.path.${name}`] = true;
  const parameters = Object.entries(declared).flatMap(([key, required]) => {
    const [, location, name] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key) ?? [];
    const where = location === undefined ? undefined : LOCATIONS[location];
    if (where === undefined || name === undefined) return [];
    return [
      {
        name,
        in: where,
        ...(required || where === 'path' ? { required: true } : {}),
        schema: { type: 'string' },
      },
    ];
  });
  if (parameters.length > 0) operation.parameters = parameters;
  if (method.requestModels !== undefined && Object.keys(method.requestModels).length > 0) {
    operation.requestBody = {
      content: Object.fromEntries(
        Object.entries(method.requestModels).map(([type, model]) => [
          type,
          { schema: { $ref: `#/components/schemas/${model}` } },
        ]),
      ),
      required: true,
    };
  }
  operation.responses = Object.fromEntries(
    (method.methodResponses ?? []).map((r) => {
      const response: Json = { description: `${r.statusCode} response` };
      const headers = Object.keys(r.responseParameters ?? {})
        .filter((p) => p.startsWith('method.response.header.'))
        .map((p) => [p.slice('method.response.header.'.length), { schema: { type: 'string' } }]);
      if (headers.length > 0) response.headers = Object.fromEntries(headers);
      if (r.responseModels !== undefined && Object.keys(r.responseModels).length > 0) {
        response.content = Object.fromEntries(
          Object.entries(r.responseModels).map(([type, model]) => [
            type,
            { schema: { $ref: `#/components/schemas/${model}` } },
          ]),
        );
      }
      return [r.statusCode, response];
    }),
  );
  // OpenAPI 3.0 wants at least one response; AWS's export leaves `responses` out for a method
  // without method responses, which validators refuse (aws/serverless-application-model#2459).
  // The importer reads no method response from `default`, so a round trip is unchanged.
  if (Object.keys(operation.responses as Json).length === 0) {
    operation.responses = { default: { description: 'Default response' } };
  }
  const security: Json[] = [];
  if (method.apiKeyRequired) security.push({ api_key: [] });
  if (
    (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') &&
    method.authorizer !== undefined
  ) {
    security.push({ [method.authorizer]: method.authorizationScopes ?? [] });
  }
  if (method.authorizationType === 'AWS_IAM') security.push({ sigv4: [] });
  if (security.length > 0) operation.security = security;
  if (method.requestValidator !== undefined) {
    operation['x-amazon-apigateway-request-validator'] = method.requestValidator;
  }
  operation['x-amazon-apigateway-integration'] = exportIntegration(method.integration, account);
  return operation;
}

function exportIntegration(integration: Integration, { region, accountId }: Account): Json {
  const out: Json = { type: lower(integration.type) };
  if (integration.type !== 'MOCK') {
    out.httpMethod = integration.httpMethod ?? 'POST';
    out.uri = integration.uri ?? lambdaInvocationUri(region, accountId, integration.function as string);
  }
  if (integration.integrationResponses !== undefined && integration.integrationResponses.length > 0) {
    out.responses = Object.fromEntries(
      integration.integrationResponses.map(({ selectionPattern, contentHandling, ...r }) => [
        selectionPattern ?? 'default',
        { ...structuredClone(r), ...(contentHandling !== undefined && { contentHandling }) },
      ]),
    );
  }
  if (integration.requestParameters !== undefined)
    out.requestParameters = { ...integration.requestParameters };
  if (integration.requestTemplates !== undefined) out.requestTemplates = { ...integration.requestTemplates };
  if (integration.passthroughBehavior !== undefined)
    out.passthroughBehavior = lower(integration.passthroughBehavior);
  if (integration.contentHandling !== undefined) out.contentHandling = integration.contentHandling;
  if (integration.timeoutInMillis !== undefined) out.timeoutInMillis = integration.timeoutInMillis;
  if (integration.cacheKeyParameters !== undefined)
    out.cacheKeyParameters = [...integration.cacheKeyParameters];
  if (integration.cacheNamespace !== undefined) out.cacheNamespace = integration.cacheNamespace;
  if (integration.credentials !== undefined) out.credentials = integration.credentials;
  return out;
}

function exportSecuritySchemes(options: ResolvedOptions, region: string, accountId: string): Json {
  const schemes: Json = {};
  const methods = Object.values(options.resources).flatMap((r) => METHOD_KEYS.map((m) => r[m]));
  if (methods.some((m) => m?.apiKeyRequired)) {
    schemes.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }
  if (methods.some((m) => m?.authorizationType === 'AWS_IAM')) {
    schemes.sigv4 = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
  }
  for (const [name, authorizer] of Object.entries(options.authorizers ?? {})) {
    schemes[name] = exportAuthorizer(authorizer, region, accountId);
  }
  return schemes;
}

function exportAuthorizer(authorizer: Authorizer, region: string, accountId: string): Json {
  const identitySource = authorizer.identitySource ?? 'method.request.header.Authorization';
  const header = /^method\.request\.header\.([^,\s]+)$/.exec(identitySource)?.[1] ?? 'Unused';
  const ext: Json = { type: lower(authorizer.type) };
  if (authorizer.type === 'COGNITO_USER_POOLS') {
    ext.providerARNs = [...authorizer.providerARNs];
  } else {
    const lambda = authorizer as LambdaAuthorizer;
    ext.authorizerUri = lambda.uri ?? lambdaInvocationUri(region, accountId, lambda.function as string);
    if (lambda.identityValidationExpression !== undefined) {
      ext.identityValidationExpression = lambda.identityValidationExpression;
    }
  }
  ext.identitySource = identitySource;
  if (authorizer.authorizerResultTtlInSeconds !== undefined) {
    ext.authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds;
  } else if (authorizer.type !== 'COGNITO_USER_POOLS') {
    ext.authorizerResultTtlInSeconds = 300;
  }
  return {
    type: 'apiKey',
    name: header,
    in: 'header',
    'x-amazon-apigateway-authtype':
      authorizer.type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
    'x-amazon-apigateway-authorizer': ext,
  };
}

/**
 * Models name each other in AWS's form; the export writes `#/components/schemas/X`. An OpenAPI 3.0
 * schema has no `$schema` (the draft-4 marker every API Gateway model carries), so it is left out.
 */
function pointRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(pointRefs);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' && typeof value === 'string') continue;
    const aws = key === '$ref' && typeof value === 'string' ? MODEL_REF.exec(value) : null;
    out[key] = aws ? `#/components/schemas/${aws[1]}${aws[2] ? aws[2].slice(1) : ''}` : pointRefs(value);
  }
  return out;
}

/** The resource policy as the extension holds it: an object (JSON text parsed; text that is not JSON kept as given). */
function policyObject(policy: Record<string, unknown> | string): unknown {
  if (typeof policy !== 'string') return policy;
  try {
    return JSON.parse(policy);
  } catch {
    return policy;
  }
}
