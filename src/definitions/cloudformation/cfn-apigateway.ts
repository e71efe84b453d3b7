import { ConfigError } from '../../config/config-error.js';
import type {
  ApiKey,
  Authorizer,
  HttpMethod,
  Integration,
  IntegrationResponse,
  Method,
  MethodResponse,
  ResolvedOptions,
  UsagePlan,
} from '../../config/types.js';
import { isServiceUri } from '../../integrations/aws-service/service-uri.js';
import { isPrivateEndpoint } from '../private-endpoint.js';
import type { UnenforcedGuard } from '../unenforced-guards.js';
import { toAccessLogSettings } from './access-log-setting.js';
import { type ApiParts, isObject, type StageSettings, toQuota, toThrottle } from './api-parts.js';
import type { IntrinsicResolver, TemplateResource } from './intrinsics.js';
import { toMethodSettings } from './sam-api.js';

/** Resource types that change nothing a local emulation can show (`cdk synth` writes them all). */
const IGNORED_TYPES = new Set([
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::DocumentationPart',
  'AWS::ApiGateway::DocumentationVersion',
  // Custom domains: read by readDomainMappings, served by customDomains().
  'AWS::ApiGateway::DomainName',
  'AWS::ApiGateway::BasePathMapping',
]);
const DOMAIN_TYPES = new Set(['AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping']);
const LAMBDA_URI = /:lambda:path\/[^/]+\/functions\//;

type Resolved = Record<string, unknown>;

/** Each `AWS::ApiGateway::*` resource's properties, resolved, by type. */
export class CfnApiGateway {
  private readonly byType = new Map<string, [string, Resolved][]>();

  constructor(resources: Record<string, TemplateResource>, resolver: IntrinsicResolver) {
    for (const [id, resource] of Object.entries(resources)) {
      if (!resource.Type.startsWith('AWS::ApiGateway::')) continue;
      // Read by readDomainMappings, which knows SAM's `Ref: MyApi.Stage`; nothing here needs them.
      if (DOMAIN_TYPES.has(resource.Type)) {
        this.byType.set(resource.Type, [...(this.byType.get(resource.Type) ?? []), [id, {}]]);
        continue;
      }
      const props = resolver.resolve(resource.Properties ?? {}, `Resources.${id}.Properties`) as Resolved;
      const list = this.byType.get(resource.Type) ?? [];
      list.push([id, props]);
      this.byType.set(resource.Type, list);
    }
  }

  /** Resources of a type, or of that type attached to the API `apiId` (their `RestApiId`). */
  of(type: string, apiId?: string): [string, Resolved][] {
    const all = this.byType.get(`AWS::ApiGateway::${type}`) ?? [];
    return apiId === undefined ? all : all.filter(([, props]) => props.RestApiId === apiId);
  }

  /** API Gateway resources the emulation leaves out, named for the warning. */
  unsupportedTypes(): string[] {
    const handled = new Set(
      [
        'RestApi',
        'Resource',
        'Method',
        'Authorizer',
        'GatewayResponse',
        'Model',
        'RequestValidator',
        'ApiKey',
        'UsagePlan',
        'UsagePlanKey',
        'Stage',
      ].map((t) => `AWS::ApiGateway::${t}`),
    );
    return [...this.byType.entries()]
      .filter(([type]) => !handled.has(type) && !IGNORED_TYPES.has(type))
      .flatMap(([type, list]) => list.map(([id]) => `${id}: ${type}`));
  }
}

/**
 * A plain `AWS::ApiGateway::RestApi` with its Resources (ParentId chains), Methods, Authorizers,
 * Models, RequestValidators, GatewayResponses and Stages → our options; what `cdk synth` emits.
 * A `Body` (or `BodyS3Location` read from disk) goes through the OpenAPI importer first.
 */
