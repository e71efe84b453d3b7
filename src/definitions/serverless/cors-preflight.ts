import type { Method } from '../../config/types.js';

// serverless/serverless v3 (19128fad) lib/plugins/aws/package/compile/events/api-gateway/lib/
// validate.js `getCors` (per event, merged per path) and cors.js `compileCors` (the OPTIONS method).

/** The framework's default `Access-Control-Allow-Headers` (one more than the console's, and X-Amzn-Trace-Id). */
export const SLS_CORS_HEADERS = [
  'Content-Type',
  'X-Amz-Date',
  'Authorization',
  'X-Api-Key',
  'X-Amz-Security-Token',
  'X-Amz-User-Agent',
  'X-Amzn-Trace-Id',
];

/** One event's `cors`, normalised. */
export interface EventCors {
  origin?: string;
  origins?: string[];
  headers: string[];
  methods: string[];
  allowCredentials: boolean;
  maxAge?: number | string;
  cacheControl?: string;
}

/** How the framework release reads `cors` (see framework-version.ts). */
export interface CorsRules {
  corsTrueEchoesOrigin: boolean;
  corsTraceIdHeader: boolean;
}

const V3_CORS: CorsRules = { corsTrueEchoesOrigin: false, corsTraceIdHeader: true };

/** `cors: true` or its object form, for an event of `method` (validate.js `getCors`). */
export function eventCors(
  cors: true | Record<string, unknown>,
  method: string,
  rules: CorsRules = V3_CORS,
): EventCors {
  const upper = method.toUpperCase();
  const defaultHeaders = rules.corsTraceIdHeader
    ? SLS_CORS_HEADERS
    : SLS_CORS_HEADERS.filter((h) => h !== 'X-Amzn-Trace-Id');
  if (cors === true) {
    const normalised: EventCors = {
      origin: '*',
      methods: ['OPTIONS', upper],
      headers: defaultHeaders,
      allowCredentials: false,
    };
    // before v2.59 `true` also meant `origins: ['*']`, whose preflight template echoes any Origin
    if (rules.corsTrueEchoesOrigin) normalised.origins = ['*'];
    return normalised;
  }
  const headers = cors.headers;
  const methods = Array.isArray(cors.methods) ? [...(cors.methods as string[])] : [];
  if (!methods.includes('OPTIONS')) methods.push('OPTIONS');
  if (!methods.includes(upper)) methods.push(upper);
  const normalised: EventCors = {
    origin: cors.origins ? (cors.origin as string | undefined) : ((cors.origin as string | undefined) ?? '*'),
    origins: cors.origins as string[] | undefined,
    headers:
      typeof headers === 'string'
        ? [headers]
        : Array.isArray(headers)
          ? (headers as string[])
          : defaultHeaders,
    methods,
    allowCredentials: Boolean(cors.allowCredentials),
  };
  if (cors.maxAge !== undefined) normalised.maxAge = cors.maxAge as number;
  if (cors.cacheControl !== undefined) normalised.cacheControl = String(cors.cacheControl);
  return normalised;
}

/** lodash `union(a, b)`: a's items, then b's not yet seen. */
const union = (a: string[] = [], b: string[] = []) => [...new Set([...a, ...b])];

/** Merges one more event's CORS into its path's preflight, as validate.js does (the later event first in each list). */
export function mergeCors(previous: EventCors | undefined, next: EventCors): EventCors {
  const merged: EventCors = {
    headers: union(next.headers, previous?.headers),
    methods: union(next.methods, previous?.methods),
    origins: union(next.origins, previous?.origins),
    origin: next.origin,
    allowCredentials: (previous?.allowCredentials ?? false) || next.allowCredentials,
  };
  const maxAge = next.maxAge || previous?.maxAge;
  if (maxAge) merged.maxAge = maxAge;
  const cacheControl = next.cacheControl || previous?.cacheControl;
  if (cacheControl) merged.cacheControl = cacheControl;
  return merged;
}

/** The origin header a non-proxy event's responses carry: its origin, or its origins joined. */
export function eventOrigin(cors: EventCors): string {
  return cors.origins && cors.origins.length > 0 ? cors.origins.join(',') : String(cors.origin);
}

/** Several origins: the first answers statically, the template echoes any other that matches (`*` → `.+`). */
function originTemplate(origins: string[]): string {
  const patterns = origins.map((origin) => origin.replace(/\./g, '[.]').replace('*', '.+'));
  return (
    '#set($origin = $input.params("Origin"))\n' +
    '#if($origin == "") #set($origin = $input.params("origin")) #end\n' +
    `#if(${patterns.map((p, i, all) => `$origin.matches("${p}")${i < all.length - 1 ? ' || ' : ''}`).join('')}` +
    ') #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end'
  );
}

/** The OPTIONS method the framework adds to a path with CORS (cors.js `compileCors`). */
export function preflightMethod(config: EventCors): Method {
  let origin = config.origin;
  let origins = config.origins && config.origins.length > 0 ? config.origins : undefined;
  if (origin?.includes(',')) origins = origin.split(',').map((o) => o.trim());
  if (origins) origin = origins[0];
  const headers: Record<string, string> = {
    'Access-Control-Allow-Origin': `'${origin}'`,
    'Access-Control-Allow-Headers': `'${config.headers.join(',')}'`,
    'Access-Control-Allow-Methods': `'${config.methods.join(',')}'`,
  };
  if (config.allowCredentials) headers['Access-Control-Allow-Credentials'] = `'true'`;
  if (config.maxAge) headers['Access-Control-Max-Age'] = `'${config.maxAge}'`;
  if (config.cacheControl) headers['Cache-Control'] = `'${config.cacheControl}'`;
  if (config.methods.includes('ANY')) {
    headers['Access-Control-Allow-Methods'] = headers['Access-Control-Allow-Methods'].replace(
      'ANY',
      'DELETE,GET,HEAD,PATCH,POST,PUT',
    );
  }
  const responseParameters: Record<string, string> = {};
  const declared: Record<string, boolean> = {};
  for (const [name, value] of Object.entries(headers)) {
    responseParameters[`method.response.header.${name}`] = value;
    declared[`method.response.header.${name}`] = true;
  }
  return {
    authorizationType: 'NONE',
    apiKeyRequired: false,
    methodResponses: [{ statusCode: '200', responseParameters: declared, responseModels: {} }],
    integration: {
      type: 'MOCK',
      requestTemplates: { 'application/json': '{statusCode:200}' },
      contentHandling: 'CONVERT_TO_TEXT',
      integrationResponses: [
        {
          statusCode: '200',
          responseParameters,
          responseTemplates: { 'application/json': origins ? originTemplate(origins) : '' },
        },
      ],
    },
  };
}
