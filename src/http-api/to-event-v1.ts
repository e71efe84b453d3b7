import type { APIGatewayProxyEvent } from 'aws-lambda';
import { formatRequestTime } from '../http/request-seed.js';
import { domainNameOf, type HttpApiIdentity, type HttpApiRequest, isTextBody } from './to-event-v2.js';

/** The route's path as `resource`/`resourcePath` name it: `/pets/{id}`, or the key itself for `$default`. */
function resourceOf(routeKey: string): string {
  const space = routeKey.indexOf(' ');
  return space === -1 ? routeKey : routeKey.slice(space + 1);
}

/**
 * Payload format 1.0 on an HTTP API (D-lambda's sample): the REST event plus `version: "1.0"`,
 * header names lower-case, `resourceId: null`, `authorizer: { claims: null, scopes: null }`,
 * no `apiKey` in `identity`; nulls where there is nothing, as REST has them.
 */
export function toEventV1(req: HttpApiRequest, api: HttpApiIdentity): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  // The last value, as REST's event and D-lambda's 1.0 sample (`Header2: "value2"`) have it.
  for (const [name, values] of req.headers) {
    headers[name] = values[values.length - 1];
    multiValueHeaders[name] = [...values];
  }
  const domainName = domainNameOf(req, api);
  const dot = domainName.indexOf('.');
  const resource = resourceOf(req.routeKey);
  let body: string | null = null;
  let isBase64Encoded = false;
  if (req.body.length > 0) {
    const text = isTextBody(req.headers.get('content-type')?.[0]);
    body = text ? req.body.toString('utf8') : req.body.toString('base64');
    isBase64Encoded = !text;
  }
  return {
    version: '1.0',
    resource,
    path: req.customDomain?.path ?? req.rawPath,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: req.query === null ? null : { ...req.query.single },
    multiValueQueryStringParameters:
      req.query === null
        ? null
        : Object.fromEntries(Object.entries(req.query.multi).map(([k, v]) => [k, [...v]])),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      authorizer: { claims: null, scopes: null },
      domainName,
      domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot),
      extendedRequestId: req.requestId,
      httpMethod: req.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.sourceIp,
        user: null,
        userAgent: req.headers.get('user-agent')?.join(',') ?? null,
        userArn: null,
      },
      path: req.customDomain?.path ?? req.rawPath,
      protocol: 'HTTP/1.1',
      requestId: req.requestId,
      requestTime: formatRequestTime(req.timeEpoch),
      requestTimeEpoch: req.timeEpoch,
      resourceId: null,
      resourcePath: resource,
      stage: api.stage,
    },
    pathParameters: req.pathParameters === undefined ? null : { ...req.pathParameters },
    stageVariables: api.stageVariables === undefined ? null : { ...api.stageVariables },
    body,
    isBase64Encoded,
  } as unknown as APIGatewayProxyEvent;
}
