import { RE2JS } from 're2js';

/**
 * Author-supplied regular expressions (a model's `pattern`, a TOKEN authorizer's
 * `identityValidationExpression`) run on client strings, so they run here on RE2 (the pure
 * JavaScript port `re2js`): time linear in the input whatever the pattern. A backtracking engine
 * spends seconds on `^(a+)+$` against 30 characters; refusing such patterns at startup instead
 * would refuse definitions AWS accepts, and no static check finds every slow pattern.
 *
 * The pattern is parsed with JavaScript's syntax and meaning and rewritten to RE2 so the answers
 * are the same: `\s` and `.` keep JavaScript's character sets, `\uXXXX` and legacy identity
 * escapes their JavaScript meaning, and without the `u` flag a string is matched by UTF-16 code
 * units (each surrogate becomes a rune of its own, as JavaScript and Java see them). What RE2
 * cannot run in linear time is refused with UnsupportedPatternError, which callers turn into a
 * ConfigError at startup: backreferences, and lookaheads other than a run of them right after a
 * leading `^` (those, as in `^(?=.*\d)(?!\s*$).{8,}$`, are run as separate anchored RE2 tests).
 * Lookbehinds run on RE2JS's linear-time lookbehinds. One known difference: with `iu`, `\b` and
 * `\B` take ſ (U+017F) and the Kelvin sign (U+212A) as non-word characters, as RE2's ASCII
 * boundary does (JavaScript folds them into \w); neither can appear in a header's token.
 */
export class UnsupportedPatternError extends Error {
  constructor(pattern: string, what: string) {
    super(
      `regular expression /${pattern}/: ${what} is not supported (patterns run on RE2, in time linear in the input, so no client string can stall the gateway)`,
    );
    this.name = 'UnsupportedPatternError';
  }
}

/** What a compiled pattern offers: a boolean test, as `RegExp#test` (no state, no lastIndex). */
export interface SafeRegex {
  test(input: string): boolean;
  toString(): string;
}

/** `find`: a match anywhere, as `RegExp#test`; `full`: the whole string, as Java's `matches()`. */
export type SafeRegexUse = 'find' | 'full';

// ECMAScript WhiteSpace and LineTerminator: what `\s` means in JavaScript (RE2's `\s` is ASCII only).
const JS_SPACE: [number, number][] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: [number, number][] = [
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
];
const MAX_CODE_POINT = 0x10ffff;
const MAX_REPEAT = 1000; // RE2's limit on a counted repetition

// Without `u`, a surrogate code unit is one character; RE2 reads a string by code points, so each
// surrogate unit is moved (in the pattern and in the input alike) to a rune of plane 16 of its own.
const SURROGATE_LOW = 0xd800;
const SURROGATE_HIGH = 0xdfff;
const SURROGATE_RUNES = 0x100000;
const HAS_SURROGATE = /[\ud800-\udfff]/;

