import { createHash } from 'node:crypto';
import type { ApiGatewayOptions, ApiKey, Logger, ThrottleSettings, UsagePlan } from '../config/types.js';
import type { GatewayRequest } from '../http/gateway-request.js';
import { GatewayError } from '../responses/gateway-error.js';
import { quotaLimit, quotaPeriod } from './quota-period.js';
import { StoreUnavailableError } from './store-unavailable-error.js';
import type { QuotaWindow, UsageStore } from './usage-store.js';

interface CompiledKey {
  id: string;
  value: string;
  enabled: boolean;
  plan?: CompiledPlan;
}

interface CompiledPlan {
  /** The plan's position: store keys stay valid when a plan is renamed. */
  id: string;
  throttle?: ThrottleSettings;
  quota?: UsagePlan['quota'];
  methodThrottle: Map<string, ThrottleSettings>;
}

/** The API key a request was let in with: `requestContext.identity.apiKey` / `apiKeyId`. */
export interface MeteredIdentity {
  apiKey: string;
  apiKeyId: string;
}

/** A key id as AWS's look (10 lower-case letters and digits), stable for a value. */
function keyId(value: string): string {
  const hex = createHash('sha256').update(`apikey:${value}`).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 10; i++) id += alphabet[hex[i] % alphabet.length];
  return id;
}

export function normaliseKey(
  entry: string | ApiKey,
): Required<Pick<ApiKey, 'id' | 'value' | 'enabled'>> & { name?: string } {
  if (typeof entry === 'string') return { id: keyId(entry), value: entry, enabled: true };
  return {
    id: entry.id ?? keyId(entry.value),
    name: entry.name,
    value: entry.value,
    enabled: entry.enabled ?? true,
  };
}

/** AWS's account-level throttle, what a stage method setting inherits for a field it leaves out. */
const ACCOUNT_THROTTLE: ThrottleSettings = { rateLimit: 10_000, burstLimit: 5_000 };

/**
 * `*` in a method setting matches any path or method; for each of rate and burst the most
 * specific setting giving it wins (path, then method), the account's limit when none does.
 */
function methodSettingFor(
  options: ApiGatewayOptions,
  resourcePath: string,
  httpMethod: string,
): ThrottleSettings | undefined {
  let rate: { score: number; value: number } | undefined;
  let burst: { score: number; value: number } | undefined;
  for (const setting of options.methodSettings ?? []) {
    const pathHit =
      setting.resourcePath === '/*' || setting.resourcePath === '*' || setting.resourcePath === resourcePath;
    const methodHit = setting.httpMethod === '*' || setting.httpMethod.toUpperCase() === httpMethod;
    if (!pathHit || !methodHit) continue;
    const score = (setting.resourcePath === resourcePath ? 2 : 0) + (setting.httpMethod !== '*' ? 1 : 0);
    if (setting.throttlingRateLimit !== undefined && (rate === undefined || score >= rate.score)) {
      rate = { score, value: setting.throttlingRateLimit };
    }
    if (setting.throttlingBurstLimit !== undefined && (burst === undefined || score >= burst.score)) {
      burst = { score, value: setting.throttlingBurstLimit };
    }
  }
  if (rate === undefined && burst === undefined) return undefined;
  return {
    rateLimit: rate?.value ?? ACCOUNT_THROTTLE.rateLimit,
    burstLimit: burst?.value ?? ACCOUNT_THROTTLE.burstLimit,
  };
}

/**
 * API keys, usage plans and stage throttles of one API, compiled once. `meterFor` gives each
 * method its checks: the stage's method throttle before the authorizer (a throttle set on the
 * stage or method needs no authorizer call: https://repost.aws/questions/QUB-bdxno6Trihvft3QfYcfg),
 * then after it the key (when required; with `apiKeySource: AUTHORIZER` the authorizer gives it)
 * and the key's plan throttle, method throttle and quota. A refused request spends nothing of
 * what comes after its refusal.
 */
export class UsageControl {
  private readonly byValue = new Map<string, CompiledKey>();
  private readonly hasPlans: boolean;

  /** When the plans came into force: the quota's initial period (for `offset`) is the one holding it. */
  private readonly planStart: number;

  constructor(
    private readonly options: ApiGatewayOptions,
    private readonly store: UsageStore,
    private readonly now: () => number,
    private readonly logger: Logger,
    /** Names the stage's own throttle buckets when stages share a store (`beta:`). */
    private readonly stagePrefix = '',
  ) {
    this.planStart = now();
    const keys = (options.apiKeys ?? []).map(normaliseKey);
    const plans = options.usagePlans ?? [];
    this.hasPlans = plans.length > 0;
    const compiled = keys.map((k): CompiledKey => ({ id: k.id, value: k.value, enabled: k.enabled }));
    plans.forEach((plan, index) => {
      const compiledPlan: CompiledPlan = {
        id: String(index),
        throttle: plan.throttle,
        quota: plan.quota,
        methodThrottle: new Map(Object.entries(plan.methodThrottle ?? {})),
      };
      for (const ref of plan.apiKeys) {
        const i = keys.findIndex((k) => k.value === ref || k.id === ref || k.name === ref);
        if (i !== -1) compiled[i].plan = compiledPlan;
      }
    });
    for (const key of compiled) this.byValue.set(key.value, key);
  }

