import { ConfigError } from './config-error.js';
import type { FunctionDefinition, HttpMethod, Integration, Method, ResolvedOptions } from './types.js';

export const HTTP_METHODS: readonly HttpMethod[] = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'ANY',
];
const INTEGRATION_TYPES = ['AWS_PROXY', 'AWS', 'MOCK'];
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLING = ['CONVERT_TO_TEXT', 'CONVERT_TO_BINARY'];
const AUTHORIZATION_TYPES = ['NONE', 'CUSTOM', 'COGNITO_USER_POOLS', 'AWS_IAM'];

const OPTION_KEYS = [
  'stageName',
  'basePath',
  'stageVariables',
  'binaryMediaTypes',
  'functions',
  'resources',
  'restApiId',
  'accountId',
  'region',
  'logger',
  'authorizers',
  'authorizerCacheSizeInBytes',
  'userPools',
  'gatewayResponses',
  'awsCredentials',
  'resourcePolicy',
  'resourcePolicyContext',
  'clock',
  'apiKeySource',
  'apiKeys',
  'usagePlans',
  'methodSettings',
  'store',
  'models',
  'requestValidators',
  'maxBufferedBodyBytes',
  'catchHandlerErrors',
];
const FUNCTION_KEYS = ['handler', 'codeUri', 'timeout', 'environment', 'memorySize'];
const METHOD_KEYS = [
  'integration',
  'authorizationType',
  'authorizer',
  'authorizationScopes',
  'apiKeyRequired',
  'requestValidator',
  'requestParameters',
  'requestModels',
  'methodResponses',
  'operationName',
];
const INTEGRATION_KEYS = [
  'type',
  'function',
  'uri',
  'httpMethod',
  'timeoutInMillis',
  'passthroughBehavior',
  'requestTemplates',
  'requestParameters',
  'integrationResponses',
  'contentHandling',
  'cacheKeyParameters',
  'cacheNamespace',
  'credentials',
];
const INTEGRATION_RESPONSE_KEYS = [
  'statusCode',
  'selectionPattern',
  'responseParameters',
  'responseTemplates',
  'contentHandling',
];
const METHOD_RESPONSE_KEYS = ['statusCode', 'responseParameters', 'responseModels'];

// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/ (AWS also accepts `path//`, recorded)
// arn:aws:lambda:{region}:{account}:function:{name}[:alias]/invocations
const LAMBDA_URI =
  /^arn:aws[a-z-]*:apigateway:[^:]+:lambda:path\/{1,2}[^/]+\/functions\/arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:/]+)(?::[^/]+)?\/invocations$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkKeys(
  value: unknown,
  allowed: readonly string[],
  where: string,
): asserts value is Record<string, unknown> {
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object`);
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function checkStringMap(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object of strings`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new ConfigError(`${where}["${key}"]: must be a string`);
  }
}

