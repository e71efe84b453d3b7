import path from 'node:path';
import { parseCommand } from '../../src/cli/parse-command.js';
import { runCli } from '../../src/cli/run-cli.js';
import { scratchFolder } from '../support/cli-process.js';

const scratch = scratchFolder({
  'api.js': `module.exports = {
  stageVariables: { color: 'red' },
  functions: {
    echo: async (event) => ({
      statusCode: event.queryStringParameters && event.queryStringParameters.fail ? 404 : 200,
      headers: { 'x-color': event.stageVariables.color },
      body: JSON.stringify({ path: event.path, query: event.multiValueQueryStringParameters, day: event.headers && event.headers.day, body: event.body }),
    }),
    deny: async () => { throw new Error('Unauthorized'); },
  },
  authorizers: { tokens: { type: 'TOKEN', function: 'deny' } },
  resources: {
    '/pets/{id}': { ANY: { integration: { type: 'AWS_PROXY', function: 'echo' } } },
    '/guarded': { GET: { authorizationType: 'CUSTOM', authorizer: 'tokens', integration: { type: 'AWS_PROXY', function: 'echo' } } },
  },
};`,
  'body.json': '{"name":"Rex"}',
  'broken.js': 'module.exports = { resources: { "/x": { GET: { integration: { type: "NOPE" } } } } };',
});
afterAll(() => scratch.remove());

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += chunk;
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += chunk;
    return true;
  });
  try {
    return { code: await runCli(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const api = path.join(scratch.dir, 'api.js');

describe('apigw-express invoke', () => {
  it('prints the status, latency, body, headers and the Test log', async () => {
    const { code, stdout } = await run([
      'invoke',
      api,
      '--method',
      'post',
      '--path',
      '/pets/1',
      '-H',
      'day: Wednesday',
      '--query',
      'a=1',
      '--query',
      'a=2',
      '--body',
      'hello',
    ]);
    expect(code).toBe(0);
    const [request, status, latency, bodyTitle, body, headersTitle, headers, logsTitle, ...log] =
      stdout.split('\n');
    expect([request, status, bodyTitle, headersTitle, logsTitle]).toEqual([
      'Request: /pets/1?a=1&a=2',
      'Status: 200',
      'Response body',
      'Response headers',
      'Logs',
    ]);
    expect(latency).toMatch(/^Latency: \d+ ms$/);
    expect(JSON.parse(body)).toEqual({
      path: '/pets/1',
      query: { a: ['1', '2'] },
      day: 'Wednesday',
      body: 'hello',
    });
    expect(JSON.parse(headers)).toMatchObject({ 'x-color': 'red' });
    expect(log[0]).toMatch(/^Execution log for request [0-9a-f-]{36}$/);
    expect(log).toContainEqual(expect.stringMatching(/ : HTTP Method: POST, Resource Path: \/pets\/1$/));
    expect(log).toContainEqual(expect.stringMatching(/ : Method request headers: \{day=Wednesday\}$/));
    expect(log).toContainEqual(expect.stringMatching(/ : Method completed with status: 200$/));
  });

  it('exits 0 for any HTTP status, prints JSON with --json, reads @file bodies and takes stage variables', async () => {
    const { code, stdout } = await run([
      'invoke',
      api,
      '--path',
      '/pets/2?fail=1',
      '--body',
      `@${path.join(scratch.dir, 'body.json')}`,
      '--stage-variable',
      'color=blue',
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 404, headers: { 'x-color': 'blue' } });
    expect(Object.keys(result).sort()).toEqual([
      'body',
      'headers',
      'latency',
      'log',
      'multiValueHeaders',
      'status',
    ]);
    expect(JSON.parse(result.body).body).toBe('{"name":"Rex"}');
    expect(result.log).toContain(' : Method completed with status: 404\n');
  });

  it('bypasses the authorizer unless --authorize', async () => {
    const open = await run(['invoke', api, '--path', '/guarded', '--json']);
    expect(JSON.parse(open.stdout).status).toBe(200);
    const guarded = await run([
      'invoke',
      api,
      '--path',
      '/guarded',
      '--json',
      '--authorize',
      '-H',
      'Authorization:x',
    ]);
    expect(guarded.code).toBe(0);
    expect(JSON.parse(guarded.stdout).status).toBe(401);
  });

  it.each([
    [['invoke', 'api.js'], 'invoke: --path is missing (apigw-express invoke <file> --path /pets/1)'],
    [['invoke', 'api.js', '--path', '/x', '-H', 'nocolon'], 'invoke: --header: "nocolon" is not name:value'],
    [
      ['invoke', 'api.js', '--path', '/x', '--stage-variable', 'novalue'],
      'invoke: --stage-variable: "novalue" is not name=value',
    ],
    [
      ['invoke', 'api.js', '--path', '/x', '--method', 'G T'],
      'invoke: --method: "G T" is not an HTTP method',
    ],
  ])('refuses %j as a usage error', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('exits 2 for a usage error, 1 for an API that cannot be read or a missing body file', async () => {
    expect((await run(['invoke', api])).code).toBe(2);
    const broken = await run(['invoke', path.join(scratch.dir, 'broken.js'), '--path', '/x']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('');
    const missing = await run(['invoke', api, '--path', '/pets/1', '--body', '@nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json: cannot read --body file: ENOENT');
  });
});