function complement(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const hex = (code: number) => `\\x{${code.toString(16)}}`;

interface Mode {
  pattern: string;
  unicode: boolean;
  ignoreCase: boolean;
  dotAll: boolean;
  multiline: boolean;
  javaEnd?: string;
}

/** A code unit (or point, with `u`) → the rune RE2 sees for it. */
function rune(code: number, mode: Mode): number {
  return !mode.unicode && code >= SURROGATE_LOW && code <= SURROGATE_HIGH
    ? SURROGATE_RUNES + (code - SURROGATE_LOW)
    : code;
}

/** Ranges of code units/points → RE2 class items, surrogates moved when `u` is off. */
function classItems(ranges: [number, number][], mode: Mode): string {
  let out = '';
  for (const [lo, hi] of ranges) {
    const parts: [number, number][] =
      mode.unicode || hi < SURROGATE_LOW || lo > SURROGATE_HIGH
        ? [[lo, hi]]
        : [
            [lo, Math.min(hi, SURROGATE_LOW - 1)],
            [Math.max(lo, SURROGATE_LOW), Math.min(hi, SURROGATE_HIGH)],
            [Math.max(lo, SURROGATE_HIGH + 1), hi],
          ];
    for (const [a, b] of parts) {
      if (a > b) continue;
      const [ra, rb] = [rune(a, mode), rune(b, mode)];
      out += ra === rb ? hex(ra) : `${hex(ra)}-${hex(rb)}`;
    }
  }
  return out;
}

const ANY = `[${hex(0)}-${hex(MAX_CODE_POINT)}]`;
const NOTHING = `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;

/** One top-level piece: a lookahead at the start (`^(?=…)`) or RE2 text. */
interface Parsed {
  /** Lookaheads right after a leading `^`: [RE2 text, positive]. */
  lookaheads: [string, boolean][];
  /** The rest, as RE2 text (with the leading `^` when there was one). */
  rest: string;
  lookbehinds: boolean;
}

/** A recursive-descent reader of ECMAScript pattern syntax that writes RE2 syntax. */
class Translator {
  private i = 0;
  lookbehinds = false;

  constructor(private readonly mode: Mode) {}

  private get src(): string {
    return this.mode.pattern;
  }

  private unsupported(what: string): UnsupportedPatternError {
    return new UnsupportedPatternError(this.src, what);
  }

  private invalid(what: string): Error {
    return new SyntaxError(`invalid regular expression /${this.src}/: ${what}`);
  }

  parse(): Parsed {
    const lookaheads: [string, boolean][] = [];
    let rest = '';
    // `^(?=…)(?!…)…rest` with no top-level `|`: each lookahead is tested from the start on its own.
    if (this.src.startsWith('^') && !this.mode.multiline && !this.hasTopLevelAlternation()) {
      this.i = 1;
      rest = '^';
      while (/^\(\?[=!]/.test(this.src.slice(this.i, this.i + 3))) {
        const positive = this.src[this.i + 2] === '=';
        this.i += 3;
        const body = this.disjunction();
        this.expect(')');
        if (this.isQuantifier()) throw this.unsupported('a quantified lookahead');
        lookaheads.push([body, positive]);
      }
    }
    rest += this.disjunction();
    if (this.i < this.src.length) throw this.invalid(`unmatched ")" at ${this.i}`);
    return { lookaheads, rest, lookbehinds: this.lookbehinds };
  }

  private hasTopLevelAlternation(): boolean {
    let depth = 0;
    let inClass = false;
    for (let j = 0; j < this.src.length; j++) {
      const c = this.src[j];
      if (c === '\\') j++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '|' && depth === 0) return true;
    }
    return false;
  }

  private expect(c: string): void {
    if (this.src[this.i] !== c) throw this.invalid(`expected "${c}" at ${this.i}`);
    this.i++;
  }

  private disjunction(): string {
    let out = this.alternative();
    while (this.src[this.i] === '|') {
      this.i++;
      out += `|${this.alternative()}`;
    }
    return out;
  }

  private alternative(): string {
    let out = '';
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      out += this.term();
    }
    return out;
  }

  private isQuantifier(): boolean {
    const c = this.src[this.i];
    return c === '*' || c === '+' || c === '?' || (c === '{' && this.countedQuantifier() !== undefined);
  }

  private countedQuantifier(): RegExpExecArray | undefined {
    return /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) ?? undefined;
  }

  private term(): string {
    const c = this.src[this.i];
    let atom: string;
    let quantifiable = true;
    if (c === '^' || c === '$') {
      this.i++;
      if (this.mode.multiline) throw this.unsupported(`"${c}" with the multiline flag`);
      atom = c === '^' ? '\\A' : '\\z';
      quantifiable = false;
    } else if (c === '\\' && (this.src[this.i + 1] === 'b' || this.src[this.i + 1] === 'B')) {
      atom = `\\${this.src[this.i + 1]}`;
      this.i += 2;
      quantifiable = false;
    } else if (c === '(') {
      [atom, quantifiable] = this.group();
    } else if (c === '[') {
      atom = this.characterClass();
    } else if (c === '.') {
      this.i++;
      atom = this.mode.dotAll ? ANY : `[^${classItems(LINE_TERMINATORS, this.mode)}]`;
    } else if (c === '\\') {
      atom = this.atomEscape();
    } else if (c === '*' || c === '+' || c === '?') {
      throw this.invalid(`nothing to repeat at ${this.i}`);
    } else if (c === '{' && this.countedQuantifier() !== undefined) {
      throw this.invalid(`nothing to repeat at ${this.i}`);
    } else {
      const code = this.mode.unicode ? (this.src.codePointAt(this.i) as number) : this.src.charCodeAt(this.i);
      this.i += code > 0xffff ? 2 : 1;
      if (c === '{' || c === '}' || c === ']') {
        if (this.mode.unicode) throw this.invalid(`lone "${c}" at ${this.i - 1}`);
      }
      atom = this.literal(code);
    }
    return atom + this.quantifier(quantifiable);
  }

  private quantifier(quantifiable: boolean): string {
    let q = '';
    const c = this.src[this.i];
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.i++;
    } else if (c === '{') {
      const m = this.countedQuantifier();
      if (m === undefined) return '';
      const min = Number(m[1]);
      const max = m[3] === undefined || m[3] === '' ? undefined : Number(m[3]);
      if (max !== undefined && max < min) throw this.invalid('numbers out of order in {} quantifier');
      if (min > MAX_REPEAT || (max ?? 0) > MAX_REPEAT)
        throw this.unsupported(`a repetition count above ${MAX_REPEAT}`);
      q = m[0];
      this.i += m[0].length;
    } else {
      return '';
    }
    if (!quantifiable) throw this.unsupported('a quantified assertion');
    if (this.src[this.i] === '?') {
      q += '?';
      this.i++;
    }
    return q;
  }

  /** `(…)`, `(?:…)`, `(?<name>…)`, lookarounds. Captures are dropped: a test needs none. */
  private group(): [string, boolean] {
    // The assertions a translated Java pattern uses for \A, \z and `$`.
    for (const [text, re2] of [
      ['(?<![\\s\\S])', '\\A'],
      ['(?![\\s\\S])', '\\z'],
      [this.mode.javaEnd, '\\z'],
    ] as const) {
      if (text !== undefined && this.src.startsWith(text, this.i)) {
        this.i += text.length;
        return [re2, false];
      }
    }
    const head = this.src.slice(this.i, this.i + 4);
    let prefix = '(?:';
    let quantifiable = true;
    if (head.startsWith('(?:')) this.i += 3;
    else if (head.startsWith('(?=') || head.startsWith('(?!')) {
      throw this.unsupported('a lookahead other than right after a leading ^');
    } else if (head.startsWith('(?<=') || head.startsWith('(?<!')) {
      this.i += 4;
      prefix = head;
      quantifiable = false;
      this.lookbehinds = true;
    } else if (head.startsWith('(?<')) {
      const name = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(this.src.slice(this.i));
      if (name === null) throw this.invalid(`malformed group name at ${this.i}`);
      this.i += name[0].length;
    } else if (head.startsWith('(?')) {
      throw this.invalid(`invalid group at ${this.i}`);
    } else this.i += 1;
    const body = this.disjunction();
    this.expect(')');
    return [`${prefix}${body})`, quantifiable];
  }

  private literal(code: number): string {
    return hex(rune(code, this.mode));
  }

  /** `\…` outside a class. */
  private atomEscape(): string {
    const c = this.src[this.i + 1];
    if (c === undefined) throw this.invalid('\\ at end of pattern');
    if (/[1-9]/.test(c) || (c === 'k' && (this.mode.unicode || /\(\?<[A-Za-z_$]/.test(this.src)))) {
      throw this.unsupported('a backreference');
    }
    const set = this.classEscape();
    if (set !== undefined) return set.negated ? `[^${set.items}]` : `[${set.items}]`;
    return this.literal(this.characterEscape());
  }

  /** `\d \D \w \W \s \S` and `\p{…}` at `this.i` (consumed), else undefined. */
  private classEscape(): { items: string; negated: boolean } | undefined {
    const c = this.src[this.i + 1];
    switch (c) {
      case 'd':
        this.i += 2;
        return { items: '0-9', negated: false };
      case 'D':
        this.i += 2;
        return { items: '0-9', negated: true };
      case 'w':
      case 'W': {
        this.i += 2;
        // With `iu`, JavaScript's \w also takes U+017F and U+212A (they fold to s and k).
        const extra = this.mode.unicode && this.mode.ignoreCase ? `${hex(0x17f)}${hex(0x212a)}` : '';
        return { items: `0-9A-Z_a-z${extra}`, negated: c === 'W' };
      }
      case 's':
        this.i += 2;
        return { items: classItems(JS_SPACE, this.mode), negated: false };
      case 'S':
        this.i += 2;
        return { items: classItems(JS_SPACE, this.mode), negated: true };
      case 'p':
      case 'P': {
        if (!this.mode.unicode) return undefined;
        const m = /^\\[pP]\{([A-Za-z_]+)\}/.exec(this.src.slice(this.i));
        if (m === null) throw this.invalid(`malformed \\${c} at ${this.i}`);
        try {
          RE2JS.compile(`\\p{${m[1]}}`);
        } catch {
          throw this.unsupported(`the property \\${c}{${m[1]}}`);
        }
        this.i += m[0].length;
        return { items: `\\p{${m[1]}}`, negated: c === 'P' };
      }
      default:
        return undefined;
    }
  }

  /** One escaped character at `this.i` (consumed) → its code. */
  private characterEscape(inClass = false): number {
    const c = this.src[this.i + 1];
    this.i += 2;
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (c in simple) return simple[c];
    if (c === 'b' && inClass) return 8;
    if (c === '0' && !/[0-9]/.test(this.src[this.i] ?? '')) return 0;
    if (c === 'c' && /[A-Za-z]/.test(this.src[this.i] ?? '')) {
      return this.src.charCodeAt(this.i++) % 32;
    }
    if (c === 'x') {
      const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
      if (m !== null) {
        this.i += 2;
        return Number.parseInt(m[0], 16);
      }
    }
    if (c === 'u') {
      const braced = this.mode.unicode ? /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.i)) : null;
      if (braced !== null) {
        const code = Number.parseInt(braced[1], 16);
        if (code > MAX_CODE_POINT) throw this.invalid('\\u{…} beyond U+10FFFF');
        this.i += braced[0].length;
        return code;
      }
      const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
      if (m !== null) {
        this.i += 4;
        const code = Number.parseInt(m[0], 16);
        // With `u`, `\uD83D\uDE00` is one code point.
        const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(this.src.slice(this.i));
        if (this.mode.unicode && code >= 0xd800 && code <= 0xdbff && low !== null) {
          this.i += 6;
          return 0x10000 + ((code - 0xd800) << 10) + (Number.parseInt(low[1], 16) - 0xdc00);
        }
        return code;
      }
    }
    if (this.mode.unicode) {
      if (/[$()*+./?[\\\]^{|}]/.test(c) || (c === '-' && inClass)) return c.charCodeAt(0);
      throw this.invalid(`invalid escape \\${c}`);
    }
    if (/[0-9]/.test(c)) throw this.unsupported('a legacy octal escape');
    // Without `u`, any other escaped character stands for itself (`\a` is "a", `\/` is "/").
    const code = this.src.codePointAt(this.i - 1) as number;
    return code;
  }

  /** `[…]`: its items resolved to ranges, so JavaScript's sets and surrogates carry over. */
  private characterClass(): string {
    this.i++;
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const ranges: [number, number][] = [];
    let sets = '';
    const readAtom = (): number | { items: string; negated: boolean } => {
      const c = this.src[this.i];
      if (c === '\\') {
        const set = this.classEscape();
        if (set !== undefined) return set;
        if (this.src[this.i + 1] === 'B' && this.mode.unicode) throw this.invalid('\\B in a class');
        return this.characterEscape(true);
      }
      const code = this.mode.unicode ? (this.src.codePointAt(this.i) as number) : this.src.charCodeAt(this.i);
      this.i += code > 0xffff ? 2 : 1;
      return code;
    };
    const addSet = (set: { items: string; negated: boolean }) => {
      if (!set.negated) sets += set.items;
      else if (set.items === classItems(JS_SPACE, this.mode)) ranges.push(...complementOf(JS_SPACE));
      else if (set.items === '0-9') ranges.push(...complementOf([[0x30, 0x39]]));
      else if (set.items.startsWith('0-9A-Z_a-z')) {
        const word: [number, number][] = [
          [0x30, 0x39],
          [0x41, 0x5a],
          [0x5f, 0x5f],
          [0x61, 0x7a],
        ];
        if (set.items.length > '0-9A-Z_a-z'.length) word.push([0x17f, 0x17f], [0x212a, 0x212a]);
        ranges.push(...complementOf(word.sort((a, b) => a[0] - b[0])));
      } else sets += `\\P${set.items.slice(2)}`;
    };
    // Complements are over code units without `u` (the surrogates then move with classItems).
    const complementOf = (r: [number, number][]): [number, number][] =>
      complement(r).map(([lo, hi]): [number, number] => [lo, this.mode.unicode ? hi : Math.min(hi, 0xffff)]);
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw this.invalid('unterminated character class');
      const from = readAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const to = readAtom();
        if (typeof from !== 'number' || typeof to !== 'number') {
          if (this.mode.unicode) throw this.invalid('a class escape as a range end');
          // Without `u`, `[\d-z]` is \d, "-" and "z".
          for (const item of [from, 45, to]) {
            if (typeof item === 'number') ranges.push([item, item]);
            else addSet(item);
          }
          continue;
        }
        if (to < from) throw this.invalid('range out of order in character class');
        ranges.push([from, to]);
      } else if (typeof from === 'number') ranges.push([from, from]);
      else addSet(from);
    }
    this.i++;
    const items = classItems(ranges, this.mode) + sets;
    if (items === '') return negated ? ANY : NOTHING;
    return `[${negated ? '^' : ''}${items}]`;
  }
}

/** The input as RE2 must see it: without `u`, each surrogate unit moved to its own rune. */
function toRunes(input: string): string {
  if (!HAS_SURROGATE.test(input)) return input;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    out +=
      code >= SURROGATE_LOW && code <= SURROGATE_HIGH
        ? String.fromCodePoint(SURROGATE_RUNES + (code - SURROGATE_LOW))
        : input[i];
  }
  return out;
}

/**
 * A JavaScript pattern (`source`, `flags` from `i m s u`; `g y d` are ignored, as a test
 * ignores them) compiled to run on RE2 with JavaScript's answers. `javaEnd` names the lookahead
 * a translated Java `$` became: it runs as end of input, which is exact unless the pattern goes on
 * to consume a final line terminator after the `$` (tokens from HTTP headers hold no \r or \n).
 * @example compileSafeRegex('^(a+)+$', '', 'find').test('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') // false, at once
 */
export function compileSafeRegex(
  source: string,
  flags: string,
  use: SafeRegexUse,
  options: { javaEnd?: string } = {},
): SafeRegex {
  for (const flag of flags) {
    if (!'gimsuyd'.includes(flag)) throw new UnsupportedPatternError(source, `the flag "${flag}"`);
  }
  // Without `u`, JavaScript's `i` folds by toUpperCase and keeps ſ and K (Kelvin) apart from s and k;
  // RE2 folds as Unicode does. No caller needs it (Ajv passes no flags, Java's (?i) comes with `u`).
  if (flags.includes('i') && !flags.includes('u')) {
    throw new UnsupportedPatternError(source, 'the i flag without u');
  }
  const mode: Mode = {
    pattern: source,
    unicode: flags.includes('u'),
    ignoreCase: flags.includes('i'),
    dotAll: flags.includes('s'),
    multiline: flags.includes('m'),
    javaEnd: options.javaEnd,
  };
  const parsed = new Translator(mode).parse();
  const re2Flags =
    (mode.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (parsed.lookbehinds ? RE2JS.LOOKBEHINDS : 0);
  const compile = (re2: string): RE2JS => {
    try {
      return RE2JS.compile(re2, re2Flags);
    } catch (error) {
      throw new UnsupportedPatternError(source, `RE2 refuses it (${(error as Error).message})`);
    }
  };
  const rest = compile(use === 'full' ? `\\A(?:${parsed.rest})\\z` : parsed.rest);
  // A lookahead after the leading ^ holds when its body matches a prefix of the input.
  const lookaheads = parsed.lookaheads.map(
    ([body, positive]) => [compile(`\\A(?:${body})`), positive] as const,
  );
  const prepare = mode.unicode ? (input: string) => input : toRunes;
  const text = `/${source}/${flags}`;
  return {
    test(input: string): boolean {
      const runes = prepare(input);
      for (const [regex, positive] of lookaheads) if (regex.test(runes) !== positive) return false;
      return rest.test(runes);
    },
    toString: () => text,
  };
}
