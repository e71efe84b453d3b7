import { ConfigError } from '../../config/config-error.js';
import type {
  Authorizer,
  GatewayResponse,
  HttpMethod,
  Method,
  MethodSetting,
  ResolvedOptions,
  ResourceDefinition,
} from '../../config/types.js';
import { importedResponseType } from '../gateway-response-type.js';
import { httpApiNote } from '../http-api-note.js';
import { isPrivateEndpoint } from '../private-endpoint.js';
import type { UnenforcedGuard } from '../unenforced-guards.js';
import { toAccessLogSettings } from './access-log-setting.js';
import { type ApiParts, isObject, type StageSettings, toQuota, toThrottle } from './api-parts.js';
import type { IntrinsicResolver, TemplateResource } from './intrinsics.js';
import { mergeGlobals } from './sam-globals.js';
import { SamResourcePolicy } from './sam-resource-policy.js';

/** SAM's implicit API, made for `Api` events without a `RestApiId`, served as stage `Prod`. */
export const IMPLICIT_API = 'ServerlessRestApi';

/** A `Type: Api` event of a function, resolved. */
interface ApiEvent {
  functionId: string;
  where: string;
  props: Record<string, unknown>;
}

/** What an event or the API's `Auth` set on a method, applied once the API's passes run. */
interface MethodAuth {
  authorizer?: string;
  apiKeyRequired?: boolean;
  authorizationScopes?: string[];
}

/** Properties SAM accepts that change nothing a local emulation can show. */
const IGNORED_API_PROPERTIES = new Set([
  'Name',
  // Read by readDomainMappings, served by customDomains().
  'Domain',
  'Description',
  'Tags',
  'EndpointConfiguration',
  'TracingEnabled',
  'OpenApiVersion',
  'PropagateTags',
  'AlwaysDeploy',
  'AccessLogSetting',
  'FailOnWarnings',
]);
const HANDLED_API_PROPERTIES = new Set([
  'StageName',
  'DisableExecuteApiEndpoint',
  'DefinitionBody',
  'DefinitionUri',
  'Cors',
  'Auth',
  'GatewayResponses',
  'Models',
  'BinaryMediaTypes',
  'Variables',
  'MethodSettings',
  'ApiKeySourceType',
]);
const HANDLED_AUTH_PROPERTIES = new Set([
  'Authorizers',
  'DefaultAuthorizer',
  'AddDefaultAuthorizerToCorsPreflight',
  'AddApiKeyRequiredToCorsPreflight',
  'ApiKeyRequired',
  'UsagePlan',
  'InvokeRole',
  'ResourcePolicy',
]);

const ANY_METHODS = 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT';

/** SAM's CORS preflight request template, byte for byte (SAM `swagger.py`, `_options_method_response_for_cors`). */
const CORS_REQUEST_TEMPLATE = '{\n  "statusCode" : 200\n}\n';

export interface SamApiInput {
  logicalId: string;
  /** The `AWS::Serverless::Api` resource, absent for the implicit API. */
  resource?: TemplateResource;
  globals?: Record<string, unknown>;
  events: ApiEvent[];
  resolver: IntrinsicResolver;
  unsupported: string[];
  /** Restrictions that cannot be enforced here, for the importer to settle. */
  guards: UnenforcedGuard[];
  /** Reads an OpenAPI document (`DefinitionBody`, `DefinitionUri`) into resources, authorizers, models… */
  importBody: (
    document: Record<string, unknown> | string,
    where: string,
  ) => Promise<Partial<ResolvedOptions>>;
}