export async function translateRestApi(
  cfn: CfnApiGateway,
  apiId: string,
  props: Resolved,
  body: Partial<ResolvedOptions> | undefined,
  unsupported: string[],
  guards: UnenforcedGuard[],
): Promise<ApiParts> {
  const parts: ApiParts = { ...body, logicalId: apiId, resources: { ...body?.resources }, stages: new Map() };
  // A PRIVATE API is reachable only through a VPC endpoint, which cannot be checked here.
  if (isPrivateEndpoint(props.EndpointConfiguration)) {
    guards.push({
      guard: `Resources.${apiId}.Properties.EndpointConfiguration: Types PRIVATE (reachable only through a VPC endpoint)`,
    });
  }
  if (props.DisableExecuteApiEndpoint === true || props.DisableExecuteApiEndpoint === 'true')
    parts.disableExecuteApiEndpoint = true;
  for (const key of ['MinimumCompressionSize', 'Mode', 'CloneFrom']) {
    if (props[key] !== undefined) unsupported.push(`${apiId}: ${key}`);
  }
  // `Policy` (object or JSON text) overrides a Body's x-amazon-apigateway-policy; '' is none
  // (the Serverless Framework writes `Policy: ''` for an API without one).
  if (props.Policy !== undefined && props.Policy !== '' && props.Policy !== null) {
    parts.resourcePolicy = props.Policy as ApiParts['resourcePolicy'];
  }
  if (Array.isArray(props.BinaryMediaTypes)) {
    parts.binaryMediaTypes = props.BinaryMediaTypes.map((type) => String(type).replaceAll('~1', '/'));
  }
  if (props.ApiKeySourceType !== undefined)
    parts.apiKeySource = props.ApiKeySourceType as 'HEADER' | 'AUTHORIZER';

  const models = new Map<string, string>(); // logical id → model name
  for (const [id, model] of cfn.of('Model', apiId)) {
    const name = typeof model.Name === 'string' ? model.Name : id;
    models.set(id, name);
    const schema = typeof model.Schema === 'string' ? JSON.parse(model.Schema) : model.Schema;
    parts.models = { ...parts.models, [name]: (schema ?? {}) as Record<string, unknown> };
  }
  for (const [id, validator] of cfn.of('RequestValidator', apiId)) {
    parts.requestValidators = {
      ...parts.requestValidators,
      [id]: {
        validateRequestBody: validator.ValidateRequestBody === true,
        validateRequestParameters: validator.ValidateRequestParameters === true,
      },
    };
  }
  for (const [id, authorizer] of cfn.of('Authorizer', apiId)) {
    parts.authorizers = {
      ...parts.authorizers,
      [id]: toAuthorizer(authorizer, `Resources.${id}.Properties`),
    };
  }
  Object.assign(parts, gatewayResponsesFor(cfn, apiId, parts.gatewayResponses));

  const paths = resourcePaths(cfn, apiId);
  for (const [id, method] of cfn.of('Method', apiId)) {
    const where = `Resources.${id}.Properties`;
    const path = paths.get(String(method.ResourceId));
    if (path === undefined) {
      throw new ConfigError(
        `${where}.ResourceId: "${String(method.ResourceId)}" is no Resource of ${apiId} (nor its root)`,
      );
    }
    const httpMethod = String(method.HttpMethod).toUpperCase() as HttpMethod;
    const translated = toMethod(method, models);
    if (typeof translated === 'string') {
      unsupported.push(`${httpMethod} ${path} (${id}): ${translated}`);
      continue;
    }
    parts.resources[path] = { ...parts.resources[path], [httpMethod]: translated };
  }
  for (const [id, stage] of cfn.of('Stage', apiId)) {
    if (typeof stage.StageName !== 'string')
      throw new ConfigError(`Resources.${id}.Properties.StageName: missing`);
    parts.stages.set(stage.StageName, toStage(stage, `Resources.${id}.Properties`));
  }
  for (const [id, deployment] of cfn.of('Deployment', apiId)) {
    if (typeof deployment.StageName === 'string' && !parts.stages.has(deployment.StageName)) {
      parts.stages.set(
        deployment.StageName,
        toStage(
          isObject(deployment.StageDescription) ? deployment.StageDescription : {},
          `Resources.${id}.Properties.StageDescription`,
        ),
      );
    }
  }
  return parts;
}

