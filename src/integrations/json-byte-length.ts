// Extra bytes JSON.stringify writes for each ASCII character: `\"`, `\\`, `\n`… or `\u00XX`;
// none for the bytes of a UTF-8 sequence (0x80 and up).
const ESCAPE_EXTRA = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) ESCAPE_EXTRA[c] = 5;
for (const c of [0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]) ESCAPE_EXTRA[c] = 1;

/**
 * `Buffer.byteLength(JSON.stringify(text))` without building the string: the quotes, one byte
 * per ASCII character plus its escape, two or three per BMP character, four per surrogate pair,
 * six per lone surrogate (`\udXXX`, as well-formed JSON.stringify writes it).
 * @example jsonStringByteLength('a"é') // → 7: `"a\"é"`
 */
export function jsonStringByteLength(text: string): number {
  const length = text.length;
  let bytes = length + 2;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      bytes += ESCAPE_EXTRA[c];
    } else if (c < 0x800) {
      bytes += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes += 2;
    } else if (c < 0xdc00 && i + 1 < length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 4 bytes for its 2 code units
      i++;
    } else {
      bytes += 5;
    }
  }
  return bytes;
}

/**
 * `Buffer.byteLength(JSON.stringify(value))` for a plain object whose `body` is a string, given
 * that body's own JSON byte length: the rest is stringified (it is small), the body left out.
 */
export function jsonByteLengthWithBody(value: object, bodyJsonBytes: number): number {
  return Buffer.byteLength(JSON.stringify({ ...value, body: '' })) - 2 + bodyJsonBytes;
}

function escapeExtra(bytes: Uint8Array, from: number, to: number): number {
  let extra = 0;
  for (let i = from; i < to; i++) extra += ESCAPE_EXTRA[bytes[i]];
  return extra;
}

/** SWAR: 0x80 in each byte of the 32-bit word that is zero, 0 elsewhere (exact, no borrow). */
function zeroBytes(word: number): number {
  return ~(((word & 0x7f7f7f7f) + 0x7f7f7f7f) | word | 0x7f7f7f7f);
}

/**
 * `jsonStringByteLength(bytes.toString('utf8'))` for bytes that are valid UTF-8 (`isUtf8`), so
 * without decoding them: their length plus the escapes, counted four bytes at a time (a body is
 * mostly text between quotes, with no escape in most words).
 * @example jsonUtf8ByteLength(Buffer.from('a"é')) // → 7
 */
export function jsonUtf8ByteLength(bytes: Uint8Array): number {
  const length = bytes.length;
  const head = Math.min((4 - (bytes.byteOffset & 3)) & 3, length);
  const words = (length - head) >>> 2;
  let extra = escapeExtra(bytes, 0, head) + escapeExtra(bytes, head + words * 4, length);
  if (words === 0) return length + 2 + extra; // (a view must start aligned, even an empty one)
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset + head, words);
  for (let i = 0; i < words; ) {
    // One counter per byte lane, so at most 255 words before one could overflow.
    const end = Math.min(words, i + 255);
    let lanes = 0;
    for (; i < end; i++) {
      const word = view[i];
      if (zeroBytes(word & 0xe0e0e0e0) !== 0) {
        // A control character (rare): its escape is 2 or 6 bytes, so count this word bytewise.
        extra += escapeExtra(bytes, head + i * 4, head + i * 4 + 4);
      } else {
        lanes += (zeroBytes(word ^ 0x22222222) | zeroBytes(word ^ 0x5c5c5c5c)) >>> 7;
      }
    }
    extra += (lanes & 0xff) + ((lanes >>> 8) & 0xff) + ((lanes >>> 16) & 0xff) + (lanes >>> 24);
  }
  return length + 2 + extra;
}