/** The `Type: Api` events of every `AWS::Serverless::Function`, grouped by the API they attach to. */
export function collectApiEvents(
  resources: Record<string, TemplateResource>,
  resolver: IntrinsicResolver,
  unsupported: string[],
): Map<string, ApiEvent[]> {
  const byApi = new Map<string, ApiEvent[]>();
  for (const [functionId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Serverless::Function') continue;
    const events = resource.Properties?.Events;
    if (!isObject(events)) continue;
    for (const [name, event] of Object.entries(events)) {
      if (!isObject(event)) continue;
      const where = `Resources.${functionId}.Properties.Events.${name}`;
      if (event.Type === 'HttpApi') unsupported.push(httpApiNote(`${functionId}: Events.${name}: HttpApi`));
      if (event.Type !== 'Api') continue;
      const props = resolver.resolve(event.Properties ?? {}, `${where}.Properties`) as Record<
        string,
        unknown
      >;
      const api = props.RestApiId === undefined ? IMPLICIT_API : String(props.RestApiId);
      if (!byApi.has(api)) byApi.set(api, []);
      byApi.get(api)?.push({ functionId, where, props });
    }
  }
  return byApi;
}

/**
 * An `AWS::Serverless::Api` (or the implicit API) → our options, by SAM's own rules: each `Api`
 * event a Lambda proxy method, then the passes in SAM's order: Cors → Auth → GatewayResponses →
 * BinaryMediaTypes → Models; `Auth.UsagePlan` creates the API key and plan SAM creates.
 * (SAM `model/api/api_generator.py`, `swagger/swagger.py`, `model/eventsources/push.py`)
 */
export async function translateSamApi(input: SamApiInput): Promise<ApiParts> {
  const { logicalId, resolver, unsupported } = input;
  const where = input.resource
    ? `Resources.${logicalId}.Properties`
    : `Globals.Api (implicit ${IMPLICIT_API})`;
  const { StageName: _s, DefinitionBody: _d, ...globals } = input.globals ?? {};
  const raw = input.resource
    ? mergeGlobals(globals, input.resource.Properties ?? {})
    : { ...globals, StageName: 'Prod' };
  const props = resolver.resolve(raw, where) as Record<string, unknown>;
  for (const key of Object.keys(props)) {
    if (!HANDLED_API_PROPERTIES.has(key) && !IGNORED_API_PROPERTIES.has(key))
      unsupported.push(`${logicalId}: ${key}`);
  }
  const parts: ApiParts = { logicalId, resources: {}, stages: new Map() };
  // A PRIVATE API is reachable only through a VPC endpoint, which cannot be checked here.
  if (isPrivateEndpoint(props.EndpointConfiguration)) {
    input.guards.push({
      guard: `${where}.EndpointConfiguration: PRIVATE (reachable only through a VPC endpoint)`,
    });
  }

  if (props.DefinitionBody !== undefined || props.DefinitionUri !== undefined) {
    const at = props.DefinitionBody !== undefined ? `${where}.DefinitionBody` : `${where}.DefinitionUri`;
    const document = props.DefinitionBody ?? props.DefinitionUri;
    if (!isObject(document) && typeof document !== 'string')
      throw new ConfigError(`${at}: must be an OpenAPI document`);
    if (isObject(document) && document.Bucket !== undefined) {
      throw new ConfigError(
        `${at}: a document on S3 cannot be read here (give DefinitionBody, or a local DefinitionUri)`,
      );
    }
    if (typeof document === 'string' && document.startsWith('s3://')) {
      throw new ConfigError(
        `${at}: a document on S3 cannot be read here (give DefinitionBody, or a local DefinitionUri)`,
      );
    }
    Object.assign(parts, await input.importBody(document, at), { logicalId, stages: parts.stages });
  }

  const stageName = props.StageName;
  if (typeof stageName !== 'string' || stageName === '') throw new ConfigError(`${where}.StageName: missing`);
  const stage: StageSettings = {};
  if (isObject(props.Variables)) stage.stageVariables = stringMap(props.Variables);
  if (Array.isArray(props.MethodSettings)) stage.methodSettings = toMethodSettings(props.MethodSettings);
  const accessLog = toAccessLogSettings(props.AccessLogSetting, `${where}.AccessLogSetting`);
  if (accessLog !== undefined) stage.accessLogSettings = accessLog;
  parts.stages.set(stageName, stage);
  // SAM's Deployment for the API also names a stage `Stage`, without the stage's settings, unless
  // OpenApiVersion is set (samtranslator/model/api/api_generator.py, `_construct_deployment`).
  if (!props.OpenApiVersion && !parts.stages.has('Stage')) parts.stages.set('Stage', {});

  const auth = isObject(props.Auth) ? props.Auth : undefined;
  const models = isObject(props.Models) ? props.Models : undefined;
  const methodAuth = new Map<Method, MethodAuth>();
  const eventPolicies: EventPolicy[] = [];
  for (const event of input.events) addEventMethod(parts, event, models, methodAuth, resolver, eventPolicies);

  // Resource policies, as SAM writes them: the events' first (functions translate before the
  // API, each event's statements covering every method its path has by then), then Cors, then
  // the API's own over every path (Cors preflights included).
  const policy = new SamResourcePolicy(parts.resourcePolicy);
  for (const { path, resourcePolicy, where: at } of eventPolicies) {
    policy.add(resourcePolicy, path, methodsOf(parts.resources[path]), stageName, at);
    if (isObject(resourcePolicy)) policy.addCustom(resourcePolicy.CustomStatements);
  }
  if (props.Cors !== undefined) addCors(parts.resources, props.Cors, `${where}.Cors`);
  if (auth?.ResourcePolicy !== undefined) {
    for (const [path, resource] of Object.entries(parts.resources)) {
      policy.add(auth.ResourcePolicy, path, methodsOf(resource), stageName, `${where}.Auth.ResourcePolicy`);
    }
    if (isObject(auth.ResourcePolicy)) policy.addCustom(auth.ResourcePolicy.CustomStatements);
  }
  const document = policy.document();
  if (document !== undefined) parts.resourcePolicy = document;
  if (auth) applyAuth(parts, auth, methodAuth, `${where}.Auth`, resolver, unsupported);
  else applyEventAuth(parts, methodAuth, {}, `${where}.Auth`);
  if (isObject(props.GatewayResponses)) {
    parts.gatewayResponses = {
      ...parts.gatewayResponses,
      ...toGatewayResponses(props.GatewayResponses, where, unsupported),
    };
  }
  if (props.DisableExecuteApiEndpoint === true || props.DisableExecuteApiEndpoint === 'true')
    parts.disableExecuteApiEndpoint = true;
  if (Array.isArray(props.BinaryMediaTypes)) {
    // The body extension gets `/` for `~1`; CloudFormation's property keeps `~1`, and both are accepted.
    parts.binaryMediaTypes = props.BinaryMediaTypes.map((type) => String(type).replaceAll('~1', '/'));
  }
  if (models) {
    parts.models = { ...parts.models };
    for (const [name, schema] of Object.entries(models))
      parts.models[name.toLowerCase()] = schema as Record<string, unknown>;
  }
  if (props.ApiKeySourceType !== undefined)
    parts.apiKeySource = props.ApiKeySourceType as 'HEADER' | 'AUTHORIZER';
  return parts;
}

/** An event's `Auth.ResourcePolicy`, applied once every event's method exists. */
interface EventPolicy {
  path: string;
  resourcePolicy: unknown;
  where: string;
}

const methodsOf = (resource: ResourceDefinition | undefined): string[] =>
  Object.keys(resource ?? {}).filter((key) => key !== 'cors');

function stringMap(value: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, String(v)]));
}

