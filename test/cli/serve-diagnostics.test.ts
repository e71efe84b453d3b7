import path from 'node:path';
import { type CliServer, runCli, scratchFolder, serveCli } from '../support/cli-process.js';

const sam = (functions: string) => `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
${functions}`;

const fn = (name: string, codeUri: string, handler: string) => `  ${name}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${codeUri}
      Handler: ${handler}
      Runtime: nodejs20.x
      Events: { Get: { Type: Api, Properties: { Path: /${name.toLowerCase()}, Method: get } } }
`;

const APP = `exports.ok = async () => ({ statusCode: 200, body: 'ok' });
exports.malformed = async () => ({ statusCode: 200, body: { not: 'a string' } });
exports.slow = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'late' }), 2000));
`;

const scratch = scratchFolder({
  'src/app.js': APP,
  'typos.yaml': sam(
    fn('Typo', 'srcx/', 'app.ok') + fn('NoExport', 'src/', 'app.nope') + fn('Fine', 'src/', 'app.ok'),
  ),
  'syntax.yaml': sam(fn('Broken', 'src/', 'broken.handler') + fn('BrokenEsm', 'src/', 'broken-esm.handler')),
  'src/broken.js': `exports.other = 1;\nexports.handler = async ( => 1;\n`,
  'src/broken-esm.mjs': `export const other = 1;\n\nexport const handler = async ( => 1;\n`,
  // Throws while it loads the first time, as a module whose database is not up yet. The count is
  // kept in a file: a failed Init ends its execution environment, globals and all.
  'src/flaky.js': `const fs = require('node:fs');
const count = require('node:path').join(__dirname, 'loads.txt');
const loads = (fs.existsSync(count) ? Number(fs.readFileSync(count, 'utf8')) : 0) + 1;
fs.writeFileSync(count, String(loads));
if (loads === 1) throw new Error('database not reachable');
exports.handler = async () => ({ statusCode: 200, body: 'loaded on try ' + loads });
`,
  'api.js': `module.exports = {
  functions: {
    ok: { handler: 'app.ok', codeUri: 'src' },
    malformed: { handler: 'app.malformed', codeUri: 'src' },
    slow: { handler: 'app.slow', codeUri: 'src' },
    flaky: { handler: 'flaky.handler', codeUri: 'src' },
  },
  resources: {
    '/ok': { GET: { integration: { type: 'AWS_PROXY', function: 'ok' } } },
    '/malformed': { GET: { integration: { type: 'AWS_PROXY', function: 'malformed' } } },
    '/slow': { GET: { integration: { type: 'AWS_PROXY', function: 'slow', timeoutInMillis: 100 } } },
    '/flaky': { GET: { integration: { type: 'AWS_PROXY', function: 'flaky' } } },
  },
};
`,
});
afterAll(() => scratch.remove());
const dir = scratch.dir;

describe('serve checks every function by Handler string before it listens', () => {
  it('refuses to start on a CodeUri or Handler typo, naming each function, its file and the paths tried', async () => {
    const { code, stdout, stderr } = await runCli(['serve', 'typos.yaml', '--port', '0'], dir);
    expect(code).toBe(1);
    expect(stdout).not.toContain(' on http://');
    const root = path.join(dir, 'srcx');
    expect(stderr).toContain('apigw-express: typos.yaml: 2 functions cannot load:\n');
    expect(stderr).toContain(
      `  functions["Typo"] (Handler app.ok, CodeUri ${root}): Runtime.ImportModuleError: Error: Cannot find module 'app' (tried ${path.join(root, 'app')}, ${path.join(root, 'app.js')}, ${path.join(root, 'app.mjs')}, ${path.join(root, 'app.cjs')}, ${path.join(root, 'app.ts')}, `,
    );
    expect(stderr).toContain(
      `  functions["NoExport"] (Handler app.nope, file ${path.join(dir, 'src', 'app.js')}): Runtime.HandlerNotFound: app.nope is undefined or not exported\n`,
    );
    expect(stderr).not.toContain('functions["Fine"]');
  }, 60_000);

  it("names the file and line of a handler's syntax error, CommonJS or ES module", async () => {
    const { code, stderr } = await runCli(['serve', 'syntax.yaml', '--port', '0'], dir);
    expect(code).toBe(1);
    // The test runs the CLI under tsx, whose message names the place already; plain Node's is in
    // test/lambda/load-handler.test.ts.
    const broken = stderr.split('\n').find((line) => line.includes('functions["Broken"]'));
    expect(broken).toContain(
      `functions["Broken"] (Handler broken.handler, file ${path.join(dir, 'src', 'broken.js')}): Runtime.UserCodeSyntaxError: SyntaxError: `,
    );
    expect(broken).toContain(`${path.join(dir, 'src', 'broken.js')}:2`);
    expect(stderr).toContain(
      `functions["BrokenEsm"] (Handler broken-esm.handler, file ${path.join(dir, 'src', 'broken-esm.mjs')}): Runtime.UserCodeSyntaxError: SyntaxError: Unexpected token '=>' at ${path.join(dir, 'src', 'broken-esm.mjs')}:3\n`,
    );
  }, 60_000);
});

