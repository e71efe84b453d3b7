import { createHash } from 'node:crypto';
import type { TemplateResource } from './template-resource.js';

/** Where a stack's resources live: what their names and ARNs are built from. */
export interface StackPlace {
  stackName: string;
  region: string;
  accountId: string;
  partition: string;
  urlSuffix: string;
}

/** What `Ref` and `Fn::GetAtt` give for one resource. */
export interface ResourceValues {
  ref: string;
  attributes: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How CloudFormation names a resource the template leaves unnamed: `stack` is
 * `{stackName}-{logicalId}-{SUFFIX}` ("MyStack-MyBucket-abcdefghijk1", "stack123123123123-s3bucket-
 * abcdefghijk1": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html),
 * the stack name cut first (then the logical id) to fit the
 * type's longest name — seen as `MyStackDev-MyNestedApplicatio-MyLambdaFunctionName-1U44TLUZ7OR55`
 * (https://gist.github.com/christianklotz/468a240a75f4ae3e73bd52722f926acb); `id` is
 * `{logicalId}-{SUFFIX}` (secrets, state machines); `cfn` is SSM's `CFN-{logicalId}-{SUFFIX}`.
 */
interface NameRule {
  /** The property that names the resource. */
  property: string;
  form: 'stack' | 'id' | 'cfn';
  maxLength: number;
  /** S3 bucket names are lower case. */
  lowerCase?: boolean;
}

const NAME_RULES: Record<string, NameRule> = {
  'AWS::DynamoDB::Table': { property: 'TableName', form: 'stack', maxLength: 255 },
  'AWS::Serverless::SimpleTable': { property: 'TableName', form: 'stack', maxLength: 255 },
  'AWS::S3::Bucket': { property: 'BucketName', form: 'stack', maxLength: 63, lowerCase: true },
  'AWS::SQS::Queue': { property: 'QueueName', form: 'stack', maxLength: 80 },
  'AWS::SNS::Topic': { property: 'TopicName', form: 'stack', maxLength: 256 },
  'AWS::Lambda::Function': { property: 'FunctionName', form: 'stack', maxLength: 64 },
  'AWS::Serverless::Function': { property: 'FunctionName', form: 'stack', maxLength: 64 },
  'AWS::SecretsManager::Secret': { property: 'Name', form: 'id', maxLength: 512 },
  'AWS::SSM::Parameter': { property: 'Name', form: 'cfn', maxLength: 1011 },
  'AWS::StepFunctions::StateMachine': { property: 'StateMachineName', form: 'id', maxLength: 80 },
  'AWS::Serverless::StateMachine': { property: 'Name', form: 'id', maxLength: 80 },
  'AWS::Events::EventBus': { property: 'Name', form: 'stack', maxLength: 256 },
  'AWS::Cognito::UserPool': { property: 'UserPoolName', form: 'stack', maxLength: 128 },
  'AWS::Cognito::UserPoolClient': { property: 'ClientName', form: 'stack', maxLength: 128 },
};

/** Properties besides the name that a type's values read. */
const VALUE_PROPERTIES: Record<string, string[]> = {
  'AWS::DynamoDB::Table': ['StreamSpecification'],
  'AWS::Serverless::SimpleTable': [],
  'AWS::SQS::Queue': ['FifoQueue'],
  'AWS::SNS::Topic': ['FifoTopic'],
  'AWS::SSM::Parameter': ['Type', 'Value'],
};

/** The properties `resourceValues` reads for `type` (undefined for a type not known here). */
export function valueProperties(type: string): string[] | undefined {
  const rule = NAME_RULES[type];
  return rule === undefined ? undefined : [rule.property, ...(VALUE_PROPERTIES[type] ?? [])];
}

/**
 * CloudFormation's random part (12 or 13 characters on AWS), made deterministic: 13 upper-case
 * letters and digits from a hash of the stack name and logical id, so a name stays the same from
 * one start to the next.
 */
export function nameSuffix(stackName: string, logicalId: string, length = 13): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  let out = '';
  for (let i = 0; out.length < length; i++) out += (digest[i % digest.length] % 36).toString(36);
  return out.toUpperCase();
}

/** The name CloudFormation would give an unnamed resource of `type` (see NameRule). */
export function generatedName(type: string, stackName: string, logicalId: string, reserve = 0): string {
  const found = NAME_RULES[type] ?? { form: 'stack', maxLength: 255 };
  const rule = { ...found, maxLength: found.maxLength - reserve };
  const suffix = nameSuffix(stackName, logicalId);
  let name: string;
  if (rule.form === 'cfn') name = `CFN-${logicalId}-${suffix}`.slice(0, rule.maxLength);
  else if (rule.form === 'id') name = `${logicalId.slice(0, rule.maxLength - suffix.length - 1)}-${suffix}`;
  else {
    // The stack name gives way first, then the logical id.
    const room = rule.maxLength - suffix.length - 2;
    const id = logicalId.slice(0, Math.max(room - 1, 1));
    const stack = stackName.slice(0, Math.max(room - id.length, 0));
    name = stack === '' ? `${id}-${suffix}` : `${stack}-${id}-${suffix}`;
  }
  return rule.lowerCase ? name.toLowerCase() : name;
}

/** Regions whose S3 website endpoints are `s3-website-{region}` (older), not `s3-website.{region}`. */
const DASHED_WEBSITE_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
  'us-gov-west-1',
]);

