import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The CLI runs from its TypeScript source (tsx's require hook), so the tests need no build.
const CLI = path.join(__dirname, '../../src/cli.ts');
const TSX = require.resolve('tsx/cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const { PORT: _port, ...inherited } = process.env;
  return spawn(process.execPath, ['-r', TSX, CLI, ...args], {
    cwd,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a command to its end. */
export function runCli(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawnCli(args, cwd, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `serve` running on a free port, until `stop()`. */
export interface CliServer {
  url: string;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr as they came. */
  output(): string;
  /** Resolves once the output has a line matching `pattern` (searched from `output()[from]` on). */
  waitFor(pattern: RegExp, from?: number, ms?: number): Promise<void>;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** Resolves with the exit code (or the signal's name) once the process has ended, however it ends. */
  exited: Promise<number | string | null>;
  /** SIGKILL unless it has already ended: for afterAll, so no process outlives its test file. */
  kill(): void;
}

export async function serveCli(
  args: string[],
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = {},
): Promise<CliServer> {
  const child = spawnCli(['serve', ...args, '--port', '0'], cwd, env);
  let out = '';
  let err = '';
  let both = '';
  const waiters: (() => void)[] = [];
  const changed = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  child.stdout?.on('data', (chunk) => {
    out += chunk;
    both += chunk;
    changed();
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
    both += chunk;
    changed();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  // Gives up after `ms`, so a test that fails still reaches its `stop()`.
  const waitFor = async (pattern: RegExp, from = 0, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!pattern.test(both.slice(from))) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the CLI exited (${child.exitCode ?? child.signalCode}): ${err}`);
      }
      if (Date.now() > deadline) throw new Error(`no ${pattern} from the CLI in ${ms} ms: ${out}${err}`);
      const tick = new Promise<void>((resolve) => setTimeout(resolve, 200).unref());
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited, tick]);
    }
  };
  try {
    await waitFor(/ on http:\/\/\S+/);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const url = (/ on (http:\/\/\S+)/.exec(out) as RegExpExecArray)[1];
  return {
    url,
    pid: child.pid as number,
    stdout: () => out,
    stderr: () => err,
    output: () => both,
    waitFor,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal))),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** A scratch folder with the given files, removed by the returned function. */
export function scratchFolder(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
