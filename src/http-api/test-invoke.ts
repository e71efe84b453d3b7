import { IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { httpApiIdentityOf, isHttpApi } from './domains/http-api-marker.js';
import type { HttpApiMiddleware } from './types.js';

/** One request for `invokeHttpApi`. */
export interface HttpApiInvokeRequest {
  /** The HTTP method (`GET`, `POST`, …). */
  method: string;
  /** The path below the stage: `/pets/1` (a named stage's prefix is put before it). */
  path: string;
  /** `a=1&b=2`, or name → value(s). */
  query?: string | Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

/** The HTTP API's answer. */
export interface HttpApiInvokeResult {
  status: number;
  /** Name (lower-case) → value; several values of one header are joined with `,`. */
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  /** The body as UTF-8 text; `bodyBytes` when it is binary. */
  body: string;
  bodyBytes: Buffer;
}

function queryString(query: HttpApiInvokeRequest['query']): string {
  if (query === undefined) return '';
  if (typeof query === 'string') return query.startsWith('?') ? query.slice(1) : query;
  const parts: string[] = [];
  for (const [name, values] of Object.entries(query)) {
    for (const value of typeof values === 'string' ? [values] : values)
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

function fakeRequest(url: string, input: HttpApiInvokeRequest, body: Buffer): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = input.method.toUpperCase();
  req.url = url;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  const raw: string[] = [];
  for (const [name, values] of Object.entries(input.headers ?? {})) {
    for (const value of typeof values === 'string' ? [values] : values) {
      raw.push(name, value);
      const lower = name.toLowerCase();
      const previous = req.headers[lower];
      req.headers[lower] = previous === undefined ? value : `${previous}, ${value}`;
    }
  }
  if (body.length > 0 && req.headers['content-length'] === undefined) {
    raw.push('content-length', String(body.length));
    req.headers['content-length'] = String(body.length);
  }
  req.rawHeaders = raw;
  if (body.length > 0) req.push(body);
  req.push(null);
  return req;
}

/**
 * Runs one request through an `httpApi()` without a socket and resolves with its answer. AWS has
 * no test invoke for HTTP APIs (`test-invoke-method` is REST-only), so this is a client's request,
 * not the console's: authorizers, CORS, parameter mapping and throttling all apply, and there is
 * no execution log. Without a `Host` header the event's `domainName` is the execute-api one.
 * @example
 * const { status, body } = await invokeHttpApi(api, { method: 'GET', path: '/pets/1' });
 */
export async function invokeHttpApi(
  api: HttpApiMiddleware,
  input: HttpApiInvokeRequest,
): Promise<HttpApiInvokeResult> {
  if (!isHttpApi(api)) throw new TypeError('invokeHttpApi: give it what httpApi() returned');
  await api.ready;
  const { stage } = await httpApiIdentityOf(api);
  const query = queryString(input.query);
  const path = input.path.startsWith('/') ? input.path : `/${input.path}`;
  const url = `${stage === '$default' ? '' : `/${stage}`}${path}${query === '' ? '' : `?${query}`}`;
  const body = input.body === undefined ? Buffer.alloc(0) : Buffer.from(input.body);
  const req = fakeRequest(url, input, body);
  const res = new ServerResponse(req);
  return new Promise<HttpApiInvokeResult>((resolve) => {
    const finish = (status: number, headers: OutgoingHttpHeaders, bytes: Buffer) => {
      const single: Record<string, string> = {};
      const multi: Record<string, string[]> = {};
      for (const [name, value] of Object.entries(headers)) {
        if (value === undefined) continue;
        const values = Array.isArray(value) ? value.map(String) : [String(value)];
        single[name] = values.join(',');
        multi[name] = values;
      }
      resolve({
        status,
        headers: single,
        multiValueHeaders: multi,
        body: bytes.toString('utf8'),
        bodyBytes: bytes,
      });
    };
    let ended = false;
    res.end = ((chunk?: unknown) => {
      if (ended) return res;
      ended = true;
      const bytes =
        typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk as string) : Buffer.alloc(0);
      finish(res.statusCode, res.getHeaders(), bytes);
      return res;
    }) as ServerResponse['end'];
    // Under its own stage nothing passes on; were it to, no API took it: API Gateway's 404.
    api(req, res, () =>
      finish(404, { 'content-type': 'application/json' }, Buffer.from('{"message":"Not Found"}')),
    );
  });
}
