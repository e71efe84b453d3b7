import { randomFillSync, randomUUID } from 'node:crypto';

/** Per-request ids and time, made at the edge so the transforms stay pure. */
export interface RequestSeed {
  requestId: string;
  extendedRequestId: string;
  traceId: string;
  requestTimeEpoch: number;
}

// randomBytes costs microseconds a call; draw from a pool refilled a few KB at a time instead.
const POOL = Buffer.alloc(23 * 256);
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

export function createRequestSeed(now = Date.now()): RequestSeed {
  const random = randomSlice(23);
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
