import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** A proxy function that answers with the event it received, so tests can read it back. */
export const echoEvent = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  body: JSON.stringify(event),
});

/** The proxy integration of `function`, in AWS's vocabulary. */
export const proxy = (fn: string, extra: Record<string, unknown> = {}) => ({
  integration: { type: 'AWS_PROXY' as const, function: fn, ...extra },
});
