/**
 * The entry point of an execution environment: a process of its own (see `environment.ts`) that
 * loads one function's module once (the Init phase) and runs its invocations one at a time, as
 * the Lambda Node.js runtime does in its sandbox. Talks to the gateway over the IPC channel only.
 */
import util from 'node:util';
import type { FunctionLogLevel } from '../../config/log-levels.js';
import type { LambdaFunction } from '../context.js';
import { toFormatted } from '../format-error.js';
import { invoke, type LambdaErrorPayload, toErrorPayload } from '../invoke.js';
import { moduleHandler, syntaxErrorLocation } from '../load-handler.js';
import type { EnvironmentFunction, FromEnvironment, ToEnvironment } from './protocol.js';

const send = (message: FromEnvironment, done?: () => void): void => {
  if (process.connected) process.send?.(message, undefined, undefined, done);
  else done?.();
};

// The gateway gone (ended, crashed, killed): so is its environment, never an orphan.
process.on('disconnect', () => process.exit(0));

/** The request in flight: console lines carry its id, as the runtime's LogPatch does. */
let current: string | undefined;

// LogPatch.js: every console method writes one log line at its level.
const LEVELS: [keyof Console, FunctionLogLevel][] = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
];
for (const [method, level] of LEVELS) {
  (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    send({ type: 'log', level, message: util.format(...args), requestId: current, time: Date.now() });
  };
}
(console as unknown as Record<string, unknown>).fatal = (...args: unknown[]) => {
  send({ type: 'log', level: 'FATAL', message: util.format(...args), requestId: current, time: Date.now() });
};

// The runtime's own class (aws-lambda-nodejs-runtime-interface-client src/Errors.js).
class UnhandledPromiseRejection extends Error {
  constructor(
    readonly reason: unknown,
    readonly promise: Promise<unknown>,
  ) {
    super(String(reason));
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

/**
 * As the runtime's index.js: the error is logged, posted as the error of the invocation in
 * flight, and the process exits (129 for an uncaught exception, 128 for an unhandled rejection);
 * Lambda then starts a new environment for the next call. The invocation's error keeps the
 * thrown error's own type (`TypeError`), a rejection's is `Runtime.UnhandledPromiseRejection`.
 */
function crash(label: string, error: unknown, code: number): void {
  console.error(label, toFormatted(error instanceof Error ? error : new Error(String(error))));
  send({ type: 'crash', requestId: current, error: toErrorPayload(error) }, () => process.exit(code));
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason, promise) =>
  crash('Unhandled Promise Rejection', new UnhandledPromiseRejection(reason, promise), 128),
);

let fn: LambdaFunction | undefined;

function maxMemoryUsedMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

async function init(spec: EnvironmentFunction): Promise<void> {
  const handler = moduleHandler(spec.handler, spec.codeRoot, spec.name);
  await handler.init();
  const logStream = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
  fn = {
    name: spec.name,
    version: spec.version,
    timeoutMs: spec.timeoutMs,
    memoryLimitInMB: spec.memoryLimitInMB,
    invokedFunctionArn: spec.invokedFunctionArn,
    logGroupName: spec.logGroupName,
    handler(event, context, callback) {
      // The context names the stream the gateway gave this environment.
      if (logStream !== undefined) Object.assign(context, { logStreamName: logStream });
      return handler(event, context, callback);
    },
  };
}

async function run(message: Extract<ToEnvironment, { type: 'invoke' }>): Promise<void> {
  const base = fn as LambdaFunction;
  current = message.requestId;
  // The deadline is the gateway's: it ends this process when it passes, so no timeout is raced here.
  const timeoutMs = Math.max(0, message.deadlineMs - Date.now());
  // The function itself unless its time was cut (an Init run again within the invocation): a
  // copy per call would cost an allocation and a log stream name each time.
  const target = base.timeoutMs - timeoutMs < 5 ? base : { ...base, timeoutMs };
  const outcome = await invoke(target, message.event, {
    requestId: message.requestId,
    integrationTimeoutMs: Number.MAX_SAFE_INTEGER,
  });
  if (outcome.kind !== 'result' && outcome.kind !== 'error') return;
  const memory = maxMemoryUsedMB();
  if (outcome.kind === 'error') {
    send({ type: 'error', requestId: message.requestId, error: outcome.error, maxMemoryUsedMB: memory });
    return;
  }
  let payload: string | undefined;
  try {
    // The runtime's serialisation of the result, byte for byte.
    payload = JSON.stringify(outcome.value === undefined ? null : outcome.value);
  } catch (error) {
    const failure: LambdaErrorPayload = {
      errorType: 'Runtime.UnmarshalError',
      errorMessage: `Unable to stringify response body: ${(error as Error)?.message ?? String(error)}`,
    };
    send({ type: 'error', requestId: message.requestId, error: failure, maxMemoryUsedMB: memory });
    return;
  }
  send({ type: 'result', requestId: message.requestId, payload, maxMemoryUsedMB: memory });
}

process.on('message', (message: ToEnvironment) => {
  if (message.type === 'init') {
    init(message.fn).then(
      () => send({ type: 'ready' }),
      (error: unknown) => {
        // A failed Init: reported, and the environment ends (the next call starts a new one).
        console.error(
          'Uncaught Exception',
          toFormatted(error instanceof Error ? error : new Error(String(error))),
        );
        const location = syntaxErrorLocation(error);
        send({ type: 'init-error', error: toErrorPayload(error), location }, () => process.exit(129));
      },
    );
  } else if (message.type === 'invoke') {
    run(message).catch((error: unknown) => crash('Uncaught Exception', error, 129));
  }
});
