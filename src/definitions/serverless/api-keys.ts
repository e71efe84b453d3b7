import { randomBytes } from 'node:crypto';
import { ConfigError } from '../../config/config-error.js';
import type { ApiKey, UsagePlan } from '../../config/types.js';

// serverless/serverless v3 (19128fad) lib/plugins/aws/package/compile/events/api-gateway/lib/
// api-keys.js, usage-plan.js, usage-plan-keys.js.

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `provider.apiGateway.apiKeys` and `usagePlan` become. */
export interface KeysAndPlans {
  apiKeys: ApiKey[];
  usagePlans: UsagePlan[];
  /** Keys given without a value, which AWS would generate: name → the value generated here. */
  generated: Record<string, string>;
}

function apiKey(definition: unknown, where: string, generated: Record<string, string>): ApiKey {
  if (typeof definition !== 'string' && !isRecord(definition)) {
    throw new ConfigError(
      `${where}: must be a key name or { name, value, description, customerId, enabled }`,
    );
  }
  const name = typeof definition === 'string' ? definition : (definition.name as string | undefined);
  let value = isRecord(definition) && definition.value ? String(definition.value) : undefined;
  if (value !== undefined && (value.length < 20 || value.length > 128)) {
    throw new ConfigError(`${where}.value: API key values are 20 to 128 characters long`);
  }
  if (value === undefined) {
    // AWS generates a 40-character key; this one is new on every start and logged
    value = randomBytes(30).toString('base64').replace(/[+/=]/g, '').slice(0, 40);
    generated[name ?? where] = value;
  }
  const enabled = isRecord(definition) && definition.enabled != null ? Boolean(definition.enabled) : true;
  return { ...(name !== undefined ? { name } : {}), value, enabled };
}

function plan(
  name: string,
  config: Record<string, unknown> | undefined,
  service: string,
  stage: string,
  where: string,
): UsagePlan {
  const usagePlan: UsagePlan = {
    name: name === 'default' ? `${service}-${stage}` : `${service}-${name}-${stage}`,
    apiKeys: [],
  };
  const quota = config?.quota;
  if (isRecord(quota)) {
    const period = String(quota.period ?? '').toUpperCase();
    if (!['DAY', 'WEEK', 'MONTH'].includes(period)) {
      throw new ConfigError(`${where}.quota.period: must be DAY, WEEK or MONTH`);
    }
    usagePlan.quota = { limit: Number(quota.limit), period: period as 'DAY' | 'WEEK' | 'MONTH' };
    if (quota.offset !== undefined) usagePlan.quota.offset = Number(quota.offset);
  }
  const throttle = config?.throttle;
  if (isRecord(throttle)) {
    usagePlan.throttle = { burstLimit: Number(throttle.burstLimit), rateLimit: Number(throttle.rateLimit) };
  }
  return usagePlan;
}

/**
 * `apiKeys` (names, `{name, value…}` objects, or `{<plan>: [keys]}` groups) and `usagePlan` (one
 * object, or a list of `{<plan>: {quota, throttle}}`): with either present the framework makes
 * the plans, every plain key joining the `default` plan (`<service>-<stage>`), grouped keys their
 * own plan (`<service>-<plan>-<stage>`).
 */
export function keysAndPlans(
  keys: unknown,
  usagePlan: unknown,
  service: string,
  stage: string,
  where = 'provider.apiGateway',
): KeysAndPlans {
  const result: KeysAndPlans = { apiKeys: [], usagePlans: [], generated: {} };
  if (keys === undefined && usagePlan === undefined) return result;
  if (keys !== undefined && !Array.isArray(keys)) throw new ConfigError(`${where}.apiKeys: must be a list`);
  const plans = new Map<string, UsagePlan>();
  if (Array.isArray(usagePlan)) {
    for (const [i, entry] of usagePlan.entries()) {
      if (!isRecord(entry) || Object.keys(entry).length !== 1) {
        throw new ConfigError(`${where}.usagePlan[${i}]: must be { <plan name>: { quota, throttle } }`);
      }
      const [name, config] = Object.entries(entry)[0];
      plans.set(
        name,
        plan(name, isRecord(config) ? config : undefined, service, stage, `${where}.usagePlan[${i}].${name}`),
      );
    }
  } else {
    if (usagePlan !== undefined && !isRecord(usagePlan)) {
      throw new ConfigError(`${where}.usagePlan: must be { quota, throttle } or a list of named plans`);
    }
    plans.set('default', plan('default', usagePlan, service, stage, `${where}.usagePlan`));
  }
  for (const [i, definition] of ((keys as unknown[]) ?? []).entries()) {
    const group = isRecord(definition) ? Object.keys(definition)[0] : undefined;
    if (group !== undefined && Array.isArray((definition as Record<string, unknown>)[group])) {
      const target = plans.get(group);
      if (target === undefined)
        throw new ConfigError(`${where}.apiKeys[${i}]: API key "${group}" has no usage plan defined`);
      for (const [j, key] of (definition as Record<string, unknown[]>)[group].entries()) {
        const made = apiKey(key, `${where}.apiKeys[${i}].${group}[${j}]`, result.generated);
        result.apiKeys.push(made);
        target.apiKeys.push(made.value);
      }
      continue;
    }
    const made = apiKey(definition, `${where}.apiKeys[${i}]`, result.generated);
    result.apiKeys.push(made);
    const fallback = plans.get('default');
    if (fallback === undefined) {
      throw new ConfigError(
        `${where}.apiKeys[${i}]: with named usage plans, a key belongs to one: { <plan name>: [keys] }`,
      );
    }
    fallback.apiKeys.push(made.value);
  }
  result.usagePlans = [...plans.values()];
  return result;
}
