/**
 * The outbound HTTP client of HTTP and HTTP_PROXY integrations: one undici `Agent` for the
 * process, which keeps a pool of keep-alive connections per backend origin, as API Gateway's own
 * fleet reuses connections to an endpoint. undici rather than `node:http`'s Agent: it parses
 * responses with llhttp in WASM without building an IncomingMessage per response, and its
 * request path allocates less; bench/http-proxy.js measures the gateway's overhead on top of it.
 * Idle sockets are unref'd by undici, so the pool never keeps a process alive.
 */
import { Agent, type Dispatcher } from 'undici';

/** What goes to the backend. Headers as [name, value] pairs: one pair per value. */
export interface OutboundRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body: Buffer | undefined;
  timeoutMs: number;
}

/** The backend's answer, read to the end; header names lower-case, one entry per line. */
export interface BackendResponse {
  kind: 'response';
  statusCode: number;
  headers: [string, string][];
  body: Buffer;
}

/** Why no answer came: `timeout` (timeoutInMillis elapsed), or a failure with Node's reason. */
export type OutboundOutcome =
  | BackendResponse
  | { kind: 'timeout' }
  | { kind: 'failure'; reason: string; tls: boolean };

let shared: Dispatcher | undefined;

/** The process-wide pool, made on first use. */
function dispatcher(): Dispatcher {
  shared ??= new Agent({ keepAliveTimeout: 4_000, connections: 128, pipelining: 1 });
  return shared;
}

// OpenSSL and Node's names for a certificate or handshake problem.
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|ALTNAME|UNABLE_TO_(GET|VERIFY)/;

function failure(error: unknown): OutboundOutcome {
  let err = error as { code?: string; message?: string; cause?: unknown };
  // undici wraps the socket's error as `cause`; the innermost one names the problem.
  while (err?.cause && typeof err.cause === 'object') err = err.cause as typeof err;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = err?.message ?? String(error);
  return {
    kind: 'failure',
    reason: code && !message.includes(code) ? `${code}: ${message}` : message,
    tls: TLS_CODE.test(code),
  };
}

/**
 * Sends one request and reads the whole answer. `timeoutMs` covers it all, connect to last byte,
 * as the integration timeout does; it never throws.
 */
export async function sendHttpRequest(request: OutboundRequest): Promise<OutboundOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const flat: string[] = [];
  for (const [name, value] of request.headers) flat.push(name, value);
  try {
    const response = await dispatcher().request({
      origin: new URL(request.url).origin,
      path: pathOf(request.url),
      method: request.method as Dispatcher.HttpMethod,
      headers: flat,
      body: request.body,
      signal: controller.signal,
      // The integration timeout is ours; undici's own (300 s) would never fire first.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) for (const item of value) headers.push([name, item]);
      else if (value !== undefined) headers.push([name, value]);
    }
    return { kind: 'response', statusCode: response.statusCode, headers, body: Buffer.concat(chunks) };
  } catch (error) {
    return timedOut ? { kind: 'timeout' } : failure(error);
  } finally {
    clearTimeout(timer);
  }
}

/** Path and query of an absolute URL, as sent (no re-encoding). */
function pathOf(url: string): string {
  const authority = url.indexOf('//') + 2;
  let start = authority;
  while (start < url.length && url[start] !== '/' && url[start] !== '?' && url[start] !== '#') start++;
  const end = url.indexOf('#', start);
  const rest = end === -1 ? url.slice(start) : url.slice(start, end);
  return rest.startsWith('/') ? rest : `/${rest}`;
}