/**
 * `Ref` and `Fn::GetAtt` of a resource of a known type, as each type's CloudFormation "Return
 * values" section gives them (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/
 * aws-resource-{service}-{type}.html#…-return-values). `props` are the resource's properties
 * resolved as far as its name needs; undefined for a type not known here.
 */
export function resourceValues(
  logicalId: string,
  resource: TemplateResource,
  props: Record<string, unknown>,
  place: StackPlace,
): ResourceValues | undefined {
  const rule = NAME_RULES[resource.Type];
  if (rule === undefined) return undefined;
  const { region, accountId: account, partition, urlSuffix } = place;
  const given = props[rule.property];
  let name = typeof given === 'string' && given !== '' ? given : undefined;
  // A FIFO queue's or topic's generated name ends in `.fifo`, within the same length.
  const fifo = [props.FifoQueue, props.FifoTopic].some((v) => v === true || v === 'true');
  name ??= fifo
    ? `${generatedName(resource.Type, place.stackName, logicalId, 5)}.fifo`
    : generatedName(resource.Type, place.stackName, logicalId);
  const arn = (service: string, rest: string) => `arn:${partition}:${service}:${region}:${account}:${rest}`;
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::Serverless::SimpleTable': {
      const tableArn = arn('dynamodb', `table/${name}`);
      const attributes: Record<string, string> = { Arn: tableArn };
      // A stream's label is its creation time; a fixed one stands for it here.
      if (isObject(props.StreamSpecification))
        attributes.StreamArn = `${tableArn}/stream/1970-01-01T00:00:00.000`;
      return { ref: name, attributes };
    }
    case 'AWS::S3::Bucket': {
      const website = DASHED_WEBSITE_REGIONS.has(region) ? `s3-website-${region}` : `s3-website.${region}`;
      return {
        ref: name,
        attributes: {
          Arn: `arn:${partition}:s3:::${name}`,
          DomainName: `${name}.s3.${urlSuffix}`,
          RegionalDomainName: `${name}.s3.${region}.${urlSuffix}`,
          DualStackDomainName: `${name}.s3.dualstack.${region}.${urlSuffix}`,
          WebsiteURL: `http://${name}.${website}.${urlSuffix}`,
        },
      };
    }
    case 'AWS::SQS::Queue': {
      const url = `https://sqs.${region}.${urlSuffix}/${account}/${name}`;
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::SNS::Topic': {
      const topicArn = arn('sns', name);
      return { ref: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
    }
    case 'AWS::SecretsManager::Secret': {
      // Secrets Manager ends a secret's ARN with a hyphen and six random characters.
      const secretArn = arn(
        'secretsmanager',
        `secret:${name}-${nameSuffix(name, logicalId, 6).toLowerCase()}`,
      );
      return { ref: secretArn, attributes: { Id: secretArn } };
    }
    case 'AWS::SSM::Parameter': {
      const attributes: Record<string, string> = { Type: String(props.Type ?? 'String') };
      if (props.Value !== undefined) attributes.Value = String(props.Value);
      return { ref: name, attributes };
    }
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return { ref: name, attributes: { Arn: arn('lambda', `function:${name}`) } };
    case 'AWS::StepFunctions::StateMachine':
    case 'AWS::Serverless::StateMachine': {
      const machineArn = arn('states', `stateMachine:${name}`);
      return { ref: machineArn, attributes: { Arn: machineArn, Name: name } };
    }
    case 'AWS::Events::EventBus':
      return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    case 'AWS::Cognito::UserPool': {
      // `{region}_{LogicalId}`: the id `userPools` keys a pool's signing keys by.
      const poolId = `${region}_${logicalId}`;
      const provider = `cognito-idp.${region}.${urlSuffix}/${poolId}`;
      return {
        ref: poolId,
        attributes: {
          Arn: arn('cognito-idp', `userpool/${poolId}`),
          ProviderName: provider,
          ProviderURL: `https://${provider}`,
          UserPoolId: poolId,
        },
      };
    }
    case 'AWS::Cognito::UserPoolClient': {
      // App client ids are 26 lower-case letters and digits.
      const clientId = nameSuffix(place.stackName, logicalId, 26).toLowerCase();
      return { ref: clientId, attributes: { ClientId: clientId } };
    }
    default:
      return undefined;
  }
}
