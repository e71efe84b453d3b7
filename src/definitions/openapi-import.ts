import { ConfigError } from '../config/config-error.js';
import type {
  GatewayResponse,
  HttpMethod,
  Integration,
  IntegrationResponse,
  Method,
  MethodResponse,
  ModelSchema,
  RequestValidatorDefinition,
  ResolvedOptions,
  ResourceDefinition,
} from '../config/types.js';
import { isServiceUri } from '../integrations/aws-service/service-uri.js';
import { importedResponseType } from './gateway-response-type.js';
import type { ImportContext, ImportedApi } from './import-context.js';
import { isLambdaUri } from './openapi/lambda-uri.js';
import { readOpenApiDocument } from './openapi/read-document.js';
import { readSecuritySchemes, type SecuritySchemes } from './openapi/security-schemes.js';
import { isPrivateEndpoint } from './private-endpoint.js';
import type { UnenforcedGuard } from './unenforced-guards.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const OPERATION_KEYS: Record<string, HttpMethod> = {
  get: 'GET',
  post: 'POST',
  put: 'PUT',
  delete: 'DELETE',
  patch: 'PATCH',
  head: 'HEAD',
  options: 'OPTIONS',
  'x-amazon-apigateway-any-method': 'ANY',
};
const ROOT_EXTENSIONS = new Set([
  'x-amazon-apigateway-binary-media-types',
  'x-amazon-apigateway-gateway-responses',
  'x-amazon-apigateway-request-validators',
  'x-amazon-apigateway-request-validator',
  'x-amazon-apigateway-api-key-source',
  'x-amazon-apigateway-policy',
]);
const OPERATION_EXTENSIONS = new Set([
  'x-amazon-apigateway-integration',
  'x-amazon-apigateway-request-validator',
  'x-amazon-apigateway-auth',
]);
const INTEGRATION_FIELDS = new Set([
  'type',
  'uri',
  'httpMethod',
  'passthroughBehavior',
  'contentHandling',
  'timeoutInMillis',
  'requestTemplates',
  'requestParameters',
  'responses',
  'cacheKeyParameters',
  'cacheNamespace',
  'credentials',
]);
const PARAMETER_LOCATIONS: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };
// AWS's form of a reference to another model, which compile-models resolves against `models`.
const MODEL_BASE = 'https://apigateway.amazonaws.com/restapis/api/models/';

/**
 * Reads an OpenAPI 3 / Swagger 2 definition with `x-amazon-apigateway-*` extensions into options,
 * as `aws apigateway import-rest-api` would build the API. `basePath` and `servers` are ignored,
 * as AWS's default `basepath=ignore` import does.
 * @example
 * const { options, unsupported } = await importOpenApi('./api.yaml', { baseDir: '.', logger: console });
 */
