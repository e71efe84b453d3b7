import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const PARENT = path.join(__dirname, 'fixtures', 'isolated', 'orphan-parent.ts');
const TSX = pathToFileURL(createRequire(__filename).resolve('tsx')).href;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('an execution environment ends when the gateway process dies (no orphans)', async () => {
  const parent = spawn(process.execPath, ['--import', TSX, PARENT], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  parent.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const signal = await new Promise((resolve) => parent.once('exit', (_code, sig) => resolve(sig)));
  expect(signal).toBe('SIGKILL');
  const pid = Number(err.trim().split('\n').pop());
  expect(pid).toBeGreaterThan(0);
  expect(pid).not.toBe(parent.pid);
  // The environment sees its IPC channel close and exits; give it a moment to be reaped.
  for (let i = 0; i < 50 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(isRunning(pid)).toBe(false);
}, 20_000);
