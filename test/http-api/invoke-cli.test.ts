import path from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';

const TEMPLATE = path.join(__dirname, '../fixtures/definitions/http-api/sam-implicit.yaml');

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += chunk;
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await runCli(argv), stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('apigw-express invoke on a template of HTTP APIs only', () => {
  it('runs the request through the HTTP API (not a REST 403), and says there is no execution log', async () => {
    const { code, stdout } = await run(['invoke', TEMPLATE, '--path', '/pets/1', '--query', 'a=1']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Request: /pets/1?a=1');
    expect(lines[1]).toBe('Status: 200');
    expect(JSON.parse(lines[4])).toMatchObject({
      version: '2.0',
      routeKey: 'GET /pets/{id}',
      pathParameters: { id: '1' },
    });
    expect(lines.at(-1)).toBe(
      '(HTTP APIs have no test invoke on AWS: this ran as a client request, authorizers included; no execution log)',
    );
  });

  it('--json: the answer as JSON; what no route takes goes to the $default route', async () => {
    const { stdout } = await run(['invoke', TEMPLATE, '--path', '/nothing', '--json']);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 200, body: '{"hello":"world"}' });
    expect(result.latency).toEqual(expect.any(Number));
    expect(result.bodyBytes).toBeUndefined();
  });
});