export async function importOpenApi(
  source: string | Record<string, unknown>,
  ctx: ImportContext,
): Promise<ImportedApi> {
  const {
    bundled,
    dereferenced: doc,
    oas3,
  } = await readOpenApiDocument(source, ctx.baseDir, ctx.allowRemoteRefs);
  const unsupported: string[] = [];
  const guards: UnenforcedGuard[] = [];

  const schemas = (oas3 ? (bundled.components as Json | undefined)?.schemas : bundled.definitions) ?? {};
  const schemaPrefix = oas3 ? '#/components/schemas/' : '#/definitions/';
  const models = readModels(schemas, schemaPrefix);
  const security = readSecuritySchemes(
    oas3 ? (doc.components as Json | undefined)?.securitySchemes : doc.securityDefinitions,
    unsupported,
    oas3 ? 'components.securitySchemes' : 'securityDefinitions',
  );

  const options: ResolvedOptions = { resources: {}, functions: {} };
  if (Object.keys(security.authorizers).length > 0) options.authorizers = security.authorizers;
  options.models = models;

  for (const key of Object.keys(doc)) {
    if (key.startsWith('x-amazon-apigateway-') && !ROOT_EXTENSIONS.has(key)) unsupported.push(key);
  }
  if (isPrivateEndpoint(doc['x-amazon-apigateway-endpoint-configuration'])) {
    guards.push({
      guard:
        'x-amazon-apigateway-endpoint-configuration: types PRIVATE (reachable only through a VPC endpoint)',
    });
  }
  const binary = doc['x-amazon-apigateway-binary-media-types'];
  if (Array.isArray(binary)) {
    // `~1` is how a `/` is written in a JSON-pointer-escaped media type (export, CloudFormation).
    options.binaryMediaTypes = binary.map((t) => String(t).replaceAll('~1', '/'));
  }
  const keySource = doc['x-amazon-apigateway-api-key-source'];
  if (typeof keySource === 'string') {
    options.apiKeySource = keySource.toUpperCase() as ResolvedOptions['apiKeySource'];
  }
  // The API's resource policy: enforced, or refused at startup if it cannot be evaluated here.
  const policy = doc['x-amazon-apigateway-policy'];
  if (policy !== undefined) options.resourcePolicy = policy as ResolvedOptions['resourcePolicy'];
  const gatewayResponses = doc['x-amazon-apigateway-gateway-responses'];
  if (isObject(gatewayResponses))
    options.gatewayResponses = readGatewayResponses(gatewayResponses, unsupported);
  const validators = doc['x-amazon-apigateway-request-validators'];
  if (isObject(validators)) {
    options.requestValidators = {};
    for (const [name, v] of Object.entries(validators)) {
      if (!isObject(v)) continue;
      const validator: RequestValidatorDefinition = {};
      if (v.validateRequestBody !== undefined) validator.validateRequestBody = v.validateRequestBody === true;
      if (v.validateRequestParameters !== undefined) {
        validator.validateRequestParameters = v.validateRequestParameters === true;
      }
      options.requestValidators[name] = validator;
    }
  }
  const defaultValidator = doc['x-amazon-apigateway-request-validator'];

  const context: OperationContext = {
    doc,
    bundled,
    oas3,
    security,
    models,
    schemaPrefix,
    unsupported,
    guards,
    defaultValidator: typeof defaultValidator === 'string' ? defaultValidator : undefined,
  };
  for (const [rawPath, pathItem] of Object.entries(doc.paths as Json)) {
    if (!isObject(pathItem)) continue;
    const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
    const resource: ResourceDefinition = {};
    for (const [key, operation] of Object.entries(pathItem)) {
      const httpMethod = OPERATION_KEYS[key];
      if (httpMethod === undefined) {
        if (key === 'trace' || key.startsWith('x-amazon-apigateway-')) {
          unsupported.push(`${path}: ${key}`);
        }
        continue;
      }
      if (!isObject(operation)) continue;
      const method = readOperation(context, rawPath, key, operation, pathItem, `${httpMethod} ${path}`);
      if (method !== undefined) resource[httpMethod] = method;
    }
    if (Object.keys(resource).length > 0) options.resources[path] = resource;
  }
  const found = Object.entries(doc.paths as Json).map(
    ([path, item]) => `${path} (${isObject(item) ? Object.keys(item).join(', ') : '?'})`,
  );
  return { options, unsupported, unenforcedGuards: guards, found };
}

interface OperationContext {
  doc: Json;
  bundled: Json;
  oas3: boolean;
  security: SecuritySchemes;
  models: Record<string, ModelSchema>;
  schemaPrefix: string;
  unsupported: string[];
  guards: UnenforcedGuard[];
  defaultValidator?: string;
}

/** Each schema of `definitions` / `components.schemas` → a model of that name; every import has `Empty`. */
function readModels(schemas: unknown, prefix: string): Record<string, ModelSchema> {
  // AWS creates the Empty model in every API (recorded: LocalStack import snapshots list it).
  const models: Record<string, ModelSchema> = { Empty: { type: 'object', title: 'Empty Schema' } };
  if (!isObject(schemas)) return models;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (!isObject(node)) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = key === '$ref' && typeof value === 'string' ? modelRef(value, prefix) : rewrite(value);
    }
    return out;
  };
  for (const [name, schema] of Object.entries(schemas)) {
    if (isObject(schema)) models[name] = rewrite(schema) as ModelSchema;
  }
  return models;
}

/** `#/components/schemas/Pet/properties/id` → `https://apigateway.amazonaws.com/restapis/api/models/Pet#/properties/id`. */
function modelRef(ref: string, prefix: string): string {
  if (!ref.startsWith(prefix)) return ref;
  const [name, ...rest] = ref.slice(prefix.length).split('/');
  return `${MODEL_BASE}${name}${rest.length > 0 ? `#/${rest.join('/')}` : ''}`;
}

