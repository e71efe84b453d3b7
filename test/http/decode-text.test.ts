import fc from 'fast-check';
import { decodeUtf8, encodeBase64 } from '../../src/http/decode-text';

// Large bodies are decoded in pieces: the string must be the one a single decode gives.
describe('decodeUtf8 / encodeBase64', () => {
  const sizes = [0, 1, 65_535, 65_536, 65_537, 49_151, 49_152, 49_153, 200_000, 1_000_003];

  it('decodes ASCII, multi-byte UTF-8 and invalid bytes as toString does, at every size', () => {
    const fills = [
      Buffer.from('{"a":"b"} '),
      Buffer.from('héllo wörld € 𝄞 '),
      Buffer.from([0x61, 0xe2, 0x82, 0x61, 0xf0, 0x9f, 0x80, 0xff, 0xc3]),
    ];
    for (const fill of fills) {
      for (const size of sizes) {
        const bytes = Buffer.alloc(size, fill);
        expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
        expect(encodeBase64(bytes)).toBe(bytes.toString('base64'));
      }
    }
  });

  it('cuts multi-byte characters at no piece boundary', () => {
    // A 4-byte character straddling each of the first few 64 KiB boundaries, at every offset.
    for (let shift = 0; shift < 4; shift++) {
      const bytes = Buffer.alloc(300_000, 'a');
      for (let at = 65_536 - shift; at < bytes.length - 4; at += 65_536) Buffer.from('𝄞').copy(bytes, at);
      expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
    }
  });

  it('matches toString for arbitrary large byte strings', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 65_000, max: 140_000 }),
        fc.boolean(),
        (unit, size, text) => {
          const fill = text ? Buffer.from(Buffer.from(unit).toString('utf8')) : Buffer.from(unit);
          const bytes = Buffer.alloc(size, fill);
          return (
            decodeUtf8(bytes) === bytes.toString('utf8') && encodeBase64(bytes) === bytes.toString('base64')
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
