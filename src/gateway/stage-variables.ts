/**
 * `${stageVariables.name}` in an integration `uri`, a Lambda function ARN or `credentials`, as
 * API Gateway substitutes them per stage
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html).
 */
const STAGE_VARIABLE_REFERENCE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

/**
 * What AWS says of a reference to a variable the stage does not set (or sets to a value it
 * refuses): the call fails before reaching the backend (recorded in
 * https://github.com/awsdocs/amazon-api-gateway-developer-guide/issues/91).
 */
export function invalidStageVariableMessage(value: string | null): string {
  return `Invalid stage variable value: ${value}. Please use values with alphanumeric characters and the symbols ' ', -', '.', '_', ':', '/', '?', '&', '=', and ','.`;
}

/** A variable's name as create-stage accepts it (https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html). */
export const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** Whether `text` refers to any stage variable: only then does it differ between stages. */
export function hasStageVariables(text: string): boolean {
  STAGE_VARIABLE_REFERENCE.lastIndex = 0;
  return STAGE_VARIABLE_REFERENCE.test(text);
}

/** The names `text` refers to, in order, each once. */
export function stageVariableNames(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(STAGE_VARIABLE_REFERENCE), (m) => m[1]))];
}

/**
 * `text` with each `${stageVariables.x}` replaced by the stage's value; `undefined` when one it
 * refers to is unset or empty (API Gateway then fails the call with a 500 and logs
 * `invalidStageVariableMessage`). Text without references comes back unchanged.
 * @example
 * resolveStageVariables('arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}', { fn: 'orders-beta' })
 * // 'arn:aws:lambda:us-east-1:123456789012:function:orders-beta'
 */
export function resolveStageVariables(
  text: string,
  variables: Readonly<Record<string, string>> | null | undefined,
): string | undefined {
  if (!text.includes('${stageVariables.')) return text;
  let missing = false;
  const resolved = text.replace(STAGE_VARIABLE_REFERENCE, (_match, name: string) => {
    const value = variables != null && Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  return missing ? undefined : resolved;
}