/** The model a schema names (`$ref` to a definition), or a new model holding an inline schema. */
function modelFor(context: OperationContext, schema: unknown, inlineName: string): string | undefined {
  if (!isObject(schema)) return undefined;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(context.schemaPrefix)) {
    const name = decodeURIComponent(schema.$ref.slice(context.schemaPrefix.length));
    if (!name.includes('/')) return name;
  }
  const name = inlineName.replace(/[^A-Za-z0-9]/g, '');
  context.models[name] = readModels({ [name]: schema }, context.schemaPrefix)[name];
  return name;
}

function readOperation(
  context: OperationContext,
  rawPath: string,
  key: string,
  operation: Json,
  pathItem: Json,
  route: string,
): Method | undefined {
  const { unsupported } = context;
  for (const field of Object.keys(operation)) {
    if (field.startsWith('x-amazon-apigateway-') && !OPERATION_EXTENSIONS.has(field)) {
      unsupported.push(`${route}: ${field}`);
    }
  }
  const integration = readIntegration(operation['x-amazon-apigateway-integration'], route, unsupported);
  if (integration === undefined) return undefined;
  const method: Method = { integration };
  if (typeof operation.operationId === 'string') method.operationName = operation.operationId;

  // The bundled operation still holds the body's `$ref`, which names its model.
  const bundledOperation = ((context.bundled.paths as Json)[rawPath] as Json | undefined)?.[key];
  readParameters(context, method, operation, pathItem, bundledOperation, route);
  readSecurity(context, method, operation, route);

  const validator = operation['x-amazon-apigateway-request-validator'] ?? context.defaultValidator;
  if (typeof validator === 'string') method.requestValidator = validator;

  if (isObject(operation.responses)) {
    const bundledResponses = isObject(bundledOperation) ? bundledOperation.responses : undefined;
    const methodResponses = readMethodResponses(
      context,
      operation.responses,
      isObject(bundledResponses) ? bundledResponses : {},
      operation,
    );
    if (methodResponses.length > 0) method.methodResponses = methodResponses;
  }
  return method;
}

function readIntegration(value: unknown, route: string, unsupported: string[]): Integration | undefined {
  if (!isObject(value)) {
    unsupported.push(`${route}: no x-amazon-apigateway-integration (method left out)`);
    return undefined;
  }
  const type = String(value.type ?? '').toUpperCase();
  const isHttp = type === 'HTTP' || type === 'HTTP_PROXY';
  if (type !== 'AWS' && type !== 'AWS_PROXY' && type !== 'MOCK' && !isHttp) {
    throw new ConfigError(
      `${route}: x-amazon-apigateway-integration.type: unknown type ${JSON.stringify(value.type)}`,
    );
  }
  if (type !== 'MOCK') {
    if (typeof value.uri !== 'string') {
      throw new ConfigError(`${route}: x-amazon-apigateway-integration.uri: missing`);
    }
    if (!isHttp && !isLambdaUri(value.uri) && !(type === 'AWS' && isServiceUri(value.uri))) {
      unsupported.push(
        `${route}: ${type} integration with ${value.uri} (not a Lambda function; method left out)`,
      );
      return undefined;
    }
  }
  const integration: Integration = { type };
  if (type !== 'MOCK') integration.uri = value.uri as string;
  if (value.httpMethod !== undefined) integration.httpMethod = String(value.httpMethod).toUpperCase();
  if (value.passthroughBehavior !== undefined) {
    integration.passthroughBehavior = String(
      value.passthroughBehavior,
    ).toUpperCase() as Integration['passthroughBehavior'];
  }
  if (value.contentHandling !== undefined) {
    integration.contentHandling = String(
      value.contentHandling,
    ).toUpperCase() as Integration['contentHandling'];
  }
  if (value.timeoutInMillis !== undefined) integration.timeoutInMillis = Number(value.timeoutInMillis);
  if (isObject(value.requestTemplates)) integration.requestTemplates = readTemplates(value.requestTemplates);
  if (isObject(value.requestParameters)) {
    integration.requestParameters = readStringMap(
      value.requestParameters,
      `${route}: requestParameters`,
      unsupported,
    );
  }
  if (Array.isArray(value.cacheKeyParameters))
    integration.cacheKeyParameters = value.cacheKeyParameters.map(String);
  if (typeof value.cacheNamespace === 'string') integration.cacheNamespace = value.cacheNamespace;
  if (typeof value.credentials === 'string') integration.credentials = value.credentials;
  if (isObject(value.responses)) integration.integrationResponses = readIntegrationResponses(value.responses);
  for (const field of Object.keys(value)) {
    if (INTEGRATION_FIELDS.has(field)) continue;
    if (field === 'connectionType' && String(value[field]).toUpperCase() === 'INTERNET') continue;
    // An HTTP backend behind a VPC link: refused at startup with the reason (validateHttpIntegration).
    if (field === 'connectionType' && isHttp) {
      integration.connectionType = String(value[field]).toUpperCase() as Integration['connectionType'];
      continue;
    }
    unsupported.push(`${route}: x-amazon-apigateway-integration.${field}`);
  }
  return integration;
}

