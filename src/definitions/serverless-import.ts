import { ConfigError } from '../config/config-error.js';
import type {
  ApiGatewayOptions,
  Authorizer,
  FunctionDefinition,
  GatewayResponse,
  HttpMethod,
  LoggingConfig,
  Method,
  ModelSchema,
  PassthroughBehavior,
  ResourceDefinition,
} from '../config/types.js';
import type { IntrinsicResolver } from './cloudformation/intrinsics.js';
import { httpApiNote } from './http-api-note.js';
import type { ImportContext, ImportedApi } from './import-context.js';
import { keysAndPlans } from './serverless/api-keys.js';
import {
  type EventCors,
  eventCors,
  eventOrigin,
  mergeCors,
  preflightMethod,
} from './serverless/cors-preflight.js';
import { environmentReferences } from './serverless/environment-references.js';
import { type FrameworkRules, frameworkRules } from './serverless/framework-version.js';
import { httpAuthorization, type ServiceFunctions } from './serverless/http-authorizer.js';
import { lambdaRequestTemplates, lambdaResponses } from './serverless/lambda-integration.js';
import { readServerlessFile } from './serverless/read-serverless-file.js';
import { VariableResolver } from './serverless/resolve-variables.js';
import { serverlessStageLogs } from './serverless/stage-logs.js';
import type { UnenforcedGuard } from './unenforced-guards.js';

// The rules follow serverless/serverless v3 (19128fad) lib/plugins/aws/package/compile/events/api-gateway/lib/**,
// and v1/v2's where `frameworkVersion` names them and they differ (serverless/framework-version.ts).

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const HTTP_EVENT_KEYS = new Set([
  'path',
  'method',
  'cors',
  'integration',
  'authorizer',
  'private',
  'request',
  'response',
  'async',
  'operationId',
  'documentation',
]);
const API_GATEWAY_KEYS = new Set([
  'apiKeys',
  'usagePlan',
  'apiKeySourceType',
  'binaryMediaTypes',
  'request',
  'shouldStartNameWithService',
  'description',
  'metrics',
  'resourcePolicy',
  'disableDefaultEndpoint',
]);
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);
const PASSTHROUGH = new Set(['NEVER', 'WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES']);

