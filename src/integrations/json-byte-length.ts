// Extra bytes JSON.stringify writes for each ASCII character: `\"`, `\\`, `\n`… or `\u00XX`.
const ESCAPE_EXTRA = new Uint8Array(128);
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
 * `Buffer.byteLength(JSON.stringify(value))` for a plain object whose `body` is a string: the
 * rest is stringified (it is small), the body only scanned.
 */
export function jsonByteLengthWithBody(value: object, body: string): number {
  const rest = Buffer.byteLength(JSON.stringify({ ...value, body: '' }));
  return rest - 2 + jsonStringByteLength(body);
}