/**
 * `responses`: key = selection pattern, `default` = the response without one. AWS keeps one
 * response per status code, the later key winning (recorded: LocalStack swagger-mock-cors import).
 */
function readIntegrationResponses(responses: Json): IntegrationResponse[] {
  const byStatus = new Map<string, IntegrationResponse>();
  for (const [pattern, r] of Object.entries(responses)) {
    if (!isObject(r)) continue;
    const response: IntegrationResponse = { statusCode: String(r.statusCode ?? '200') };
    if (pattern !== 'default') response.selectionPattern = pattern;
    if (isObject(r.responseParameters)) response.responseParameters = readStringMap(r.responseParameters);
    if (isObject(r.responseTemplates)) response.responseTemplates = readTemplates(r.responseTemplates);
    if (r.contentHandling !== undefined) {
      response.contentHandling = String(
        r.contentHandling,
      ).toUpperCase() as IntegrationResponse['contentHandling'];
    }
    byStatus.set(response.statusCode, response);
  }
  return [...byStatus.values()];
}

function readGatewayResponses(responses: Json, unsupported: string[]): Record<string, GatewayResponse> {
  const out: Record<string, GatewayResponse> = {};
  for (const [key, r] of Object.entries(responses)) {
    if (!isObject(r)) continue;
    const type = importedResponseType(key, 'x-amazon-apigateway-gateway-responses', unsupported);
    if (type === undefined) continue;
    const response: GatewayResponse = {};
    if (r.statusCode !== undefined) response.statusCode = String(r.statusCode);
    if (isObject(r.responseParameters)) response.responseParameters = readStringMap(r.responseParameters);
    if (isObject(r.responseTemplates)) response.responseTemplates = readTemplates(r.responseTemplates);
    out[type] = response;
  }
  return out;
}

/** A template written as a JSON object in the document (YAML's `{...}`) is that JSON text. */
function readTemplates(templates: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, t] of Object.entries(templates))
    out[type] = typeof t === 'string' ? t : JSON.stringify(t);
  return out;
}

/** A non-string value is left out with a warning, as AWS's import warns and goes on (recorded: LocalStack). */
function readStringMap(map: Json, where?: string, unsupported?: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string') out[k] = v;
    else unsupported?.push(`${where}["${k}"]: expected a string, got ${JSON.stringify(v)}`);
  }
  return out;
}

function readParameters(
  context: OperationContext,
  method: Method,
  operation: Json,
  pathItem: Json,
  bundledOperation: unknown,
  route: string,
): void {
  const all = new Map<string, Json>();
  // Operation parameters override the path item's of the same name and location.
  for (const list of [pathItem.parameters, operation.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) if (isObject(p)) all.set(`${p.in}:${p.name}`, p);
  }
  const requestParameters: Record<string, boolean> = {};
  const requestModels: Record<string, string> = {};
  const inlineName = `${method.operationName ?? route}Body`;
  for (const p of all.values()) {
    const location = PARAMETER_LOCATIONS[String(p.in)];
    if (location !== undefined) {
      requestParameters[`method.request.${location}.${p.name}`] = p.required === true;
    } else if (p.in === 'body') {
      const bundledBody =
        isObject(bundledOperation) && Array.isArray(bundledOperation.parameters)
          ? (bundledOperation.parameters as Json[]).find((b) => isObject(b) && b.in === 'body')
          : undefined;
      const model = modelFor(context, bundledBody?.schema ?? p.schema, inlineName);
      const consumes = operation.consumes ?? context.doc.consumes ?? ['application/json'];
      if (model !== undefined) for (const type of consumes as string[]) requestModels[type] = model;
    } else {
      context.unsupported.push(`${route}: ${p.in} parameter "${p.name}"`);
    }
  }
  if (isObject(operation.requestBody) && isObject(operation.requestBody.content)) {
    const bundledBody = isObject(bundledOperation) ? bundledOperation.requestBody : undefined;
    const bundledContent = isObject(bundledBody) && isObject(bundledBody.content) ? bundledBody.content : {};
    for (const [type, media] of Object.entries(operation.requestBody.content)) {
      const bundledMedia = bundledContent[type];
      const schema = isObject(bundledMedia)
        ? bundledMedia.schema
        : isObject(media)
          ? media.schema
          : undefined;
      const model = modelFor(context, schema, inlineName);
      if (model !== undefined) requestModels[type] = model;
    }
  }
  if (Object.keys(requestParameters).length > 0) method.requestParameters = requestParameters;
  if (Object.keys(requestModels).length > 0) method.requestModels = requestModels;
}

