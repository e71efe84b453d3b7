import os from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `stop` on the first SIGINT or SIGTERM; on a second one, `beforeExit` then an immediate exit with
 * 128 + the signal's number (130, 143), the status a shell gives a process a signal ended.
 * Returns the remover.
 */
export function onStopSignals(
  stop: (signal: NodeJS.Signals) => void,
  beforeExit: () => void = () => undefined,
): () => void {
  let stopped = false;
  const listener = (signal: NodeJS.Signals) => {
    if (stopped) {
      process.stderr.write(`apigw-express: ${signal} again: stopping at once\n`);
      beforeExit();
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    }
    stopped = true;
    stop(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, listener);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, listener);
  };
}