describe('serve says where a request failed', () => {
  let server: CliServer;
  beforeAll(async () => {
    server = await serveCli(['api.js'], dir);
  }, 60_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('logs one line per request: method, path, status, milliseconds, request id', async () => {
    const from = server.output().length;
    const res = await fetch(`${server.url}/ok?x=1`);
    expect(res.status).toBe(200);
    const id = res.headers.get('x-amzn-requestid');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await server.waitFor(/\] 200 \d+ ms\n/, from, 30_000);
    expect(server.stdout()).toMatch(new RegExp(`apigw-express \\[GET /prod/ok req=${id}\\] 200 \\d+ ms\\n`));
  }, 60_000);

  it('a module that throws while it loads does not stop serve: said at startup, loaded again at its next call', async () => {
    expect(server.stderr()).toContain(
      `apigw-express: functions["flaky"] (Handler flaky.handler, file ${path.join(dir, 'src', 'flaky.js')}): Error: database not reachable (tried again at its next call)\n`,
    );
    const res = await fetch(`${server.url}/flaky`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('loaded on try 2');
  }, 60_000);

  it('a malformed proxy result: 502 for the client, the field in the log under the request', async () => {
    const from = server.output().length;
    const res = await fetch(`${server.url}/malformed`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
    const id = res.headers.get('x-amzn-requestid');
    await server.waitFor(/Malformed Lambda proxy response/, from, 30_000);
    expect(server.stderr()).toContain(
      `apigw-express [GET /prod/malformed req=${id}] Lambda function malformed: Execution failed due to configuration error: Malformed Lambda proxy response: body is {"not":"a string"}: a string (JSON.stringify an object)\n`,
    );
  }, 60_000);

  it('an integration timeout: 504, logged with the function, the timeout and the request', async () => {
    const from = server.output().length;
    const res = await fetch(`${server.url}/slow`);
    expect(res.status).toBe(504);
    const id = res.headers.get('x-amzn-requestid');
    await server.waitFor(/timeout error/, from, 30_000);
    expect(server.stderr()).toContain(
      `apigw-express [GET /prod/slow req=${id}] Lambda function slow: Execution failed due to a timeout error: no answer within the integration timeout of 100 ms (timeoutInMillis)\n`,
    );
  }, 60_000);
});

describe('serve --quiet', () => {
  it('logs no line per request', async () => {
    const server = await serveCli(['api.js', '--quiet'], dir);
    try {
      const res = await fetch(`${server.url}/ok`);
      expect(res.status).toBe(200);
      // The malformed one logs its error: once it is there, the earlier request's line would be too.
      await fetch(`${server.url}/malformed`);
      await server.waitFor(/Malformed Lambda proxy response/, 0, 30_000);
      expect(server.stdout()).not.toMatch(/\] 200 \d+ ms/);
      expect(server.stdout()).not.toMatch(/\] 502 \d+ ms/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);
});
