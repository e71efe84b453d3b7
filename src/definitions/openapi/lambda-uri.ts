// arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations
const LAMBDA_PATH = /^arn:aws[a-z-]*:apigateway:[^:]*:lambda:path\//;

/** Whether an integration or authorizer `uri` is a Lambda invocation (else: S3, SQS… service paths). */
export function isLambdaUri(uri: string): boolean {
  return LAMBDA_PATH.test(uri);
}

/**
 * The invocation URI API Gateway's export writes for a Lambda function of this region and account.
 * @example
 * lambdaInvocationUri('us-east-1', '123456789012', 'pets')
 * // 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations'
 */
export function lambdaInvocationUri(region: string, accountId: string, functionName: string): string {
  return `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${accountId}:function:${functionName}/invocations`;
}

/** `arn:aws:lambda:…:function:NAME[:alias]`, bare or inside an apigateway invocation URI → NAME. */
export function functionNameOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string') return undefined;
  const match = /:function:([^:/]+)/.exec(uri);
  return match?.[1];
}
