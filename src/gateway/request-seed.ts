import { randomBytes, randomUUID } from 'node:crypto';

/** Per-request ids and time, made at the edge so the transforms stay pure. */
export interface RequestSeed {
  requestId: string;
  extendedRequestId: string;
  traceId: string;
  requestTimeEpoch: number;
}

export function createRequestSeed(now = Date.now()): RequestSeed {
  const random = randomBytes(23);
  return {
    requestId: randomUUID(),
    // AWS's look: 16 base64 characters ending in `=` (e.g. `LgLpnGBkvHcFeMA=`).
    extendedRequestId: random.subarray(0, 11).toString('base64'),
    traceId: `Root=1-${Math.floor(now / 1000).toString(16)}-${random.subarray(11).toString('hex')}`,
    requestTimeEpoch: now,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Common Log Format time as `requestContext.requestTime` has it: `04/Mar/2020:19:15:17 +0000`. */
export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())} +0000`;
}