/** `AWS::ApiGateway::GatewayResponse` of the API, over the ones it has. */
export function gatewayResponsesFor(
  cfn: CfnApiGateway,
  apiId: string,
  existing: ResolvedOptions['gatewayResponses'],
): Pick<ResolvedOptions, 'gatewayResponses'> {
  const list = cfn.of('GatewayResponse', apiId);
  if (list.length === 0) return existing ? { gatewayResponses: existing } : {};
  const gatewayResponses = { ...existing };
  for (const [, response] of list) {
    gatewayResponses[String(response.ResponseType)] = {
      ...(response.StatusCode !== undefined ? { statusCode: String(response.StatusCode) } : {}),
      ...(isObject(response.ResponseParameters)
        ? { responseParameters: response.ResponseParameters as Record<string, string> }
        : {}),
      ...(isObject(response.ResponseTemplates)
        ? { responseTemplates: response.ResponseTemplates as Record<string, string> }
        : {}),
    };
  }
  return { gatewayResponses };
}

/**
 * `AWS::ApiGateway::ApiKey`, `UsagePlan` and `UsagePlanKey` serving the API's stage. A key
 * without `Value` (AWS would generate one) has its logical id as value; `Enabled` defaults to
 * false, as in CloudFormation.
 */
export function usagePlansFor(
  cfn: CfnApiGateway,
  apiId: string,
  stageName: string,
): Pick<ResolvedOptions, 'apiKeys' | 'usagePlans'> {
  const stageIds = new Map(cfn.of('Stage').map(([id, stage]) => [id, String(stage.StageName)]));
  const plans = new Map<string, UsagePlan>();
  for (const [id, plan] of cfn.of('UsagePlan')) {
    const apiStages = Array.isArray(plan.ApiStages) ? plan.ApiStages.filter(isObject) : [];
    const serving = apiStages.find(
      (s) => s.ApiId === apiId && (stageIds.get(String(s.Stage)) ?? String(s.Stage)) === stageName,
    );
    if (!serving) continue;
    const throttle = toThrottle(plan.Throttle);
    const quota = toQuota(plan.Quota);
    const methodThrottle = isObject(serving.Throttle)
      ? Object.fromEntries(
          Object.entries(serving.Throttle).map(([key, value]) => [
            key,
            toThrottle(value) ?? { rateLimit: 0, burstLimit: 0 },
          ]),
        )
      : undefined;
    plans.set(id, {
      name: typeof plan.UsagePlanName === 'string' ? plan.UsagePlanName : id,
      apiKeys: [],
      ...(throttle ? { throttle } : {}),
      ...(quota ? { quota } : {}),
      ...(methodThrottle ? { methodThrottle } : {}),
    });
  }
  const keys = new Map<string, ApiKey>();
  for (const [id, key] of cfn.of('ApiKey')) {
    keys.set(id, {
      id,
      name: typeof key.Name === 'string' ? key.Name : id,
      value: typeof key.Value === 'string' ? key.Value : id,
      enabled: key.Enabled === true || key.Enabled === 'true',
    });
  }
  for (const [id, link] of cfn.of('UsagePlanKey')) {
    const plan = plans.get(String(link.UsagePlanId));
    if (!plan) continue;
    if (!keys.has(String(link.KeyId))) {
      throw new ConfigError(
        `Resources.${id}.Properties.KeyId: "${String(link.KeyId)}" is no ApiKey of the template`,
      );
    }
    plan.apiKeys.push(String(link.KeyId));
  }
  const out: Pick<ResolvedOptions, 'apiKeys' | 'usagePlans'> = {};
  if (keys.size > 0) out.apiKeys = [...keys.values()];
  if (plans.size > 0) out.usagePlans = [...plans.values()];
  return out;
}

