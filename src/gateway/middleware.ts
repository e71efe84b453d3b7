import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CloseOptions } from './in-flight.js';

/** Connect-style middleware; also a plain `node:http` request listener when given a `next`. */
export interface ApiGatewayMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Settles once the API is ready to serve: at once for inline `resources`; after the definition
   * is read for `openapi`, `template` or `serverless` (rejecting with its ConfigError). Requests
   * that arrive earlier wait for it.
   */
  ready: Promise<void>;
  /**
   * Drains, then releases what the gateway holds open (a Redis connection), so the process can
   * exit. From the call on, a new request under the stage is answered 503 with `Connection: close`
   * (and `healthPath` with 503); the requests in flight complete, their answers closing their
   * connections. With `graceMs`, those still open after it are answered 503 and abandoned.
   * @example
   * process.once('SIGTERM', () => {
   *   server.close(); // no new connections; the gateway answers what comes on open ones 503
   *   gateway.close({ graceMs: 10_000 }).then(() => process.exit(0));
   * });
   */
  close(options?: CloseOptions): Promise<void>;
}