/** Stage `MethodSettings` (`ResourcePath` with `~1` for `/`) → our `methodSettings`. */
export function toMethodSettings(settings: unknown[]): NonNullable<ResolvedOptions['methodSettings']> {
  return settings.filter(isObject).map((setting) => ({
    resourcePath: decodeResourcePath(String(setting.ResourcePath ?? '/*')),
    httpMethod: String(setting.HttpMethod ?? '*'),
    ...(setting.ThrottlingRateLimit !== undefined
      ? { throttlingRateLimit: Number(setting.ThrottlingRateLimit) }
      : {}),
    ...(setting.ThrottlingBurstLimit !== undefined
      ? { throttlingBurstLimit: Number(setting.ThrottlingBurstLimit) }
      : {}),
    ...(setting.LoggingLevel !== undefined
      ? { loggingLevel: String(setting.LoggingLevel) as MethodSetting['loggingLevel'] }
      : {}),
    ...(setting.DataTraceEnabled !== undefined ? { dataTraceEnabled: flag(setting.DataTraceEnabled) } : {}),
    ...(setting.MetricsEnabled !== undefined ? { metricsEnabled: flag(setting.MetricsEnabled) } : {}),
  }));
}

/** A template boolean: `true`, or the string `"true"` a parameter gives (any case). */
function flag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** CloudFormation writes `/orders/{id}` as `/~1orders~1{id}`; `/` and `/*` stay as they are. */
function decodeResourcePath(path: string): string {
  return path.startsWith('/~1') ? path.slice(1).replaceAll('~1', '/') : path;
}

