import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { QueryParameters } from '../http/parse-query.js';
import { formatRequestTime } from '../http/request-seed.js';
import type { HttpApiCustomDomain } from './domains/http-api-paths.js';

/** What one request is, as both payload formats read it. */
export interface HttpApiRequest {
  method: string;
  /** Decoded, stage prefix kept (`/dev/pets/1`). */
  rawPath: string;
  /** After `?`, as sent. */
  rawQueryString: string;
  query: QueryParameters | null;
  /** Lower-case name → values in order. */
  headers: Map<string, string[]>;
  body: Buffer;
  sourceIp: string;
  requestId: string;
  timeEpoch: number;
  /** The matched route's key and its path variables. */
  routeKey: string;
  pathParameters: Record<string, string> | undefined;
  /** The path as sent (escapes kept) and the headers as sent: what a SigV4 signature covers. */
  signedPath?: string;
  signedHeaders?: Map<string, string[]>;
  /** Set when the request came through a custom domain's API mapping. */
  customDomain?: HttpApiCustomDomain;
}

/** Who the API is: fixed for one `httpApi()`. */
export interface HttpApiIdentity {
  apiId: string;
  accountId: string;
  region: string;
  stage: string;
  stageVariables: Record<string, string> | undefined;
}

// Recorded: JSON, XML, JavaScript and text/* arrive as text; every other type — none, and
// form-urlencoded too — base64 (ministackorg/ministack#766, "verified the split against real AWS").
const TEXT_TYPES = /^(text\/[^;\s]*|application\/(json|xml|javascript))\s*(;|$)/i;

export function isTextBody(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_TYPES.test(contentType.trim());
}

export function domainNameOf(req: HttpApiRequest, api: HttpApiIdentity): string {
  if (req.customDomain !== undefined) return req.customDomain.domainName;
  return req.headers.get('host')?.[0] ?? `${api.apiId}.execute-api.${api.region}.amazonaws.com`;
}

/** Payload format 2.0 (D-lambda; the hotsock/voker capture): keys without a value are absent, never null. */
export function toEventV2(req: HttpApiRequest, api: HttpApiIdentity): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  // Recorded: the Cookie header moves to `cookies`, out of `headers`.
  for (const [name, values] of req.headers) if (name !== 'cookie') headers[name] = values.join(',');
  const domainName = domainNameOf(req, api);
  const dot = domainName.indexOf('.');
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: req.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
  };
  const cookie = req.headers.get('cookie');
  if (cookie !== undefined) {
    const cookies = cookie
      .join(';')
      .split(';')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    if (cookies.length > 0) event.cookies = cookies;
  }
  event.headers = headers;
  if (req.query !== null) {
    const params: Record<string, string> = {};
    for (const [name, values] of Object.entries(req.query.multi)) params[name] = values.join(',');
    event.queryStringParameters = params;
  }
  event.requestContext = {
    accountId: api.accountId,
    apiId: api.apiId,
    domainName,
    domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot),
    http: {
      method: req.method,
      path: req.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: req.sourceIp,
      userAgent: req.headers.get('user-agent')?.join(',') ?? '',
    },
    requestId: req.requestId,
    routeKey: req.routeKey,
    stage: api.stage,
    time: formatRequestTime(req.timeEpoch),
    timeEpoch: req.timeEpoch,
  };
  if (req.pathParameters !== undefined) event.pathParameters = { ...req.pathParameters };
  if (api.stageVariables !== undefined) event.stageVariables = { ...api.stageVariables };
  if (req.body.length > 0) {
    const text = isTextBody(req.headers.get('content-type')?.[0]);
    event.body = text ? req.body.toString('utf8') : req.body.toString('base64');
    event.isBase64Encoded = !text;
  } else event.isBase64Encoded = false;
  return event as unknown as APIGatewayProxyEventV2;
}
