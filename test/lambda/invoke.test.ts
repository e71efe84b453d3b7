import type { Context } from 'aws-lambda';
import type { LambdaFunction } from '../../src/lambda/context.js';
import { invoke, toErrorPayload } from '../../src/lambda/invoke.js';

function fn(handler: LambdaFunction['handler'], timeoutMs = 3000): LambdaFunction {
  return {
    name: 'my-function',
    handler,
    timeoutMs,
    memoryLimitInMB: '256',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:my-function',
    logGroupName: '/aws/lambda/my-function',
    version: '$LATEST',
  };
}

const run = (handler: LambdaFunction['handler'], timeoutMs = 3000, integrationTimeoutMs = 29_000) =>
  invoke(fn(handler, timeoutMs), { hello: 'event' }, { requestId: 'req-1', integrationTimeoutMs });

describe('invoke: how a handler settles', () => {
  it('takes the value of an async handler', async () => {
    await expect(run(async (event) => ({ statusCode: 200, body: JSON.stringify(event) }))).resolves.toEqual({
      kind: 'result',
      value: { statusCode: 200, body: '{"hello":"event"}' },
    });
  });

  it('takes the value of a returned promise', async () => {
    await expect(run(() => Promise.resolve('done'))).resolves.toEqual({ kind: 'result', value: 'done' });
  });

  it('takes callback(null, result), even called later', async () => {
    await expect(run((_e, _c, cb) => void setTimeout(() => cb(null, 42), 5))).resolves.toEqual({
      kind: 'result',
      value: 42,
    });
  });

  it.each([
    ['succeed', (c: Context) => c.succeed({ ok: 1 }), { kind: 'result', value: { ok: 1 } }],
    [
      'done(null, result)',
      (c: Context) => c.done(undefined, { ok: 2 }),
      { kind: 'result', value: { ok: 2 } },
    ],
  ])('takes context.%s', async (_name, call, expected) => {
    await expect(run((_e, c) => void call(c))).resolves.toEqual(expected);
  });

  it.each([
    [
      'a synchronous throw',
      () => {
        throw new TypeError('boom');
      },
    ],
    [
      'a rejection',
      async () => {
        throw new TypeError('boom');
      },
    ],
    ['callback(err)', (_e: unknown, _c: Context, cb: (e?: unknown) => void) => cb(new TypeError('boom'))],
    ['context.fail(err)', (_e: unknown, c: Context) => c.fail(new TypeError('boom'))],
    ['context.done(err)', (_e: unknown, c: Context) => c.done(new TypeError('boom'))],
  ] as [string, LambdaFunction['handler']][])(
    'turns %s into an error outcome with the runtime payload',
    async (_n, handler) => {
      const outcome = await run(handler);
      expect(outcome.kind).toBe('error');
      expect(outcome).toMatchObject({ error: { errorType: 'TypeError', errorMessage: 'boom' } });
      expect((outcome as { error: { trace: string[] } }).error.trace[0]).toBe('TypeError: boom');
    },
  );

  it('keeps the first settlement when a handler settles twice', async () => {
    await expect(
      run((_e, c, cb) => {
        cb(null, 'first');
        cb(new Error('second'));
        c.succeed('third');
      }),
    ).resolves.toEqual({ kind: 'result', value: 'first' });
  });

  it('times out a handler that never settles with the function timeout and Lambda message', async () => {
    await expect(run(() => new Promise(() => {}), 20)).resolves.toEqual({
      kind: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: 'RequestId: req-1 Error: Task timed out after 0.02 seconds',
      },
    });
  });

  it('ignores a non-promise return value, as the Node.js runtime does (the function times out)', async () => {
    await expect(run(() => ({ statusCode: 200 }), 20)).resolves.toMatchObject({ kind: 'timeout' });
  });

  it('times out concurrent invocations each at its own limit, and only those that never settle', async () => {
    const never = () => new Promise(() => {});
    const late = () => new Promise((resolve) => setTimeout(() => resolve('late'), 5));
    const outcomes = await Promise.all([
      run(never, 40),
      run(never, 10),
      run(late, 3000),
      run(never, 3000, 25),
      run(late, 1000),
      run(never, 10),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual([
      'timeout',
      'timeout',
      'result',
      'integration-timeout',
      'result',
      'timeout',
    ]);
    expect(outcomes[0]).toMatchObject({
      error: { errorMessage: expect.stringContaining('after 0.04 seconds') },
    });
    expect(outcomes[1]).toMatchObject({
      error: { errorMessage: expect.stringContaining('after 0.01 seconds') },
    });
  });

  it('lets the integration give up first when its timeout is the shorter one', async () => {
    await expect(run(() => new Promise(() => {}), 3000, 20)).resolves.toEqual({
      kind: 'integration-timeout',
    });
  });

  it('turns a rejection with no reason into the runtime\'s "handled" error', async () => {
    await expect(run(() => Promise.reject(undefined))).resolves.toEqual({
      kind: 'error',
      error: { errorType: 'string', errorMessage: 'handled', trace: [] },
    });
  });

  it('takes a synchronous `throw null` as callback(null): a success, as the runtime does', async () => {
    await expect(
      run(() => {
        throw null;
      }),
    ).resolves.toEqual({ kind: 'result', value: undefined });
  });
});

describe('toErrorPayload', () => {
  it('describes non-Error values as the runtime does', () => {
    expect(toErrorPayload('oops')).toEqual({ errorType: 'string', errorMessage: 'oops', trace: [] });
    expect(toErrorPayload({ a: 1 })).toEqual({
      errorType: 'object',
      errorMessage: '[object Object]',
      trace: [],
    });
  });
});
