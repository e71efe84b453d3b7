import path from 'node:path';
import { type CliServer, runCli, serveCli } from '../support/cli-process.js';

// What broke when public HTTP API apps (serverless-patterns, serverless/examples…) were served as a
// newcomer would, each reduced to a small fixture. Every test starts a CLI process: seconds each.
jest.setTimeout(30_000);

const APPS = path.join(__dirname, '../fixtures/definitions/http-api/apps');

/** serve's outcome: its startup error, or the server (stopped by the caller). */
async function start(args: string[]): Promise<{ error: string } | { server: CliServer }> {
  try {
    return { server: await serveCli(args, APPS) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('public HTTP API apps under apigw-express serve', () => {
  it('stops before listening when an HTTP API function cannot load, as for a REST API', async () => {
    const outcome = await start(['missing-dependency/template.yaml', '--quiet']);
    if ('server' in outcome) {
      outcome.server.kill();
      throw new Error('serve listened with a function whose module cannot load');
    }
    expect(outcome.error).toContain('the CLI exited (1)');
    expect(outcome.error).toContain(
      `missing-dependency/template.yaml: a function cannot load:\n  functions["MetricsFunction"] (Handler src/app.handler, file ${path.join(APPS, 'missing-dependency/src/app.js')}): Runtime.ImportModuleError: Error: Cannot find module 'apigw-express-fixture-not-installed'`,
    );
  });

  it('runs each HTTP API function with its own environment variables (isolation: process)', async () => {
    const outcome = await start(['per-function-environment/template.yaml', '--quiet']);
    if ('error' in outcome) throw new Error(outcome.error);
    const { server } = outcome;
    try {
      const users = await fetch(`${server.url}users`);
      const orders = await fetch(`${server.url}orders`);
      expect([users.status, await users.json()]).toEqual([200, { table: 'users' }]);
      expect([orders.status, await orders.json()]).toEqual([200, { table: 'orders' }]);
    } finally {
      server.kill();
    }
  });

  it('--isolation none keeps HTTP API functions in serve’s process, their variables shared', async () => {
    const outcome = await start(['per-function-environment/template.yaml', '--quiet', '--isolation', 'none']);
    if ('server' in outcome) {
      outcome.server.kill();
      throw new Error('two values for one variable were served from one process.env');
    }
    expect(outcome.error).toContain(
      'functions["OrdersFunction"].environment.TABLE_NAME: conflicts with functions["UsersFunction"]',
    );
  });
});
