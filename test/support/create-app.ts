import express from 'express';
import express4 from 'express4';
import type { ApiGatewayOptions, Logger } from '../../src/index.js';
import { apiGateway } from '../../src/index.js';

export type ExpressFactory = typeof import('express');

/** Every supertest suite runs on both majors: `describe.each(EXPRESS_VERSIONS)('Express %s', …)`. */
export const EXPRESS_VERSIONS: [string, ExpressFactory][] = [
  ['5', express],
  ['4', express4 as unknown as ExpressFactory],
];

/** A logger that records instead of printing, so error-path tests stay quiet and can assert on logs. */
export function silentLogger(): Logger & { calls: { level: string; args: unknown[] }[] } {
  const calls: { level: string; args: unknown[] }[] = [];
  return {
    calls,
    debug: (...args) => calls.push({ level: 'debug', args }),
    info: (...args) => calls.push({ level: 'info', args }),
    warn: (...args) => calls.push({ level: 'warn', args }),
    error: (...args) => calls.push({ level: 'error', args }),
  };
}

export interface CreateAppHooks {
  /** Runs before the gateway is mounted: body parsers, the host app's own middleware. */
  before?: (app: import('express').Express) => void;
  /** Runs after it: the host app's own routes, reached through next(). */
  after?: (app: import('express').Express) => void;
}

/** An Express app with `apiGateway(options)` mounted; the logger is silent unless the options set one. */
export function createApp(
  options: ApiGatewayOptions,
  factory: ExpressFactory = express,
  hooks: CreateAppHooks = {},
): import('express').Express {
  const app = factory();
  hooks.before?.(app);
  app.use(apiGateway({ logger: silentLogger(), ...options }));
  hooks.after?.(app);
  return app;
}
