import path from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import { scratchFolder } from '../support/cli-process.js';

// The commands that print and exit, run in this process; test/cli/cli.test.ts spawns the real thing.
const scratch = scratchFolder({
  'api.js': `module.exports = {
  functions: { hello: async () => ({ statusCode: 200, body: 'hi' }) },
  resources: { '/hello': { GET: { integration: { type: 'AWS_PROXY', function: 'hello' } } } },
};`,
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
    const code = await runCli(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('apigw-express help', () => {
  it('prints the program help: the commands, the kinds of file and the exit codes', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Usage: apigw-express <command> <file> \[options\]\n/);
    expect(stdout).toContain('  serve <file>     serve the API over HTTP\n');
    expect(stdout).toContain(
      '  routes <file>    print the route table: method, path, integration, authorization\n',
    );
    expect(stdout).toContain(
      '  export <file>    print the API as OpenAPI 3 with x-amazon-apigateway-* extensions\n',
    );
    expect(stdout).toContain('  serverless.yml / serverless.yaml     a Serverless Framework service\n');
    expect(stdout).toContain(`Exit codes:
  0  done (serve: stopped by SIGINT or SIGTERM, requests in flight drained)
  1  the API cannot be read or served: a missing file, a definition or options error, a port in use
  2  usage error: an unknown command or option, a missing or malformed argument
  130, 143  serve: a second SIGINT or SIGTERM while draining stopped it at once
`);
  });

  it.each([
    [
      'serve',
      [
        '--port',
        '--host',
        '--watch',
        '--stage',
        '--env-file',
        '--parameter-overrides',
        '--stack-name',
        '--serve-unenforced-guards-open',
        '--help',
      ],
    ],
    [
      'routes',
      [
        '--stage',
        '--env-file',
        '--parameter-overrides',
        '--stack-name',
        '--serve-unenforced-guards-open',
        '--help',
      ],
    ],
    [
      'export',
      [
        '--stage',
        '--env-file',
        '--parameter-overrides',
        '--stack-name',
        '--serve-unenforced-guards-open',
        '--help',
      ],
    ],
  ])('prints %s --help with its options and the exit codes', async (command, flags) => {
    const { code, stdout } = await run([command, '--help']);
    expect(code).toBe(0);
    expect(stdout.startsWith(`Usage: apigw-express ${command} <file> [options]\n`)).toBe(true);
    for (const flag of flags) expect(stdout).toMatch(new RegExp(`^ {2}(-\\w, )?${flag} `, 'm'));
    expect(stdout).toContain('Exit codes:\n  0  done');
    expect(stdout.includes('--watch')).toBe(command === 'serve');
  });
});

describe('apigw-express errors', () => {
  it('exits 2 with one line and a pointer to --help for a bad flag', async () => {
    expect(await run(['routes', 'api.js', '--prot', '3000'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'apigw-express: routes: unknown option --prot (options: --stage, --env-file, --parameter-overrides, --stack-name, --serve-unenforced-guards-open, --allow-remote-refs, --help)\nRun apigw-express --help for usage.\n',
    });
  });

  // Node 20–26 read a `--env-file` after the script name too, and exit 9 ("node: <file>: not found")
  // before the CLI runs when it is missing (nodejs/node#54232); this is the CLI's own check.
  it('exits 1 naming a missing --env-file', async () => {
    expect(await run(['routes', path.join(scratch.dir, 'api.js'), '--env-file', 'nope.env'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'apigw-express: nope.env: no such file (--env-file)\n',
    });
  });

  it('exits 1 naming the file for a route table the gateway would refuse', async () => {
    const file = path.join(scratch.dir, 'api.js');
    expect(await run(['routes', file, '--stage', 'no stage'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `apigw-express: ${file}: stageName: "no stage" (stage names use letters, digits, - and _, at most 128)\n`,
    });
  });
});