/** lodash `upperFirst(camelCase(x))`, enough for schema ids. */
const pascal = (text: string) =>
  text
    .split(/[^0-9A-Za-z]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/** naming.js `normalizePath`: `items/{id}` → `ItemsIdVar`. */
const resourceName = (path: string) =>
  path
    .split('/')
    .map((part) => {
      const capital = part.charAt(0).toUpperCase() + part.slice(1).toLowerCase();
      return capital
        .replace(/-/g, 'Dash')
        .replace(/\{(.*)\}/g, '$1Var')
        .replace(/[^0-9A-Za-z]/g, '');
    })
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/** State gathered over every function's events. */
interface Build {
  document: Record<string, unknown>;
  resolver: VariableResolver;
  service: string;
  stage: string;
  functions: ServiceFunctions;
  resources: Record<string, ResourceDefinition>;
  declaredBy: Map<string, string>;
  cors: Map<string, EventCors>;
  authorizers: Record<string, Authorizer>;
  models: Record<string, ModelSchema>;
  validatorName: string;
  usesValidator: boolean;
  providerSchemas: Record<string, unknown>;
  rules: FrameworkRules;
  legacySchemaNoted: boolean;
  unsupported: string[];
  guards: UnenforcedGuard[];
  logger: ImportContext['logger'];
  /** Resolves CloudFormation references in functions' environment. */
  environment: () => IntrinsicResolver;
}

/** `request.parameters.{querystrings|paths|headers}` → `method.request.{querystring|path|header}.x` → true/false/{required, mappedValue}. */
function requestParameters(parameters: unknown, where: string): Record<string, unknown> {
  if (parameters === undefined) return {};
  if (!isRecord(parameters)) throw new ConfigError(`${where}: must be { querystrings, paths, headers }`);
  const out: Record<string, unknown> = {};
  for (const [location, entries] of Object.entries(parameters)) {
    if (!['querystrings', 'paths', 'headers'].includes(location)) {
      throw new ConfigError(`${where}.${location}: unknown location (querystrings, paths, headers)`);
    }
    if (!isRecord(entries))
      throw new ConfigError(`${where}.${location}: must map names to true, false or { required }`);
    for (const [name, value] of Object.entries(entries)) {
      out[`method.request.${location.slice(0, -1)}.${name}`] = value;
    }
  }
  return out;
}

/** method/index.js: a parameter is required when `true`, or an object whose `required` is not false. */
const isRequired = (value: unknown) =>
  isRecord(value) ? (value.required != null ? Boolean(value.required) : true) : Boolean(value);

/** `request.schemas` content type → model, named as the framework's logical ids are (request-validator.js). */
function requestModels(
  schemas: unknown,
  build: Build,
  path: string,
  method: string,
  where: string,
  legacy = false,
): Record<string, string> {
  if (!isRecord(schemas)) throw new ConfigError(`${where}: must map content types to schemas`);
  const models: Record<string, string> = {};
  for (const [contentType, config] of Object.entries(schemas)) {
    let name: string;
    let schema: unknown;
    // v1/v2 `request.schema`: each value is the schema itself (an object, or JSON text)
    const shared = typeof config === 'string' && !legacy ? build.providerSchemas[config] : undefined;
    if (shared !== undefined) {
      const entry = isRecord(shared) ? shared : {};
      name = typeof entry.name === 'string' ? entry.name : `ApiGateway${pascal(config as string)}Model`;
      schema = entry.schema ?? shared;
    } else {
      const methodName = method.charAt(0) + method.slice(1).toLowerCase();
      const generated = `ApiGatewayMethod${resourceName(path)}${methodName}${pascal(contentType)}Model`;
      if (isRecord(config) && config.schema !== undefined && !legacy) {
        name = typeof config.name === 'string' ? config.name : generated;
        schema = config.schema;
      } else {
        name = generated;
        schema = config;
      }
    }
    if (typeof schema === 'string') {
      try {
        schema = JSON.parse(schema);
      } catch {
        throw new ConfigError(
          legacy
            ? `${where}["${contentType}"]: "${schema}" is not a JSON schema`
            : `${where}["${contentType}"]: "${schema}" is neither a schema nor a name in provider.apiGateway.request.schemas`,
        );
      }
    }
    if (!isRecord(schema)) throw new ConfigError(`${where}["${contentType}"]: must be a JSON schema object`);
    build.models[name] = schema;
    models[contentType] = name;
  }
  return models;
}

/** The resolver's notes of variables left unresolved under `<where>.<field>`, taken out of its list. */
function takeUnresolved(resolver: VariableResolver, where: string, fields: string[]): string[] {
  const under = (note: string) =>
    fields.some((field) => {
      const prefix = `${where}.${field}`;
      return note.startsWith(prefix) && /^[.:[]/.test(note.slice(prefix.length));
    });
  const taken = resolver.unsupported.filter(under);
  const kept = resolver.unsupported.filter((note) => !under(note));
  resolver.unsupported.splice(0, resolver.unsupported.length, ...kept);
  return taken;
}

/**
 * The event's schemas: `request.schemas`, else v1/v2's `request.schema` (requestValidator.js at v2.72.4
 * reads `schema` only without `schemas`; v3 no longer reads it, and says so at its config check).
 */
function requestSchemas(
  build: Build,
  request: Record<string, unknown> | undefined,
  where: string,
): { key: 'schema' | 'schemas'; value: unknown } | undefined {
  if (request?.schema !== undefined) {
    if (request.schemas !== undefined) {
      build.unsupported.push(
        `${where}.request.schema: request.schemas is given, which wins, as the framework does`,
      );
    } else if (!build.rules.requestSchema) {
      build.unsupported.push(
        `${where}.request.schema: the v1/v2 form, which frameworkVersion ${build.rules.release} no longer compiles (use request.schemas)`,
      );
    } else {
      if (build.rules.release === undefined && !build.legacySchemaNoted) {
        build.legacySchemaNoted = true;
        build.logger.info?.(
          `apigw-express: serverless: ${where}.request.schema: without frameworkVersion, compiled as v1/v2 did (a model and the request validator); v3 would deploy it unvalidated`,
        );
      }
      return { key: 'schema', value: request.schema };
    }
  }
  return request?.schemas !== undefined ? { key: 'schemas', value: request.schemas } : undefined;
}

function httpEvent(build: Build, functionKey: string, raw: unknown, where: string): void {
  let http: Record<string, unknown>;
  if (typeof raw === 'string') {
    const [method, path] = raw.split(' ');
    http = { method, path };
  } else if (isRecord(raw)) http = raw;
  else throw new ConfigError(`${where}: must be "METHOD path" or { path, method, … }`);
  if (typeof http.path !== 'string') throw new ConfigError(`${where}.path: missing`);
  if (typeof http.method !== 'string') throw new ConfigError(`${where}.method: missing`);
  for (const key of Object.keys(http)) {
    if (!HTTP_EVENT_KEYS.has(key)) build.unsupported.push(`${where}.${key}`);
  }
  const trimmed = http.path.replace(/^\//, '').replace(/\/$/, '');
  const path = `/${trimmed}`;
  const method = http.method.toUpperCase();
  if (!METHODS.has(method))
    throw new ConfigError(`${where}.method: "${http.method}" is not an HTTP method or any`);
  const route = `${method} ${path}`;

  let type = 'AWS_PROXY';
  if (typeof http.integration === 'string') {
    const normalised = http.integration.toUpperCase().replace('-', '_');
    type = normalised === 'LAMBDA' ? 'AWS' : normalised === 'LAMBDA_PROXY' ? 'AWS_PROXY' : normalised;
  } else if (http.async) type = 'AWS';
  const isHttp = type === 'HTTP' || type === 'HTTP_PROXY';
  if (type !== 'AWS' && type !== 'AWS_PROXY' && !isHttp) {
    build.unsupported.push(
      `${where}.integration: ${http.integration} (only lambda, lambda-proxy, http and http-proxy; ${route} left out)`,
    );
    return;
  }
  const previous = build.declaredBy.get(route);
  if (previous !== undefined) {
    throw new ConfigError(`${where}: ${route} is already the http event of function "${previous}"`);
  }
  build.declaredBy.set(route, functionKey);

  const isProxy = type === 'AWS_PROXY' || type === 'HTTP_PROXY';
  let request = isRecord(http.request) ? { ...http.request } : undefined;
  // http and http-proxy: `request.uri` is the backend, `request.method` its method (default: the event's).
  const backend = isHttp ? httpBackend(request, method, where) : undefined;
  if (isProxy && request !== undefined) {
    const kept = isHttp
      ? ['parameters', 'schema', 'schemas', 'uri', 'method']
      : ['parameters', 'schema', 'schemas'];
    const dropped = Object.keys(request).filter((key) => !kept.includes(key));
    if (dropped.length > 0) {
      build.logger.warn(
        `apigw-express: serverless: ${where}: only request.parameters, request.schema and request.schemas go with lambda-proxy; ${dropped.map((k) => `request.${k}`).join(', ')} left out, as the framework does`,
      );
      for (const key of dropped) delete request[key];
    }
    if (Object.keys(request).length === 0) request = undefined;
  }
  if (isProxy && http.response !== undefined) {
    build.logger.warn(
      `apigw-express: serverless: ${where}.response: not used with lambda-proxy, as the framework drops it`,
    );
  }

  const cors =
    http.cors === true || isRecord(http.cors) ? eventCors(http.cors as true, method, build.rules) : undefined;
  if (http.cors !== undefined && http.cors !== false && cors === undefined) {
    throw new ConfigError(
      `${where}.cors: must be true or { origin, origins, headers, allowCredentials, maxAge, cacheControl }`,
    );
  }
  if (cors) build.cors.set(path, mergeCors(build.cors.get(path), cors));

  // A guard whose value is a variable resolved only on AWS (`${ssm:…}`) is unknown here, not absent.
  const unknown = takeUnresolved(build.resolver, where, ['authorizer', 'private']);
  for (const note of unknown) build.guards.push({ route, guard: note });
  const auth =
    http.authorizer !== undefined && !unknown.some((note) => note.startsWith(`${where}.authorizer`))
      ? httpAuthorization(
          http.authorizer,
          isProxy,
          build.functions,
          `${where}.authorizer`,
          build.rules.uncachedRequestAuthorizerIdentity,
        )
      : { authorizationType: 'NONE' as const, claims: [] };
  if (auth.unenforced) build.guards.push({ route, guard: auth.unenforced });
  if (auth.authorizer) build.authorizers[auth.authorizer.name] = auth.authorizer.definition;

  const parameters = requestParameters(request?.parameters, `${where}.request.parameters`);
  const methodDefinition: Method = {
    authorizationType: auth.authorizationType,
    apiKeyRequired: Boolean(http.private),
    integration: backend
      ? { type: type as 'HTTP' | 'HTTP_PROXY', ...backend }
      : { type: isProxy ? 'AWS_PROXY' : 'AWS', function: functionKey },
  };
  if (auth.authorizer) methodDefinition.authorizer = auth.authorizer.name;
  if (auth.authorizationScopes) methodDefinition.authorizationScopes = auth.authorizationScopes;
  if (typeof http.operationId === 'string') methodDefinition.operationName = http.operationId;
  if (Object.keys(parameters).length > 0) {
    methodDefinition.requestParameters = Object.fromEntries(
      Object.entries(parameters).map(([key, value]) => [key, isRequired(value)]),
    );
  }
  const schemas = requestSchemas(build, request, where);
  if (
    (build.rules.requiredParametersValidated && Object.values(parameters).some(isRequired)) ||
    schemas !== undefined
  ) {
    methodDefinition.requestValidator = build.validatorName;
    build.usesValidator = true;
  }
  if (schemas !== undefined) {
    methodDefinition.requestModels = requestModels(
      schemas.value,
      build,
      trimmed,
      method,
      `${where}.request.${schemas.key}`,
      schemas.key === 'schema',
    );
  }

  if (!isProxy) {
    const integration = methodDefinition.integration;
    const passThrough = request?.passThrough;
    const behavior = typeof passThrough === 'string' ? passThrough.toUpperCase() : 'NEVER';
    if (!PASSTHROUGH.has(behavior)) {
      throw new ConfigError(
        `${where}.request.passThrough: "${passThrough}" (NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES)`,
      );
    }
    integration.passthroughBehavior = behavior as PassthroughBehavior;
    if (request?.contentHandling !== undefined) {
      integration.contentHandling = request.contentHandling as Method['integration']['contentHandling'];
    }
    const template = request?.template;
    if (template !== undefined && !isRecord(template)) {
      throw new ConfigError(`${where}.request.template: must map content types to templates`);
    }
    // The framework's default templates are for Lambda; an http integration gets only its own.
    const templates = isHttp
      ? (template as Record<string, string> | undefined)
      : lambdaRequestTemplates(template, auth.claims);
    if (templates && Object.keys(templates).length > 0) integration.requestTemplates = { ...templates };
    const corsHeaders: Record<string, string> = {};
    if (cors) {
      corsHeaders['Access-Control-Allow-Origin'] = `'${eventOrigin(cors)}'`;
      // the framework writes a bare `true` here, which API Gateway reads as no mapping; quoted, it is sent
      if (cors.allowCredentials) corsHeaders['Access-Control-Allow-Credentials'] = `'true'`;
    }
    const response = isRecord(http.response) ? http.response : undefined;
    const responses = lambdaResponses(response, corsHeaders);
    integration.integrationResponses = responses.integrationResponses;
    methodDefinition.methodResponses = responses.methodResponses;
    const integrationParameters: Record<string, string> = {};
    for (const [key, value] of Object.entries(parameters)) {
      const mapped = isRecord(value) && typeof value.mappedValue === 'string' ? value.mappedValue : key;
      integrationParameters[`integration.${key.slice('method.'.length)}`] = mapped;
    }
    if (http.async) integrationParameters['integration.request.header.X-Amz-Invocation-Type'] = "'Event'";
    if (Object.keys(integrationParameters).length > 0) integration.requestParameters = integrationParameters;
  }
  if (isProxy && isHttp) {
    // As for http: each declared parameter goes to the backend under its own name.
    const mapped: Record<string, string> = {};
    for (const key of Object.keys(parameters)) mapped[`integration.${key.slice('method.'.length)}`] = key;
    if (Object.keys(mapped).length > 0) methodDefinition.integration.requestParameters = mapped;
  }
  build.resources[path] ??= {};
  build.resources[path][method as HttpMethod] = methodDefinition;
}

/** An http / http-proxy event's backend: `request.uri` and `request.method`. */
function httpBackend(
  request: Record<string, unknown> | undefined,
  method: string,
  where: string,
): { uri: string; httpMethod: string } {
  if (typeof request?.uri !== 'string') {
    throw new ConfigError(
      `${where}.request.uri: missing (the backend's URL, for an http or http-proxy integration)`,
    );
  }
  const httpMethod = typeof request.method === 'string' ? request.method.toUpperCase() : method;
  return { uri: request.uri, httpMethod };
}

function functionDefinition(
  build: Build,
  key: string,
  baseDir: string,
  providerEnv: Record<string, unknown>,
  defaults: { timeout: number; memorySize: number },
): FunctionDefinition | undefined {
  const where = `functions.${key}`;
  const handler = build.resolver.get(['functions', key, 'handler']);
  if (typeof handler !== 'string') {
    const image = build.resolver.get(['functions', key, 'image']);
    build.unsupported.push(
      image !== undefined
        ? `${where}.image: container image functions (give functions.${key} yourself)`
        : `${where}.handler: missing`,
    );
    return undefined;
  }
  const ownEnv = build.resolver.get(['functions', key, 'environment']) ?? {};
  if (!isRecord(ownEnv)) throw new ConfigError(`${where}.environment: must map names to values`);
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...providerEnv, ...ownEnv })) {
    const from = name in ownEnv ? `${where}.environment.${name}` : `provider.environment.${name}`;
    if (value === null) {
      build.unsupported.push(`${from}: null (the variable is left out)`);
      continue;
    }
    // A CloudFormation reference is what the deployed stack gives (a table's name, a queue's URL).
    const resolved = typeof value === 'object' ? build.environment().resolve(value, from) : value;
    environment[name] = typeof resolved === 'string' ? resolved : JSON.stringify(resolved);
  }
  const timeout = Number(build.resolver.get(['functions', key, 'timeout'])) || defaults.timeout;
  const memorySize = Number(build.resolver.get(['functions', key, 'memorySize'])) || defaults.memorySize;
  const loggingConfig = lambdaLogs(build.resolver, key);
  const reserved = build.resolver.get(['functions', key, 'reservedConcurrency']);
  return {
    handler,
    codeUri: baseDir,
    environment,
    timeout,
    memorySize,
    ...(loggingConfig && { loggingConfig }),
    ...(reserved !== undefined && { reservedConcurrency: Number(reserved) }),
  };
}

