/** A mapping template that cannot be parsed (or is over the 300 KB quota); thrown at compile time. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
}

/**
 * Any failure while rendering (bad JSONPath, invalid JSON body, a Java method that throws…).
 * API Gateway answers such a request with 500 `{"message": "Internal server error"}`.
 */
export class TemplateRenderError extends Error {
  override readonly name = 'TemplateRenderError';
}
