import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { ApiGatewayOptions } from '../config/types.js';
import { type Command, DEFAULT_GRACE_PERIOD_SECONDS } from './parse-command.js';
import { onStopSignals } from './stop-signals.js';

type ServeCommand = Extract<Command, { name: 'serve' }>;

// What the primary tells a worker through cluster's IPC channel, and the worker's own place.
const DRAIN_MESSAGE = 'apigw-express:drain';
const WORKER_INDEX = 'APIGW_EXPRESS_WORKER_INDEX';
const WORKER_COUNT = 'APIGW_EXPRESS_WORKERS';

// A worker that dies is started again after 100 ms, doubling per quick death up to 10 s;
// one that ran a minute before dying starts the count afresh.
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 10_000;
const HEALTHY_RUN_MS = 60_000;
// After the grace period, workers get this long to close stores and exit before SIGKILL.
const EXIT_MARGIN_MS = 5_000;

interface Slot {
  index: number;
  worker?: Worker;
  startedAt: number;
  quickDeaths: number;
  /** This slot has served once: a death afterwards is restarted, one before it stops everything. */
  listened: boolean;
  /** The current worker listens, so it has its drain listener. */
  serving: boolean;
  restart?: NodeJS.Timeout;
}

/** In a worker: which one it is, and whether it says what every worker would say (the first one's first start). */
export function workerRole(): { index: number; count: number; announce: boolean } | undefined {
  if (!cluster.isWorker) return undefined;
  const index = Number(process.env[WORKER_INDEX] ?? 0);
  const count = Number(process.env[WORKER_COUNT] ?? 1);
  return { index, count, announce: index === 0 && cluster.worker?.id === 1 };
}

/** In a worker: `stop` when the primary asks it to drain or is gone. Returns the remover. */
export function onPrimaryStop(stop: (reason: string) => void): () => void {
  if (!cluster.isWorker) return () => undefined;
  const message = (value: unknown) => {
    if (value === DRAIN_MESSAGE) stop('drain requested by the primary');
  };
  const gone = () => stop('the primary process is gone');
  process.on('message', message);
  process.once('disconnect', gone);
  return () => {
    process.off('message', message);
    process.off('disconnect', gone);
  };
}

/**
 * Usage plans and stage throttles counted by the default memory store: each worker counts its
 * own, so N workers let through up to N times the rates and quotas. `store.redis` shares them.
 */
export function metersInMemory(options: ApiGatewayOptions): boolean {
  const store = options.store as Record<string, unknown> | undefined;
  const inMemory =
    store === undefined || (typeof store.takeToken !== 'function' && store.redis === undefined);
  if (!inMemory) return false;
  const plans = (options.usagePlans ?? []).some(
    (plan) => plan.throttle !== undefined || plan.quota !== undefined || plan.methodThrottle !== undefined,
  );
  const throttles = (options.methodSettings ?? []).some(
    (setting) => setting.throttlingRateLimit !== undefined || setting.throttlingBurstLimit !== undefined,
  );
  return plans || throttles;
}

/** The warning a worker gives when `metersInMemory`. */
export function memoryMeterWarning(count: number): string {
  return `apigw-express: --workers ${count}: usage plans and throttles are counted in memory, per worker, so the ${count} workers together let through up to ${count} times each rate, burst and quota; serve an options module with store: { redis: … } to count them once for all`;
}

/** `--workers auto`: what the machine (or the container's CPU share) can run at once. */
export function workerCount(workers: number | 'auto'): number {
  return workers === 'auto' ? os.availableParallelism() : workers;
}

/**
 * The primary of `serve --workers N`: forks N workers that each run `serve` on the same port
 * (node:cluster shares the listening socket), starts again a worker that dies, and on SIGTERM or
 * SIGINT has every worker drain, resolving 0 once all have exited. A worker that dies before it
 * ever listened means the API cannot be served: the others are stopped and the primary resolves 1.
 */
export function serveWorkers(command: ServeCommand): Promise<number> {
  const count = workerCount(command.workers ?? 1);
  const gracePeriod = command.gracePeriod ?? DEFAULT_GRACE_PERIOD_SECONDS;
  const slots: Slot[] = [];
  let stopping = false;
  let failed = false;
  let listening = 0;
  let killTimer: NodeJS.Timeout | undefined;
  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (!slots.every((slot) => slot.worker === undefined)) return;
      clearTimeout(killTimer);
      removeSignals();
      resolve(failed ? 1 : 0);
    };
    const stopAll = () => {
      stopping = true;
      for (const slot of slots) {
        clearTimeout(slot.restart);
        // One still starting serves nothing yet and has no listener: SIGTERM's default ends it.
        if (slot.serving && slot.worker?.isConnected()) slot.worker.send(DRAIN_MESSAGE);
        else slot.worker?.process.kill('SIGTERM');
      }
      // A worker that outlives its grace period and margin is killed, so the primary always ends.
      killTimer = setTimeout(
        () => {
          for (const slot of slots) {
            if (slot.worker === undefined) continue;
            failed = true;
            slot.worker.process.kill('SIGKILL');
          }
        },
        gracePeriod * 1000 + EXIT_MARGIN_MS,
      );
      finishIfDone();
    };
    const fork = (slot: Slot) => {
      slot.startedAt = Date.now();
      const worker = cluster.fork({ [WORKER_INDEX]: String(slot.index), [WORKER_COUNT]: String(count) });
      slot.worker = worker;
      slot.serving = false;
      worker.once('listening', () => {
        slot.serving = true;
        if (slot.listened) {
          process.stdout.write(
            `apigw-express: worker ${slot.index} serving again (pid ${worker.process.pid})\n`,
          );
          return;
        }
        slot.listened = true;
        if (++listening === count) {
          process.stdout.write(`apigw-express: ${count} workers listening (primary pid ${process.pid})\n`);
        }
      });
      worker.once('exit', (code, signal) => {
        slot.worker = undefined;
        slot.serving = false;
        if (stopping) return finishIfDone();
        const how = signal !== null ? `signal ${signal}` : `code ${code}`;
        if (!slot.listened) {
          // The same API fails the same way in every worker: restarting would only loop.
          process.stderr.write(
            `apigw-express: worker ${slot.index} exited (${how}) before serving; stopping\n`,
          );
          failed = true;
          return stopAll();
        }
        const ran = Date.now() - slot.startedAt;
        slot.quickDeaths = ran >= HEALTHY_RUN_MS ? 0 : slot.quickDeaths + 1;
        const delay = Math.min(FIRST_BACKOFF_MS * 2 ** Math.max(slot.quickDeaths - 1, 0), MAX_BACKOFF_MS);
        process.stderr.write(
          `apigw-express: worker ${slot.index} exited (${how}); starting it again in ${delay} ms\n`,
        );
        slot.restart = setTimeout(() => {
          slot.restart = undefined;
          if (!stopping) fork(slot);
        }, delay);
      });
    };
    const removeSignals = onStopSignals(
      (signal) => {
        process.stdout.write(
          `apigw-express: ${signal}: draining ${count} workers (up to ${gracePeriod} s); a second signal stops at once\n`,
        );
        stopAll();
      },
      () => {
        for (const slot of slots) slot.worker?.process.kill('SIGKILL');
      },
    );
    for (let index = 0; index < count; index++) {
      const slot: Slot = { index, startedAt: 0, quickDeaths: 0, listened: false, serving: false };
      slots.push(slot);
      fork(slot);
    }
  });
}