function checkOneOf(value: unknown, allowed: readonly string[], where: string): void {
  if (value !== undefined && !allowed.includes(value as string)) {
    throw new ConfigError(`${where}: must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
}

const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

/**
 * Function name an integration calls, from `function` or a Lambda `uri`. A uri may name the
 * function through a stage variable (`…:function:${stageVariables.fn}/invocations`); a stage's
 * variables are fixed per `apiGateway()`, so it resolves once, at startup.
 */
export function integrationFunctionName(
  integration: Integration,
  stageVariables: Record<string, string> = {},
): string | undefined {
  if (integration.function !== undefined) return integration.function;
  if (integration.uri === undefined) return undefined;
  const uri = integration.uri.replace(STAGE_VARIABLE, (_match, name: string) => stageVariables[name] ?? '');
  return LAMBDA_URI.exec(uri)?.[1];
}

/** Startup checks: every problem API Gateway would refuse, named by route and field. */
/**
 * The checks of the features built on the core (guards, gateway responses, CORS, keys), given by
 * the gateway layer so that config stays at the bottom of the import graph: run in this order,
 * options-wide before the resources, per resource `cors` and per method among them, the rest last.
 */
export interface FeatureChecks {
  options(options: ResolvedOptions): void;
  cors(value: unknown, path: string): void;
  method(method: Method, route: string, options: ResolvedOptions): void;
  last(options: ResolvedOptions, methodKeys: Set<string>): void;
}

const NO_FEATURES: FeatureChecks = { options() {}, cors() {}, method() {}, last() {} };

export function validateOptions(options: ResolvedOptions, features: FeatureChecks = NO_FEATURES): void {
  checkKeys(options, OPTION_KEYS, 'apiGateway options');
  if (options.stageName !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(options.stageName)) {
    throw new ConfigError(
      `stageName: ${JSON.stringify(options.stageName)} (stage names use letters, digits, - and _, at most 128)`,
    );
  }
  if (options.basePath !== undefined) {
    if (
      typeof options.basePath !== 'string' ||
      (options.basePath !== '' && !/^\/[^?#]*[^/?#]$/.test(options.basePath))
    ) {
      throw new ConfigError(`basePath: must be '' or a path such as '/prod' without a trailing slash`);
    }
  }
  const buffered = options.maxBufferedBodyBytes;
  if (buffered !== undefined && !(Number.isSafeInteger(buffered) && buffered >= 10 * 1024 * 1024)) {
    throw new ConfigError(
      `maxBufferedBodyBytes: ${JSON.stringify(buffered)} (a whole number of bytes, at least 10485760 so one full 10 MB payload fits)`,
    );
  }
  if (options.catchHandlerErrors !== undefined && typeof options.catchHandlerErrors !== 'boolean') {
    throw new ConfigError(
      `catchHandlerErrors: ${JSON.stringify(options.catchHandlerErrors)} (true or false)`,
    );
  }
  checkStringMap(options.stageVariables, 'stageVariables');
  if (options.binaryMediaTypes !== undefined) {
    if (
      !Array.isArray(options.binaryMediaTypes) ||
      options.binaryMediaTypes.some((t) => typeof t !== 'string' || !t.includes('/'))
    ) {
      throw new ConfigError('binaryMediaTypes: must be a list of media types such as "image/png" or "*/*"');
    }
  }
  for (const key of ['restApiId', 'accountId', 'region'] as const) {
    if (options[key] !== undefined && (typeof options[key] !== 'string' || options[key] === '')) {
      throw new ConfigError(`${key}: must be a non-empty string`);
    }
  }

  const functions = options.functions ?? {};
  if (!isObject(functions)) throw new ConfigError('functions: must be an object of function name → handler');
  for (const [name, fn] of Object.entries(functions)) {
    const where = `functions["${name}"]`;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new ConfigError(`${where}: invalid Lambda function name`);
    if (typeof fn === 'function') continue;
    checkKeys(fn, FUNCTION_KEYS, where);
    const def = fn as unknown as FunctionDefinition;
    if (typeof def.handler !== 'function' && typeof def.handler !== 'string')
      throw new ConfigError(
        `${where}.handler: a handler function, or a Handler string such as "src/items.get"`,
      );
    // Lambda's API takes any Handler of up to 128 non-space characters (API_CreateFunction); a
    // malformed one fails each invocation with Runtime.MalformedHandlerName, as on AWS.
    if (typeof def.handler === 'string' && !/^[^\s]{1,128}$/.test(def.handler)) {
      throw new ConfigError(
        `${where}.handler: ${JSON.stringify(def.handler)}: a Handler string is 1 to 128 characters, no spaces (e.g. "src/items.get")`,
      );
    }
    if (def.codeUri !== undefined && typeof def.codeUri !== 'string')
      throw new ConfigError(`${where}.codeUri: a folder path`);
    if (
      def.timeout !== undefined &&
      !(typeof def.timeout === 'number' && def.timeout > 0 && def.timeout <= 900)
    ) {
      throw new ConfigError(
        `${where}.timeout: seconds, more than 0 and at most 900 (got ${JSON.stringify(def.timeout)})`,
      );
    }
    if (def.memorySize !== undefined && !(Number.isInteger(def.memorySize) && def.memorySize >= 128)) {
      throw new ConfigError(`${where}.memorySize: an integer number of MB, at least 128`);
    }
    checkStringMap(def.environment, `${where}.environment`);
  }

  const cacheBytes = options.authorizerCacheSizeInBytes;
  if (cacheBytes !== undefined && !(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) {
    throw new ConfigError(
      `authorizerCacheSizeInBytes: a whole number of bytes, 0 or more (got ${JSON.stringify(cacheBytes)})`,
    );
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new ConfigError('clock: must be a function returning milliseconds since the epoch');
  }
  features.options(options);

  if (!isObject(options.resources))
    throw new ConfigError('resources: must be an object of resource path → methods');
  const methodKeys = new Set<string>();
  for (const [path, methods] of Object.entries(options.resources)) {
    if (!isObject(methods))
      throw new ConfigError(`resources["${path}"]: must be an object of HTTP method → method`);
    const seen = new Set<string>();
    for (const [rawMethod, method] of Object.entries(methods)) {
      if (rawMethod === 'cors') {
        features.cors(method, path);
        continue;
      }
      const httpMethod = rawMethod.toUpperCase();
      if (!HTTP_METHODS.includes(httpMethod as HttpMethod)) {
        throw new ConfigError(`${rawMethod} ${path}: unknown HTTP method (use ${HTTP_METHODS.join(', ')})`);
      }
      if (seen.has(httpMethod)) throw new ConfigError(`${httpMethod} ${path}: method declared twice`);
      seen.add(httpMethod);
      validateMethod(method, `${httpMethod} ${path}`, functions, options.stageVariables ?? {});
      features.method(method as Method, `${httpMethod} ${path}`, options);
      methodKeys.add(`${path}/${httpMethod}`);
    }
  }
  features.last(options, methodKeys);
  // `store` is checked by createUsageStore, which also takes ioredis options and a store of one's own.
}

function validateMethod(
  method: unknown,
  route: string,
  functions: Record<string, unknown>,
  stageVariables: Record<string, string>,
): void {
  checkKeys(method, METHOD_KEYS, route);
  const m = method as unknown as Method;
  checkOneOf(m.authorizationType, AUTHORIZATION_TYPES, `${route}: authorizationType`);
  if (m.apiKeyRequired !== undefined && typeof m.apiKeyRequired !== 'boolean') {
    throw new ConfigError(`${route}: apiKeyRequired: must be a boolean`);
  }
  if (m.methodResponses !== undefined) {
    if (!Array.isArray(m.methodResponses)) throw new ConfigError(`${route}: methodResponses: must be a list`);
    m.methodResponses.forEach((r, i) => {
      checkKeys(r, METHOD_RESPONSE_KEYS, `${route}: methodResponses[${i}]`);
      if (!/^[2-5]\d\d$/.test(String(r.statusCode))) {
        throw new ConfigError(
          `${route}: methodResponses[${i}].statusCode: must be a status code such as "200"`,
        );
      }
    });
  }
  if (m.integration === undefined) throw new ConfigError(`${route}: integration: missing`);
  checkKeys(m.integration, INTEGRATION_KEYS, `${route}: integration`);
  const integration = m.integration;
  const where = `${route}: integration`;
  if (!INTEGRATION_TYPES.includes(integration.type)) {
    throw new ConfigError(
      `${where}.type: unknown integration type ${JSON.stringify(integration.type)} (supported: ${INTEGRATION_TYPES.join(', ')})`,
    );
  }
  checkOneOf(integration.passthroughBehavior, PASSTHROUGH, `${where}.passthroughBehavior`);
  checkOneOf(integration.contentHandling, CONTENT_HANDLING, `${where}.contentHandling`);
  checkStringMap(integration.requestTemplates, `${where}.requestTemplates`);
  checkStringMap(integration.requestParameters, `${where}.requestParameters`);
  if (
    integration.timeoutInMillis !== undefined &&
    !(Number.isInteger(integration.timeoutInMillis) && integration.timeoutInMillis >= 50)
  ) {
    throw new ConfigError(`${where}.timeoutInMillis: an integer of at least 50 (default 29000)`);
  }
  if (integration.integrationResponses !== undefined) {
    if (!Array.isArray(integration.integrationResponses)) {
      throw new ConfigError(`${where}.integrationResponses: must be a list`);
    }
    integration.integrationResponses.forEach((r, i) => {
      const at = `${where}.integrationResponses[${i}]`;
      checkKeys(r, INTEGRATION_RESPONSE_KEYS, at);
      if (!/^[2-5]\d\d$/.test(String(r.statusCode))) {
        throw new ConfigError(`${at}.statusCode: must be a status code such as "200"`);
      }
      if (r.selectionPattern !== undefined && typeof r.selectionPattern !== 'string') {
        throw new ConfigError(`${at}.selectionPattern: must be a string (a Java regular expression)`);
      }
      checkStringMap(r.responseParameters, `${at}.responseParameters`);
      checkStringMap(r.responseTemplates, `${at}.responseTemplates`);
      checkOneOf(r.contentHandling, CONTENT_HANDLING, `${at}.contentHandling`);
    });
  }
  if (integration.type === 'MOCK') return;
  for (const [, variable] of (integration.uri ?? '').matchAll(STAGE_VARIABLE)) {
    if (stageVariables[variable] === undefined) {
      throw new ConfigError(`${where}.uri: stage variable "${variable}" is not set in stageVariables`);
    }
  }
  const name = integrationFunctionName(integration, stageVariables);
  if (name === undefined) {
    throw new ConfigError(
      integration.uri !== undefined
        ? `${where}.uri: not a Lambda function invocation ARN (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations)`
        : `${where}.function: missing (name a function from "functions", or give a Lambda uri)`,
    );
  }
  if (!Object.hasOwn(functions, name)) {
    const known = Object.keys(functions);
    throw new ConfigError(
      `${where}.${integration.function !== undefined ? 'function' : 'uri'}: unknown function "${name}" (known: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
}
