import type { IncomingMessage } from 'node:http';

/** API Gateway's payload limit: 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Default for `maxBufferedBodyBytes`: request bodies held at once, across all requests. */
export const DEFAULT_BUFFERED_BODY_BYTES = 100 * 1024 * 1024;

/**
 * The bytes of request bodies one `apiGateway()` holds at once. A request reserves what it reads
 * (its whole Content-Length up front) and gives it back once answered; a read that would go over
 * the bound is refused rather than waited for, so a slow sender cannot hold a place in line.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** @internal */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** @internal */
  give(bytes: number): void {
    this.used -= bytes;
  }

  /** Bytes held now. */
  get held(): number {
    return this.used;
  }
}

/** One request's share of the budget; `release()` once its answer is sent (idempotent). */
export class BodyReservation {
  private bytes = 0;

  constructor(private readonly budget: BodyBudget) {}

  take(bytes: number): boolean {
    if (!this.budget.take(bytes)) return false;
    this.bytes += bytes;
    return true;
  }

  release(): void {
    this.budget.give(this.bytes);
    this.bytes = 0;
  }
}

/**
 * How faithful the bytes are: as sent; rebuilt from a parser's result (whitespace, key order or
 * escapes may differ); or `lossy` when the parsed value has no form that gives the client's bytes back.
 */
export type BodyFidelity = 'exact' | 'reserialised' | 'lossy';

export type BodyResult =
  | { kind: 'bytes'; bytes: Buffer; fidelity: BodyFidelity }
  | { kind: 'too-large' }
  /** Reading it would take the bodies held past `maxBufferedBodyBytes`. */
  | { kind: 'over-budget' }
  | { kind: 'aborted' };

interface MaybeParsed extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
}

const EMPTY = Buffer.alloc(0);

/**
 * The exact bytes the client sent, read once. Order: the unread stream; else a Buffer that
 * `express.raw()` left in `req.body`; else `req.rawBody` (an `express.json({ verify })` hook);
 * else the parsed body re-serialised (`exact: false`: whitespace and key order are lost).
 */
export function readBody(req: IncomingMessage, reservation?: BodyReservation): Promise<BodyResult> {
  const parsed = req as MaybeParsed;
  // `readableEnded` is the one signal that works with body-parser 1 and 2 alike.
  if (req.readableEnded) {
    if (Buffer.isBuffer(parsed.body))
      return Promise.resolve({ kind: 'bytes', bytes: parsed.body, fidelity: 'exact' });
    if (Buffer.isBuffer(parsed.rawBody))
      return Promise.resolve({ kind: 'bytes', bytes: parsed.rawBody, fidelity: 'exact' });
    return Promise.resolve(reserialise(req, parsed.body));
  }
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_PAYLOAD_BYTES) return Promise.resolve({ kind: 'too-large' });
  if (
    declared === 0 ||
    (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
  ) {
    // No body announced: nothing to wait for (the stream still ends on its own).
    req.resume();
    return Promise.resolve({ kind: 'bytes', bytes: EMPTY, fidelity: 'exact' });
  }
  // A declared length is reserved whole, before a byte is read; a chunked body chunk by chunk.
  const reserveUpFront = declared > 0;
  if (reservation !== undefined && reserveUpFront && !reservation.take(declared)) {
    return Promise.resolve({ kind: 'over-budget' });
  }
  return new Promise<BodyResult>((resolve) => {
    let chunks: Buffer[] = [];
    // A declared length is read into one Buffer of that size as it arrives, while the chunk is
    // still in cache, rather than joined at the end; a lone chunk is used as it is.
    let whole: Buffer | undefined;
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        req.resume(); // drain and drop the rest
        finish({ kind: 'too-large' });
        return;
      }
      if (reservation !== undefined && !reserveUpFront && !reservation.take(chunk.length)) {
        req.resume();
        finish({ kind: 'over-budget' });
        return;
      }
      if (whole !== undefined && size <= declared) {
        chunk.copy(whole, size - chunk.length);
        return;
      }
      if (whole !== undefined) {
        // More than declared (not from Node's parser): joined at the end after all.
        chunks = [whole.subarray(0, size - chunk.length)];
        whole = undefined;
      } else if (chunks.length === 1 && reserveUpFront && size <= declared) {
        whole = Buffer.allocUnsafe(declared);
        chunks[0].copy(whole, 0);
        chunk.copy(whole, chunks[0].length);
        chunks = [];
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish({
        kind: 'bytes',
        bytes:
          whole !== undefined
            ? whole.subarray(0, size)
            : chunks.length === 1
              ? chunks[0]
              : Buffer.concat(chunks, size),
        fidelity: 'exact',
      });
    const onError = () => finish({ kind: 'aborted' });
    const onClose = () => {
      if (!req.readableEnded) finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

type Reserialised = { kind: 'bytes'; bytes: Buffer; fidelity: BodyFidelity };

/** A body that a parser consumed, turned back into bytes as closely as its parsed value allows. */
function reserialise(req: IncomingMessage, body: unknown): Reserialised {
  // A request that announced no bytes had none, whatever the parser left (`{}` from express.json()).
  const length = req.headers['content-length'];
  if (body === undefined || body === null || length === '0')
    return { kind: 'bytes', bytes: EMPTY, fidelity: 'exact' };
  // express.text() decoded the bytes with the request's charset: UTF-8 again may not be them.
  if (typeof body === 'string')
    return { kind: 'bytes', bytes: Buffer.from(body, 'utf8'), fidelity: 'reserialised' };
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded') && typeof body === 'object') {
    const form = new FormWriter();
    form.write('', body);
    return { kind: 'bytes', bytes: Buffer.from(form.text, 'utf8'), fidelity: form.fidelity };
  }
  // Express 4 leaves `{}` when a parser skipped a request without a body.
  if (typeof body === 'object' && Object.keys(body as object).length === 0 && length === undefined) {
    return { kind: 'bytes', bytes: EMPTY, fidelity: 'exact' };
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(body);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { kind: 'bytes', bytes: EMPTY, fidelity: 'lossy' };
  return { kind: 'bytes', bytes: Buffer.from(text, 'utf8'), fidelity: 'reserialised' };
}

/**
 * `application/x-www-form-urlencoded` from a parsed form: repeated keys for arrays, and the
 * bracket names that `express.urlencoded({ extended: true })` (qs) parsed nested objects from
 * (`a[b]=1` → `{ a: { b: '1' } }` → `a%5Bb%5D=1`, as a browser encodes the field name).
 */
class FormWriter {
  text = '';
  fidelity: BodyFidelity = 'reserialised';

  write(prefix: string, value: unknown, depth = 0): void {
    if (depth > 32) {
      this.fidelity = 'lossy';
      return;
    }
    if (Array.isArray(value) && prefix !== '') {
      // A repeated key (`a=1&a=2`) and `a[]=1` parse alike; the repeated key is the common form.
      for (const item of value) {
        if (typeof item === 'object' && item !== null) this.write(`${prefix}[]`, item, depth + 1);
        else this.pair(prefix, item);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        this.write(prefix === '' ? key : `${prefix}[${key}]`, item, depth + 1);
      }
    } else if (prefix !== '') {
      this.pair(prefix, value);
    }
  }

  private pair(name: string, value: unknown): void {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.fidelity = 'lossy'; // a custom parser's value with no form of its own
      return;
    }
    const params = new URLSearchParams([[name, String(value)]]);
    this.text += (this.text === '' ? '' : '&') + params.toString();
  }
}
