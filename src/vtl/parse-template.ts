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

function velocityParse(source: string): VelocityAst[] {
  try {
    return parse(source);
  } catch (error) {
    const loc = (error as { hash?: { loc?: { first_line: number; first_column: number } } }).hash?.loc;
    const detail = (error as Error).message.split('\n').slice(1).join(' ').replace(/\s+/g, ' ').trim();
    const where = loc ? `line ${loc.first_line}, column ${loc.first_column + 1}` : 'unknown position';
    throw new TemplateSyntaxError(`Template syntax error at ${where}: ${detail}`);
  }
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