/** Logical id (and `<Api>.RootResourceId`) → full path, following ParentId chains. */
function resourcePaths(cfn: CfnApiGateway, apiId: string): Map<string, string> {
  const own = new Map(cfn.of('Resource', apiId));
  const paths = new Map<string, string>([[`${apiId}.RootResourceId`, '/']]);
  const pathOf = (id: string, seen: Set<string>): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const resource = own.get(id);
    if (!resource) throw new ConfigError(`"${id}" is no Resource of ${apiId} (nor its root)`);
    if (seen.has(id)) throw new ConfigError(`Resources.${id}.Properties.ParentId: the ParentId chain loops`);
    seen.add(id);
    let parent: string;
    try {
      parent = pathOf(String(resource.ParentId), seen);
    } catch (error) {
      if (error instanceof ConfigError && !error.message.startsWith('Resources.')) {
        throw new ConfigError(`Resources.${id}.Properties.ParentId: ${error.message}`);
      }
      throw error;
    }
    const path = `${parent === '/' ? '' : parent}/${String(resource.PathPart)}`;
    paths.set(id, path);
    return path;
  };
  for (const id of own.keys()) pathOf(id, new Set());
  return paths;
}

function toStage(stage: Resolved, where: string): StageSettings {
  const out: StageSettings = {};
  const accessLog = toAccessLogSettings(stage.AccessLogSetting, `${where}.AccessLogSetting`);
  if (accessLog !== undefined) out.accessLogSettings = accessLog;
  if (isObject(stage.Variables)) {
    out.stageVariables = Object.fromEntries(Object.entries(stage.Variables).map(([k, v]) => [k, String(v)]));
  }
  const settings = Array.isArray(stage.MethodSettings) ? toMethodSettings(stage.MethodSettings) : [];
  // A Deployment's StageDescription throttles the whole stage.
  if (stage.ThrottlingRateLimit !== undefined || stage.ThrottlingBurstLimit !== undefined) {
    settings.unshift(...toMethodSettings([{ ...stage, ResourcePath: '/*', HttpMethod: '*' }]));
  }
  if (settings.length > 0) out.methodSettings = settings;
  return out;
}

function toAuthorizer(authorizer: Resolved, where: string): Authorizer {
  const ttl = authorizer.AuthorizerResultTtlInSeconds;
  const common = {
    ...(typeof authorizer.IdentitySource === 'string' ? { identitySource: authorizer.IdentitySource } : {}),
    ...(ttl !== undefined ? { authorizerResultTtlInSeconds: Number(ttl) } : {}),
  };
  if (authorizer.Type === 'COGNITO_USER_POOLS') {
    if (!Array.isArray(authorizer.ProviderARNs)) throw new ConfigError(`${where}.ProviderARNs: missing`);
    return { type: 'COGNITO_USER_POOLS', providerARNs: authorizer.ProviderARNs.map(String), ...common };
  }
  if (authorizer.Type !== 'TOKEN' && authorizer.Type !== 'REQUEST') {
    throw new ConfigError(
      `${where}.Type: must be TOKEN, REQUEST or COGNITO_USER_POOLS (got ${JSON.stringify(authorizer.Type)})`,
    );
  }
  if (typeof authorizer.AuthorizerUri !== 'string') throw new ConfigError(`${where}.AuthorizerUri: missing`);
  return {
    type: authorizer.Type,
    uri: authorizer.AuthorizerUri,
    ...common,
    ...(typeof authorizer.IdentityValidationExpression === 'string'
      ? { identityValidationExpression: authorizer.IdentityValidationExpression }
      : {}),
  };
}

