import { javaRegex, memoisedPropertyCount, translateJavaRegex } from '../../src/vtl/java-regex.js';
import { TemplateRenderError } from '../../src/vtl/template-errors.js';

describe('javaRegex', () => {
  it.each<[string, string, boolean]>([
    ['a\\.b', 'a.b', true],
    ['a\\.b', 'axb', false],
    ['\\p{Alpha}+', 'abcXYZ', true],
    ['\\p{Alpha}+', 'abc1', false],
    ['[\\p{Digit}_]+', '12_3', true],
    ['\\p{L}+', 'éà', true],
    ['\\p{IsLatin}+', 'abc', true],
    ['\\s+', ' \t\n', true],
    ['\\s', '\u00a0', false],
    ['a.c', 'a\u0085c', false],
    ['(?s)a.c', 'a\nc', true],
    ['(?i)abc', 'ABC', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['\\:', ':', true],
    ['a|ab', 'ab', true],
    ['\\x41\\u0042\\0103', 'ABC', true],
    ['[a-c]]', 'b]', true],
    ['x{2}', 'xx', true],
  ])('/%s/ full-matches %j: %s', (pattern, input, expected) => {
    expect(javaRegex(pattern, 'full').test(input)).toBe(expected);
  });

  it("treats Java's $ as end or before a final line terminator", () => {
    expect('ab\n'.replace(javaRegex('b$', 'global'), 'X')).toBe('aX\n');
  });

  it.each([
    ['a++'],
    ['a*+'],
    ['(?>a)'],
    ['[a-z&&[^b]]'],
    ['[[a]]'],
    ['a(?i)b'],
    ['\\G'],
    ['\\y'],
    ['a{'],
    ['\\p{InGreek}'],
    ['(?x)a'],
  ])('/%s/ is unsupported and a render error', (pattern) => {
    expect(() => javaRegex(pattern, 'find')).toThrow(TemplateRenderError);
  });

  it('translates to a u-flag RegExp source', () => {
    expect(translateJavaRegex('(?i)a\\-b[\\-]')).toEqual({ source: 'a-b[\\-]', flags: 'ui' });
    expect(javaRegex('a\\-b[\\-x]', 'full').test('a-b-')).toBe(true);
  });
});

describe('property names memoised while translating', () => {
  it('stay bounded however many distinct names patterns built from request data carry', () => {
    for (let i = 0; i < 3_000; i++) {
      try {
        translateJavaRegex(`\\p{Zz${i}}`);
      } catch {
        // an unknown name is refused; only the memo's size matters here
      }
    }
    expect(memoisedPropertyCount()).toBeGreaterThan(0);
    expect(memoisedPropertyCount()).toBeLessThanOrEqual(512);
  });
});