/**
 * v4's advanced logging: `provider.logs.lambda`, then the function's own `logs` over it, key by
 * key (serverless docs, functions.md "Logging Configuration"). Checked as `loggingConfig`.
 */
function lambdaLogs(resolver: VariableResolver, key: string): LoggingConfig | undefined {
  const provider = resolver.get(['provider', 'logs', 'lambda']);
  const own = resolver.get(['functions', key, 'logs']);
  if (!isRecord(provider) && !isRecord(own)) return undefined;
  return { ...(isRecord(provider) ? provider : {}), ...(isRecord(own) ? own : {}) } as LoggingConfig;
}

/** v1/v2 read `provider.apiKeys`/`provider.usagePlan` where `provider.apiGateway` has none (apiKeys.js, usagePlan.js). */
function apiKeysAndPlans(
  resolver: VariableResolver,
  apiGateway: Record<string, unknown>,
  rules: FrameworkRules,
  service: string,
  stage: string,
  unsupported: string[],
) {
  const fromProvider = (key: string) => {
    const value = resolver.get(['provider', key]);
    if (value === undefined || rules.providerApiKeys) return value;
    unsupported.push(
      `provider.${key}: read from provider.apiGateway.${key} since v3 (frameworkVersion ${rules.release})`,
    );
    return undefined;
  };
  const keys = apiGateway.apiKeys ?? fromProvider('apiKeys');
  const usagePlan = apiGateway.usagePlan ?? fromProvider('usagePlan');
  const where = apiGateway.apiKeys === undefined && keys !== undefined ? 'provider' : 'provider.apiGateway';
  return keysAndPlans(keys, usagePlan, service, stage, where);
}

