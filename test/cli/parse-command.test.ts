import { parseCommand } from '../../src/cli/parse-command.js';
import { UsageError } from '../../src/cli/usage-error.js';

describe('apigw-express command line', () => {
  it('reads serve with every option', () => {
    expect(
      parseCommand([
        'serve',
        'template.yaml',
        '--port',
        '8080',
        '--host',
        '0.0.0.0',
        '--stage',
        'Prod',
        '--env-file',
        '.env',
        '--env-file',
        '.env.local',
        '--watch',
      ]),
    ).toEqual({
      name: 'serve',
      file: 'template.yaml',
      port: 8080,
      host: '0.0.0.0',
      stageName: 'Prod',
      envFiles: ['.env', '.env.local'],
      watch: true,
    });
  });

  it('takes --grace-period, --health-path and --workers (a count or auto)', () => {
    expect(
      parseCommand([
        'serve',
        'template.yaml',
        '--grace-period',
        '7.5',
        '--health-path',
        '/healthz',
        '--workers',
        '4',
      ]),
    ).toMatchObject({ name: 'serve', gracePeriod: 7.5, healthPath: '/healthz', workers: 4 });
    expect(parseCommand(['serve', 'template.yaml', '--workers', 'auto'])).toMatchObject({ workers: 'auto' });
  });

  it('takes --isolation process|none, and refuses anything else', () => {
    expect(parseCommand(['serve', 'api.js', '--isolation', 'none'])).toMatchObject({ isolation: 'none' });
    expect(parseCommand(['serve', 'api.js', '--isolation', 'process'])).toMatchObject({
      isolation: 'process',
    });
    expect(parseCommand(['serve', 'api.js'])).not.toHaveProperty('isolation');
    expect(() => parseCommand(['serve', 'api.js', '--isolation', 'thread'])).toThrow(
      '--isolation: "thread" is not process or none',
    );
  });

  it('takes --quiet (or -q): no line per request', () => {
    expect(parseCommand(['serve', 'api.js', '--quiet'])).toMatchObject({ name: 'serve', quiet: true });
    expect(parseCommand(['serve', 'api.js', '-q'])).toMatchObject({ name: 'serve', quiet: true });
    expect(parseCommand(['serve', 'api.js'])).not.toHaveProperty('quiet');
  });

  it('defaults serve to 127.0.0.1, no port (PORT, else 3000, is read later) and no watch', () => {
    expect(parseCommand(['serve', 'api.js'])).toEqual({
      name: 'serve',
      file: 'api.js',
      host: '127.0.0.1',
      envFiles: [],
      watch: false,
    });
  });

  it('takes parameter overrides as sam does: several K=V words after the flag, or ParameterKey/ParameterValue', () => {
    expect(
      parseCommand([
        'routes',
        '--parameter-overrides',
        'Env=dev',
        'Table=a=b',
        'ParameterKey=Greeting,ParameterValue=Hello world',
        'template.yaml',
        '--parameter-overrides',
        'Env=test',
      ]),
    ).toEqual({
      name: 'routes',
      file: 'template.yaml',
      envFiles: [],
      parameterOverrides: { Env: 'test', Table: 'a=b', Greeting: 'Hello world' },
    });
  });

  it('takes --serve-unenforced-guards-open, for every command', () => {
    expect(parseCommand(['serve', 'serverless.yml', '--serve-unenforced-guards-open'])).toEqual({
      name: 'serve',
      file: 'serverless.yml',
      envFiles: [],
      host: '127.0.0.1',
      watch: false,
      serveUnenforcedGuardsOpen: true,
    });
    expect(parseCommand(['routes', 'api.yaml'])).not.toHaveProperty('serveUnenforcedGuardsOpen');
  });

  it('answers help for the program and for each command', () => {
    expect(parseCommand([])).toEqual({ name: 'help', topic: 'program' });
    expect(parseCommand(['--help'])).toEqual({ name: 'help', topic: 'program' });
    expect(parseCommand(['help', 'export'])).toEqual({ name: 'help', topic: 'export' });
    expect(parseCommand(['serve', '-h'])).toEqual({ name: 'help', topic: 'serve' });
    expect(parseCommand(['routes', 'x.yaml', '--help'])).toEqual({ name: 'help', topic: 'routes' });
  });

  it.each([
    [['deploy', 'x.yaml'], 'unknown command "deploy" (commands: serve, routes, export, invoke)'],
    [['--port', '1'], '--port: give a command first (serve, routes, export or invoke)'],
    [['help', 'deploy'], 'unknown command "deploy" (commands: serve, routes, export, invoke)'],
    [['serve'], 'serve: the API file is missing (apigw-express serve <file>)'],
    [['routes', 'a.yaml', 'b.yaml'], 'routes: one file only, got "a.yaml", "b.yaml"'],
    [
      ['serve', 'x.yaml', '--prot', '1'],
      'serve: unknown option --prot (options: --stage, --env-file, --parameter-overrides, --stack-name, --serve-unenforced-guards-open, --allow-remote-refs, --help, --port, --host, --watch, --quiet, --grace-period, --health-path, --workers, --isolation)',
    ],
    [['routes', 'x.yaml', '--watch'], expect.stringContaining('routes: unknown option --watch')],
    [['serve', 'x.yaml', '--port'], 'serve: --port needs a value'],
    [['serve', 'x.yaml', '-p'], 'serve: --port needs a value'],
    [['serve', 'x.yaml', '--watch=yes'], 'serve: --watch takes no value'],
    [['serve', 'x.yaml', '--port', 'http'], '--port: "http" is not a port (0 to 65535)'],
    [['serve', 'x.yaml', '--port', '65536'], '--port: "65536" is not a port (0 to 65535)'],
    [
      ['serve', 'x.yaml', '--grace-period', '10s'],
      '--grace-period: "10s" is not a number of seconds (0 to 3600)',
    ],
    [
      ['serve', 'x.yaml', '--grace-period', '3601'],
      '--grace-period: "3601" is not a number of seconds (0 to 3600)',
    ],
    [
      ['serve', 'x.yaml', '--health-path', 'healthz'],
      '--health-path: "healthz" is not an absolute path such as /healthz',
    ],
    [
      ['serve', 'x.yaml', '--workers', '0'],
      '--workers: "0" is not a number of processes (1 to 1024) or auto',
    ],
    [
      ['serve', 'x.yaml', '--workers', 'all'],
      '--workers: "all" is not a number of processes (1 to 1024) or auto',
    ],
    [
      ['serve', 'x.yaml', '--workers', '2', '--watch'],
      'serve: --watch and --workers do not go together (watch is for one process while developing)',
    ],
    [
      ['routes', 'x.yaml', '--parameter-overrides', 'Env'],
      '--parameter-overrides: "Env" is not Name=Value (or ParameterKey=Name,ParameterValue=Value)',
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect.assertions(2);
    try {
      parseCommand(argv as string[]);
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toEqual(message);
    }
  });
});
