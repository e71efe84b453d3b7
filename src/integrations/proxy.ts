import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { APIGatewayEventRequestContext, APIGatewayProxyEvent } from 'aws-lambda';
import { decodeBase64 } from '../http/decode-base64.js';
import { decodeUtf8, encodeBase64 } from '../http/decode-text.js';
import type { ApiIdentity, GatewayRequest, RouteMatch } from '../http/gateway-request.js';
import { formatRequestTime } from '../http/request-seed.js';
import { GatewayError } from '../responses/gateway-error.js';
import { toWireHeaderValue } from '../responses/header-value.js';
import type { HttpResponse } from '../responses/http-response.js';
import { PROXY_REMAPPED, remapHeaderName } from '../responses/remap-headers.js';

/**
 * `requestContext.domainName`: the custom domain a mapping served it under, else the Host the
 * client sent, else the API's execute-api host.
 */
export function domainNameOf(req: GatewayRequest, api: ApiIdentity): string {
  if (req.customDomain !== undefined) return req.customDomain.domainName;
  return req.headers.lower.get('host') ?? `${api.restApiId}.execute-api.${api.region}.amazonaws.com`;
}

/**
 * `requestContext` for a method without an authorizer (recorded key set: `authorizer` absent,
 * `identity.apiKey`/`apiKeyId`/`clientCert` only when API keys or mutual TLS are in play).
 */
export function toRequestContext(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
): APIGatewayEventRequestContext {
  const domainName = domainNameOf(req, api);
  const dot = domainName.indexOf('.');
  const context = {
    resourceId: route.resourceId,
    resourcePath: route.resourcePath,
    httpMethod: req.httpMethod,
    extendedRequestId: req.seed.extendedRequestId,
    requestTime: formatRequestTime(req.seed.requestTimeEpoch),
    path: req.requestPath,
    accountId: api.accountId,
    protocol: req.protocol,
    stage: api.stageName,
    domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot),
    requestTimeEpoch: req.seed.requestTimeEpoch,
    requestId: req.seed.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: req.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: req.headers.lower.get('user-agent') ?? null,
      user: null,
    },
    domainName,
    deploymentId: api.deploymentId,
    apiId: api.restApiId,
  } as unknown as APIGatewayEventRequestContext & { authorizer?: Record<string, unknown> };
  const auth = req.auth;
  if (auth !== undefined) {
    // Fresh copies: the cached authorizer result serves many requests, each event is the handler's own.
    if (auth.authorizer !== undefined)
      context.authorizer = copyData(auth.authorizer) as Record<string, unknown>;
    if (auth.identity !== undefined) Object.assign(context.identity, auth.identity);
  }
  return context;
}

/**
 * The REST v1 proxy event exactly as API Gateway sends it: maps are null (not `{}`) when empty,
 * the body is a string (base64 when its Content-Type is a binary media type) or null.
 */
export function toProxyEvent(
  req: GatewayRequest,
  route: RouteMatch,
  api: ApiIdentity,
  isBinary: boolean,
): APIGatewayProxyEvent {
  const requestContext = toRequestContext(req, route, api);
  const hasBody = req.body.length > 0;
  return {
    resource: route.resourcePath,
    path: req.path,
    httpMethod: req.httpMethod,
    headers: req.headers.headers,
    multiValueHeaders: req.headers.multiValueHeaders,
    queryStringParameters: req.query ? req.query.single : null,
    multiValueQueryStringParameters: req.query ? req.query.multi : null,
    pathParameters: route.pathParameters,
    // A copy per event: a handler that changes its event must not change the next request's.
    stageVariables: api.stageVariables ? { ...api.stageVariables } : null,
    requestContext,
    body: hasBody ? (isBinary ? encodeBase64(req.body) : decodeUtf8(req.body)) : null,
    isBase64Encoded: hasBody && isBinary,
  };
}

