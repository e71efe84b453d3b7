import path from 'node:path';
import type { FunctionLogLevel } from '../../src/config/log-levels.js';
import type { FunctionLog, InvocationReport } from '../../src/lambda/function-log.js';
import { EnvironmentPool, type PoolOptions } from '../../src/lambda/isolated/pool.js';

const A = path.join(__dirname, 'fixtures', 'isolated', 'a');
const BROKEN = path.join(__dirname, 'fixtures', 'isolated', 'broken');

interface Captured {
  lines: { level: FunctionLogLevel; message: string; requestId?: string }[];
  starts: string[];
  reports: InvocationReport[];
}

function capture(): Captured & FunctionLog {
  const captured: Captured = { lines: [], starts: [], reports: [] };
  return {
    ...captured,
    write: (level, message, requestId) => captured.lines.push({ level, message, requestId }),
    start: (requestId) => captured.starts.push(requestId),
    end: (report) => captured.reports.push(report),
    writeValues: () => undefined,
    writeFormatted: () => undefined,
    logError: () => undefined,
  };
}

function pool(
  handler: string,
  log: FunctionLog,
  extra: Partial<PoolOptions> = {},
  codeRoot = A,
  timeoutMs = 3000,
): EnvironmentPool {
  return new EnvironmentPool({
    fn: {
      name: 'fn',
      version: '$LATEST',
      timeoutMs,
      memoryLimitInMB: '256',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      logGroupName: '/aws/lambda/fn',
      handler,
      codeRoot,
    },
    env: { PATH: process.env.PATH ?? '' },
    memorySizeMB: 256,
    log: () => log,
    ...extra,
  });
}

const pools: EnvironmentPool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

describe('execution environment pool', () => {
  test("console lines reach the function's log with the request id; START and REPORT fields, Init Duration on the cold start only", async () => {
    const log = capture();
    const p = pool('app.log', log);
    pools.push(p);
    const first = await p.invoke({}, { requestId: 'req-1', integrationTimeoutMs: 29_000 });
    const second = await p.invoke({}, { requestId: 'req-2', integrationTimeoutMs: 29_000 });
    expect(first).toMatchObject({ kind: 'result', value: { statusCode: 200 } });
    expect(second.kind).toBe('result');
    const l = log as unknown as Captured;
    expect(l.lines).toEqual([
      { level: 'INFO', message: 'hello world', requestId: 'req-1' },
      { level: 'WARN', message: '{ careful: true }', requestId: 'req-1' },
      { level: 'INFO', message: 'hello world', requestId: 'req-2' },
      { level: 'WARN', message: '{ careful: true }', requestId: 'req-2' },
    ]);
    expect(l.starts).toEqual(['req-1', 'req-2']);
    expect(l.reports[0]).toEqual({
      requestId: 'req-1',
      durationMs: expect.any(Number),
      memorySizeMB: 256,
      maxMemoryUsedMB: expect.any(Number),
      initDurationMs: expect.any(Number),
      status: 'success',
    });
    expect(l.reports[0].maxMemoryUsedMB).toBeGreaterThan(0);
    expect(l.reports[1]).not.toHaveProperty('initDurationMs');
  });

  test('without reservedConcurrency, calls past the bound wait for an environment instead of failing', async () => {
    const p = pool('app.slow', capture(), { maxEnvironments: 1 });
    pools.push(p);
    const results = await Promise.all(
      [1, 2, 3].map((n) => p.invoke({}, { requestId: `q-${n}`, integrationTimeoutMs: 29_000 })),
    );
    expect(results.map((r) => r.kind)).toEqual(['result', 'result', 'result']);
    const pids = results.map((r) => JSON.parse((r as { value: { body: string } }).value.body).pid);
    expect(new Set(pids).size).toBe(1);
    expect(p.size).toBe(1);
  });

  test('reservedConcurrency 0 throttles every call, as Lambda does', async () => {
    const p = pool('app.slow', capture(), { reservedConcurrency: 0 });
    pools.push(p);
    expect(await p.invoke({}, { requestId: 'r', integrationTimeoutMs: 29_000 })).toEqual({
      kind: 'throttled',
      error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
    });
  });

  test('an Init past its limit runs again within the invocation, under the function timeout, then times out', async () => {
    const log = capture();
    const p = pool('slow-init.handler', log, { initLimitMs: 200 }, BROKEN, 300);
    pools.push(p);
    const outcome = await p.invoke({}, { requestId: 'init-req', integrationTimeoutMs: 29_000 });
    expect(outcome).toEqual({
      kind: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: 'RequestId: init-req Error: Task timed out after 0.30 seconds',
      },
    });
    expect((log as unknown as Captured).reports[0]).toMatchObject({
      status: 'timeout',
      initDurationMs: expect.any(Number),
    });
    expect(p.size).toBe(0);
  });

  test('close() ends every environment; a later call fails instead of starting one', async () => {
    const p = pool('app.pid', capture());
    await p.invoke({}, { requestId: 'c', integrationTimeoutMs: 29_000 });
    expect(p.size).toBe(1);
    await p.close();
    expect(p.size).toBe(0);
    expect((await p.invoke({}, { requestId: 'd', integrationTimeoutMs: 29_000 })).kind).toBe('error');
  });
});