/** A Method's properties → ours, or why it is left out. */
function toMethod(method: Resolved, models: Map<string, string>): Method | string {
  const integration = isObject(method.Integration) ? method.Integration : undefined;
  if (!integration) return 'no Integration';
  const type = String(integration.Type).toUpperCase();
  const uri = typeof integration.Uri === 'string' ? integration.Uri : undefined;
  const isHttp = type === 'HTTP' || type === 'HTTP_PROXY';
  const serviceUri = type === 'AWS' && isServiceUri(uri);
  if ((type === 'AWS' || type === 'AWS_PROXY') && !(uri && LAMBDA_URI.test(uri)) && !serviceUri) {
    return `AWS integration with ${uri ?? 'no Uri'} (only Lambda functions are called)`;
  }
  if (integration.ConnectionType === 'VPC_LINK' && !isHttp) return 'VPC_LINK connection';
  const out: Integration = { type: type as Integration['type'] };
  // An HTTP backend behind a VPC link is refused at startup with the reason (validateHttpIntegration).
  if (isHttp && typeof integration.ConnectionType === 'string')
    out.connectionType = integration.ConnectionType as Integration['connectionType'];
  if (uri && type !== 'MOCK') out.uri = uri;
  if (integration.IntegrationHttpMethod !== undefined)
    out.httpMethod = String(integration.IntegrationHttpMethod);
  if (integration.TimeoutInMillis !== undefined) out.timeoutInMillis = Number(integration.TimeoutInMillis);
  for (const [from, to] of [
    ['PassthroughBehavior', 'passthroughBehavior'],
    ['ContentHandling', 'contentHandling'],
    ['CacheNamespace', 'cacheNamespace'],
    ['Credentials', 'credentials'],
  ] as const) {
    if (typeof integration[from] === 'string')
      (out as unknown as Record<string, unknown>)[to] = integration[from];
  }
  if (isObject(integration.RequestTemplates))
    out.requestTemplates = integration.RequestTemplates as Record<string, string>;
  if (isObject(integration.RequestParameters))
    out.requestParameters = integration.RequestParameters as Record<string, string>;
  if (Array.isArray(integration.CacheKeyParameters))
    out.cacheKeyParameters = integration.CacheKeyParameters.map(String);
  if (Array.isArray(integration.IntegrationResponses)) {
    out.integrationResponses = integration.IntegrationResponses.filter(isObject).map((r) => {
      const response: IntegrationResponse = { statusCode: String(r.StatusCode) };
      // CloudFormation reads a number as its string (the service-proxy plugin writes `SelectionPattern: 400`).
      if (typeof r.SelectionPattern === 'string' || typeof r.SelectionPattern === 'number')
        response.selectionPattern = String(r.SelectionPattern);
      if (isObject(r.ResponseParameters))
        response.responseParameters = r.ResponseParameters as Record<string, string>;
      if (isObject(r.ResponseTemplates))
        response.responseTemplates = r.ResponseTemplates as Record<string, string>;
      if (typeof r.ContentHandling === 'string')
        response.contentHandling = r.ContentHandling as IntegrationResponse['contentHandling'];
      return response;
    });
  }
  const result: Method = { integration: out };
  if (method.AuthorizationType !== undefined) {
    const authType = String(method.AuthorizationType).toUpperCase();
    result.authorizationType = authType as Method['authorizationType'];
  }
  if (method.AuthorizerId !== undefined) result.authorizer = String(method.AuthorizerId);
  if (Array.isArray(method.AuthorizationScopes))
    result.authorizationScopes = method.AuthorizationScopes.map(String);
  if (method.ApiKeyRequired !== undefined)
    result.apiKeyRequired = method.ApiKeyRequired === true || method.ApiKeyRequired === 'true';
  if (method.RequestValidatorId !== undefined) result.requestValidator = String(method.RequestValidatorId);
  if (typeof method.OperationName === 'string') result.operationName = method.OperationName;
  if (isObject(method.RequestParameters)) {
    result.requestParameters = Object.fromEntries(
      Object.entries(method.RequestParameters).map(([k, v]) => [k, v === true || v === 'true']),
    );
  }
  if (isObject(method.RequestModels)) {
    result.requestModels = Object.fromEntries(
      Object.entries(method.RequestModels).map(([type, model]) => [
        type,
        models.get(String(model)) ?? String(model),
      ]),
    );
  }
  if (Array.isArray(method.MethodResponses)) {
    result.methodResponses = method.MethodResponses.filter(isObject).map((r) => {
      const response: MethodResponse = { statusCode: String(r.StatusCode) };
      if (isObject(r.ResponseParameters)) {
        response.responseParameters = Object.fromEntries(
          Object.entries(r.ResponseParameters).map(([k, v]) => [k, v === true || v === 'true']),
        );
      }
      if (isObject(r.ResponseModels)) {
        response.responseModels = Object.fromEntries(
          Object.entries(r.ResponseModels).map(([type, model]) => [
            type,
            models.get(String(model)) ?? String(model),
          ]),
        );
      }
      return response;
    });
  }
  return result;
}
