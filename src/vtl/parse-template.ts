import { parse } from 'velocityjs';
import { TemplateSyntaxError } from './template-errors.js';

export type VelocityAst = ReturnType<typeof parse>[number];

/** Mapping template size quota (not adjustable): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html */
export const MAX_TEMPLATE_BYTES = 300 * 1024;

// A reference appended after the template: velocityjs levels blocks without checking that
// each has its #end, so an unclosed block repeats the sentinel and a stray #end drops it.
const SENTINEL = '__apigwVtlEnd__';

interface Positioned {
  type: string;
  pos?: { first_line: number; first_column: number };
  id?: string;
}

function at(node: Positioned | undefined): string {
  return node?.pos ? `line ${node.pos.first_line}, column ${node.pos.first_column + 1}` : 'end of template';
}

const NO_CUSTOM_BLOCKS = Object.freeze(Object.create(null));

function velocityParse(source: string): VelocityAst[] {
  try {
    // velocityjs's own newline trimming (any `\n` after any directive) is replaced by Velocity 1.7's rules below
    // No custom blocks, in an object without a prototype: velocityjs looks each `#name(…)` up in it,
    // and a plain `{}` would make `#toString()` or `#constructor()` a block that wants an #end.
    return velocity17Whitespace(parse(source, NO_CUSTOM_BLOCKS, false) as unknown[]) as VelocityAst[];
  } catch (error) {
    const loc = (error as { hash?: { loc?: { first_line: number; first_column: number } } }).hash?.loc;
    const detail = (error as Error).message.split('\n').slice(1).join(' ').replace(/\s+/g, ' ').trim();
    const where = loc ? `line ${loc.first_line}, column ${loc.first_column + 1}` : 'unknown position';
    throw new TemplateSyntaxError(`Template syntax error at ${where}: ${detail}`);
  }
}

/** What a directive's closing `)`, `#else` and `#end` take with them in Velocity 1.7: blanks up to and including one line end. */
const DIRECTIVE_EOL = /^[ \t]*(?:\r\n|\n|\r)/;
/** A `##` comment ends with its line end. */
const COMMENT_EOL = /^(?:\r\n|\n|\r)/;
const BLANKS = /^[ \t]+$/;
/** Nodes written `#name(…)`: the 1.7 lexer's directive `)` token includes trailing blanks and one line end. */
const PAREN_DIRECTIVES = new Set(['set', 'if', 'elseif', 'foreach', 'macro', 'define', 'macro_call']);

function isNode(item: unknown): item is Positioned & { value?: unknown } {
  return typeof item === 'object' && item !== null && !Array.isArray(item);
}

/** The text a Velocity 1.7 token just before a text run swallows from the text's start. */
function eatenAfter(previous: unknown): RegExp | undefined {
  if (Array.isArray(previous)) return DIRECTIVE_EOL; // a block: the text follows its #end
  if (!isNode(previous)) return undefined;
  if (PAREN_DIRECTIVES.has(previous.type) || previous.type === 'else') return DIRECTIVE_EOL;
  if (previous.type === 'comment' && typeof previous.value === 'string' && previous.value.startsWith('##')) {
    return COMMENT_EOL;
  }
  return undefined; // references, `#* *#` comments, #break, #[[raw]]#
}

/**
 * Velocity 1.7's whitespace handling, as its lexer produces it (velocityjs trims `[ \t]*\n` after
 * every directive instead): `#set(…)`, `#if(…)`, `#elseif(…)`, `#foreach(…)`, `#macro(…)`,
 * `#define(…)`, macro calls, `#else` and `#end` take trailing blanks plus one line end (`\n`,
 * `\r\n` or `\r`) when the line ends there; `##` comments take their line end; `#* *#`,
 * `#break` and references take nothing; blanks that are a whole text run before `#set` (e.g. the
 * indentation of a `#set` line right after another directive line) go with it. Indentation before
 * other directives stays.
 */
function velocity17Whitespace(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of list) {
    const last = out.length - 1;
    if (typeof item === 'string' && typeof out[last] === 'string') out[last] += item;
    else out.push(Array.isArray(item) ? velocity17Whitespace(item) : item);
  }
  for (let i = 0; i < out.length; i++) {
    const item = out[i];
    if (typeof item !== 'string') continue;
    let text = item;
    const eaten = i > 0 ? eatenAfter(out[i - 1]) : undefined;
    if (eaten !== undefined) text = text.replace(eaten, '');
    const next = out[i + 1];
    if (isNode(next) && next.type === 'set' && BLANKS.test(text)) text = '';
    out[i] = text;
  }
  return out;
}

/**
 * Parses a whole mapping template once, with the checks velocityjs skips: size quota, every
 * block closed by #end, no stray #end/#else.
 * @example parseTemplate('#if($x)a#end') // → the velocityjs AST
 */
export function parseTemplate(source: string): VelocityAst[] {
  if (Buffer.byteLength(source, 'utf8') > MAX_TEMPLATE_BYTES) {
    throw new TemplateSyntaxError(`Template is larger than the ${MAX_TEMPLATE_BYTES / 1024} KB quota`);
  }
  const asts = velocityParse(source);
  checkBlocks(velocityParse(`${source}\n$${SENTINEL}`));
  return asts;
}

/** A double-quoted string literal parsed as a fragment (no sentinel check: it cannot hold blocks velocityjs would level). */
export function parseFragment(source: string): VelocityAst[] {
  return velocityParse(source);
}

function checkBlocks(tree: VelocityAst[]): void {
  const seen = new Set<object>();
  let sentinels = 0;
  let unclosed: Positioned | undefined;
  const walk = (list: unknown[], parent: Positioned | undefined): void => {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (Array.isArray(item)) {
        walk(item, item[0] as Positioned);
        continue;
      }
      if (typeof item !== 'object' || item === null) continue;
      const node = item as Positioned;
      if (seen.has(node)) continue;
      seen.add(node);
      if (node.type === 'references' && node.id === SENTINEL) {
        sentinels++;
        if (parent !== undefined) unclosed = parent;
      }
      if ((node.type === 'else' || node.type === 'elseif') && (parent?.type !== 'if' || i === 0)) {
        throw new TemplateSyntaxError(`Template syntax error at ${at(node)}: #${node.type} without #if`);
      }
    }
  };
  walk(tree, undefined);
  if (unclosed !== undefined) {
    throw new TemplateSyntaxError(`Template syntax error at ${at(unclosed)}: #${unclosed.type} without #end`);
  }
  if (sentinels === 0) {
    throw new TemplateSyntaxError(
      'Template syntax error: #end without a matching #if, #foreach, #macro or #define',
    );
  }
}
