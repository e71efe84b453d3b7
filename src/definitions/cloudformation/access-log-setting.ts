import { ConfigError } from '../../config/config-error.js';
import type { AccessLogSettings } from '../../config/types.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stage's `AccessLogSetting` (SAM `AWS::Serverless::Api`, CloudFormation `AWS::ApiGateway::Stage`
 * and a Deployment's `StageDescription`) → `accessLogSettings`. The lines go to standard output:
 * `DestinationArn` names a CloudWatch log group or Firehose stream this process does not write to.
 * Without `Format` the stage logs nothing, as on AWS.
 */
export function toAccessLogSettings(value: unknown, where: string): AccessLogSettings | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) throw new ConfigError(`${where}: must be an object { DestinationArn, Format }`);
  if (value.Format === undefined) return undefined;
  if (typeof value.Format !== 'string') {
    throw new ConfigError(`${where}.Format: a string of $context variables (got ${typeof value.Format})`);
  }
  return { format: value.Format };
}
