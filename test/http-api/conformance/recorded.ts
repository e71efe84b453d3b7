import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import type { Host } from '../hosts.js';

/** A recorded exchange: what was sent, and the event the function got. */
export interface RecordedRequest {
  method: string;
  /** Path and query, escapes as sent. */
  target: string;
  /** Header lines in order; a name may repeat. */
  headers: [string, string][];
  body?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON, read as it is
export type Json = any;

/** A file of test/fixtures/http-api/recorded. */
export function recorded(name: string): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures/http-api/recorded', name), 'utf8'));
}

/** Sends a recorded request as recorded: repeated header lines stay separate lines. */
export function send(app: ReturnType<Host>, sent: RecordedRequest) {
  const method = sent.method.toLowerCase() as 'get';
  let req = request(app)[method](sent.target);
  const lines = new Map<string, string[]>();
  for (const [name, value] of sent.headers) lines.set(name, [...(lines.get(name) ?? []), value]);
  for (const [name, values] of lines)
    req = req.set(name, (values.length === 1 ? values[0] : values) as unknown as string);
  return sent.body === undefined ? req : req.send(sent.body);
}

// AWS's ids: `ATfSmjLgPHcESJw=`, `LV7fzho-PHcEJPw=`, `Mc7UVioPPHcEKPA=` (15 characters and `=`).
export const APIGW_REQUEST_ID = /^[A-Za-z0-9+/_-]{15}=$/;
const TRACE_ID = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;

/**
 * Sets what only the network and chance decide (ids, the client's address, the front door's
 * scheme and port) to the recording's values, after checking each has the recorded shape.
 * Times are not normalised: the tests set the clock to the recorded instant.
 */
export function normaliseEvent(event: Json, like: Json): Json {
  const copy = structuredClone(event);
  // supertest's own; the recorded clients sent none.
  if (like.headers['accept-encoding'] === undefined) delete copy.headers['accept-encoding'];
  expect(copy.requestContext.requestId).toMatch(APIGW_REQUEST_ID);
  copy.requestContext.requestId = like.requestContext.requestId;
  expect(copy.headers['x-amzn-trace-id']).toMatch(TRACE_ID);
  copy.headers['x-amzn-trace-id'] = like.headers['x-amzn-trace-id'];
  expect(copy.requestContext.http.sourceIp).toBe('127.0.0.1');
  copy.requestContext.http.sourceIp = like.requestContext.http.sourceIp;
  expect(copy.headers['x-forwarded-for']).toBe('127.0.0.1');
  copy.headers['x-forwarded-for'] = like.headers['x-forwarded-for'];
  expect(copy.headers['x-forwarded-proto']).toBe('http');
  copy.headers['x-forwarded-proto'] = like.headers['x-forwarded-proto'];
  expect(copy.headers['x-forwarded-port']).toMatch(/^\d+$/);
  copy.headers['x-forwarded-port'] = like.headers['x-forwarded-port'];
  return copy;
}

/** A function that answers with the event it got, as JSON. */
export const echo = async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) });
