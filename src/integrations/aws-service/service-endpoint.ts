import { ConfigError } from '../../config/config-error.js';

// The SDKs' serviceId for the services API Gateway integrations name by endpoint prefix
// (https://docs.aws.amazon.com/sdkref/latest/guide/ss-endpoints-table.html).
const SERVICE_IDS: Record<string, string> = {
  dynamodb: 'DynamoDB',
  s3: 'S3',
  sqs: 'SQS',
  sns: 'SNS',
  states: 'SFN',
  events: 'EventBridge',
  kinesis: 'Kinesis',
  firehose: 'Firehose',
  lambda: 'Lambda',
  logs: 'CloudWatch Logs',
  ssm: 'SSM',
  sts: 'STS',
  email: 'SES',
  athena: 'Athena',
  glue: 'Glue',
};

/** `AWS_ENDPOINT_URL_<SERVICE>`: the serviceId, spaces as underscores, upper case. */
export function endpointVariableName(service: string): string {
  const id = SERVICE_IDS[service] ?? service;
  return `AWS_ENDPOINT_URL_${id.replace(/[\s-]+/g, '_').toUpperCase()}`;
}

/**
 * Where a service's requests go. As the SDKs resolve it: endpoint set in code (the
 * `awsEndpoints` option) first, then `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`,
 * then the public endpoint (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 */
export function resolveServiceEndpoint(
  service: string,
  region: string,
  subdomain: string | undefined,
  configured: Record<string, string> | undefined,
  env: NodeJS.ProcessEnv,
  where: string,
): URL {
  const given =
    configured?.[service] || env[endpointVariableName(service)] || env.AWS_ENDPOINT_URL || undefined;
  const text =
    given ?? `https://${subdomain === undefined ? '' : `${subdomain}.`}${service}.${region}.amazonaws.com`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${where}: endpoint for ${service} is not a URL (got ${JSON.stringify(text)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${where}: endpoint for ${service} must be http(s) (got ${JSON.stringify(text)})`);
  }
  return url;
}
