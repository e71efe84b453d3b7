import { checkHealthPath } from '../gateway/health.js';
import { isServiceUri } from '../integrations/aws-service/service-uri.js';
import { validateAwsServiceOptions } from '../integrations/aws-service/validate-options.js';
import { validateHttpIntegration } from '../integrations/http/validate-http-integration.js';
import { validateFunctionLogs, validateLoggingConfig } from '../lambda/logging-config.js';
import { ConfigError, configErrors } from './config-error.js';
import { checkExecutionLogger } from './execution-log-settings.js';
import type {
  ApiGatewayOptions,
  FunctionDefinition,
  HttpMethod,
  Integration,
  IntegrationResponse,
  Method,
  ResolvedOptions,
} from './types.js';

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
const INTEGRATION_TYPES = ['AWS_PROXY', 'AWS', 'MOCK', 'HTTP', 'HTTP_PROXY'];
const PASSTHROUGH = ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'];
const CONTENT_HANDLING = ['CONVERT_TO_TEXT', 'CONVERT_TO_BINARY'];
const AUTHORIZATION_TYPES = ['NONE', 'CUSTOM', 'COGNITO_USER_POOLS', 'AWS_IAM'];

/**
 * Every key of ApiGatewayOptions, once: a key added to the type and not here fails to compile.
 * `definition` keys are read with `openapi`, `template` or `serverless` and gone once it is imported.
 */
