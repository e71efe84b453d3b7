import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { BodyBudget, BodyReservation, readBody } from '../../src/http/read-body.js';

/** A request stream with the given headers; the test writes its body. */
function incoming(headers: Record<string, string>): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

describe('readBody within a BodyBudget', () => {
  it('reserves a declared Content-Length whole, refusing it unread when it does not fit', async () => {
    const budget = new BodyBudget(100);
    const held = new BodyReservation(budget);
    expect(held.take(60)).toBe(true);
    const req = incoming({ 'content-length': '50' });
    await expect(readBody(req, new BodyReservation(budget))).resolves.toEqual({ kind: 'over-budget' });
    expect(budget.held).toBe(60);
    held.release();
    expect(budget.held).toBe(0);
  });

  it('counts a chunked body chunk by chunk, and gives every byte back on release', async () => {
    const budget = new BodyBudget(100);
    const reservation = new BodyReservation(budget);
    const req = incoming({ 'transfer-encoding': 'chunked' });
    const read = readBody(req, reservation);
    req.write(Buffer.alloc(60));
    req.write(Buffer.alloc(60));
    await expect(read).resolves.toEqual({ kind: 'over-budget' });
    expect(budget.held).toBe(60);
    reservation.release();
    reservation.release(); // twice is harmless
    expect(budget.held).toBe(0);
  });

  it('reads a body that fits, holding its bytes until released', async () => {
    const budget = new BodyBudget(100);
    const reservation = new BodyReservation(budget);
    const req = incoming({ 'content-length': '5' });
    const read = readBody(req, reservation);
    req.end(Buffer.from('hello'));
    const result = await read;
    expect(result).toEqual({ kind: 'bytes', bytes: Buffer.from('hello'), fidelity: 'exact' });
    expect(budget.held).toBe(5);
    reservation.release();
    expect(budget.held).toBe(0);
  });
});

describe('readBody gives back exactly the bytes sent, however they arrive', () => {
  it('joins any split of a body, declared or chunked (and a stream longer than declared)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('declared', 'chunked', 'under-declared'),
        async (parts, framing) => {
          const sent = Buffer.concat(parts);
          const headers: Record<string, string> =
            framing === 'chunked'
              ? { 'transfer-encoding': 'chunked' }
              : // Node's parser never passes more than declared; a bare stream can.
                {
                  'content-length': String(
                    framing === 'declared' ? sent.length : Math.max(1, sent.length - 3),
                  ),
                };
          const req = incoming(headers);
          const read = readBody(req);
          for (const part of parts) req.write(Buffer.from(part));
          req.end();
          const result = await read;
          return result.kind === 'bytes' && result.bytes.equals(sent);
        },
      ),
      { numRuns: 200 },
    );
  });
});
