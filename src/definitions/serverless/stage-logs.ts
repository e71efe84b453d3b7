import { ConfigError } from '../../config/config-error.js';
import type { MethodSetting, ResolvedOptions } from '../../config/types.js';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// The framework's access-log format when `logs.restApi` gives none
// (lib/plugins/aws/package/compile/events/api-gateway/lib/hack/update-stage.js, defaultApiGatewayLogFormat).
export const SERVERLESS_DEFAULT_LOG_FORMAT = [
  'requestId: $context.requestId',
  'ip: $context.identity.sourceIp',
  'caller: $context.identity.caller',
  'user: $context.identity.user',
  'requestTime: $context.requestTime',
  'httpMethod: $context.httpMethod',
  'resourcePath: $context.resourcePath',
  'status: $context.status',
  'protocol: $context.protocol',
  'responseLength: $context.responseLength',
].join(', ');

const KEYS = new Set([
  'accessLogging',
  'format',
  'executionLogging',
  'level',
  'fullExecutionData',
  'role',
  'roleManagedExternally',
]);

/**
 * `provider.logs.restApi` and `provider.apiGateway.metrics` as the framework applies them to the
 * stage (update-stage.js `handleLogs`, `handleMetrics`): `true` or a map turns on access logging
 * (default format above) and execution logging at INFO with full data, each switchable; `role`
 * and `roleManagedExternally` concern CloudWatch's IAM role and change nothing here.
 */
export function serverlessStageLogs(
  restApi: unknown,
  metrics: unknown,
): Pick<ResolvedOptions, 'accessLogSettings' | 'methodSettings'> {
  const out: Pick<ResolvedOptions, 'accessLogSettings' | 'methodSettings'> = {};
  const setting: MethodSetting = { resourcePath: '/*', httpMethod: '*' };
  let any = false;
  if (metrics !== undefined && metrics !== null) {
    setting.metricsEnabled = metrics === true || metrics === 'true';
    any = true;
  }
  if (restApi !== undefined && restApi !== null) {
    const where = 'provider.logs.restApi';
    if (restApi !== true && restApi !== false && !isRecord(restApi)) {
      throw new ConfigError(`${where}: true, or a map of accessLogging, format, executionLogging, level, …`);
    }
    const logs = isRecord(restApi) ? restApi : {};
    for (const key of Object.keys(logs)) {
      if (!KEYS.has(key))
        throw new ConfigError(`${where}.${key}: unknown (allowed: ${[...KEYS].join(', ')})`);
    }
    if (restApi === false) {
      setting.loggingLevel = 'OFF';
      setting.dataTraceEnabled = false;
    } else {
      if (logs.format !== undefined && typeof logs.format !== 'string') {
        throw new ConfigError(`${where}.format: a string of $context variables`);
      }
      if (logs.accessLogging !== false) {
        out.accessLogSettings = {
          format: (logs.format as string | undefined) ?? SERVERLESS_DEFAULT_LOG_FORMAT,
        };
      }
      const level = logs.level ?? 'INFO';
      if (level !== 'INFO' && level !== 'ERROR') {
        throw new ConfigError(`${where}.level: INFO or ERROR (got ${JSON.stringify(level)})`);
      }
      setting.loggingLevel = logs.executionLogging === false ? 'OFF' : level;
      setting.dataTraceEnabled = logs.fullExecutionData !== false;
    }
    any = true;
  }
  if (any) out.methodSettings = [setting];
  return out;
}
