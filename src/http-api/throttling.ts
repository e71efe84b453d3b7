import type { ThrottleSettings, UsageStore } from '../config/types.js';

/** Stage `RouteSettings` for one route (D-thr); only throttling so far. */
export interface HttpRouteSettings {
  throttle?: Partial<ThrottleSettings>;
}

/** D-limits: the account's 10,000 requests per second, burst 5,000; what a route inherits last. */
const ACCOUNT_THROTTLE: ThrottleSettings = { rateLimit: 10_000, burstLimit: 5_000 };

const ROUTE_SETTING_KEYS = new Set(['throttle']);
const THROTTLE_KEYS = new Set(['rateLimit', 'burstLimit']);

function checkThrottle(value: unknown, where: string, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where}: an object { rateLimit, burstLimit }`);
    return;
  }
  const t = value as Record<string, unknown>;
  for (const key of Object.keys(t))
    if (!THROTTLE_KEYS.has(key))
      problems.push(`${where}: unknown option "${key}" (known: rateLimit, burstLimit)`);
  if (
    t.rateLimit !== undefined &&
    !(typeof t.rateLimit === 'number' && Number.isFinite(t.rateLimit) && t.rateLimit >= 0)
  )
    problems.push(
      `${where}.rateLimit: requests per second, a number ≥ 0 (got ${JSON.stringify(t.rateLimit)})`,
    );
  if (
    t.burstLimit !== undefined &&
    !(typeof t.burstLimit === 'number' && Number.isInteger(t.burstLimit) && t.burstLimit >= 0)
  )
    problems.push(`${where}.burstLimit: an integer ≥ 0 (got ${JSON.stringify(t.burstLimit)})`);
}

/** Startup checks of `throttle` and `routeSettings`; a route setting must name a route. */
export function validateThrottling(
  throttle: unknown,
  routeSettings: unknown,
  routeKeys: string[],
  problems: string[],
): void {
  checkThrottle(throttle, 'throttle', problems);
  if (routeSettings === undefined) return;
  if (typeof routeSettings !== 'object' || routeSettings === null || Array.isArray(routeSettings)) {
    problems.push('routeSettings: an object of route key → { throttle }');
    return;
  }
  for (const [key, settings] of Object.entries(routeSettings)) {
    const where = `routeSettings["${key}"]`;
    if (!routeKeys.includes(key)) problems.push(`${where}: no such route in routes`);
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      problems.push(`${where}: an object { throttle }`);
      continue;
    }
    for (const name of Object.keys(settings))
      if (!ROUTE_SETTING_KEYS.has(name))
        problems.push(`${where}: unknown option "${name}" (known: throttle)`);
    checkThrottle((settings as HttpRouteSettings).throttle, `${where}.throttle`, problems);
  }
}

/**
 * A route's limits: its own route setting, else the stage's default route settings, else the
 * account's, field by field. Each route has a bucket of its own (D-thr: limits apply per route).
 */
export function routeThrottle(
  stageThrottle: Partial<ThrottleSettings> | undefined,
  routeSetting: HttpRouteSettings | undefined,
): ThrottleSettings {
  const own = routeSetting?.throttle;
  return {
    rateLimit: own?.rateLimit ?? stageThrottle?.rateLimit ?? ACCOUNT_THROTTLE.rateLimit,
    burstLimit: own?.burstLimit ?? stageThrottle?.burstLimit ?? ACCOUNT_THROTTLE.burstLimit,
  };
}

/**
 * Takes a token for the route: true to go on, false to answer 429. A store that fails or answers
 * outside its contract throws: the caller refuses the request (security code fails closed).
 */
export async function takeRouteToken(
  store: UsageStore,
  key: string,
  throttle: ThrottleSettings,
): Promise<boolean> {
  const taken: unknown = await store.takeToken(key, throttle.rateLimit, throttle.burstLimit);
  if (typeof taken !== 'boolean') throw new Error(`takeToken answered ${typeof taken}, not a boolean`);
  return taken;
}
