import { randomFillSync, randomUUID } from 'node:crypto';
import type { RequestIds } from './request-data.js';
import type { RequestFacts } from './request-facts.js';

/** The ids, and the facts of the request when access logs or metrics are on. */
export interface RequestSeed extends RequestIds {
  /** Set only while access logs or metrics are on: what the request did, for them. */
  facts?: RequestFacts;
}

const TRACE_PART = /(?:^|;)\s*(Root|Parent|Sampled)=([^;]*)/g;

/** Continues a client's X-Ray trace as API Gateway does: its Root and Parent kept, the rest made up. */
function traceIds(clientTrace: string | string[] | undefined, now: number, random: Buffer): [string, string] {
  const parts: Record<string, string> = {};
  if (typeof clientTrace === 'string') {
    for (const [, key, value] of clientTrace.matchAll(TRACE_PART)) parts[key] = value.trim();
  }
  const root = parts.Root || `1-${Math.floor(now / 1000).toString(16)}-${random.toString('hex', 11, 23)}`;
  const parent = parts.Parent || random.toString('hex', 23, 31);
  const sampled = parts.Sampled || (parts.Parent ? '1' : '0');
  const full = `Root=${root};Parent=${parent};Sampled=${sampled}`;
  return [full, parts.Root ? full : `Root=${root}`];
}

// randomBytes costs microseconds a call; draw from a pool refilled a few KB at a time instead.
// Per request: 11 bytes for the extended id, 12 for the trace Root, 8 for its Parent.
const SEED_BYTES = 31;
const POOL = Buffer.alloc(SEED_BYTES * 256);
let poolOffset = POOL.length;

function randomSlice(size: number): Buffer {
  if (poolOffset + size > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const slice = POOL.subarray(poolOffset, poolOffset + size);
  poolOffset += size;
  return slice;
}

export function createRequestSeed(now = Date.now(), clientTrace?: string | string[]): RequestSeed {
  const random = randomSlice(SEED_BYTES);
  const [traceId, eventTraceId] = traceIds(clientTrace, now, random);
  return {
    requestId: randomUUID(),
    // AWS's look: 16 base64 characters ending in `=` (e.g. `LgLpnGBkvHcFeMA=`).
    extendedRequestId: random.toString('base64', 0, 11),
    traceId,
    eventTraceId,
    requestTimeEpoch: now,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

// The last second formatted: requests in the same second share its text.
let cachedSecond = Number.NaN;
let cachedTime = '';

/** Common Log Format time as `requestContext.requestTime` has it: `04/Mar/2020:19:15:17 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedTime = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(
      d.getUTCHours(),
    )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
    cachedSecond = second;
  }
  return cachedTime;
}
