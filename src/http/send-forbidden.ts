import type { ServerResponse } from 'node:http';

/**
 * API Gateway's front end refusing a request no API stage takes: a base path no mapping covers
 * (https://github.com/Miserlou/Zappa/issues/1248), or the execute-api URL of an API with
 * `disableExecuteApiEndpoint` (https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html).
 * No API ran, so none of its gateway responses apply.
 */
export function sendForbidden(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  if (res.hasHeader('x-powered-by')) res.removeHeader('x-powered-by');
  res.statusCode = 403;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('x-amzn-ErrorType', 'ForbiddenException');
  res.end('{"message":"Forbidden"}');
}
