import type { APIGatewayProxyEvent } from 'aws-lambda';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const EXTENDED_ID = /^[A-Za-z0-9+/]{15}=$/;
const TRACE_ID = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SHORT_ID = /^[a-z0-9]{6,10}$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `04/Mar/2020:19:15:17 +0000` for an epoch in ms, written independently of the code under test. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

function replaceHeader(
  event: Record<string, unknown>,
  name: string,
  test: (v: string) => boolean,
  to: string,
) {
  const headers = event.headers as Record<string, string> | null;
  const multi = event.multiValueHeaders as Record<string, string[]> | null;
  if (headers && typeof headers[name] === 'string' && test(headers[name])) headers[name] = to;
  if (multi && Array.isArray(multi[name]) && multi[name].length === 1 && test(multi[name][0]))
    multi[name] = [to];
}

/**
 * Replaces the per-request ids and times of a proxy event with placeholders, the only
 * substitutions a golden fixture allows. A value is replaced only when it has AWS's shape (and the
 * time agrees with the epoch), so a malformed id still makes `toEqual` fail.
 */
export function normaliseEvent(event: APIGatewayProxyEvent): Record<string, unknown> {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  const ctx = copy.requestContext as Record<string, unknown>;
  const identity = ctx.identity as Record<string, unknown>;
  const sourceIp = identity.sourceIp as string;
  if (typeof ctx.requestId === 'string' && UUID.test(ctx.requestId)) ctx.requestId = '<request-id>';
  if (typeof ctx.extendedRequestId === 'string' && EXTENDED_ID.test(ctx.extendedRequestId)) {
    ctx.extendedRequestId = '<extended-request-id>';
  }
  const epoch = ctx.requestTimeEpoch;
  if (typeof epoch === 'number' && Number.isInteger(epoch) && Math.abs(Date.now() - epoch) < 60_000) {
    if (ctx.requestTime === clfTime(epoch)) ctx.requestTime = '<request-time>';
    ctx.requestTimeEpoch = '<request-time-epoch>';
  }
  if (sourceIp === '127.0.0.1' || sourceIp === '::1') identity.sourceIp = '<source-ip>';
  if (typeof ctx.resourceId === 'string' && SHORT_ID.test(ctx.resourceId)) ctx.resourceId = '<resource-id>';
  if (typeof ctx.deploymentId === 'string' && SHORT_ID.test(ctx.deploymentId)) {
    ctx.deploymentId = '<deployment-id>';
  }
  replaceHeader(copy, 'X-Amzn-Trace-Id', (v) => TRACE_ID.test(v), '<trace-id>');
  replaceHeader(copy, 'X-Forwarded-For', (v) => v === sourceIp, '<source-ip>');
  replaceHeader(copy, 'X-Forwarded-Port', (v) => /^[1-9]\d{0,4}$/.test(v), '<port>');
  return copy;
}