  /** A store's answer is believed only as its contract gives it: anything but a boolean is a failure. */
  private async take(key: string, throttle: ThrottleSettings): Promise<boolean> {
    const taken: unknown = await this.store.takeToken(key, throttle.rateLimit, throttle.burstLimit);
    if (typeof taken !== 'boolean')
      throw new Error(`takeToken answered ${outOfContract(taken)}, not a boolean`);
    return taken;
  }

  private async useQuota(key: string, limit: number, window: QuotaWindow): Promise<boolean> {
    const use: unknown = await this.store.useQuota(key, limit, window);
    const allowed = (use as { allowed?: unknown } | null)?.allowed;
    if (typeof allowed !== 'boolean')
      throw new Error(`useQuota answered ${outOfContract(use)}, not { allowed: boolean, used }`);
    return allowed;
  }

  /** The check of one method, or undefined when nothing applies to it. */
  meterFor(resourcePath: string, httpMethod: string, apiKeyRequired: boolean): MethodMeter | undefined {
    const stageThrottle = methodSettingFor(this.options, resourcePath, httpMethod);
    if (!apiKeyRequired && stageThrottle === undefined) return undefined;
    return new MethodMeter(this, `${resourcePath}/${httpMethod}`, apiKeyRequired, stageThrottle);
  }

  /** @internal The stage's throttle for one method: THROTTLED, a refusal when the store fails, or undefined. */
  async throttleStage(methodKey: string, stageThrottle: ThrottleSettings): Promise<GatewayError | undefined> {
    try {
      return (await this.take(`stage:${this.stagePrefix}${methodKey}`, stageThrottle))
        ? undefined
        : new GatewayError('THROTTLED');
    } catch (error) {
      return this.storeFailed(error);
    }
  }

  /** A store we cannot reach meters nothing: refuse rather than let the request through unmetered. */
  private storeFailed(error: unknown): GatewayError {
    const why =
      error instanceof StoreUnavailableError
        ? error.message
        : `usage store failed: ${String((error as Error)?.message ?? error)}`;
    this.logger.error(`apigw-express: ${why}; request refused`);
    return new GatewayError('API_CONFIGURATION_ERROR');
  }

  /** @internal */
  async check(
    req: GatewayRequest,
    methodKey: string,
    apiKeyRequired: boolean,
  ): Promise<MeteredIdentity | undefined | GatewayError> {
    let key: CompiledKey | undefined;
    if (apiKeyRequired) {
      const value =
        this.options.apiKeySource === 'AUTHORIZER'
          ? req.auth?.usageIdentifierKey
          : req.headers.lower.get('x-api-key');
      key = value === undefined ? undefined : this.byValue.get(value);
      // Missing, unknown, disabled and plan-less keys look the same: 403 Forbidden.
      if (key === undefined || !key.enabled || (this.hasPlans && key.plan === undefined)) {
        return new GatewayError('INVALID_API_KEY');
      }
    }
    try {
      const plan = key?.plan;
      if (key !== undefined && plan !== undefined) {
        const methodThrottle = plan.methodThrottle.get(methodKey);
        if (plan.throttle !== undefined && !(await this.take(`plan:${plan.id}:${key.id}`, plan.throttle))) {
          return new GatewayError('THROTTLED');
        }
        if (
          methodThrottle !== undefined &&
          !(await this.take(`plan:${plan.id}:${key.id}:${methodKey}`, methodThrottle))
        ) {
          return new GatewayError('THROTTLED');
        }
        if (plan.quota !== undefined) {
          const window = quotaPeriod(plan.quota.period, this.now());
          const limit = quotaLimit(plan.quota, window, this.planStart);
          if (!(await this.useQuota(`plan:${plan.id}:${key.id}`, limit, window))) {
            return new GatewayError('QUOTA_EXCEEDED');
          }
        }
      }
    } catch (error) {
      return this.storeFailed(error);
    }
    return key === undefined ? undefined : { apiKey: key.value, apiKeyId: key.id };
  }
}

function outOfContract(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}

/** One method's usage check, compiled once. */
export class MethodMeter {
  constructor(
    private readonly control: UsageControl,
    private readonly methodKey: string,
    readonly apiKeyRequired: boolean,
    private readonly stageThrottle: ThrottleSettings | undefined,
  ) {}

  /** The stage's method throttle: run before the authorizer. */
  throttle(): Promise<GatewayError | undefined> | undefined {
    return this.stageThrottle === undefined
      ? undefined
      : this.control.throttleStage(this.methodKey, this.stageThrottle);
  }

  /** API key, plan throttles and quota: run after the authorizer. */
  check(req: GatewayRequest): Promise<MeteredIdentity | undefined | GatewayError> | undefined {
    return this.apiKeyRequired ? this.control.check(req, this.methodKey, true) : undefined;
  }
}
