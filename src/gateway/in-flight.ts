import type { ServerResponse } from 'node:http';
import { ConfigError } from '../config/config-error.js';

/** What `close()` takes. */
export interface CloseOptions {
  /**
   * Milliseconds the requests already in flight get to finish; those still open after it are
   * answered 503 and their invocations abandoned, so `close()` always resolves. Default: no limit.
   */
  graceMs?: number;
}

const CLOSING_BODY = '{"message":"Service Unavailable"}';

/**
 * A closing server's answer: 503 says "not here, try another" (load balancers and SDK retry
 * policies retry it; 500/502 would read as the API's own failure), and `Connection: close` makes
 * a keep-alive client open its next connection elsewhere instead of reusing this one.
 * API Gateway never closes, so there is no AWS answer to copy; the body has its message shape.
 */
export function answerClosing(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = 503;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Connection', 'close');
  res.setHeader('Content-Length', CLOSING_BODY.length);
  res.end(CLOSING_BODY);
}

/**
 * The requests a gateway is answering. A Set rather than a bare counter: adding and deleting
 * allocates nothing per request, and it lets `drain` tell each open response to close its
 * connection and answer the ones the grace period abandons.
 */
export class InFlightRequests {
  private readonly open = new Set<ServerResponse>();
  private settled: (() => void) | undefined;
  private draining: Promise<number> | undefined;

  /** True from the first `drain()` on: new requests get `answerClosing`. */
  get closing(): boolean {
    return this.draining !== undefined;
  }

  get size(): number {
    return this.open.size;
  }

  add(res: ServerResponse): void {
    this.open.add(res);
  }

  delete(res: ServerResponse): void {
    if (this.open.delete(res) && this.open.size === 0) this.settled?.();
  }

  /**
   * Waits until every request in flight has settled, or `graceMs` has passed; resolves with how
   * many were abandoned (answered 503). Called again, it returns the first call's promise.
   */
  drain(graceMs?: number): Promise<number> {
    if (graceMs !== undefined && !(Number.isFinite(graceMs) && graceMs >= 0)) {
      return Promise.reject(
        new ConfigError(
          `close: graceMs: ${String(graceMs)} (milliseconds, 0 or more; leave it out for no limit)`,
        ),
      );
    }
    this.draining ??= this.wait(graceMs);
    return this.draining;
  }

  private async wait(graceMs: number | undefined): Promise<number> {
    // A response not begun yet ends its connection, so a keep-alive client does not come back here.
    for (const res of this.open) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    if (this.open.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.settled = resolve;
        if (graceMs !== undefined) timer = setTimeout(resolve, graceMs);
      });
      clearTimeout(timer);
      this.settled = undefined;
    }
    const abandoned = this.open.size;
    for (const res of this.open) answerClosing(res);
    this.open.clear();
    return abandoned;
  }
}