export const OPTION_KEY_KINDS: Record<keyof ApiGatewayOptions, 'api' | 'definition'> = {
  stageName: 'api',
  basePath: 'api',
  disableExecuteApiEndpoint: 'api',
  stageVariables: 'api',
  stages: 'api',
  binaryMediaTypes: 'api',
  functions: 'api',
  resources: 'api',
  openapi: 'definition',
  template: 'definition',
  serverless: 'definition',
  parameterOverrides: 'definition',
  stackName: 'definition',
  importValues: 'definition',
  serveUnenforcedGuardsOpen: 'definition',
  allowRemoteRefs: 'definition',
  authorizers: 'api',
  authorizerCacheSizeInBytes: 'api',
  userPools: 'api',
  models: 'api',
  requestValidators: 'api',
  gatewayResponses: 'api',
  awsCredentials: 'api',
  resourcePolicy: 'api',
  resourcePolicyContext: 'api',
  apiKeySource: 'api',
  apiKeys: 'api',
  usagePlans: 'api',
  methodSettings: 'api',
  store: 'api',
  clock: 'api',
  maxBufferedBodyBytes: 'api',
  restApiId: 'api',
  accountId: 'api',
  region: 'api',
  logger: 'api',
  executionLogger: 'api',
  catchHandlerErrors: 'api',
  functionLogs: 'api',
  healthPath: 'api',
  accessLogSettings: 'api',
  metrics: 'api',
  isolation: 'api',
  awsServiceCredentials: 'api',
  awsEndpoints: 'api',
};
/** Every option apiGateway() takes, as the unknown-key error lists them. */
export const OPTION_KEYS = Object.keys(OPTION_KEY_KINDS) as (keyof ApiGatewayOptions)[];
const FUNCTION_KEYS = [
  'handler',
  'codeUri',
  'timeout',
  'environment',
  'memorySize',
  'loggingConfig',
  'isolation',
  'reservedConcurrency',
];
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
  'connectionType',
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
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object (got ${shown(value)})`);
  const problems = Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  if (problems.length > 0) throw configErrors(problems);
}

/** A bad value as a message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // a cycle, a BigInt
  }
  text ??= String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Runs each check, collecting every ConfigError's problems instead of stopping at the first. */
class Problems {
  readonly list: string[] = [];
  check(run: () => void): boolean {
    try {
      run();
      return true;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      this.list.push(...error.problems);
      return false;
    }
  }
  throwAny(): void {
    if (this.list.length > 0) throw configErrors(this.list);
  }
}

function checkStringMap(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object of strings (got ${shown(value)})`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new ConfigError(`${where}["${key}"]: must be a string (got ${shown(v)})`);
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
  const problems = new Problems();
  if (!isObject(options))
    throw new ConfigError(`apiGateway options: must be an object (got ${shown(options)})`);
  problems.check(() => {
    const keyProblems: string[] = [];
    for (const key of Object.keys(options)) {
      const kind = OPTION_KEY_KINDS[key as keyof ApiGatewayOptions];
      if (!Object.hasOwn(OPTION_KEY_KINDS, key)) {
        keyProblems.push(`apiGateway options: unknown field "${key}" (allowed: ${OPTION_KEYS.join(', ')})`);
      } else if (kind === 'definition') {
        keyProblems.push(
          `${key}: only with a definition (openapi, template or serverless), not with resources`,
        );
      }
    }
    if (keyProblems.length > 0) throw configErrors(keyProblems);
  });
  problems.check(() => {
    if (options.stageName !== undefined && !/^[A-Za-z0-9_-]{1,128}$/.test(options.stageName)) {
      throw new ConfigError(
        `stageName: ${shown(options.stageName)} (stage names use letters, digits, - and _, at most 128)`,
      );
    }
  });
  problems.check(() => {
    if (
      options.basePath !== undefined &&
      (typeof options.basePath !== 'string' ||
        (options.basePath !== '' && !/^\/[^?#]*[^/?#]$/.test(options.basePath)))
    ) {
      throw new ConfigError(
        `basePath: must be '' or a path such as '/prod' without a trailing slash (got ${shown(options.basePath)})`,
      );
    }
  });
  problems.check(() => {
    const buffered = options.maxBufferedBodyBytes;
    if (buffered !== undefined && !(Number.isSafeInteger(buffered) && buffered >= 10 * 1024 * 1024)) {
      throw new ConfigError(
        `maxBufferedBodyBytes: ${shown(buffered)} (a whole number of bytes, at least 10485760 so one full 10 MB payload fits)`,
      );
    }
  });
  problems.check(() => {
    if (options.isolation !== undefined && options.isolation !== 'process' && options.isolation !== 'none') {
      throw new ConfigError(`isolation: ${shown(options.isolation)} ('process' or 'none')`);
    }
  });
  problems.check(() => {
    const disable = options.disableExecuteApiEndpoint;
    if (disable !== undefined && typeof disable !== 'boolean') {
      throw new ConfigError(`disableExecuteApiEndpoint: ${shown(disable)} (true or false)`);
    }
  });
  problems.check(() => {
    if (options.catchHandlerErrors !== undefined && typeof options.catchHandlerErrors !== 'boolean') {
      throw new ConfigError(`catchHandlerErrors: ${shown(options.catchHandlerErrors)} (true or false)`);
    }
  });
  problems.check(() => validateFunctionLogs(options.functionLogs));
  problems.check(() => {
    if (options.healthPath !== undefined) {
      checkHealthPath(options.healthPath, options.basePath ?? `/${options.stageName ?? 'prod'}`);
    }
  });
  problems.check(() => checkStringMap(options.stageVariables, 'stageVariables'));
  problems.check(() => validateAwsServiceOptions(options.awsServiceCredentials, options.awsEndpoints));
  problems.check(() => {
    if (
      options.binaryMediaTypes !== undefined &&
      (!Array.isArray(options.binaryMediaTypes) ||
        options.binaryMediaTypes.some((t) => typeof t !== 'string' || !t.includes('/')))
    ) {
      throw new ConfigError(
        `binaryMediaTypes: must be a list of media types such as "image/png" or "*/*" (got ${shown(options.binaryMediaTypes)})`,
      );
    }
  });
  for (const key of ['restApiId', 'accountId', 'region'] as const) {
    problems.check(() => {
      if (options[key] !== undefined && (typeof options[key] !== 'string' || options[key] === '')) {
        throw new ConfigError(`${key}: must be a non-empty string (got ${shown(options[key])})`);
      }
    });
  }

  let functions: Record<string, unknown> = options.functions ?? {};
  if (!isObject(functions)) {
    problems.list.push(`functions: must be an object of function name → handler (got ${shown(functions)})`);
    functions = {};
  }
  for (const [name, fn] of Object.entries(functions)) {
    problems.check(() => validateFunction(name, fn));
  }

  problems.check(() => {
    const cacheBytes = options.authorizerCacheSizeInBytes;
    if (cacheBytes !== undefined && !(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) {
      throw new ConfigError(
        `authorizerCacheSizeInBytes: a whole number of bytes, 0 or more (got ${shown(cacheBytes)})`,
      );
    }
  });
  problems.check(() => {
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new ConfigError(
        `clock: must be a function returning milliseconds since the epoch (got ${shown(options.clock)})`,
      );
    }
  });
  problems.check(() => features.options(options));

  if (!isObject(options.resources)) {
    problems.list.push(
      `resources: must be an object of resource path → methods (got ${shown(options.resources)})`,
    );
    problems.throwAny();
  }
  const methodKeys = new Set<string>();
  for (const [path, methods] of Object.entries(options.resources)) {
    if (!isObject(methods)) {
      problems.list.push(
        `resources["${path}"]: must be an object of HTTP method → method (got ${shown(methods)})`,
      );
      continue;
    }
    const seen = new Set<string>();
    for (const [rawMethod, method] of Object.entries(methods)) {
      if (rawMethod === 'cors') {
        problems.check(() => features.cors(method, path));
        continue;
      }
      const httpMethod = rawMethod.toUpperCase();
      if (!HTTP_METHODS.includes(httpMethod as HttpMethod)) {
        problems.list.push(`${rawMethod} ${path}: unknown HTTP method (use ${HTTP_METHODS.join(', ')})`);
        continue;
      }
      if (seen.has(httpMethod)) {
        problems.list.push(`${httpMethod} ${path}: method declared twice`);
        continue;
      }
      seen.add(httpMethod);
      problems.check(() => {
        validateMethod(method, `${httpMethod} ${path}`, functions, options.stageVariables ?? {});
        features.method(method as Method, `${httpMethod} ${path}`, options);
      });
      methodKeys.add(`${path}/${httpMethod}`);
    }
  }
  problems.check(() => features.last(options, methodKeys));
  problems.check(() => checkExecutionLogger(options.executionLogger));
  problems.throwAny();
  // `store` is checked by createUsageStore, which also takes ioredis options and a store of one's own.
}

export function validateFunction(name: string, fn: unknown): void {
  const where = `functions["${name}"]`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw new ConfigError(`${where}: invalid Lambda function name (letters, digits, - and _, at most 64)`);
  if (typeof fn === 'function') return;
  checkKeys(fn, FUNCTION_KEYS, where);
  const def = fn as unknown as FunctionDefinition;
  const problems = new Problems();
  problems.check(() => {
    if (typeof def.handler !== 'function' && typeof def.handler !== 'string')
      throw new ConfigError(
        `${where}.handler: a handler function, or a Handler string such as "src/items.get" (got ${shown(def.handler)})`,
      );
    // Lambda's API takes any Handler of up to 128 non-space characters (API_CreateFunction); a
    // malformed one fails each invocation with Runtime.MalformedHandlerName, as on AWS.
    if (typeof def.handler === 'string' && !/^[^\s]{1,128}$/.test(def.handler)) {
      throw new ConfigError(
        `${where}.handler: ${JSON.stringify(def.handler)}: a Handler string is 1 to 128 characters, no spaces (e.g. "src/items.get")`,
      );
    }
  });
  problems.check(() => {
    if (def.codeUri !== undefined && typeof def.codeUri !== 'string')
      throw new ConfigError(`${where}.codeUri: a folder path (got ${shown(def.codeUri)})`);
  });
  problems.check(() => {
    if (
      def.timeout !== undefined &&
      !(typeof def.timeout === 'number' && def.timeout > 0 && def.timeout <= 900)
    ) {
      throw new ConfigError(
        `${where}.timeout: seconds, more than 0 and at most 900 (got ${shown(def.timeout)})`,
      );
    }
  });
  problems.check(() => {
    if (def.memorySize !== undefined && !(Number.isInteger(def.memorySize) && def.memorySize >= 128)) {
      throw new ConfigError(
        `${where}.memorySize: an integer number of MB, at least 128 (got ${shown(def.memorySize)})`,
      );
    }
  });
  problems.check(() => checkStringMap(def.environment, `${where}.environment`));
  problems.check(() => validateLoggingConfig(def.loggingConfig, `${where}.loggingConfig`));
  problems.check(() => checkIsolation(def, where));
  problems.throwAny();
}

/** A function's `isolation` and `reservedConcurrency`: only code loaded by `Handler` string can be isolated. */
function checkIsolation(def: FunctionDefinition, where: string): void {
  if (def.isolation !== undefined && def.isolation !== 'process' && def.isolation !== 'none') {
    throw new ConfigError(`${where}.isolation: ${shown(def.isolation)} ('process' or 'none')`);
  }
  if (def.isolation === 'process' && typeof def.handler === 'function') {
    throw new ConfigError(
      `${where}.isolation: 'process' needs a Handler string ("file.export" under codeUri): an inline handler cannot leave this process`,
    );
  }
  if (
    def.reservedConcurrency !== undefined &&
    !(Number.isInteger(def.reservedConcurrency) && def.reservedConcurrency >= 0)
  ) {
    throw new ConfigError(
      `${where}.reservedConcurrency: a whole number of concurrent executions, 0 (every call throttled) or more (got ${shown(def.reservedConcurrency)})`,
    );
  }
}

function validateMethod(
  method: unknown,
  route: string,
  functions: Record<string, unknown>,
  stageVariables: Record<string, string>,
): void {
  checkKeys(method, METHOD_KEYS, route);
  const m = method as unknown as Method;
  const problems = new Problems();
  problems.check(() => checkOneOf(m.authorizationType, AUTHORIZATION_TYPES, `${route}: authorizationType`));
  problems.check(() => {
    if (m.apiKeyRequired !== undefined && typeof m.apiKeyRequired !== 'boolean') {
      throw new ConfigError(`${route}: apiKeyRequired: must be a boolean (got ${shown(m.apiKeyRequired)})`);
    }
  });
  if (m.methodResponses !== undefined) {
    if (!Array.isArray(m.methodResponses)) {
      problems.list.push(`${route}: methodResponses: must be a list (got ${shown(m.methodResponses)})`);
    } else {
      m.methodResponses.forEach((r, i) => {
        problems.check(() => {
          checkKeys(r, METHOD_RESPONSE_KEYS, `${route}: methodResponses[${i}]`);
          if (!/^[2-5]\d\d$/.test(String(r.statusCode))) {
            throw new ConfigError(
              `${route}: methodResponses[${i}].statusCode: must be a status code such as "200" (got ${shown(r.statusCode)})`,
            );
          }
        });
      });
    }
  }
  if (m.integration === undefined) {
    problems.list.push(`${route}: integration: missing`);
    problems.throwAny();
  }
  if (!problems.check(() => checkKeys(m.integration, INTEGRATION_KEYS, `${route}: integration`))) {
    problems.throwAny();
  }
  const integration = m.integration;
  const where = `${route}: integration`;
  problems.check(() => {
    if (!INTEGRATION_TYPES.includes(integration.type)) {
      throw new ConfigError(
        `${where}.type: unknown integration type ${JSON.stringify(integration.type)} (supported: ${INTEGRATION_TYPES.join(', ')})`,
      );
    }
  });
  problems.check(() =>
    checkOneOf(integration.passthroughBehavior, PASSTHROUGH, `${where}.passthroughBehavior`),
  );
  problems.check(() => checkOneOf(integration.contentHandling, CONTENT_HANDLING, `${where}.contentHandling`));
  problems.check(() => checkStringMap(integration.requestTemplates, `${where}.requestTemplates`));
  problems.check(() => checkStringMap(integration.requestParameters, `${where}.requestParameters`));
  problems.check(() => {
    if (
      integration.timeoutInMillis !== undefined &&
      !(Number.isInteger(integration.timeoutInMillis) && integration.timeoutInMillis >= 50)
    ) {
      throw new ConfigError(
        `${where}.timeoutInMillis: an integer of at least 50 (default 29000) (got ${shown(integration.timeoutInMillis)})`,
      );
    }
  });
  if (integration.integrationResponses !== undefined) {
    if (!Array.isArray(integration.integrationResponses)) {
      problems.list.push(
        `${where}.integrationResponses: must be a list (got ${shown(integration.integrationResponses)})`,
      );
    } else {
      integration.integrationResponses.forEach((r, i) => {
        problems.check(() => validateIntegrationResponse(r, `${where}.integrationResponses[${i}]`));
      });
    }
  }
  if (integration.type === 'HTTP' || integration.type === 'HTTP_PROXY')
    problems.check(() => validateHttpIntegration(integration, where, stageVariables));
  // An AWS service integration (non-Lambda uri) calls no function.
  else if (integration.type !== 'MOCK' && !(integration.type === 'AWS' && isServiceUri(integration.uri)))
    problems.check(() => validateFunctionRef(integration, where, functions, stageVariables));
  problems.throwAny();
}

function validateIntegrationResponse(r: unknown, at: string): void {
  checkKeys(r, INTEGRATION_RESPONSE_KEYS, at);
  const response = r as unknown as IntegrationResponse;
  const problems = new Problems();
  problems.check(() => {
    if (!/^[2-5]\d\d$/.test(String(response.statusCode))) {
      throw new ConfigError(
        `${at}.statusCode: must be a status code such as "200" (got ${shown(response.statusCode)})`,
      );
    }
  });
  problems.check(() => {
    if (response.selectionPattern !== undefined && typeof response.selectionPattern !== 'string') {
      throw new ConfigError(
        `${at}.selectionPattern: must be a string (a Java regular expression) (got ${shown(response.selectionPattern)})`,
      );
    }
  });
  problems.check(() => checkStringMap(response.responseParameters, `${at}.responseParameters`));
  problems.check(() => checkStringMap(response.responseTemplates, `${at}.responseTemplates`));
  problems.check(() => checkOneOf(response.contentHandling, CONTENT_HANDLING, `${at}.contentHandling`));
  problems.throwAny();
}

function validateFunctionRef(
  integration: Integration,
  where: string,
  functions: Record<string, unknown>,
  stageVariables: Record<string, string>,
): void {
  for (const [, variable] of (integration.uri ?? '').matchAll(STAGE_VARIABLE)) {
    if (stageVariables[variable] === undefined) {
      throw new ConfigError(`${where}.uri: stage variable "${variable}" is not set in stageVariables`);
    }
  }
  const name = integrationFunctionName(integration, stageVariables);
  if (name === undefined) {
    throw new ConfigError(
      integration.uri !== undefined
        ? `${where}.uri: not a Lambda function invocation ARN (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations) (got ${shown(integration.uri)})`
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
