import type { ExecutionTrace } from '../gateway/execution-log.js';
import type { RequestData } from './request-data.js';
import type { RequestSeed } from './request-seed.js';

export type { ApiIdentity, RequestAuth, RouteMatch } from './request-data.js';

/**
 * The request with what the pipeline carries along: its seed (with the facts that access logs
 * read) and its execution trace. Those refer back to the request's data, so they see it as
 * `RequestData`.
 */
export interface GatewayRequest extends RequestData {
  seed: RequestSeed;
  /** The request's steps, recorded when its method logs executions or a test invoke runs it. */
  trace?: ExecutionTrace;
}
