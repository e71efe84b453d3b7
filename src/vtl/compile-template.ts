import { ApiGatewayVelocity } from './api-gateway-velocity.js';
import { TemplateInput, type TemplateParams } from './input.js';
import { parseTemplate } from './parse-template.js';
import { TemplateRenderError, TemplateSyntaxError } from './template-errors.js';
import { TEMPLATE_UTIL } from './util.js';

export type { TemplateParams };
export { TemplateRenderError, TemplateSyntaxError };

export interface TemplateScope {
  /** raw payload text: the request body for request templates, the integration (Lambda) response payload for response templates. '' when empty */
  body: string;
  params: TemplateParams;
  /**
   * `$context`, used by reference: writes by the template (`#set($context.responseOverride.status = 400)`,
   * `.put(k, v)`, `#set($context.requestOverride.querystring['k'] = 'v')`) are visible in this object after render.
   */
  context: Record<string, unknown>;
  stageVariables: Record<string, string>;
}

export interface CompiledTemplate {
  readonly source: string;
  render(scope: TemplateScope): string;
}

/**
 * Parses an API Gateway mapping template once; `render` then runs it per request with
 * API Gateway's Velocity semantics (`$input`, `$util`, `$context`, `$stageVariables`).
 * Throws TemplateSyntaxError (with line and column) on bad syntax or a template over 300 KB;
 * `render` throws only TemplateRenderError.
 * @example
 * compileTemplate('{ "myParam": "$input.params(\'myParam\')" }')
 *   .render({ body: '', params: { path: {}, querystring: { myParam: 'hi' }, header: {} }, context: {}, stageVariables: {} })
 * // → '{ "myParam": "hi" }'
 */
export function compileTemplate(source: string): CompiledTemplate {
  const engine = new ApiGatewayVelocity(parseTemplate(source));
  return {
    source,
    render(scope: TemplateScope): string {
      // Fresh top-level variables per render: a #set($input = …) or #set($util = …) lasts one render.
      const variables: Record<string, unknown> = {
        input: new TemplateInput(scope.body, scope.params),
        util: TEMPLATE_UTIL,
        context: scope.context,
        stageVariables: scope.stageVariables,
      };
      try {
        return engine.renderContext(variables);
      } catch (error) {
        if (error instanceof TemplateRenderError) throw error;
        // velocityjs or a JS built-in failed (e.g. stack overflow on a self-containing map): still the caller's 500
        throw new TemplateRenderError(
          `Template rendering failed: ${(error as Error)?.message ?? String(error)}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
