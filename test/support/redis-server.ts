import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway redis-server: no persistence, its own temp dir and free port; can stop and restart. */
export interface TestRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

const BINARY = 'redis-server';

/**
 * The Redis the tests use: `APIGW_TEST_REDIS_URL` when set, else a redis-server of our own.
 * Fails (never skips) without one: CI installs redis-server.
 */
export async function testRedis(): Promise<TestRedis> {
  const url = process.env.APIGW_TEST_REDIS_URL;
  if (url) return { url, stop: unsupported, start: unsupported, close: async () => undefined };
  return startRedisServer();
}

/** Always a redis-server of our own, for tests that stop and restart it. */
export async function startRedisServer(): Promise<TestRedis> {
  requireBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'apigw-redis-'));
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await waitForReady(server);
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  const close = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop, close };
}

function requireBinary(): void {
  try {
    execFileSync(BINARY, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'redis-server was not found on PATH: the Redis usage-store tests need it. Install it ' +
        '(apt-get install -y redis-server, brew install redis) or set APIGW_TEST_REDIS_URL=redis://host:port',
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function waitForReady(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        server.stdout?.off('data', onData);
        server.stdout?.resume();
        resolve();
      }
    };
    server.stdout?.on('data', onData);
    server.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.once('exit', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

async function unsupported(): Promise<void> {
  throw new Error('this test starts its own redis-server: unset APIGW_TEST_REDIS_URL');
}
