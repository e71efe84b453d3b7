import fc from 'fast-check';
import {
  jsonByteLengthWithBody,
  jsonStringByteLength,
  jsonUtf8ByteLength,
} from '../../src/integrations/json-byte-length.js';

const byteLengthOfJson = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

// Code units JSON.stringify treats specially, then any code unit (lone surrogates included),
// then any code point (astral ones as surrogate pairs).
const unit = fc.oneof(
  fc.constantFrom(
    '"',
    '\\',
    '/',
    '\b',
    '\t',
    '\n',
    '\f',
    '\r',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u0080',
    '\u07ff',
    '\u0800',
    '\u2028',
    '\ud7ff',
    '\ud800',
    '\udbff',
    '\udc00',
    '\udfff',
    '\ue000',
    '\uffff',
    '😀',
  ),
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
);
const text = fc.array(unit, { maxLength: 80 }).map((parts) => parts.join(''));

describe('jsonStringByteLength', () => {
  it('counts the bytes of JSON.stringify(text) in UTF-8, for any string', () => {
    fc.assert(
      fc.property(text, (s) => jsonStringByteLength(s) === byteLengthOfJson(s)),
      { numRuns: 5000 },
    );
  });

  it('counts escapes, surrogate pairs and lone surrogates as JSON.stringify writes them', () => {
    expect(jsonStringByteLength('')).toBe(2);
    expect(jsonStringByteLength('a"\\/')).toBe(8); // "a\"\\/"
    expect(jsonStringByteLength('\n\u0001')).toBe(10); // "\n\u0001"
    expect(jsonStringByteLength('é€😀')).toBe(2 + 2 + 3 + 4);
    expect(jsonStringByteLength('\ud800x')).toBe(2 + 6 + 1); // "\ud800x"
    expect(jsonStringByteLength('\udc00\ud800')).toBe(2 + 12); // a low then a high: two lone ones
  });
});

describe('jsonUtf8ByteLength', () => {
  // Runs of one unit too, past the 1,020 bytes (255 words) after which the lane counters flush.
  const run = fc.tuple(unit, fc.integer({ min: 0, max: 1500 })).map(([u, n]) => u.repeat(n));
  const body = fc.array(fc.oneof(unit, run), { maxLength: 12 }).map((parts) => parts.join(''));

  it('counts the bytes of JSON.stringify of valid UTF-8 decoded, at any alignment', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 7 }), (s, offset) => {
        // Encoding replaces lone surrogates: the bytes are valid UTF-8, as isUtf8 lets through.
        const bytes = Buffer.from(`${'x'.repeat(offset)}${s}`).subarray(offset);
        return jsonUtf8ByteLength(bytes) === byteLengthOfJson(bytes.toString('utf8'));
      }),
      { numRuns: 3000 },
    );
  });

  it('counts quotes, backslashes and control characters in every byte lane', () => {
    const text = `${'"\\\n\u0001'.repeat(700)}é"`;
    for (let offset = 0; offset < 4; offset++) {
      const bytes = Buffer.from(`${'-'.repeat(offset)}${text}`);
      expect(jsonUtf8ByteLength(bytes)).toBe(byteLengthOfJson(bytes.toString()));
    }
  });
});

describe('jsonByteLengthWithBody', () => {
  const scalar = fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
  const event = fc.record({
    resource: text,
    headers: fc.oneof(fc.constant(null), fc.dictionary(text, scalar, { maxKeys: 5 })),
    nested: fc.array(fc.dictionary(text, scalar, { maxKeys: 3 }), { maxLength: 3 }),
    isBase64Encoded: fc.boolean(),
  });

  it('counts the bytes of JSON.stringify(value) with the body where the object has it', () => {
    fc.assert(
      fc.property(event, text, fc.boolean(), (rest, body, bodyFirst) => {
        const value = bodyFirst ? { body, ...rest } : { ...rest, body };
        return jsonByteLengthWithBody(value, jsonStringByteLength(body)) === byteLengthOfJson(value);
      }),
      { numRuns: 2000 },
    );
  });
});
