import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../config/config-error.js';

/** `starting` until the API is ready, `ok` while serving, `draining` once closing. */
export type HealthState = 'starting' | 'ok' | 'draining';

/**
 * GET or HEAD on the health path (any query). API Gateway has no such endpoint: it is the
 * server's, for a load balancer or orchestrator, and lives outside the stage's base path.
 */
export function isHealthRequest(req: IncomingMessage, healthPath: string): boolean {
  const url = req.url;
  if (url === undefined || !url.startsWith(healthPath)) return false;
  if (url.length !== healthPath.length && url.charCodeAt(healthPath.length) !== 63 /* ? */) return false;
  return req.method === 'GET' || req.method === 'HEAD';
}

/** 200 `{"status":"ok"}` while serving; 503 otherwise, so a load balancer stops sending. */
export function answerHealth(res: ServerResponse, state: HealthState): void {
  if (res.headersSent || res.destroyed) return;
  const body = `{"status":"${state}"}`;
  res.statusCode = state === 'ok' ? 200 : 503;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', body.length);
  if (state === 'draining') res.setHeader('Connection', 'close');
  res.end(body);
}

/**
 * A health path is a plain absolute path outside the stage's base path, so it can never hide a
 * resource of the API. Throws ConfigError naming `field`.
 */
export function checkHealthPath(value: unknown, basePath: string, field = 'healthPath'): void {
  if (typeof value !== 'string' || !/^\/[^?#\s]*$/.test(value)) {
    throw new ConfigError(
      `${field}: ${JSON.stringify(value) ?? String(value)} (an absolute path such as /healthz, without query or fragment)`,
    );
  }
  if (basePath === '' || value === basePath || value.startsWith(`${basePath}/`)) {
    throw new ConfigError(
      `${field}: ${value} is under the stage's base path ${basePath === '' ? "'' (the root)" : basePath}; it must lie outside it, so it hides none of the API's resources`,
    );
  }
}
