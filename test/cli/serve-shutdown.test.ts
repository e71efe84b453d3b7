import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { type CliServer, runCli, scratchFolder, serveCli } from '../support/cli-process.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  Slow:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.slow
      Runtime: nodejs20.x
      Timeout: 30
      Events:
        Slow: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /slow, Method: get } }
        Fast: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /fast, Method: get } }
`;

// /slow answers once the test creates the file its query names: no timing in the test itself.
const APP = `const fs = require('node:fs');
const path = require('node:path');
exports.slow = async (event) => {
  if (event.path === '/fast') return { statusCode: 200, body: 'fast' };
  const release = path.join(__dirname, '..', event.queryStringParameters.release);
  console.log('in flight: ' + event.queryStringParameters.release);
  while (!fs.existsSync(release)) await new Promise((resolve) => setTimeout(resolve, 10));
  return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'finished' };
};
`;

const scratch = scratchFolder({ 'template.yaml': TEMPLATE, 'src/app.js': APP });
const servers: CliServer[] = [];
afterAll(() => {
  for (const server of servers) server.kill();
  scratch.remove();
});

async function start(...args: string[]): Promise<CliServer> {
  const server = await serveCli(['template.yaml', '--quiet', ...args], scratch.dir);
  servers.push(server);
  return server;
}

interface Answer {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One GET on a connection of its own (no pooled socket), so a refused connection shows. */
function getOnce(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** Starts a /slow request and resolves once its function is running; `finish()` lets it answer. */
async function inFlight(server: CliServer, name: string) {
  const from = server.output().length;
  const answer = getOnce(`${server.url}/slow?release=${name}`);
  answer.catch(() => undefined);
  await server.waitFor(new RegExp(`in flight: ${name}`), from);
  return { answer, finish: () => fs.writeFileSync(path.join(scratch.dir, name), '') };
}

describe('serve stops as a container orchestrator expects', () => {
  it('on SIGTERM, lets the request in flight finish with 200, refuses new connections, then exits 0', async () => {
    const server = await start('--health-path', '/healthz');
    expect((await getOnce(`${server.url.replace(/\/prod$/, '')}/healthz`)).body).toBe('{"status":"ok"}');
    const slow = await inFlight(server, 'release-1');
    const from = server.output().length;
    process.kill(server.pid, 'SIGTERM');
    await server.waitFor(/SIGTERM: draining requests in flight \(up to 25 s\)/, from);
    // Refused; or reset, when it reached the backlog just before the listening socket closed.
    await expect(getOnce(`${server.url}/fast`)).rejects.toMatchObject({
      code: expect.stringMatching(/^ECONN(REFUSED|RESET)$/),
    });
    slow.finish();
    const answer = await slow.answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('finished');
    expect(answer.headers.connection).toBe('close');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('abandons a request still running after --grace-period: answered 503, exit 0', async () => {
    const server = await start('--grace-period', '0');
    const slow = await inFlight(server, 'never');
    process.kill(server.pid, 'SIGTERM');
    const answer = await slow.answer;
    expect(answer.status).toBe(503);
    expect(answer.body).toBe('{"message":"Service Unavailable"}');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain(
      'apigw-express: closing: 1 request still in flight after graceMs 0, answered 503 and abandoned',
    );
  }, 30_000);

  it('exits at once on a second signal, with 128 + its number', async () => {
    const server = await start();
    const slow = await inFlight(server, 'never-either');
    const from = server.output().length;
    process.kill(server.pid, 'SIGINT');
    await server.waitFor(/SIGINT: draining/, from);
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(143);
    expect(server.output().slice(from)).toContain('apigw-express: SIGTERM again: stopping at once\n');
    await expect(slow.answer).rejects.toMatchObject({ code: 'ECONNRESET' });
  }, 30_000);

  it('refuses a --health-path under the stage', async () => {
    const result = await runCli(
      ['serve', 'template.yaml', '--port', '0', '--health-path', '/prod/healthz'],
      scratch.dir,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "apigw-express: --health-path: /prod/healthz is under the stage's base path /prod; it must lie outside it, so it hides none of the API's resources\n",
    );
  }, 30_000);
});
