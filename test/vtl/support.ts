import { compileTemplate, type TemplateScope } from '../../src/vtl/compile-template.js';

/** A scope like the gateway builds: fresh override maps, the given body and parameters. */
export function makeScope(overrides: Partial<TemplateScope> = {}): TemplateScope {
  return {
    body: '',
    params: { path: {}, querystring: {}, header: {} },
    context: { responseOverride: { header: {} }, requestOverride: { header: {}, querystring: {}, path: {} } },
    stageVariables: {},
    ...overrides,
  };
}

export function render(template: string, overrides: Partial<TemplateScope> = {}): string {
  return compileTemplate(template).render(makeScope(overrides));
}
