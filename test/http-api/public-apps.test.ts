import http from 'node:http';
import path from 'node:path';
import { httpApi } from '../../src/index.js';
import { type CliServer, runCli, serveCli } from '../support/cli-process.js';

// What broke when public HTTP API apps (serverless-patterns, serverless/examples…) were served as a
// newcomer would, each reduced to a small fixture. Every test starts a CLI process: seconds each.
jest.setTimeout(30_000);

const APPS = path.join(__dirname, '../fixtures/definitions/http-api/apps');

/** GET with a Host header of our choosing (fetch sets its own). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode as number, body }));
      })
      .on('error', reject);
  });
}

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

  it.each([
    ['a SAM template with an Api and an HttpApi event', 'mixed/template.yaml'],
    ['a serverless.yml with http and httpApi events', 'mixed-serverless/serverless.yml'],
    ['a custom domain and API mapping to an HTTP API', 'custom-domain/template.yaml'],
  ])('names nothing as left out that it serves: %s', async (_what, file) => {
    const result = await runCli(['routes', file], APPS);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/HTTP API \S+: AWS_PROXY/);
    expect(result.stderr).toBe('');
  });

  it('serves the HTTP API behind its custom domain, the domain not "left out"', async () => {
    const outcome = await start(['custom-domain/template.yaml']);
    if ('error' in outcome) throw new Error(outcome.error);
    const { server } = outcome;
    try {
      expect(await getWithHost(`${server.url}users`, 'api.example.com')).toEqual({ status: 200, body: '{}' });
      // DisableExecuteApiEndpoint: its own URL refuses.
      expect((await fetch(`${server.url}users`)).status).toBe(403);
      expect(server.stderr()).toBe('');
    } finally {
      server.kill();
    }
  });

  it('export of a mixed definition says that --http-api writes its HTTP API', async () => {
    const result = await runCli(['export', 'mixed/template.yaml'], APPS);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).paths).toHaveProperty(['/rest']);
    expect(result.stderr).toBe(
      'apigw-express: export: writes the REST API; --http-api writes the HTTP API (Api)\n',
    );
  });

  it('invoke --http-api runs the request through a mixed definition’s HTTP API, not its REST API', async () => {
    const http = await runCli(
      ['invoke', 'mixed/template.yaml', '--path', '/http', '--http-api', '--json'],
      APPS,
    );
    expect(http.code).toBe(0);
    expect(JSON.parse(http.stdout)).toMatchObject({ status: 200, body: '{"version":"2.0"}' });
    const rest = await runCli(['invoke', 'mixed/template.yaml', '--path', '/rest', '--json'], APPS);
    expect(JSON.parse(rest.stdout)).toMatchObject({ status: 200, body: '{"version":"1.0 (REST)"}' });
  });

  it('invoke --http-api on a definition without an HTTP API names the flag', async () => {
    const result = await runCli(['invoke', 'rest-only/template.yaml', '--path', '/x', '--http-api'], APPS);
    expect([result.code, result.stderr]).toEqual([
      1,
      'apigw-express: rest-only/template.yaml: --http-api: the definition has no HTTP API\n',
    ]);
  });

  it('a startup error names the template, the resource and the field (SAM Auth, nested stack issuer)', async () => {
    const outcome = await start(['nested-stack-issuer/template.yaml']);
    if ('server' in outcome) {
      outcome.server.kill();
      throw new Error('served a JWT authorizer without its issuer');
    }
    expect(outcome.error).toContain(
      'apigw-express: nested-stack-issuer/template.yaml: Resources.AppApi.Properties.Auth.Authorizers.OAuth2Authorizer: authorizers["OAuth2Authorizer"].issuer: an https URL (http only on localhost) (got "AuthStack.Outputs.Issuer")\n',
    );
  });

  it('a startup error names the integration resource of a cdk synth route (invoke)', async () => {
    const result = await runCli(['invoke', 'cdk-timeout/template.json', '--path', '/report'], APPS);
    expect([result.code, result.stderr]).toEqual([
      1,
      'apigw-express: cdk-timeout/template.json: Resources.SlowIntegration.Properties: routes["GET /report"].integration.timeoutInMillis: an integer from 50 to 30000 (got 60000)\n',
    ]);
  });
});

describe('HTTP API functions run in their code root, as on Lambda', () => {
  it.each([['process'], ['none']])(
    '--isolation %s: a file read by relative path is found',
    async (isolation) => {
      const outcome = await start(['relative-file/template.yaml', '--quiet', '--isolation', isolation]);
      if ('error' in outcome) throw new Error(outcome.error);
      const { server } = outcome;
      try {
        const res = await fetch(`${server.url}config`);
        expect([res.status, await res.json()]).toEqual([200, { feature: 'on' }]);
      } finally {
        server.kill();
      }
    },
  );
});

describe('HTTP APIs that cannot be served (AWS service integrations)', () => {
  const REASON =
    'HTTP APIs not served: Resources.QueueApi.Properties.DefinitionBody: paths["/submit"].post.x-amazon-apigateway-integration: type aws_proxy SQS-SendMessage (only aws_proxy to a Lambda function), route left out; QueueApi: an HTTP API without routes';

  it('nothing else to serve: the error says why the HTTP API is not served', async () => {
    const result = await runCli(['routes', 'sqs-integration/template.yaml'], APPS);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing to serve: no REST API in it');
    expect(result.stderr).toContain(`; ${REASON}\n`);
  });

  it('beside a REST API: a warning says why, the REST API is served', async () => {
    const result = await runCli(['routes', 'sqs-beside-rest/template.yaml'], APPS);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/GET\s+\/rest\s+AWS_PROXY RestFunction/);
    expect(result.stderr).toContain(`apigw-express: template: ${REASON}\n`);
  });
});

describe('httpApi({ serverless }) startup errors', () => {
  it('name the serverless.yml field, not the option it became', async () => {
    const api = httpApi({ serverless: path.join(APPS, 'serverless-http-issuer/serverless.yml') });
    await expect(api.ready).rejects.toThrow(
      'provider.httpApi.authorizers.users: authorizers["users"].issuer: an https URL (http only on localhost) (got "http://auth.example.com")',
    );
    await api.close();
  });

  it('keep the option’s name for what is given beside the definition', async () => {
    const api = httpApi({
      serverless: path.join(APPS, 'serverless-http-issuer/serverless.yml'),
      authorizers: { users: { type: 'JWT', issuer: 'ftp://elsewhere', audience: ['client'] } },
    });
    await expect(api.ready).rejects.toThrow(/^authorizers\["users"\]\.issuer: an https URL/);
    await api.close();
  });
});
