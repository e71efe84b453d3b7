import { ConfigError } from '../config/config-error.js';
import { checkExecutionLogSetting } from '../config/execution-log-settings.js';
import type { ApiGatewayOptions, HttpMethod, ThrottleSettings } from '../config/types.js';
import { HTTP_METHODS } from '../config/validate.js';
import { normaliseKey } from './usage-plans.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(value: Record<string, unknown>, allowed: string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new ConfigError(`${where}: unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function checkThrottle(value: unknown, where: string): asserts value is ThrottleSettings {
  if (!isObject(value)) throw new ConfigError(`${where}: must be { rateLimit, burstLimit }`);
  unknownKeys(value, ['rateLimit', 'burstLimit'], where);
  if (typeof value.rateLimit !== 'number' || !(value.rateLimit >= 0)) {
    throw new ConfigError(`${where}.rateLimit: requests per second, a number of at least 0`);
  }
  if (!Number.isInteger(value.burstLimit) || (value.burstLimit as number) < 0) {
    throw new ConfigError(`${where}.burstLimit: an integer of at least 0`);
  }
}

/**
 * A method setting must name something the API has. AWS stores one for a missing resource or
 * method and applies it to nothing (aws/serverless-application-model#439,
 * hashicorp/terraform-provider-aws#9738): here that throttle would be dropped without a word.
 */
function checkSettingTarget(
  resourcePath: string,
  httpMethod: string,
  methodsOf: Map<string, string[]>,
  where: string,
): void {
  const verb = httpMethod.toUpperCase();
  const at = `${where} (${resourcePath}/${httpMethod})`;
  if (verb !== '*' && !HTTP_METHODS.includes(verb as HttpMethod)) {
    throw new ConfigError(
      `${at}.httpMethod: not an HTTP method (use one of ${HTTP_METHODS.join(', ')}, or '*')`,
    );
  }
  if (resourcePath === '/*') return;
  const methods = methodsOf.get(resourcePath);
  if (methods === undefined) {
    throw new ConfigError(
      `${at}.resourcePath: the API has no methods on ${resourcePath}, so the setting would apply to nothing (use a resource path of the API, e.g. '/pets/{id}', or '/*')`,
    );
  }
  if (verb !== '*' && !methods.includes(verb)) {
    throw new ConfigError(
      `${at}.httpMethod: ${resourcePath} has no ${verb} method (it has ${methods.join(', ')}), so the setting would apply to nothing`,
    );
  }
}