function addEventMethod(
  parts: ApiParts,
  event: ApiEvent,
  models: Record<string, unknown> | undefined,
  methodAuth: Map<Method, MethodAuth>,
  resolver: IntrinsicResolver,
  eventPolicies: EventPolicy[],
): void {
  const { props, where } = event;
  if (typeof props.Path !== 'string' || !props.Path.startsWith('/')) {
    throw new ConfigError(`${where}.Properties.Path: must be a path such as /items/{id}`);
  }
  if (typeof props.Method !== 'string') throw new ConfigError(`${where}.Properties.Method: missing`);
  const httpMethod = props.Method.toUpperCase() as HttpMethod;
  const resource: ResourceDefinition = parts.resources[props.Path] ?? {};
  parts.resources[props.Path] = resource;
  // An event's resource policy applies even to a method the document defines (SAM push.py).
  const eventAuth = isObject(props.Auth) ? props.Auth : undefined;
  if (eventAuth?.ResourcePolicy !== undefined) {
    eventPolicies.push({
      path: props.Path,
      resourcePolicy: eventAuth.ResourcePolicy,
      where: `${where}.Properties.Auth.ResourcePolicy`,
    });
  }
  // With a DefinitionBody, a method the document already has is left as it is (SAM add_path).
  if (resource[httpMethod]) return;
  const method: Method = {
    integration: {
      type: 'AWS_PROXY',
      httpMethod: 'POST',
      uri: resolver.invocationUri(resolver.functionArn(event.functionId)),
      ...(props.TimeoutInMillis !== undefined ? { timeoutInMillis: Number(props.TimeoutInMillis) } : {}),
    },
  };
  resource[httpMethod] = method;

  if (isObject(props.Auth)) {
    const {
      Authorizer,
      ApiKeyRequired,
      AuthorizationScopes,
      ResourcePolicy: _r,
      InvokeRole: _i,
      OverrideApiAuth: _o,
    } = props.Auth;
    methodAuth.set(method, {
      ...(Authorizer !== undefined ? { authorizer: String(Authorizer) } : {}),
      ...(ApiKeyRequired !== undefined ? { apiKeyRequired: ApiKeyRequired === true } : {}),
      ...(Array.isArray(AuthorizationScopes) ? { authorizationScopes: AuthorizationScopes.map(String) } : {}),
    });
  }

  if (isObject(props.RequestModel)) {
    const { Model, ValidateBody, ValidateParameters } = props.RequestModel;
    if (typeof Model !== 'string' || !models || !Object.hasOwn(models, Model)) {
      throw new ConfigError(
        `${where}.Properties.RequestModel.Model: "${String(Model)}" is not in the API's Models (${Object.keys(models ?? {}).join(', ') || 'none'})`,
      );
    }
    method.requestModels = { 'application/json': Model.toLowerCase() };
    // A validator only when either flag is given, the other then false (SAM push.py).
    if (ValidateBody !== undefined || ValidateParameters !== undefined) {
      addValidator(parts, method, ValidateBody === true, ValidateParameters === true);
    }
  }
  if (Array.isArray(props.RequestParameters)) {
    method.requestParameters = {};
    for (const parameter of props.RequestParameters) {
      const [name, settings] =
        typeof parameter === 'string' ? [parameter, {}] : (Object.entries(parameter as object)[0] ?? []);
      if (typeof name !== 'string' || !/^method\.request\.(querystring|path|header)\./.test(name)) {
        throw new ConfigError(
          `${where}.Properties.RequestParameters: keys look like method.request.[querystring|path|header].{name} (got ${JSON.stringify(parameter)})`,
        );
      }
      method.requestParameters[name] = isObject(settings) && settings.Required === true;
    }
  }
}

