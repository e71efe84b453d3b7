import fc from 'fast-check';
import {
  billedDuration,
  createFunctionLog,
  type FunctionLogFormat,
  formatJsonMessage,
  formatTextLine,
} from '../../src/lambda/function-log.js';

const REQUEST_ID = 'c793869b-ee49-115b-a5b6-4fd21e8dedac';
const TIME = new Date('2019-06-07T19:11:20.562Z');
const FN = {
  version: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:825765399535:function:tenner-notifier',
};

function record(format: FunctionLogFormat = {}) {
  const lines: { line: string; json?: boolean }[] = [];
  const log = createFunctionLog(FN, (line, json) => lines.push({ line, json }), format);
  return { log, lines, text: () => lines.map((l) => l.line) };
}

describe('the Text format, as the Node.js runtime and the platform write it', () => {
  // Lambda developer guide, "Log and monitor Node.js Lambda functions": the example log.
  it('writes a console line as {time}\\t{requestId}\\t{LEVEL}\\t{message}', () => {
    const { log, text } = record();
    log.writeValues('INFO', ['ENVIRONMENT VARIABLES\n%s', '{"a":1}'], REQUEST_ID, TIME);
    expect(text()).toEqual([`2019-06-07T19:11:20.562Z\t${REQUEST_ID}\tINFO\tENVIRONMENT VARIABLES\n{"a":1}`]);
  });

  it('prints undefined for the request id of a line written during Init, as the runtime does', () => {
    expect(formatTextLine('WARN', 'loading', undefined, TIME)).toBe(
      '2019-06-07T19:11:20.562Z\tundefined\tWARN\tloading',
    );
  });

  it('formats the arguments as console does (util.format)', () => {
    const { log, text } = record();
    log.writeValues('ERROR', ['%d items', 3, { a: [1] }], REQUEST_ID, TIME);
    expect(text()).toEqual([`2019-06-07T19:11:20.562Z\t${REQUEST_ID}\tERROR\t3 items { a: [ 1 ] }`]);
  });

  it('writes START, END and REPORT with Init Duration on a cold start, Billed Duration including it', () => {
    const { log, text } = record();
    log.start(REQUEST_ID);
    log.end({
      requestId: REQUEST_ID,
      durationMs: 170.19,
      memorySizeMB: 128,
      maxMemoryUsedMB: 74,
      initDurationMs: 5.45,
    });
    expect(text()).toEqual([
      `START RequestId: ${REQUEST_ID} Version: $LATEST`,
      `END RequestId: ${REQUEST_ID}`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 170.19 ms\tBilled Duration: 176 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 5.45 ms\t`,
    ]);
  });

  it('leaves Init Duration out of a warm REPORT and bills whole milliseconds, rounded up', () => {
    const { log, text } = record();
    log.end({ requestId: REQUEST_ID, durationMs: 2.004, memorySizeMB: 512, maxMemoryUsedMB: 90 });
    expect(text()[1]).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 2.00 ms\tBilled Duration: 3 ms\tMemory Size: 512 MB\tMax Memory Used: 90 MB\t`,
    );
  });

  it('says a timeout in a Task timed out line and the REPORT status', () => {
    const { log, text } = record();
    const end = new Date('2024-03-15T10:00:03.050Z');
    log.end(
      {
        requestId: REQUEST_ID,
        durationMs: 3000,
        memorySizeMB: 128,
        maxMemoryUsedMB: 80,
        status: 'timeout',
        timeoutMs: 3000,
      },
      end,
    );
    expect(text()).toEqual([
      `2024-03-15T10:00:03.050Z ${REQUEST_ID} Task timed out after 3.00 seconds`,
      `END RequestId: ${REQUEST_ID}`,
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 80 MB\tStatus: timeout\t`,
    ]);
  });

  it('names a failed environment in the REPORT status and error type; a function error adds nothing', () => {
    const { log, text } = record();
    const base = { requestId: REQUEST_ID, durationMs: 1615.69, memorySizeMB: 128, maxMemoryUsedMB: 128 };
    log.end({ ...base, status: 'error', errorType: 'Runtime.OutOfMemory' });
    log.end({ ...base, status: 'failure', errorType: 'Error' });
    expect(text()[1]).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1615.69 ms\tBilled Duration: 1616 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t`,
    );
    expect(text()[3]).toBe(
      `REPORT RequestId: ${REQUEST_ID}\tDuration: 1615.69 ms\tBilled Duration: 1616 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t`,
    );
  });

  it("writes the runtime's error lines as `{label} \\t{error as JSON}`, a non-Error wrapped in one", () => {
    const { log, text } = record();
    const error = Object.assign(new Error('boom'), { code: 'E_BOOM' });
    error.stack = 'Error: boom\n    at handler (/var/task/index.js:1:1)';
    log.logError('Invoke Error', error, REQUEST_ID, TIME);
    log.logError('Invoke Error', 'handled', REQUEST_ID, TIME);
    expect(text()[0]).toBe(
      `2019-06-07T19:11:20.562Z\t${REQUEST_ID}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"boom","code":"E_BOOM","stack":["Error: boom","    at handler (/var/task/index.js:1:1)"]}`,
    );
    expect(text()[1]).toMatch(
      new RegExp(
        `^2019-06-07T19:11:20.562Z\\t${REQUEST_ID}\\tERROR\\tInvoke Error \\t\\{"errorType":"Error","errorMessage":"handled","stack":\\["Error: handled",`,
      ),
    );
  });

  it('keeps every level: Lambda filters levels in the JSON format only', () => {
    const { log, text } = record();
    for (const level of ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const) {
      log.write(level, level.toLowerCase(), REQUEST_ID, TIME);
    }
    expect(text().map((line) => line.split('\t')[2])).toEqual([
      'TRACE',
      'DEBUG',
      'INFO',
      'WARN',
      'ERROR',
      'FATAL',
    ]);
  });
});

describe('the JSON format (LoggingConfig LogFormat JSON)', () => {
  const json = (format: FunctionLogFormat = {}) => {
    const r = record({ logFormat: 'JSON', ...format });
    return { ...r, parsed: () => r.lines.map((l) => JSON.parse(l.line)) };
  };

  // Lambda developer guide, Node.js logging: "console.log('My log message')" with JSON format.
  it('writes a string message as {timestamp, level, requestId, message}', () => {
    const { log, lines } = json();
    log.writeValues('INFO', ['My log message'], REQUEST_ID, TIME);
    expect(lines).toEqual([
      {
        line: `{"timestamp":"2019-06-07T19:11:20.562Z","level":"INFO","requestId":"${REQUEST_ID}","message":"My log message"}`,
        json: true,
      },
    ]);
  });

  it('keeps one object argument as an object', () => {
    const { log, parsed } = json();
    log.writeValues('INFO', [{ msg: 'My log message', count: 2 }], REQUEST_ID, TIME);
    expect(parsed()[0].message).toEqual({ msg: 'My log message', count: 2 });
  });

  it('serialises an Error alone as {errorType, errorMessage, stackTrace, …its own fields}', () => {
    const error = Object.assign(new TypeError('bad input'), { field: 'name' });
    error.stack = 'TypeError: bad input\n    at handler (/var/task/index.mjs:6:11)';
    expect(JSON.parse(formatJsonMessage('ERROR', [error], REQUEST_ID, TIME))).toEqual({
      timestamp: '2019-06-07T19:11:20.562Z',
      level: 'ERROR',
      requestId: REQUEST_ID,
      message: {
        errorType: 'TypeError',
        errorMessage: 'bad input',
        stackTrace: ['TypeError: bad input', '    at handler (/var/task/index.mjs:6:11)'],
        field: 'name',
      },
    });
  });

  // Node.js logging guide: console.error("This is an error", new Error("An error occurred")).
  it('formats several arguments and adds the first Error among them', () => {
    const error = new Error('An error occurred');
    error.stack = 'Error: An error occurred\n    at Runtime.handler (file:///var/task/index.mjs:6:11)';
    expect(JSON.parse(formatJsonMessage('ERROR', ['This is an error', error], REQUEST_ID, TIME))).toEqual({
      timestamp: '2019-06-07T19:11:20.562Z',
      level: 'ERROR',
      requestId: REQUEST_ID,
      message:
        'This is an error Error: An error occurred\n    at Runtime.handler (file:///var/task/index.mjs:6:11)',
      errorType: 'Error',
      errorMessage: 'An error occurred',
      stackTrace: ['Error: An error occurred', '    at Runtime.handler (file:///var/task/index.mjs:6:11)'],
    });
  });

  it('leaves requestId out during Init and formats what JSON cannot hold', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const line = JSON.parse(formatJsonMessage('INFO', [cycle], undefined, TIME));
    expect(line).toEqual({
      timestamp: '2019-06-07T19:11:20.562Z',
      level: 'INFO',
      message: "<ref *1> { name: 'loop', self: [Circular *1] }",
    });
    expect(JSON.parse(formatJsonMessage('INFO', [10n], REQUEST_ID, TIME)).message).toBe('10n');
  });

  it('logs a runtime error with the error as the message, its label dropped', () => {
    const { log, parsed } = json();
    const error = new Error('late');
    error.stack = 'Error: late';
    log.logError('Uncaught Exception', error, REQUEST_ID, TIME);
    expect(parsed()).toEqual([
      {
        timestamp: '2019-06-07T19:11:20.562Z',
        level: 'ERROR',
        requestId: REQUEST_ID,
        message: { errorType: 'Error', errorMessage: 'late', stackTrace: ['Error: late'] },
      },
    ]);
  });

  // Recorded CloudWatch JSON log (nodejs22.x, 2026): platform.start and a cold platform.report.
  it('writes platform.start and platform.report as the Telemetry API records them', () => {
    const { log, lines } = json();
    const requestId = '79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36';
    log.start(requestId, new Date('2026-10-08T07:30:28.235Z'));
    log.end(
      { requestId, durationMs: 1233.96, memorySizeMB: 256, maxMemoryUsedMB: 123, initDurationMs: 463.512 },
      new Date('2026-10-08T07:30:29.470Z'),
    );
    expect(lines.map((l) => l.line)).toEqual([
      '{"time":"2026-10-08T07:30:28.235Z","type":"platform.start","record":{"requestId":"79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36","functionArn":"arn:aws:lambda:eu-central-1:825765399535:function:tenner-notifier","version":"$LATEST"}}',
      '{"time":"2026-10-08T07:30:29.470Z","type":"platform.report","record":{"requestId":"79b5e81f-9cdd-4145-b1f6-7c50ef8a2a36","metrics":{"durationMs":1233.96,"billedDurationMs":1698,"memorySizeMB":256,"maxMemoryUsedMB":123,"initDurationMs":463.512},"status":"success"}}',
    ]);
  });

  it('gives a warm report three decimals and no initDurationMs; a timeout its status', () => {
    const { log, parsed } = json();
    log.end({ requestId: REQUEST_ID, durationMs: 1072.1449, memorySizeMB: 256, maxMemoryUsedMB: 125 }, TIME);
    log.end(
      {
        requestId: REQUEST_ID,
        durationMs: 3000,
        memorySizeMB: 256,
        maxMemoryUsedMB: 125,
        status: 'timeout',
        timeoutMs: 3000,
      },
      TIME,
    );
    expect(parsed().map((p) => p.record)).toEqual([
      {
        requestId: REQUEST_ID,
        metrics: { durationMs: 1072.145, billedDurationMs: 1073, memorySizeMB: 256, maxMemoryUsedMB: 125 },
        status: 'success',
      },
      {
        requestId: REQUEST_ID,
        metrics: { durationMs: 3000, billedDurationMs: 3000, memorySizeMB: 256, maxMemoryUsedMB: 125 },
        status: 'timeout',
      },
    ]);
  });

  it('drops application lines below applicationLogLevel (default INFO); FATAL always passes', () => {
    const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
    const kept = (applicationLogLevel?: (typeof levels)[number]) => {
      const { log, parsed } = json({ applicationLogLevel });
      for (const level of levels) log.write(level, 'x', REQUEST_ID, TIME);
      return parsed().map((p) => p.level);
    };
    expect(kept()).toEqual(['INFO', 'WARN', 'ERROR', 'FATAL']);
    expect(kept('TRACE')).toEqual([...levels]);
    expect(kept('ERROR')).toEqual(['ERROR', 'FATAL']);
    expect(kept('FATAL')).toEqual(['FATAL']);
  });

  it('drops platform.start and platform.report at systemLogLevel WARN, keeps them at INFO and DEBUG', () => {
    for (const [systemLogLevel, count] of [
      ['WARN', 0],
      ['INFO', 2],
      ['DEBUG', 2],
    ] as const) {
      const { log, lines } = json({ systemLogLevel });
      log.start(REQUEST_ID, TIME);
      log.end({ requestId: REQUEST_ID, durationMs: 1, memorySizeMB: 128, maxMemoryUsedMB: 60 }, TIME);
      expect(lines).toHaveLength(count);
    }
  });

  it('passes a line formatted in another process through, filtered by its level', () => {
    const { log, lines } = json({ applicationLogLevel: 'WARN' });
    log.writeFormatted('INFO', formatJsonMessage('INFO', ['dropped'], REQUEST_ID, TIME));
    log.writeFormatted('ERROR', formatJsonMessage('ERROR', ['kept'], REQUEST_ID, TIME));
    expect(lines).toEqual([
      {
        line: `{"timestamp":"2019-06-07T19:11:20.562Z","level":"ERROR","requestId":"${REQUEST_ID}","message":"kept"}`,
        json: true,
      },
    ]);
    const text = record();
    text.log.writeFormatted('DEBUG', formatTextLine('DEBUG', 'as is', REQUEST_ID, TIME));
    expect(text.text()).toEqual([`2019-06-07T19:11:20.562Z\t${REQUEST_ID}\tDEBUG\tas is`]);
  });

  it('writes one JSON document per call, whatever the values', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 4 }), (values) => {
        const line = formatJsonMessage('INFO', values, REQUEST_ID, TIME);
        const parsed = JSON.parse(line);
        expect(parsed.level).toBe('INFO');
        expect(parsed.requestId).toBe(REQUEST_ID);
      }),
      { numRuns: 300 },
    );
  });
});

describe('billedDuration', () => {
  it('rounds up to a whole millisecond, at least 1, with the Init phase billed on a cold start', () => {
    expect(billedDuration(0.2)).toBe(1);
    expect(billedDuration(15.01)).toBe(16);
    expect(billedDuration(1233.96, 463.512)).toBe(1698);
  });
});