/** Logical ids of the `AWS::Cognito::UserPool`s the file's `resources` create. */
function userPoolIds(document: Record<string, unknown>): Set<string> {
  const section = document.resources;
  const resources = isRecord(section) && isRecord(section.Resources) ? section.Resources : {};
  return new Set(
    Object.entries(resources)
      .filter(([, resource]) => isRecord(resource) && resource.Type === 'AWS::Cognito::UserPool')
      .map(([id]) => id),
  );
}

/** `resources.Resources` gateway responses (the usual way to put CORS headers on 4XX/5XX answers). */
function gatewayResponses(build: Build): Record<string, GatewayResponse> | undefined {
  const section = build.document.resources;
  const cfResources = isRecord(section) && isRecord(section.Resources) ? section.Resources : {};
  const responses: Record<string, GatewayResponse> = {};
  for (const [logicalId, raw] of Object.entries(cfResources)) {
    if (!isRecord(raw) || typeof raw.Type !== 'string' || !raw.Type.startsWith('AWS::ApiGateway::')) continue;
    // only the API's own resources are resolved: the rest (tables, queues…) is not ours to read
    const resource = build.resolver.get(['resources', 'Resources', logicalId]) as Record<string, unknown>;
    const where = `resources.Resources.${logicalId}`;
    const properties = isRecord(resource.Properties) ? resource.Properties : {};
    if (resource.Type !== 'AWS::ApiGateway::GatewayResponse') {
      build.unsupported.push(`${where}: ${resource.Type}`);
      continue;
    }
    if (typeof properties.ResponseType !== 'string')
      throw new ConfigError(`${where}.Properties.ResponseType: missing`);
    const response: GatewayResponse = {};
    if (properties.StatusCode !== undefined) response.statusCode = String(properties.StatusCode);
    if (isRecord(properties.ResponseParameters)) {
      response.responseParameters = properties.ResponseParameters as Record<string, string>;
    }
    if (isRecord(properties.ResponseTemplates)) {
      response.responseTemplates = properties.ResponseTemplates as Record<string, string>;
    }
    responses[properties.ResponseType] = response;
  }
  return Object.keys(responses).length > 0 ? responses : undefined;
}

