import { ConfigError } from '../../config/config-error.js';
import type { TemplateResource } from './intrinsics.js';

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** The types the SAM transform expands (serverless-application-model `samtranslator/model/sam_resources.py`). */
const SAM_TYPES = new Set(
  [
    'Function',
    'Api',
    'HttpApi',
    'WebSocketApi',
    'SimpleTable',
    'Application',
    'LayerVersion',
    'StateMachine',
    'Connector',
    'GraphQLApi',
    'CapacityProvider',
  ].map((name) => `AWS::Serverless::${name}`),
);

/** Each type's `property_types` there: any other property fails the transform. */
const SAM_PROPERTIES: Record<string, Set<string>> = {
  'AWS::Serverless::Function': new Set([
    'FunctionName',
    'Handler',
    'Runtime',
    'CodeUri',
    'ImageUri',
    'PackageType',
    'InlineCode',
    'DeadLetterQueue',
    'Description',
    'MemorySize',
    'Timeout',
    'VpcConfig',
    'Role',
    'AssumeRolePolicyDocument',
    'Policies',
    'RolePath',
    'PermissionsBoundary',
    'Environment',
    'Events',
    'Tags',
    'PropagateTags',
    'Tracing',
    'KmsKeyArn',
    'DeploymentPreference',
    'ReservedConcurrentExecutions',
    'Layers',
    'EventInvokeConfig',
    'EphemeralStorage',
    'AutoPublishAlias',
    'AutoPublishCodeSha256',
    'AutoPublishAliasAllProperties',
    'VersionDescription',
    'ProvisionedConcurrencyConfig',
    'FileSystemConfigs',
    'ImageConfig',
    'CodeSigningConfigArn',
    'Architectures',
    'SnapStart',
    'FunctionUrlConfig',
    'RuntimeManagementConfig',
    'LoggingConfig',
    'RecursiveLoop',
    'SourceKMSKeyArn',
    'CapacityProviderConfig',
    'FunctionScalingConfig',
    'VersionDeletionPolicy',
    'PublishToLatestPublished',
    'TenancyConfig',
    'DurableConfig',
  ]),
  'AWS::Serverless::Api': new Set([
    'Name',
    'StageName',
    'Tags',
    'PropagateTags',
    'DefinitionBody',
    'DefinitionUri',
    'MergeDefinitions',
    'CacheClusterEnabled',
    'CacheClusterSize',
    'Variables',
    'EndpointConfiguration',
    'MethodSettings',
    'BinaryMediaTypes',
    'MinimumCompressionSize',
    'Cors',
    'Auth',
    'GatewayResponses',
    'AccessLogSetting',
    'CanarySetting',
    'TracingEnabled',
    'OpenApiVersion',
    'Models',
    'Domain',
    'FailOnWarnings',
    'Description',
    'Mode',
    'DisableExecuteApiEndpoint',
    'ApiKeySourceType',
    'AlwaysDeploy',
    'Policy',
    'SecurityPolicy',
    'EndpointAccessMode',
  ]),
};

/**
 * Refuses what CloudFormation and the SAM transform refuse before anything is created:
 * `AWS::Serverless::*` types without the transform, or not among its types, with CloudFormation's
 * "Template format error: Unrecognized resource types: [...]" (as `aws cloudformation deploy`
 * reports it); a SAM function or API property the transform does not define, with its
 * "Resource with id [...] is invalid. property ... not defined" message.
 */
export function checkSamResources(resources: Record<string, TemplateResource>, isSam: boolean): void {
  const unrecognized = new Set<string>();
  for (const resource of Object.values(resources)) {
    const type = resource?.Type;
    if (typeof type === 'string' && type.startsWith('AWS::Serverless::') && !(isSam && SAM_TYPES.has(type)))
      unrecognized.add(type);
  }
  if (unrecognized.size > 0) {
    const hint = isSam ? '' : ` (the AWS::Serverless::* types need Transform: ${SAM_TRANSFORM})`;
    throw new ConfigError(
      `template: Template format error: Unrecognized resource types: [${[...unrecognized].join(', ')}]${hint}`,
    );
  }
  if (!isSam) return;
  const problems: string[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const known = SAM_PROPERTIES[resource?.Type];
    const props = resource?.Properties;
    if (known === undefined || typeof props !== 'object' || props === null) continue;
    for (const name of Object.keys(props)) {
      // `Fn::Transform` (AWS::Include) stands for properties, not one.
      if (!known.has(name) && !name.startsWith('Fn::')) {
        const near = [...known].find(
          (k) => k.toLowerCase() === name.toLowerCase() || editDistance(k, name) <= 2,
        );
        problems.push(
          `Resources.${id}.Properties.${name}: Resource with id [${id}] is invalid. property ${name} not defined for resource of type ${resource.Type}${near ? ` (did you mean ${near}?)` : ''}`,
        );
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}