/** SAM's validator names: body-and-params, body-only, params-only, no-validation (swagger.py get_validator_name). */
function addValidator(parts: ApiParts, method: Method, body: boolean, params: boolean): void {
  const name =
    body && params ? 'body-and-params' : body ? 'body-only' : params ? 'params-only' : 'no-validation';
  parts.requestValidators = {
    ...parts.requestValidators,
    [name]: { validateRequestBody: body, validateRequestParameters: params },
  };
  method.requestValidator = name;
}

/** SAM's CORS: a MOCK OPTIONS on every path that lacks one, with SAM's exact headers and templates. */
function addCors(resources: Record<string, ResourceDefinition>, cors: unknown, where: string): void {
  const settings = isObject(cors) ? cors : { AllowOrigin: cors };
  const { AllowOrigin, AllowHeaders, AllowMethods, MaxAge, AllowCredentials } = settings;
  if (typeof AllowOrigin !== 'string' || AllowOrigin === '') {
    throw new ConfigError(`${where}.AllowOrigin: required (a quoted value such as "'*'")`);
  }
  if (AllowCredentials === true && AllowOrigin === "'*'") {
    throw new ConfigError(`${where}: AllowCredentials true cannot go with AllowOrigin "'*'"`);
  }
  for (const resource of Object.values(resources)) {
    if (resource.OPTIONS) continue;
    const methods = Object.keys(resource);
    const allowMethods =
      AllowMethods !== undefined
        ? String(AllowMethods)
        : `'${
            methods.includes('ANY')
              ? ANY_METHODS
              : [...new Set([...methods, 'OPTIONS'].map((m) => m.toUpperCase()))].sort().join(',')
          }'`;
    const headers: Record<string, string> = { 'Access-Control-Allow-Origin': AllowOrigin };
    if (AllowHeaders) headers['Access-Control-Allow-Headers'] = String(AllowHeaders);
    if (allowMethods) headers['Access-Control-Allow-Methods'] = allowMethods;
    if (MaxAge !== undefined) headers['Access-Control-Max-Age'] = String(MaxAge);
    if (AllowCredentials === true) headers['Access-Control-Allow-Credentials'] = "'true'";
    const responseParameters = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [`method.response.header.${name}`, value]),
    );
    resource.OPTIONS = {
      integration: {
        type: 'MOCK',
        requestTemplates: { 'application/json': CORS_REQUEST_TEMPLATE },
        integrationResponses: [
          { statusCode: '200', responseParameters, responseTemplates: { 'application/json': '{}\n' } },
        ],
      },
      methodResponses: [
        {
          statusCode: '200',
          responseParameters: Object.fromEntries(Object.keys(responseParameters).map((key) => [key, false])),
        },
      ],
    };
  }
}

function applyAuth(
  parts: ApiParts,
  auth: Record<string, unknown>,
  methodAuth: Map<Method, MethodAuth>,
  where: string,
  resolver: IntrinsicResolver,
  unsupported: string[],
): void {
  for (const key of Object.keys(auth)) {
    if (!HANDLED_AUTH_PROPERTIES.has(key)) unsupported.push(`${parts.logicalId}: Auth.${key}`);
  }
  const scopes: Record<string, string[]> = {};
  if (isObject(auth.Authorizers)) {
    parts.authorizers = { ...parts.authorizers };
    for (const [name, authorizer] of Object.entries(auth.Authorizers)) {
      if (!isObject(authorizer)) throw new ConfigError(`${where}.Authorizers.${name}: must be an object`);
      parts.authorizers[name] = toAuthorizer(authorizer, `${where}.Authorizers.${name}`, resolver);
      if (Array.isArray(authorizer.AuthorizationScopes))
        scopes[name] = authorizer.AuthorizationScopes.map(String);
    }
  }
  applyEventAuth(parts, methodAuth, { auth, scopes }, where);
  createUsagePlan(parts, auth.UsagePlan, `${where}.UsagePlan`);
}

