import fc from 'fast-check';
import { compileIdentityValidation } from '../../src/auth/identity-validation.js';
import { compileSafeRegex, UnsupportedPatternError } from '../../src/validation/safe-regex.js';
import { translateJavaRegex } from '../../src/vtl/java-regex.js';

describe('compileSafeRegex: JavaScript answers on RE2', () => {
  it('answers ^(a+)+$ against 31 a and a ! at once: no match', () => {
    expect(compileSafeRegex('^(a+)+$', '', 'find').test(`${'a'.repeat(31)}!`)).toBe(false);
    expect(compileSafeRegex('^(a|aa)+$', '', 'find').test(`${'a'.repeat(5000)}!`)).toBe(false);
    expect(compileSafeRegex('^(\\w+\\s?)*$', '', 'full').test(`${'word '.repeat(2000)}!`)).toBe(false);
  });

  it.each<[string, string, string, boolean]>([
    [
      '\\s is JavaScript’s whitespace (VT, NBSP, BOM), not RE2’s ASCII set',
      '^\\s+$',
      '\v\u00a0\ufeff\u3000',
      true,
    ],
    ['\\S in a class is its complement', '^[\\S]$', '\u00a0', false],
    ['. stops at \\r and U+2028 too', '^.$', '\r', false],
    ['. stops at U+2028', '^.$', '\u2028', false],
    ['without u, an emoji is two characters', '^..$', '\u{1F600}', true],
    ['without u, one . does not take a whole emoji', '^.$', '\u{1F600}', false],
    ['without u, a lone surrogate is one character', '^.$', '\ud800', true],
    ['without u, [\\u0000-\\uFFFF] takes a surrogate unit', '^[\\u0000-\\uFFFF]{2}$', '\u{1F600}', true],
    ['without u, \\a is "a" and \\/ is "/"', '^\\a\\/$', 'a/', true],
    ['[\\d-z] is \\d, "-" and "z"', '^[\\d-z]+$', '5-z', true],
    ['[] matches nothing', '[]', 'a', false],
    ['[^] matches anything', '^[^]$', '\n', true],
    ['a lone { is a literal', '^a{2$', 'a{2', true],
    ['$ is the very end, not before a final newline', 'a$', 'a\n', false],
    ['\\b is an ASCII word boundary', '\\bfoo\\b', 'a foo b', true],
    ['named groups match as groups', '^(?<y>\\d{4})-(?<m>\\d\\d)$', '2026-12', true],
    ['a lookbehind runs', '(?<=a)b', 'cb', false],
    ['a negative lookahead after ^ runs', '^(?!\\s*$).+', '   ', false],
    ['several lookaheads after ^ all hold', '^(?=.*[A-Z])(?=.*\\d).{8,}$', 'Abcdefg1', true],
  ])('%s', (_name, pattern, input, expected) => {
    expect(new RegExp(pattern).test(input)).toBe(expected);
    expect(compileSafeRegex(pattern, '', 'find').test(input)).toBe(expected);
  });

  it.each([
    ['(a)\\1', 'a backreference'],
    ['(?<x>a)\\k<x>', 'a backreference'],
    ['a(?=b)', 'a lookahead other than right after a leading ^'],
    ['^(?=a)|b', 'a lookahead other than right after a leading ^'],
    ['a{1001}', 'a repetition count above 1000'],
  ])('refuses /%s/: %s', (pattern, what) => {
    expect(() => compileSafeRegex(pattern, '', 'find')).toThrow(UnsupportedPatternError);
    expect(() => compileSafeRegex(pattern, '', 'find')).toThrow(`regular expression /${pattern}/: ${what}`);
  });

  it('refuses the i flag without u (JavaScript then folds ſ and K apart from s and k, RE2 does not)', () => {
    expect(() => compileSafeRegex('s', 'i', 'find')).toThrow(UnsupportedPatternError);
    expect(compileSafeRegex('^s$', 'iu', 'find').test('ſ')).toBe(/^s$/iu.test('ſ'));
  });

  it('refuses what JavaScript refuses', () => {
    expect(() => compileSafeRegex('(', '', 'find')).toThrow(SyntaxError);
    expect(() => compileSafeRegex('a**', '', 'find')).toThrow(SyntaxError);
    expect(() => compileSafeRegex('[b-a]', '', 'find')).toThrow(SyntaxError);
  });

  it('names each pattern apart (Ajv keys compiled patterns by toString)', () => {
    expect(String(compileSafeRegex('^a$', '', 'find'))).toBe('/^a$/');
    expect(String(compileSafeRegex('^b$', 'u', 'find'))).toBe('/^b$/u');
  });
});

/** Small patterns in the common syntax of JavaScript and Java, built from pieces that mean the same in both. */
const atom = fc.constantFrom(
  'a',
  'b',
  'B',
  'é',
  '1',
  '.',
  '\\d',
  '\\w',
  '\\s',
  '\\S',
  '\\W',
  '[ab]',
  '[^a]',
  '[a-c1]',
  '[\\s1]',
  '[^\\sa]',
  '\\.',
  ' ',
);
const quantifier = fc.constantFrom('', '', '*', '+', '?', '{0,2}', '{2}', '*?', '+?');
const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string; seq: string; term: string }>((tie) => ({
  term: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
    { weight: 1, arbitrary: fc.tuple(tie('p'), quantifier).map(([p, q]) => `(${p})${q}`) },
    { weight: 1, arbitrary: fc.constantFrom('^', '$', '\\b', '(?<=a)', '(?<![b ])') },
  ),
  seq: fc.array(tie('term'), { maxLength: 4 }).map((terms) => terms.join('')),
  p: fc.array(tie('seq'), { minLength: 1, maxLength: 3 }).map((alts) => alts.join('|')),
})).p;
const input = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      'B',
      '1',
      ' ',
      '.',
      '\n',
      '\r',
      '\u00a0',
      '\u2028',
      '\u{1F600}',
      '\ud800',
      'é',
      'É',
      'µ',
    ),
    {
      maxLength: 10,
    },
  )
  .map((chars) => chars.join(''));

// A header holds no \r or \n (nor U+2028/9): a Java `$` then always meets the very end of the token.
const token = fc
  .array(fc.constantFrom('a', 'A', 'b', '1', ' ', '.', '\t', '\u00a0', '\u{1F600}', 'é', 'É'), {
    maxLength: 10,
  })
  .map((chars) => chars.join(''));

describe('compileSafeRegex agrees with RegExp (property)', () => {
  it('find, without flags (as Ajv compiles a model pattern)', () => {
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        expect(compileSafeRegex(p, '', 'find').test(s)).toBe(new RegExp(p).test(s));
      }),
      { numRuns: 800 },
    );
  });

  it('find, with u, i and s', () => {
    fc.assert(
      fc.property(pattern, input, fc.constantFrom('u', 'iu', 's', 'su'), (p, s, flags) => {
        expect(compileSafeRegex(p, flags, 'find').test(s)).toBe(new RegExp(p, flags).test(s));
      }),
      { numRuns: 500 },
    );
  });

  it('full, as Java’s matches(): an identityValidationExpression answers as the Java translation does', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '(?i)'), pattern, token, (flag, body, s) => {
        const p = flag + body;
        // The Java pattern as JavaScript runs it, anchored at both ends (`^…$` cannot start mid-emoji).
        const { source, flags } = translateJavaRegex(p);
        expect(compileIdentityValidation(p).test(s)).toBe(new RegExp(`^(?:${source})$`, flags).test(s));
      }),
      { numRuns: 800 },
    );
  });
});
