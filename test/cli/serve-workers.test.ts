import http from 'node:http';
import { type CliServer, scratchFolder, serveCli } from '../support/cli-process.js';

// A usage plan with a throttle, counted by the default memory store: per worker.
const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        UsagePlan:
          CreateUsagePlan: PER_API
          Throttle: { RateLimit: 100, BurstLimit: 50 }
  Pid:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.pid
      Runtime: nodejs20.x
      Events:
        Pid: { Type: Api, Properties: { RestApiId: !Ref Api, Path: /pid, Method: get } }
`;

const APP = `exports.pid = async () => ({ statusCode: 200, body: String(process.pid) });
`;

const scratch = scratchFolder({ 'template.yaml': TEMPLATE, 'src/app.js': APP });
let server: CliServer;

beforeAll(async () => {
  server = await serveCli(
    // In serve's process, so that a handler's pid is its worker's.
    ['template.yaml', '--quiet', '--isolation', 'none', '--workers', '2'],
    scratch.dir,
  );
  // Each worker loads the API itself: on a busy machine that takes a while.
  await server.waitFor(/2 workers listening/, 0, 40_000);
}, 60_000);
afterAll(() => {
  server.kill();
  for (const pid of workerPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  scratch.remove();
});

const workerPids = new Set<number>();

/** One GET on a connection of its own: the cluster hands each new connection to the next worker. */
function pidOnce(): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}/pid`, { agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(body)) : reject(new Error(body))));
      })
      .on('error', reject);
  });
}

async function collectPids(count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 20 && seen.size < count; i++) seen.add(await pidOnce());
  return seen;
}

describe('serve --workers', () => {
  it('answers from two worker processes on the one port', async () => {
    const pids = await collectPids(2);
    for (const pid of pids) workerPids.add(pid);
    expect(pids.size).toBe(2);
    expect(pids.has(server.pid)).toBe(false);
  });

  it('warns once that usage plans count in memory, per worker', () => {
    const warning =
      'apigw-express: --workers 2: usage plans and throttles are counted in memory, per worker, so the 2 workers together let through up to 2 times each rate, burst and quota; serve an options module with store: { redis: … } to count them once for all';
    expect(server.output().split(warning).length - 1).toBe(1);
    // The serving line is said once, not once per worker.
    expect(server.output().match(/apigw-express: serving /g)).toHaveLength(1);
  });

  it('starts a worker that dies again', async () => {
    const [victim] = workerPids;
    const from = server.output().length;
    process.kill(victim, 'SIGKILL');
    await server.waitFor(/exited \(signal SIGKILL\); starting it again in 100 ms/, from);
    await server.waitFor(/serving again \(pid \d+\)/, from);
    const pids = await collectPids(2);
    for (const pid of pids) workerPids.add(pid);
    expect(pids.size).toBe(2);
    expect(pids.has(victim)).toBe(false);
  }, 20_000);

  it('drains every worker on SIGTERM and exits 0', async () => {
    expect(await server.stop()).toBe(0);
    for (const pid of workerPids)
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  }, 20_000);
});