/** Each method's authorizer and API key: the event's own setting, else the API's default. */
function applyEventAuth(
  parts: ApiParts,
  methodAuth: Map<Method, MethodAuth>,
  api: { auth?: Record<string, unknown>; scopes?: Record<string, string[]> },
  where: string,
): void {
  const auth = api.auth ?? {};
  for (const [path, resource] of Object.entries(parts.resources)) {
    for (const [httpMethod, method] of Object.entries(resource) as [string, Method][]) {
      if (httpMethod === 'cors' || !isObject(method)) continue;
      const preflight = httpMethod === 'OPTIONS';
      const own = methodAuth.get(method) ?? {};
      const byDefault =
        method.authorizationType === undefined &&
        !(preflight && auth.AddDefaultAuthorizerToCorsPreflight === false) &&
        typeof auth.DefaultAuthorizer === 'string'
          ? auth.DefaultAuthorizer
          : undefined;
      const authorizer = own.authorizer ?? byDefault;
      if (authorizer !== undefined && authorizer !== 'NONE') {
        if (authorizer === 'AWS_IAM') method.authorizationType = 'AWS_IAM';
        else {
          const found = parts.authorizers?.[authorizer];
          if (!found) {
            throw new ConfigError(
              `${httpMethod} ${path}: authorizer "${authorizer}" is not in ${where}.Authorizers (${Object.keys(parts.authorizers ?? {}).join(', ') || 'none'})`,
            );
          }
          method.authorizationType = found.type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
          method.authorizer = authorizer;
          const scopes = own.authorizationScopes ?? api.scopes?.[authorizer];
          if (found.type === 'COGNITO_USER_POOLS' && scopes?.length) method.authorizationScopes = scopes;
        }
      } else if (authorizer === 'NONE') method.authorizationType = 'NONE';
      const keyRequired =
        own.apiKeyRequired ??
        (auth.ApiKeyRequired === true && !(preflight && auth.AddApiKeyRequiredToCorsPreflight === false)
          ? true
          : undefined);
      if (keyRequired !== undefined) method.apiKeyRequired = keyRequired;
    }
  }
}

/** SAM `Auth.Authorizers` entry → our authorizer (SAM `model/apigateway.py`, ApiGatewayAuthorizer). */
function toAuthorizer(
  authorizer: Record<string, unknown>,
  where: string,
  resolver: IntrinsicResolver,
): Authorizer {
  const identity = isObject(authorizer.Identity) ? authorizer.Identity : {};
  const header = `method.request.header.${typeof identity.Header === 'string' && identity.Header ? identity.Header : 'Authorization'}`;
  if (authorizer.UserPoolArn !== undefined) {
    const arns = Array.isArray(authorizer.UserPoolArn) ? authorizer.UserPoolArn : [authorizer.UserPoolArn];
    return { type: 'COGNITO_USER_POOLS', providerARNs: arns.map(String), identitySource: header };
  }
  if (typeof authorizer.FunctionArn !== 'string') {
    throw new ConfigError(`${where}: give FunctionArn (a Lambda authorizer) or UserPoolArn (Cognito)`);
  }
  const type = authorizer.FunctionPayloadType ?? 'TOKEN';
  if (type !== 'TOKEN' && type !== 'REQUEST') {
    throw new ConfigError(
      `${where}.FunctionPayloadType: must be TOKEN or REQUEST (got ${JSON.stringify(type)})`,
    );
  }
  const ttl = identity.ReauthorizeEvery;
  const lambda: Authorizer = {
    type,
    uri: resolver.invocationUri(authorizer.FunctionArn),
    ...(ttl !== undefined ? { authorizerResultTtlInSeconds: Number(ttl) } : {}),
  };
  if (type === 'TOKEN') {
    lambda.identitySource = header;
    if (typeof identity.ValidationExpression === 'string')
      lambda.identityValidationExpression = identity.ValidationExpression;
    return lambda;
  }
  const sources = [
    ['Headers', 'method.request.header.'],
    ['QueryStrings', 'method.request.querystring.'],
    ['StageVariables', 'stageVariables.'],
    ['Context', 'context.'],
  ].flatMap(([key, prefix]) =>
    (Array.isArray(identity[key as string]) ? (identity[key as string] as unknown[]) : []).map(
      (v) => `${prefix}${String(v)}`,
    ),
  );
  if (sources.length === 0 && Number(ttl ?? 1) !== 0) {
    throw new ConfigError(
      `${where}.Identity: a REQUEST authorizer needs at least one of Headers, QueryStrings, StageVariables or Context`,
    );
  }
  if (sources.length > 0) lambda.identitySource = sources.join(', ');
  return lambda;
}

