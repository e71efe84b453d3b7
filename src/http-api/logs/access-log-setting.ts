import { ConfigError } from '../../config/config-error.js';
import type { AccessLogSettings } from '../../config/types.js';

/**
 * The format serverless v3 writes for `provider.logs.httpApi: true`
 * (serverless/serverless lib/plugins/aws/package/compile/events/http-api.js, `accessLogFormat`).
 */
export const SERVERLESS_HTTP_API_LOG_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stage's `AccessLogSettings` (SAM `AWS::Serverless::HttpApi`, CloudFormation
 * `AWS::ApiGatewayV2::Stage`): its `Format`, the `DestinationArn` being CloudWatch's business.
 */
export function accessLogSettingOf(value: unknown, where: string): AccessLogSettings | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || typeof value.Format !== 'string')
    throw new ConfigError(`${where}.AccessLogSettings.Format: a string of $context variables`);
  return { format: value.Format };
}

/** serverless `provider.logs.httpApi`: `true` (the framework's format) or `{ format }`. */
export function serverlessHttpApiLogs(value: unknown): AccessLogSettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { format: SERVERLESS_HTTP_API_LOG_FORMAT };
  if (isObject(value) && (value.format === undefined || typeof value.format === 'string'))
    return { format: value.format ?? SERVERLESS_HTTP_API_LOG_FORMAT };
  throw new ConfigError('provider.logs.httpApi: true or { format }');
}
