import { createHash, createHmac } from 'node:crypto';
import { formatAmzDate } from '../../auth/sigv4.js';
import type { ServiceCredentials } from './service-credentials.js';

/** A request about to be sent, in the parts SigV4 covers. */
export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Map<string, string>;
  body: Buffer;
}

/** RFC 3986 unreserved characters stay; everything else is %XX (upper case), as SigV4 wants. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Non-S3 services: empty, `.` and `..` segments resolved, then each segment encoded again. */
function normalisedPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(encodeRfc3986(segment));
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
}

function canonicalQuery(url: URL): string {
  const pairs: [string, string][] = [];
  for (const [name, value] of url.searchParams) pairs.push([encodeRfc3986(name), encodeRfc3986(value)]);
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Signs in place with Signature Version 4: adds X-Amz-Date, X-Amz-Content-Sha256,
 * X-Amz-Security-Token and Authorization. S3 signs its path as sent; every other service signs
 * each segment encoded once more
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
 */
export function signRequest(
  request: OutgoingRequest,
  credentials: ServiceCredentials,
  region: string,
  service: string,
  now: number,
): void {
  const amzDate = formatAmzDate(now);
  const day = amzDate.slice(0, 8);
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  const { headers, url } = request;
  headers.set('host', url.host);
  headers.set('x-amz-date', amzDate);
  headers.set('x-amz-content-sha256', payloadHash);
  if (credentials.sessionToken) headers.set('x-amz-security-token', credentials.sessionToken);
  headers.delete('authorization');

  const names = [...headers.keys()].sort();
  const canonicalHeaders = names
    .map((name) => `${name}:${(headers.get(name) as string).trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const signedHeaders = names.join(';');
  const path = url.pathname || '/';
  const canonicalPath = service === 's3' ? path : normalisedPath(path);
  const canonicalRequest = [
    request.method,
    canonicalPath,
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  headers.set(
    'authorization',
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
}
