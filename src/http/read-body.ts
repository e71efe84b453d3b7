import type { IncomingMessage } from 'node:http';

/** API Gateway's payload limit: 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export type BodyResult =
  | { kind: 'bytes'; bytes: Buffer; exact: boolean }
  | { kind: 'too-large' }
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
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  const parsed = req as MaybeParsed;
  // `readableEnded` is the one signal that works with body-parser 1 and 2 alike.
  if (req.readableEnded) {
    if (Buffer.isBuffer(parsed.body))
      return Promise.resolve({ kind: 'bytes', bytes: parsed.body, exact: true });
    if (Buffer.isBuffer(parsed.rawBody))
      return Promise.resolve({ kind: 'bytes', bytes: parsed.rawBody, exact: true });
    return Promise.resolve({ kind: 'bytes', bytes: reserialise(req, parsed.body), exact: false });
  }
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_PAYLOAD_BYTES) return Promise.resolve({ kind: 'too-large' });
  if (
    declared === 0 ||
    (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined)
  ) {
    // No body announced: nothing to wait for (the stream still ends on its own).
    req.resume();
    return Promise.resolve({ kind: 'bytes', bytes: EMPTY, exact: true });
  }
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
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
      chunks.push(chunk);
    };
    const onEnd = () =>
      finish({
        kind: 'bytes',
        bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
        exact: true,
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

function reserialise(req: IncomingMessage, body: unknown): Buffer {
  if (body === undefined || body === null) return EMPTY;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded') && typeof body === 'object') {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    return Buffer.from(params.toString(), 'utf8');
  }
  // Express 4 leaves `{}` when a parser skipped a request without a body.
  if (
    typeof body === 'object' &&
    Object.keys(body as object).length === 0 &&
    !req.headers['content-length']
  ) {
    return EMPTY;
  }
  return Buffer.from(JSON.stringify(body), 'utf8');
}