/** Startup checks for apiKeySource, apiKeys, usagePlans, methodSettings and store, naming the field. */
export function validateUsageOptions(options: ApiGatewayOptions, methodKeys: Set<string>): void {
  if (
    options.apiKeySource !== undefined &&
    options.apiKeySource !== 'HEADER' &&
    options.apiKeySource !== 'AUTHORIZER'
  ) {
    throw new ConfigError(
      `apiKeySource: must be HEADER or AUTHORIZER (got ${JSON.stringify(options.apiKeySource)})`,
    );
  }
  const keys = options.apiKeys ?? [];
  if (!Array.isArray(keys))
    throw new ConfigError('apiKeys: must be a list of key values or { id, name, value, enabled }');
  const values = new Set<string>();
  const ids = new Set<string>();
  keys.forEach((entry, i) => {
    const where = `apiKeys[${i}]`;
    if (typeof entry !== 'string') {
      if (!isObject(entry)) throw new ConfigError(`${where}: a key value or { id, name, value, enabled }`);
      unknownKeys(entry, ['id', 'name', 'value', 'enabled'], where);
      if (entry.enabled !== undefined && typeof entry.enabled !== 'boolean') {
        throw new ConfigError(`${where}.enabled: must be a boolean`);
      }
    }
    const value = typeof entry === 'string' ? entry : entry.value;
    // AWS: at least 20 characters for an imported value; 30 are generated. Any non-empty value is accepted here.
    if (typeof value !== 'string' || value === '')
      throw new ConfigError(`${where}${typeof entry === 'string' ? '' : '.value'}: a non-empty key value`);
    const key = normaliseKey(entry);
    if (values.has(key.value)) throw new ConfigError(`${where}: the key value is used twice`);
    if (ids.has(key.id)) throw new ConfigError(`${where}.id: "${key.id}" is used twice`);
    values.add(key.value);
    ids.add(key.id);
  });

  const plans = options.usagePlans ?? [];
  if (!Array.isArray(plans)) throw new ConfigError('usagePlans: must be a list of usage plans');
  // Key index → the index of the plan holding it: plan names need not be unique.
  const planOfKey = new Map<number, number>();
  const normalised = keys.map(normaliseKey);
  plans.forEach((plan, p) => {
    const where = `usagePlans[${p}]`;
    if (!isObject(plan)) throw new ConfigError(`${where}: must be an object`);
    unknownKeys(plan, ['name', 'apiKeys', 'throttle', 'quota', 'methodThrottle'], where);
    if (typeof plan.name !== 'string' || plan.name === '') throw new ConfigError(`${where}.name: missing`);
    if (!Array.isArray(plan.apiKeys))
      throw new ConfigError(`${where}.apiKeys: a list of key values, ids or names`);
    plan.apiKeys.forEach((ref, r) => {
      const named = normalised.flatMap((k, i) =>
        k.value === ref || k.id === ref || k.name === ref ? [i] : [],
      );
      if (named.length === 0)
        throw new ConfigError(
          `${where}.apiKeys[${r}]: no key in apiKeys has the value, id or name ${JSON.stringify(ref)}`,
        );
      if (named.length > 1) {
        throw new ConfigError(
          `${where}.apiKeys[${r}]: ${JSON.stringify(ref)} names more than one key in apiKeys (${named.map((i) => `apiKeys[${i}]`).join(', ')})`,
        );
      }
      const i = named[0];
      const other = planOfKey.get(i);
      if (other !== undefined && other !== p) {
        throw new ConfigError(
          `${where}.apiKeys[${r}]: the key is already in usage plan "${(plans[other] as { name: string }).name}" (a key takes one plan per stage)`,
        );
      }
      planOfKey.set(i, p);
    });
    if (plan.throttle !== undefined) checkThrottle(plan.throttle, `${where}.throttle`);
    if (plan.quota !== undefined) {
      const q = plan.quota;
      const at = `${where}.quota`;
      if (!isObject(q)) throw new ConfigError(`${at}: must be { limit, period, offset }`);
      unknownKeys(q, ['limit', 'period', 'offset'], at);
      if (!Number.isInteger(q.limit) || (q.limit as number) < 0)
        throw new ConfigError(`${at}.limit: an integer of at least 0`);
      if (q.period !== 'DAY' && q.period !== 'WEEK' && q.period !== 'MONTH') {
        throw new ConfigError(`${at}.period: DAY, WEEK or MONTH (got ${JSON.stringify(q.period)})`);
      }
      // Requests taken off the first period's limit (see quotaLimit), so at most the limit itself.
      if (
        q.offset !== undefined &&
        !(
          Number.isInteger(q.offset) &&
          (q.offset as number) >= 0 &&
          (q.offset as number) <= (q.limit as number)
        )
      ) {
        throw new ConfigError(`${at}.offset: an integer from 0 to the limit (${q.limit})`);
      }
    }
    if (plan.methodThrottle !== undefined) {
      if (!isObject(plan.methodThrottle))
        throw new ConfigError(`${where}.methodThrottle: '/path/METHOD' → { rateLimit, burstLimit }`);
      for (const [method, throttle] of Object.entries(plan.methodThrottle)) {
        if (!methodKeys.has(method)) {
          throw new ConfigError(
            `${where}.methodThrottle["${method}"]: no such method (use '/resource/path/METHOD', e.g. '/pets/GET')`,
          );
        }
        checkThrottle(throttle, `${where}.methodThrottle["${method}"]`);
      }
    }
  });

  const settings = options.methodSettings ?? [];
  if (!Array.isArray(settings)) throw new ConfigError('methodSettings: must be a list');
  const methodsOf = new Map<string, string[]>();
  for (const key of methodKeys) {
    const slash = key.lastIndexOf('/');
    const path = key.slice(0, slash);
    methodsOf.set(path, [...(methodsOf.get(path) ?? []), key.slice(slash + 1)]);
  }
  settings.forEach((setting, i) => {
    const where = `methodSettings[${i}]`;
    if (!isObject(setting)) throw new ConfigError(`${where}: must be an object`);
    unknownKeys(
      setting,
      [
        'resourcePath',
        'httpMethod',
        'throttlingRateLimit',
        'throttlingBurstLimit',
        'loggingLevel',
        'dataTraceEnabled',
        'metricsEnabled',
      ],
      where,
    );
    if (typeof setting.resourcePath !== 'string' || !setting.resourcePath.startsWith('/')) {
      throw new ConfigError(`${where}.resourcePath: a resource path or '/*'`);
    }
    if (typeof setting.httpMethod !== 'string') throw new ConfigError(`${where}.httpMethod: a method or '*'`);
    checkSettingTarget(setting.resourcePath, setting.httpMethod, methodsOf, where);
    if (
      setting.throttlingRateLimit !== undefined &&
      !(typeof setting.throttlingRateLimit === 'number' && setting.throttlingRateLimit >= 0)
    ) {
      throw new ConfigError(`${where}.throttlingRateLimit: a number of at least 0`);
    }
    if (
      setting.throttlingBurstLimit !== undefined &&
      !(Number.isInteger(setting.throttlingBurstLimit) && (setting.throttlingBurstLimit as number) >= 0)
    ) {
      throw new ConfigError(`${where}.throttlingBurstLimit: an integer of at least 0`);
    }
    checkExecutionLogSetting(setting, where);
  });
}
