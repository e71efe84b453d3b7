import type { Context } from 'aws-lambda';
import type { LambdaFunction } from '../../src/lambda/context.js';
import { invoke } from '../../src/lambda/invoke.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function capture(timeoutMs: number): Promise<{ context: Context; first: number; second: number }> {
  return new Promise((resolve) => {
    const fn: LambdaFunction = {
      name: 'my-function',
      handler: async (_event, context) => {
        const first = context.getRemainingTimeInMillis();
        await sleep(15);
        const second = context.getRemainingTimeInMillis();
        resolve({ context, first, second });
        return {};
      },
      timeoutMs,
      memoryLimitInMB: '512',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:my-function',
      logGroupName: '/aws/lambda/my-function',
      version: '$LATEST',
    };
    void invoke(fn, {}, { requestId: '6f1c5a8e-0000-4000-8000-000000000001', integrationTimeoutMs: 29_000 });
  });
}

describe('the Lambda Context', () => {
  it('carries the function identity and the invocation id', async () => {
    const { context } = await capture(3000);
    expect(context.awsRequestId).toBe('6f1c5a8e-0000-4000-8000-000000000001');
    expect(context.functionName).toBe('my-function');
    expect(context.functionVersion).toBe('$LATEST');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:111111111111:function:my-function');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.logGroupName).toBe('/aws/lambda/my-function');
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(typeof context.succeed).toBe('function');
    expect(typeof context.fail).toBe('function');
    expect(typeof context.done).toBe('function');
  });

  it('counts getRemainingTimeInMillis down from the function timeout', async () => {
    const { first, second } = await capture(3000);
    expect(first).toBeLessThanOrEqual(3000);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeLessThan(first);
  });

  it('lets the handler clear callbackWaitsForEmptyEventLoop', async () => {
    const { context } = await capture(3000);
    context.callbackWaitsForEmptyEventLoop = false;
    expect(context.callbackWaitsForEmptyEventLoop).toBe(false);
  });
});
