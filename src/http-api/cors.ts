import type { IncomingHttpHeaders } from 'node:http';

/** `CorsConfiguration` of `AWS::ApiGatewayV2::Api` (D-cors, CFN-api-cors), in its camel-case names. */
export interface HttpCorsConfiguration {
  /** `https://www.example.com`, `*`, or `https://*` / `http://*` (any origin with that scheme). */
  allowOrigins?: string[];
  /** `GET`, `POST`, … or `*`. */
  allowMethods?: string[];
  /** Request headers a preflight may ask for (`Authorization`, `*`). */
  allowHeaders?: string[];
  /** Response headers the browser may read (`Date`, `x-api-id`, `*`). */
  exposeHeaders?: string[];
  /** Seconds a browser may cache the preflight answer. */
  maxAge?: number;
  /** Sends `access-control-allow-credentials: true`; not with origin `*` (AWS refuses it). */
  allowCredentials?: boolean;
}

export interface CompiledCors {
  origins: string[];
  anyOrigin: boolean;
  methods: string[] | '*';
  allowHeaders?: string;
  exposeHeaders?: string;
  maxAge?: number;
  allowCredentials: boolean;
}

const CORS_KEYS = new Set([
  'allowOrigins',
  'allowMethods',
  'allowHeaders',
  'exposeHeaders',
  'maxAge',
  'allowCredentials',
]);

const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '');

/** What CreateApi refuses in a CorsConfiguration, one line per problem. */
export function validateCors(cors: unknown, problems: string[]): void {
  if (cors === undefined) return;
  if (typeof cors !== 'object' || cors === null || Array.isArray(cors)) {
    problems.push(
      'cors: an object { allowOrigins, allowMethods, allowHeaders, exposeHeaders, maxAge, allowCredentials }',
    );
    return;
  }
  const c = cors as Record<string, unknown>;
  for (const key of Object.keys(c))
    if (!CORS_KEYS.has(key))
      problems.push(`cors: unknown option "${key}" (known: ${[...CORS_KEYS].join(', ')})`);
  for (const key of ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders'] as const) {
    if (c[key] !== undefined && !isStringList(c[key]))
      problems.push(`cors.${key}: a list of non-empty strings`);
  }
  // CFN-api-cors: MaxAge -1 to 86400.
  if (
    c.maxAge !== undefined &&
    !(typeof c.maxAge === 'number' && Number.isInteger(c.maxAge) && c.maxAge >= -1 && c.maxAge <= 86400)
  )
    problems.push(`cors.maxAge: an integer from -1 to 86400 seconds (got ${JSON.stringify(c.maxAge)})`);
  if (c.allowCredentials !== undefined && typeof c.allowCredentials !== 'boolean')
    problems.push('cors.allowCredentials: true or false');
  // AWS: "allow-credentials is not supported if 'allow-origin' is *" (aws/aws-cdk#9076).
  if (c.allowCredentials === true && isStringList(c.allowOrigins) && c.allowOrigins.includes('*'))
    problems.push("cors.allowCredentials: not supported when allowOrigins has '*' (AWS refuses it)");
}

export function compileCors(cors: HttpCorsConfiguration | undefined): CompiledCors | undefined {
  if (cors === undefined) return undefined;
  const origins = (cors.allowOrigins ?? []).map((o) => o.toLowerCase());
  const methods = cors.allowMethods ?? [];
  return {
    origins,
    anyOrigin: origins.includes('*'),
    methods: methods.includes('*') ? '*' : methods.map((m) => m.toUpperCase()),
    allowHeaders: cors.allowHeaders?.length ? cors.allowHeaders.join(',') : undefined,
    exposeHeaders: cors.exposeHeaders?.length ? cors.exposeHeaders.join(',') : undefined,
    maxAge: cors.maxAge,
    allowCredentials: cors.allowCredentials === true,
  };
}

/** The value for `access-control-allow-origin`, or undefined when the origin is not allowed. */
export function allowedOrigin(cors: CompiledCors, origin: string | undefined): string | undefined {
  if (origin === undefined || origin === '') return undefined;
  if (cors.anyOrigin) return '*';
  const lower = origin.toLowerCase();
  for (const allowed of cors.origins) {
    if (allowed === lower) return origin;
    // `https://*` / `http://*`: any origin with that scheme (D-cors).
    if (
      allowed.endsWith('://*') &&
      lower.startsWith(allowed.slice(0, -1)) &&
      lower.length > allowed.length - 1
    )
      return origin;
  }
  return undefined;
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** D-cors: a preflight is OPTIONS with `origin` and `access-control-request-method`. */
export function isPreflight(method: string, headers: IncomingHttpHeaders): boolean {
  return (
    method === 'OPTIONS' &&
    single(headers.origin) !== undefined &&
    single(headers['access-control-request-method']) !== undefined
  );
}

/**
 * API Gateway's own answer to a preflight, even without an OPTIONS route (D-cors). 204 and the
 * headers when origin and method are allowed; 204 without CORS headers otherwise, so the browser
 * refuses (status UNCONFIRMED; 204 as peers observe it, floci-io/floci#1955).
 */
export function preflightHeaders(cors: CompiledCors, headers: IncomingHttpHeaders): [string, string][] {
  const origin = allowedOrigin(cors, single(headers.origin));
  const method = (single(headers['access-control-request-method']) ?? '').trim().toUpperCase();
  if (origin === undefined) return [];
  // Without allowMethods only the browser's simple methods pass; it needs no header for those.
  if (cors.methods !== '*' && cors.methods.length > 0 && !cors.methods.includes(method)) return [];
  const lines: [string, string][] = [['access-control-allow-origin', origin]];
  if (cors.allowCredentials) lines.push(['access-control-allow-credentials', 'true']);
  if (cors.methods === '*' || cors.methods.length > 0)
    lines.push(['access-control-allow-methods', cors.methods === '*' ? '*' : cors.methods.join(',')]);
  if (cors.allowHeaders !== undefined) lines.push(['access-control-allow-headers', cors.allowHeaders]);
  if (cors.exposeHeaders !== undefined) lines.push(['access-control-expose-headers', cors.exposeHeaders]);
  if (cors.maxAge !== undefined) lines.push(['access-control-max-age', String(cors.maxAge)]);
  return lines;
}

/**
 * An integration's answer under a CORS configuration: its own `access-control-*` headers are
 * ignored (D-cors), and the configured ones added when the request's origin is allowed.
 */
export function applyCors(
  cors: CompiledCors,
  requestHeaders: IncomingHttpHeaders,
  responseHeaders: [string, string][],
): [string, string][] {
  const kept = responseHeaders.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  const origin = allowedOrigin(cors, single(requestHeaders.origin));
  if (origin === undefined) return kept;
  kept.push(['access-control-allow-origin', origin]);
  if (cors.allowCredentials) kept.push(['access-control-allow-credentials', 'true']);
  if (cors.exposeHeaders !== undefined) kept.push(['access-control-expose-headers', cors.exposeHeaders]);
  return kept;
}