/**
 * Reads a Serverless Framework service into our options, by the rules of the release its
 * `frameworkVersion` admits (v3's when absent, v1/v2-only forms such as `request.schema` read as
 * v1/v2 did): each function's `http` events
 * become methods on their paths (lambda-proxy by default; `integration: lambda` with the
 * framework's request template and status-code patterns), with CORS preflights, authorizers,
 * API keys and usage plans, request validation, and the functions' handlers, environment,
 * timeout and memory. Functions keep their serverless.yml key as their name here; deployed,
 * the framework names them `<service>-<stage>-<key>` (that name is what a Lambda ARN given as
 * an authorizer is matched against). What cannot be served locally lands in `unsupported`.
 * @example
 * const { options } = await importServerless('./serverless.yml', { baseDir: '.', logger: console });
 * options.resources['/items'].GET; // { integration: { type: 'AWS_PROXY', function: 'listItems' }, … }
 */
export async function importServerless(
  source: string | Record<string, unknown>,
  ctx: ImportContext,
): Promise<ImportedApi> {
  const document = typeof source === 'string' ? await readServerlessFile(source) : source;
  const unsupported: string[] = [];
  const resolver = new VariableResolver(document, {
    stage: ctx.stageName,
    env: process.env,
    baseDir: ctx.baseDir,
  });
  const rules = frameworkRules(resolver.get(['frameworkVersion']));
  resolver.selfDefaults.provider = rules.selfProviderDefaults;
  const serviceValue = resolver.get(['service']);
  const service = isRecord(serviceValue) ? serviceValue.name : serviceValue;
  if (typeof service !== 'string' || service === '')
    throw new ConfigError('service: missing (the service name)');
  const providerName = resolver.get(['provider', 'name']);
  if (providerName !== 'aws') throw new ConfigError(`provider.name: "${providerName}" (only aws)`);
  const stage = resolver.stage();
  const region = String(resolver.get(['provider', 'region']) ?? 'us-east-1');

  const apiGateway = resolver.get(['provider', 'apiGateway']) ?? {};
  if (!isRecord(apiGateway)) throw new ConfigError('provider.apiGateway: must be a map');
  for (const key of Object.keys(apiGateway)) {
    if (!API_GATEWAY_KEYS.has(key)) unsupported.push(`provider.apiGateway.${key}`);
  }
  if (resolver.get(['provider', 'vpcEndpointIds']) !== undefined) unsupported.push('provider.vpcEndpointIds');
  const guards: UnenforcedGuard[] = [];
  // EDGE and REGIONAL serve the same; a PRIVATE API is reachable only through a VPC endpoint
  if (String(resolver.get(['provider', 'endpointType']) ?? '').toUpperCase() === 'PRIVATE') {
    guards.push({ guard: 'provider.endpointType: PRIVATE (reachable only through a VPC endpoint)' });
  }
  const requestConfig = isRecord(apiGateway.request) ? apiGateway.request : {};

  const rawFunctions = document.functions ?? {};
  if (!isRecord(rawFunctions)) throw new ConfigError('functions: must map function names to functions');
  const deployedNames = new Map<string, string>();
  for (const key of Object.keys(rawFunctions)) {
    const name = resolver.get(['functions', key, 'name']);
    deployedNames.set(key, typeof name === 'string' ? name : `${service}-${stage}-${key}`);
  }

  const sources = { stage: ctx.stageName, env: process.env, baseDir: ctx.baseDir };
  let references: IntrinsicResolver | undefined;
  const stackName = resolver.get(['provider', 'stackName']);
  const build: Build = {
    environment: () => {
      references ??= environmentReferences(
        document,
        sources,
        {
          stackName: typeof stackName === 'string' ? stackName : `${service}-${stage}`,
          region,
          deployedNames,
        },
        ctx,
      );
      return references;
    },
    document,
    resolver,
    service,
    stage,
    functions: {
      deployedNames,
      region,
      userPools: userPoolIds(document),
      importValues: ctx.importValues ?? {},
    },
    resources: {},
    declaredBy: new Map(),
    cors: new Map(),
    authorizers: {},
    models: {},
    validatorName: `${service}-${stage} | Validate request body and querystring parameters`,
    usesValidator: false,
    providerSchemas: isRecord(requestConfig.schemas) ? requestConfig.schemas : {},
    rules,
    legacySchemaNoted: false,
    unsupported,
    guards,
    logger: ctx.logger,
  };

  const providerEnv = resolver.get(['provider', 'environment']) ?? {};
  if (!isRecord(providerEnv)) throw new ConfigError('provider.environment: must map names to values');
  const defaults = {
    timeout: Number(resolver.get(['provider', 'timeout'])) || 6,
    memorySize: Number(resolver.get(['provider', 'memorySize'])) || 1024,
  };
  const functions: Record<string, FunctionDefinition> = {};
  for (const key of Object.keys(rawFunctions)) {
    const fn = functionDefinition(build, key, ctx.baseDir, providerEnv, defaults);
    if (fn) functions[key] = fn;
    const events = resolver.get(['functions', key, 'events']) ?? [];
    if (!Array.isArray(events)) throw new ConfigError(`functions.${key}.events: must be a list`);
    for (const [i, event] of events.entries()) {
      const where = `functions.${key}.events[${i}]`;
      if (!isRecord(event)) throw new ConfigError(`${where}: must be { <event type>: … }`);
      for (const [eventType, value] of Object.entries(event)) {
        if (eventType === 'http') httpEvent(build, key, value, `${where}.http`);
        else
          unsupported.push(
            eventType === 'httpApi'
              ? httpApiNote(`${where}.httpApi: HTTP API (v2) events`)
              : `${where}.${eventType}: ${eventType} events`,
          );
      }
    }
  }

  if (references !== undefined && references.standIns.length > 0) {
    ctx.logger.warn(
      `apigw-express: serverless: function environments: ${references.standIns.join('; ')} (a stand-in; give the real value in the functions option)`,
    );
  }

  for (const [path, cors] of build.cors) {
    build.resources[path] ??= {};
    const resource = build.resources[path];
    // an OPTIONS event of the service's own wins over the generated preflight
    if (resource.OPTIONS === undefined) resource.OPTIONS = preflightMethod(cors);
  }

  const keys = apiKeysAndPlans(resolver, apiGateway, rules, service, stage, unsupported);
  for (const [name, value] of Object.entries(keys.generated)) {
    ctx.logger.info?.(`apigw-express: serverless: API key "${name}" has no value; generated ${value}`);
  }

  const options: ApiGatewayOptions & { resources: Record<string, ResourceDefinition> } = {
    stageName: stage,
    region,
    resources: build.resources,
    functions,
  };
  if (Object.keys(build.authorizers).length > 0) options.authorizers = build.authorizers;
  if (Object.keys(build.models).length > 0) options.models = build.models;
  if (build.usesValidator) {
    options.requestValidators = {
      [build.validatorName]: { validateRequestBody: true, validateRequestParameters: true },
    };
  }
  if (keys.apiKeys.length > 0) options.apiKeys = keys.apiKeys;
  if (keys.usagePlans.length > 0) options.usagePlans = keys.usagePlans;
  if (typeof apiGateway.apiKeySourceType === 'string') {
    const source = apiGateway.apiKeySourceType.toUpperCase();
    if (source !== 'HEADER' && source !== 'AUTHORIZER') {
      throw new ConfigError(
        `provider.apiGateway.apiKeySourceType: "${apiGateway.apiKeySourceType}" (HEADER or AUTHORIZER)`,
      );
    }
    options.apiKeySource = source;
  }
  if (Array.isArray(apiGateway.binaryMediaTypes))
    options.binaryMediaTypes = apiGateway.binaryMediaTypes.map(String);
  if (apiGateway.disableDefaultEndpoint === true || apiGateway.disableDefaultEndpoint === 'true')
    options.disableExecuteApiEndpoint = true;
  const responses = gatewayResponses(build);
  if (responses) options.gatewayResponses = responses;
  // The framework makes the statement list the RestApi's Policy (`rest-api.js`); v1/v2 read it
  // from provider.resourcePolicy.
  const statements = apiGateway.resourcePolicy ?? resolver.get(['provider', 'resourcePolicy']);
  if (statements !== undefined && statements !== null) {
    if (!Array.isArray(statements) && !isRecord(statements)) {
      throw new ConfigError('provider.apiGateway.resourcePolicy: must be a list of policy statements');
    }
    if (!Array.isArray(statements) || statements.length > 0) {
      options.resourcePolicy = { Version: '2012-10-17', Statement: statements };
    }
  }
  const stageLogs = serverlessStageLogs(resolver.get(['provider', 'logs', 'restApi']), apiGateway.metrics);
  if (stageLogs.accessLogSettings) options.accessLogSettings = stageLogs.accessLogSettings;
  if (stageLogs.methodSettings) {
    options.methodSettings = [...stageLogs.methodSettings, ...(options.methodSettings ?? [])];
  }
  return {
    options,
    unsupported: [...unsupported, ...resolver.unsupported],
    unenforcedGuards: guards,
    found: describeFunctions(rawFunctions),
  };
}

/** Each function with the kinds of its events; one without shows its keys (a misspelt `events`). */
function describeFunctions(functions: Record<string, unknown>): string[] {
  return Object.entries(functions).map(([key, fn]) => {
    const events = isRecord(fn) ? fn.events : undefined;
    if (Array.isArray(events) && events.length > 0) {
      const kinds = events.flatMap((event) => (isRecord(event) ? Object.keys(event) : ['?']));
      return `functions.${key} (events: ${kinds.join(', ')})`;
    }
    return `functions.${key} (no events; keys: ${isRecord(fn) ? Object.keys(fn).join(', ') : '?'})`;
  });
}
