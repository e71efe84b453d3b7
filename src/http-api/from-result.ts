import { validateHeaderName, validateHeaderValue } from 'node:http';
import { decodeBase64 } from '../http/decode-base64.js';
import { fromProxyResult } from '../integrations/proxy.js';
import { GatewayError } from '../responses/gateway-error.js';

/** An answer ready to write: header lines in order (`set-cookie` may repeat). */
export interface HttpApiResponse {
  statusCode: number;
  headers: [string, string][];
  body: string | Buffer;
}

function headerText(value: unknown): string | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return false;
}

function sendable(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A payload 2.0 result (D-lambda). Without `statusCode` the whole result is the body: 200, JSON,
 * a string as it is (`"hello"` → `hello`), anything else as the runtime serialises it. Undefined
 * when the result cannot be answered (AWS: 500).
 */
export function fromResultV2(result: unknown): HttpApiResponse | undefined {
  const inferred =
    typeof result !== 'object' || result === null || Array.isArray(result) || !('statusCode' in result);
  if (inferred) {
    // The Node.js runtime sends `undefined` as `null`.
    let body: string;
    try {
      body = typeof result === 'string' ? result : (JSON.stringify(result ?? null) ?? 'null');
    } catch {
      return undefined; // the runtime cannot serialise it either (a cycle, a BigInt): a function error
    }
    return { statusCode: 200, headers: [['content-type', 'application/json']], body };
  }
  const r = result as Record<string, unknown>;
  const status =
    typeof r.statusCode === 'string' && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  // 1xx cannot end an exchange: as the answer it leaves the client waiting for another.
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)
    return undefined;
  const headers: [string, string][] = [];
  let hasContentType = false;
  // `cookies` first, one `set-cookie` each (D-lambda).
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies)) return undefined;
    for (const cookie of r.cookies) {
      const text = headerText(cookie);
      if (text === false) return undefined;
      if (text === undefined) continue;
      if (!sendable('set-cookie', text)) return undefined;
      headers.push(['set-cookie', text]);
    }
  }
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object' || Array.isArray(r.headers)) return undefined;
    for (const [name, raw] of Object.entries(r.headers as Record<string, unknown>)) {
      const text = headerText(raw);
      if (text === false) return undefined;
      if (text === undefined) continue;
      if (!sendable(name, text)) return undefined;
      if (name.toLowerCase() === 'content-type') hasContentType = true;
      headers.push([name.toLowerCase(), text]);
    }
  }
  // Function URLs add it (recorded, localstack TestLambdaURL); for HTTP APIs UNCONFIRMED.
  if (!hasContentType) headers.push(['content-type', 'application/json']);
  let body: string | Buffer = '';
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') return undefined;
    body = r.body;
  }
  // Decoded whatever the Accept header says: HTTP APIs have no binaryMediaTypes.
  if (r.isBase64Encoded === true && typeof body === 'string') {
    const bytes = decodeBase64(body);
    if (bytes === undefined || bytes === null) return undefined;
    body = bytes;
  } else if (
    r.isBase64Encoded !== undefined &&
    r.isBase64Encoded !== null &&
    typeof r.isBase64Encoded !== 'boolean'
  ) {
    return undefined;
  }
  return { statusCode: status, headers, body };
}

/** A payload 1.0 result: REST's proxy contract, no inference, base64 always decoded. */
export function fromResultV1(result: unknown): HttpApiResponse | undefined {
  const response = fromProxyResult(result, true);
  if (response instanceof GatewayError) return undefined;
  const headers: [string, string][] = [];
  for (const [name, value] of response.headers) {
    if (Array.isArray(value)) for (const v of value) headers.push([name, v]);
    else headers.push([name, value]);
  }
  return { statusCode: response.statusCode, headers, body: response.body };
}
