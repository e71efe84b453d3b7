import path from 'node:path';
import { Worker } from 'node:worker_threads';

// Random client strings (astral characters, lone surrogates, regex and JSONPath syntax) and JSON
// numbers (beyond 2^53, beyond Long, 1e400, 3.0) through every template method a client can
// reach: each render returns text or a TemplateRenderError (a 500), never anything else, and the
// whole run ends. It runs in a worker, which the watchdog stops if a render hangs.
const WATCHDOG_MS = 90_000;

function fuzz(numRuns: number, seed: number): Promise<{ renders: number; failures: unknown[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'template-fuzz.worker.js'), {
      workerData: { numRuns, seed },
    });
    const watchdog = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`a render did not return within ${WATCHDOG_MS} ms (hang)`));
    }, WATCHDOG_MS);
    worker.once('message', (result) => {
      clearTimeout(watchdog);
      void worker.terminate();
      resolve(result);
    });
    worker.once('error', (error) => {
      clearTimeout(watchdog);
      reject(error);
    });
  });
}

describe('template fuzzing', () => {
  it('every template method ends every random client input with text or a render error', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const { renders, failures } = await fuzz(1500, seed);
    expect({ seed, failures }).toEqual({ seed, failures: [] });
    expect(renders).toBeGreaterThanOrEqual(1500);
  }, 120_000);
});
