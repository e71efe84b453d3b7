import { ConfigError } from '../../config/config-error.js';
import type { AccessLogSettings, ThrottleSettings } from '../../config/types.js';
import { accessLogSettingOf } from '../logs/access-log-setting.js';
import type { HttpRouteSettings } from '../throttling.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stage's settings as `httpApi()` options spell them. */
export interface HttpStageSettings {
  stageVariables?: Record<string, string>;
  throttle?: Partial<ThrottleSettings>;
  routeSettings?: Record<string, HttpRouteSettings>;
  accessLogSettings?: AccessLogSettings;
}

/**
 * One CFN-stage `RouteSettings` entry: `ThrottlingBurstLimit` / `ThrottlingRateLimit` (D-thr);
 * metrics and logging levels change nothing a client sees. Undefined when it sets no limit.
 */
export function readThrottle(value: unknown, where: string): Partial<ThrottleSettings> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value))
    throw new ConfigError(`${where}: a map { ThrottlingBurstLimit, ThrottlingRateLimit, … }`);
  const throttle: Partial<ThrottleSettings> = {};
  const num = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v) as number;
  if (value.ThrottlingRateLimit !== undefined) throttle.rateLimit = num(value.ThrottlingRateLimit);
  if (value.ThrottlingBurstLimit !== undefined) throttle.burstLimit = num(value.ThrottlingBurstLimit);
  return Object.keys(throttle).length > 0 ? throttle : undefined;
}

/**
 * `AWS::ApiGatewayV2::Stage` (and SAM HttpApi) `StageVariables`, `DefaultRouteSettings`,
 * `RouteSettings` (route key → settings); events' own `RouteSettings` (SAM) come in `more`.
 */
export function readStageSettings(p: Record<string, unknown>, where: string): HttpStageSettings {
  const out: HttpStageSettings = {};
  if (p.StageVariables !== undefined) {
    if (!isObject(p.StageVariables)) throw new ConfigError(`${where}.StageVariables: a map of name → value`);
    out.stageVariables = Object.fromEntries(Object.entries(p.StageVariables).map(([k, v]) => [k, String(v)]));
  }
  const accessLogSettings = accessLogSettingOf(p.AccessLogSettings, where);
  if (accessLogSettings !== undefined) out.accessLogSettings = accessLogSettings;
  const throttle = readThrottle(p.DefaultRouteSettings, `${where}.DefaultRouteSettings`);
  if (throttle !== undefined) out.throttle = throttle;
  if (p.RouteSettings !== undefined) {
    if (!isObject(p.RouteSettings))
      throw new ConfigError(`${where}.RouteSettings: a map of route key → settings`);
    for (const [key, settings] of Object.entries(p.RouteSettings))
      addRouteSettings(out, key, settings, `${where}.RouteSettings.${key}`);
  }
  return out;
}

/** A route's settings added to a stage's (SAM events' `RouteSettings` too). */
export function addRouteSettings(
  stage: HttpStageSettings,
  routeKey: string,
  settings: unknown,
  where: string,
): void {
  const throttle = readThrottle(settings, where);
  if (throttle === undefined) return;
  stage.routeSettings ??= {};
  stage.routeSettings[routeKey] = { throttle: { ...stage.routeSettings[routeKey]?.throttle, ...throttle } };
}