/** `Auth.UsagePlan.CreateUsagePlan`: PER_API (`<Api>UsagePlan`, `<Api>ApiKey`), SHARED (`ServerlessUsagePlan`, `ServerlessApiKey`) or NONE. */
function createUsagePlan(parts: ApiParts, usagePlan: unknown, where: string): void {
  if (usagePlan === undefined) return;
  if (!isObject(usagePlan)) throw new ConfigError(`${where}: must be an object`);
  const create = usagePlan.CreateUsagePlan;
  if (create !== 'PER_API' && create !== 'SHARED' && create !== 'NONE') {
    throw new ConfigError(
      `${where}.CreateUsagePlan: must be PER_API, SHARED or NONE (got ${JSON.stringify(create)})`,
    );
  }
  if (create === 'NONE') return;
  const prefix = create === 'PER_API' ? parts.logicalId : 'Serverless';
  // AWS generates the key's value; here the key's logical id is its value, so a client can send it.
  const keyId = `${prefix}ApiKey`;
  parts.apiKeys = [...(parts.apiKeys ?? []), { id: keyId, name: keyId, value: keyId, enabled: true }];
  const throttle = toThrottle(usagePlan.Throttle);
  const quota = toQuota(usagePlan.Quota);
  parts.usagePlans = [
    ...(parts.usagePlans ?? []),
    {
      name: typeof usagePlan.UsagePlanName === 'string' ? usagePlan.UsagePlanName : `${prefix}UsagePlan`,
      apiKeys: [keyId],
      ...(throttle ? { throttle } : {}),
      ...(quota ? { quota } : {}),
    },
  ];
}

/** SAM `GatewayResponses` → ours: `ResponseParameters.{Headers|Paths|QueryStrings}` prefixed, status code a string. */
function toGatewayResponses(
  responses: Record<string, unknown>,
  where: string,
  unsupported: string[],
): Record<string, GatewayResponse> {
  const out: Record<string, GatewayResponse> = {};
  for (const [key, response] of Object.entries(responses)) {
    if (!isObject(response)) throw new ConfigError(`${where}.GatewayResponses.${key}: must be an object`);
    const type = importedResponseType(key, `${where}.GatewayResponses`, unsupported);
    if (type === undefined) continue;
    const parameters = isObject(response.ResponseParameters) ? response.ResponseParameters : {};
    const responseParameters: Record<string, string> = {};
    for (const [key, prefix] of [
      ['Headers', 'header'],
      ['Paths', 'path'],
      ['QueryStrings', 'querystring'],
    ] as const) {
      const group = parameters[key];
      if (isObject(group)) {
        for (const [name, value] of Object.entries(group))
          responseParameters[`gatewayresponse.${prefix}.${name}`] = String(value);
      }
    }
    out[type] = {
      responseParameters,
      responseTemplates: isObject(response.ResponseTemplates) ? stringMap(response.ResponseTemplates) : {},
      ...(response.StatusCode !== undefined ? { statusCode: String(response.StatusCode) } : {}),
    };
  }
  return out;
}