/** `security` (the operation's, else the document's) and `x-amazon-apigateway-auth`. */
function readSecurity(context: OperationContext, method: Method, operation: Json, route: string): void {
  const auth = operation['x-amazon-apigateway-auth'];
  if (isObject(auth)) {
    const type = String(auth.type ?? '').toLowerCase();
    if (type === 'aws_iam') method.authorizationType = 'AWS_IAM';
    else if (type !== 'none') {
      context.guards.push({ route, guard: `x-amazon-apigateway-auth: type ${JSON.stringify(auth.type)}` });
    }
  }
  const requirements = operation.security ?? context.doc.security;
  if (!Array.isArray(requirements)) return;
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    for (const [name, scopes] of Object.entries(requirement)) {
      const use = context.security.uses.get(name);
      if (use === undefined) {
        throw new ConfigError(`${route}: security: no security scheme named "${name}"`);
      }
      if (use.kind === 'unsupported')
        context.guards.push({ route, guard: `security: "${name}" (${use.reason})` });
      else if (use.kind === 'apiKey') method.apiKeyRequired = true;
      else if (use.kind === 'iam') method.authorizationType = 'AWS_IAM';
      else if (use.kind === 'authorizer') {
        method.authorizationType = use.authorizationType;
        method.authorizer = name;
        // Scopes only mean something to a Cognito authorizer (recorded: LocalStack cognito import).
        if (use.authorizationType === 'COGNITO_USER_POOLS' && Array.isArray(scopes) && scopes.length > 0) {
          method.authorizationScopes = scopes.map(String);
        }
      }
    }
  }
}

/** Declared responses → method responses: status codes, headers, and body models. */
function readMethodResponses(
  context: OperationContext,
  responses: Json,
  bundledResponses: Json,
  operation: Json,
): MethodResponse[] {
  const out: MethodResponse[] = [];
  for (const [status, r] of Object.entries(responses)) {
    if (!/^[2-5]\d\d$/.test(status) || !isObject(r)) continue;
    const response: MethodResponse = { statusCode: status };
    if (isObject(r.headers)) {
      const parameters: Record<string, boolean> = {};
      for (const [name, h] of Object.entries(r.headers)) {
        // AWS records a declared header as not required (recorded: LocalStack integer status code import).
        parameters[`method.response.header.${name}`] = isObject(h) && h.required === true;
      }
      response.responseParameters = parameters;
    }
    const bundled = bundledResponses[status];
    const models: Record<string, string> = {};
    if (context.oas3) {
      const content = isObject(bundled) && isObject(bundled.content) ? bundled.content : r.content;
      if (isObject(content)) {
        for (const [type, media] of Object.entries(content)) {
          const ref = isObject(media) && isObject(media.schema) ? media.schema.$ref : undefined;
          const name = typeof ref === 'string' ? refName(ref, context.schemaPrefix) : undefined;
          if (name !== undefined) models[type] = name;
        }
      }
    } else {
      const schema = isObject(bundled) ? bundled.schema : r.schema;
      const ref = isObject(schema) ? schema.$ref : undefined;
      const name = typeof ref === 'string' ? refName(ref, context.schemaPrefix) : undefined;
      const produces = (operation.produces ?? context.doc.produces ?? ['application/json']) as string[];
      if (name !== undefined) for (const type of produces) models[type] = name;
    }
    if (Object.keys(models).length > 0) response.responseModels = models;
    out.push(response);
  }
  return out;
}

function refName(ref: string, prefix: string): string | undefined {
  if (!ref.startsWith(prefix)) return undefined;
  const name = decodeURIComponent(ref.slice(prefix.length));
  return name.includes('/') ? undefined : name;
}