/** A deep copy of JSON-like data (plain objects, arrays, scalars), own keys only, `__proto__` kept as a key. */
function copyData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyData);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, key, {
      value: copyData((value as Record<string, unknown>)[key]),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

const RESULT_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * "Malformed Lambda proxy response" in AWS's execution log; the client sees a 502 whose body
 * says nothing more. `reason` names the field, for the log.
 */
export class MalformedProxyResult extends GatewayError {
  constructor(readonly reason: string) {
    super('DEFAULT_5XX');
  }
}

/** The value as the log shows it: JSON, cut short. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function malformed(reason: string): GatewayError {
  return new MalformedProxyResult(reason);
}

function headerValue(value: unknown, where: string): string | undefined | GatewayError {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return toWireHeaderValue(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return malformed(`${where} is ${shown(value)}: a header value is a string, number or boolean`);
}

/** A name or value HTTP cannot carry (a space in the name, a line break in the value). */
function isUnsendable(name: string, values: string[]): boolean {
  try {
    validateHeaderName(name);
    for (const value of values) validateHeaderValue(name, value);
    return false;
  } catch {
    return true;
  }
}

/**
 * Proxy result → HTTP response, or the 502 GatewayError AWS gives for a malformed one.
 * `decodeBinary` tells whether a base64 body may become bytes (the request's first Accept type
 * is a binary media type).
 */
export function fromProxyResult(result: unknown, decodeBinary: boolean): HttpResponse | GatewayError {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    return malformed(`the result is ${shown(result)}, not an object with statusCode, headers and body`);
  }
  const r = result as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    // The runtime's JSON.stringify drops undefined and function values before AWS sees the keys.
    if (!RESULT_KEYS.has(key) && r[key] !== undefined && typeof r[key] !== 'function') {
      return malformed(`unknown field "${key}" (a proxy result has only ${[...RESULT_KEYS].join(', ')})`);
    }
  }

  let statusCode = 200;
  if (r.statusCode !== undefined && r.statusCode !== null) {
    const n =
      typeof r.statusCode === 'string' && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
    // 1xx cannot end an exchange: sent as the answer, it leaves the client waiting for another.
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 200 || n > 599) {
      return malformed(`statusCode is ${shown(r.statusCode)}: a status code from 200 to 599`);
    }
    statusCode = n;
  }

  // multiValueHeaders first, then `headers` appended unless the same value is already there;
  // the name keeps the multiValueHeaders spelling.
  const headers = new Map<string, { name: string; values: string[] }>();
  if (r.multiValueHeaders !== undefined && r.multiValueHeaders !== null) {
    if (typeof r.multiValueHeaders !== 'object' || Array.isArray(r.multiValueHeaders)) {
      return malformed(`multiValueHeaders is ${shown(r.multiValueHeaders)}: an object of header name → list`);
    }
    for (const [name, list] of Object.entries(r.multiValueHeaders as Record<string, unknown>)) {
      if (list === null) continue;
      if (!Array.isArray(list)) {
        return malformed(`multiValueHeaders["${name}"] is ${shown(list)}: a list of values`);
      }
      const values: string[] = [];
      for (const item of list) {
        const v = headerValue(item, `multiValueHeaders["${name}"]`);
        if (v instanceof GatewayError) return v;
        if (v !== undefined) values.push(v);
      }
      const key = name.toLowerCase();
      const entry = headers.get(key);
      if (entry) entry.values.push(...values);
      else headers.set(key, { name, values });
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) {
      return malformed(`headers is ${shown(r.headers)}: an object of header name → value`);
    }
    for (const [name, raw] of Object.entries(r.headers as Record<string, unknown>)) {
      const v = headerValue(raw, `headers["${name}"]`);
      if (v instanceof GatewayError) return v;
      if (v === undefined) continue;
      const key = name.toLowerCase();
      const entry = headers.get(key);
      if (!entry) headers.set(key, { name, values: [v] });
      else if (!entry.values.includes(v)) entry.values.push(v);
    }
  }

  if (
    r.isBase64Encoded !== undefined &&
    r.isBase64Encoded !== null &&
    typeof r.isBase64Encoded !== 'boolean'
  ) {
    return malformed(`isBase64Encoded is ${shown(r.isBase64Encoded)}: true or false`);
  }
  let body: Buffer | string = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body === 'string') body = r.body;
    // Scalars are coerced into the string field as Jackson does; structures are malformed.
    else if (typeof r.body === 'number' || typeof r.body === 'boolean') body = JSON.stringify(r.body);
    else return malformed(`body is ${shown(r.body)}: a string (JSON.stringify an object)`);
  }
  if (r.isBase64Encoded === true && decodeBinary && typeof body === 'string') {
    const bytes = decodeBase64(body);
    // Recorded (test_aws_proxy_binary_response): a body that is not base64 is a 500.
    if (!bytes) return new GatewayError('API_CONFIGURATION_ERROR');
    body = bytes;
  }

  const out: [string, string | string[]][] = [];
  let hasContentType = false;
  for (const [key, { name, values }] of headers) {
    if (values.length === 0) continue;
    // Checked here so that a bad header fails as a malformed result, before anything is written.
    if (isUnsendable(name, values)) {
      return malformed(`header ${shown(name)}: ${shown(values)} cannot be sent over HTTP`);
    }
    const sent = remapHeaderName(name, PROXY_REMAPPED);
    if (sent === undefined) continue;
    if (key === 'content-type') hasContentType = true;
    out.push([sent, values.length === 1 ? values[0] : values]);
  }
  if (!hasContentType) out.push(['Content-Type', 'application/json']);
  return { statusCode, headers: out, body };
}
