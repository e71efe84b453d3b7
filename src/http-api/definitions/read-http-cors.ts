import { ConfigError } from '../../config/config-error.js';
import type { HttpCorsConfiguration } from '../cors.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** CFN-api-cors names → the `cors` option's. */
const CFN_KEYS: Record<string, keyof HttpCorsConfiguration> = {
  AllowOrigins: 'allowOrigins',
  AllowMethods: 'allowMethods',
  AllowHeaders: 'allowHeaders',
  ExposeHeaders: 'exposeHeaders',
  MaxAge: 'maxAge',
  AllowCredentials: 'allowCredentials',
};

const list = (v: unknown): unknown => (typeof v === 'string' ? [v] : v);
const number = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v);
const boolean = (v: unknown): unknown => (v === 'true' ? true : v === 'false' ? false : v);

/**
 * `AWS::ApiGatewayV2::Api` `CorsConfiguration` (CFN-api-cors) or SAM's `CorsConfiguration`
 * (same names). SAM also takes `true`: every origin (samtranslator http_api_generator `_add_cors`);
 * `false` is none. The values are checked later, as the `cors` option's.
 */
export function readCfnCors(value: unknown, where: string, sam = false): HttpCorsConfiguration | undefined {
  if (value === undefined || (sam && value === false)) return undefined;
  if (sam && value === true) return { allowOrigins: ['*'] };
  if (!isObject(value))
    throw new ConfigError(`${where}: a map { AllowOrigins, AllowMethods, … }${sam ? ' or true' : ''}`);
  const cors: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = CFN_KEYS[key];
    if (name === undefined)
      throw new ConfigError(
        `${where}: unknown property "${key}" (known: ${Object.keys(CFN_KEYS).join(', ')})`,
      );
    cors[name] = name === 'maxAge' ? number(v) : name === 'allowCredentials' ? boolean(v) : list(v);
  }
  return cors as HttpCorsConfiguration;
}

/** serverless: what `cors: true` allows, and an object's default headers (http-api.js `defaultCors`). */
const SERVERLESS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
];
/** serverless: what an `ANY` route adds to the filled-in methods. */
const SERVERLESS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE'];
const SERVERLESS_KEYS = new Set([
  'allowedOrigins',
  'allowedHeaders',
  'allowedMethods',
  'allowCredentials',
  'exposedResponseHeaders',
  'maxAge',
]);

/**
 * serverless v3 `provider.httpApi.cors` (lib/plugins/aws/package/compile/events/http-api.js):
 * `true` is origin `*`, serverless's default headers, and `OPTIONS` plus every route's method;
 * an object keeps those defaults for what it leaves out.
 */
export function readServerlessCors(value: unknown, routeKeys: string[]): HttpCorsConfiguration | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  const where = 'provider.httpApi.cors';
  const c: Record<string, unknown> = value === true ? {} : isObject(value) ? value : {};
  if (value !== true && !isObject(value)) throw new ConfigError(`${where}: true or a map`);
  for (const key of Object.keys(c))
    if (!SERVERLESS_KEYS.has(key))
      throw new ConfigError(
        `${where}: unknown property "${key}" (known: ${[...SERVERLESS_KEYS].join(', ')})`,
      );
  const methods = new Set<string>(['OPTIONS']);
  for (const key of routeKeys) {
    const method = key === '$default' ? 'ANY' : key.split(' ')[0];
    for (const m of method === 'ANY' ? SERVERLESS_METHODS : [method]) methods.add(m);
  }
  const cors: Record<string, unknown> = {
    allowOrigins: c.allowedOrigins === undefined ? ['*'] : list(c.allowedOrigins),
    allowHeaders: c.allowedHeaders === undefined ? SERVERLESS_HEADERS : list(c.allowedHeaders),
    allowMethods: c.allowedMethods === undefined ? [...methods] : list(c.allowedMethods),
  };
  // serverless writes AllowCredentials only when true.
  if (c.allowCredentials === true) cors.allowCredentials = true;
  if (c.exposedResponseHeaders !== undefined) cors.exposeHeaders = list(c.exposedResponseHeaders);
  if (c.maxAge !== undefined) cors.maxAge = number(c.maxAge);
  return cors as HttpCorsConfiguration;
}
