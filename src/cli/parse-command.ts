import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { ApiArguments } from './api-arguments.js';
import type { CommandName } from './help.js';
import { type InvokeArguments, parseInvokeArguments } from './invoke-arguments.js';
import { UsageError } from './usage-error.js';

export type { ApiArguments };

export type Command =
  | { name: 'help'; topic: 'program' | CommandName }
  | ({ name: 'serve'; port?: number; host: string; watch: boolean; quiet?: boolean } & ServeArguments &
      ApiArguments)
  | ({ name: 'routes' | 'export' } & ApiArguments)
  | ({ name: 'invoke' } & InvokeArguments & ApiArguments);

/** serve's options for running in production. */
export interface ServeArguments {
  /** `--grace-period <seconds>`: how long SIGTERM or SIGINT waits for requests in flight (default DEFAULT_GRACE_PERIOD_SECONDS). */
  gracePeriod?: number;
  /** `--health-path <path>`: answered 200 while serving, 503 while draining. */
  healthPath?: string;
  /** `--workers <N|auto>`: processes serving the same port (node:cluster). */
  workers?: number | 'auto';
  /** `--isolation`: where Handler-string functions run (serve's default: `process`). */
  isolation?: 'process' | 'none';
}

/**
 * Default --grace-period: a request through API Gateway lasts at most its integration timeout, 29 s
 * by default (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html), but
 * orchestrators send SIGKILL 30 s after SIGTERM (Kubernetes' terminationGracePeriodSeconds default,
 * https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/); 25 s lets nearly
 * every request finish and leaves 5 s to close stores and exit. `docker stop` waits only 10 s
 * unless given `-t` (https://docs.docker.com/engine/reference/commandline/stop/).
 */
export const DEFAULT_GRACE_PERIOD_SECONDS = 25;

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  stage: { type: 'string' },
  'env-file': { type: 'string', multiple: true },
  'parameter-overrides': { type: 'string', multiple: true },
  'stack-name': { type: 'string' },
  'serve-unenforced-guards-open': { type: 'boolean' },
  'allow-remote-refs': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const OPTIONS: Record<CommandName, Options> = {
  serve: {
    ...COMMON,
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    watch: { type: 'boolean', short: 'w' },
    quiet: { type: 'boolean', short: 'q' },
    'grace-period': { type: 'string' },
    'health-path': { type: 'string' },
    workers: { type: 'string' },
    isolation: { type: 'string' },
  },
  routes: COMMON,
  export: { ...COMMON, 'http-api': { type: 'boolean' } },
  invoke: {
    ...COMMON,
    'http-api': { type: 'boolean' },
    method: { type: 'string', short: 'X' },
    path: { type: 'string' },
    header: { type: 'string', short: 'H', multiple: true },
    query: { type: 'string', multiple: true },
    body: { type: 'string' },
    'stage-variable': { type: 'string', multiple: true },
    authorize: { type: 'boolean' },
    json: { type: 'boolean' },
  },
};

const COMMANDS = Object.keys(OPTIONS) as CommandName[];
// CloudFormation parameter names are alphanumeric.
const OVERRIDE = /^([A-Za-z0-9]+)=(.*)$/s;
const SAM_OVERRIDE = /^ParameterKey=([A-Za-z0-9]+),ParameterValue=(.*)$/s;

/**
 * argv (after `node cli.js`) → the command to run; throws UsageError for anything malformed.
 * @example
 * parseCommand(['serve', 'template.yaml', '--port', '8080']); // { name: 'serve', file: 'template.yaml', port: 8080, … }
 */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw unknownCommand(topic);
    return { name: 'help', topic: topic ?? 'program' };
  }
  if (!isCommand(first)) {
    if (first.startsWith('-'))
      throw new UsageError(
        `${first}: give a command first (${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS.at(-1)})`,
      );
    throw unknownCommand(first);
  }
  const options = OPTIONS[first];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw new UsageError(`${first}: ${describeParseError(error as Error & { code?: string }, options)}`);
  }
  const { values, tokens = [] } = parsed;
  if (values.help) return { name: 'help', topic: first };

  // `--parameter-overrides A=1 B=2`, as sam takes them: the K=V words after the flag belong to it.
  const overrides: string[] = [];
  const positionals: string[] = [];
  let afterOverrides = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      afterOverrides = token.name === 'parameter-overrides';
      if (afterOverrides && token.value !== undefined) overrides.push(token.value);
    } else if (token.kind === 'positional') {
      if (afterOverrides && token.value.includes('=')) overrides.push(token.value);
      else {
        afterOverrides = false;
        positionals.push(token.value);
      }
    } else afterOverrides = false;
  }
  if (positionals.length === 0)
    throw new UsageError(`${first}: the API file is missing (apigw-express ${first} <file>)`);
  if (positionals.length > 1) {
    throw new UsageError(
      `${first}: one file only, got ${positionals.map((p) => JSON.stringify(p)).join(', ')}`,
    );
  }
  const api: ApiArguments = {
    file: positionals[0],
    envFiles: (values['env-file'] as string[] | undefined) ?? [],
  };
  if (values.stage !== undefined) api.stageName = values.stage as string;
  if (overrides.length > 0) api.parameterOverrides = parseOverrides(overrides);
  if (values['stack-name'] !== undefined) api.stackName = values['stack-name'] as string;
  if (values['serve-unenforced-guards-open'] === true) api.serveUnenforcedGuardsOpen = true;
  if (values['allow-remote-refs'] === true) api.allowRemoteRefs = true;
  if (values['http-api'] === true) api.httpApi = true;
  if (first === 'invoke') return { name: first, ...api, ...parseInvokeArguments(values) };
  if (first !== 'serve') return { name: first, ...api };
  const command: Command = {
    name: 'serve',
    ...api,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    watch: values.watch === true,
    ...parseServeArguments(values),
  };
  if (values.port !== undefined) command.port = parsePort(values.port as string, '--port');
  if (values.quiet === true) command.quiet = true;
  if (command.watch && command.workers !== undefined) {
    throw new UsageError(
      'serve: --watch and --workers do not go together (watch is for one process while developing)',
    );
  }
  if (values.isolation !== undefined) {
    if (values.isolation !== 'process' && values.isolation !== 'none') {
      throw new UsageError(`--isolation: "${values.isolation}" is not process or none`);
    }
    command.isolation = values.isolation;
  }
  return command;
}

function parseServeArguments(values: Record<string, unknown>): ServeArguments {
  const args: ServeArguments = {};
  const grace = values['grace-period'] as string | undefined;
  if (grace !== undefined) {
    args.gracePeriod = /^\d+(\.\d+)?$/.test(grace) ? Number(grace) : Number.NaN;
    if (!(args.gracePeriod <= 3600)) {
      throw new UsageError(`--grace-period: "${grace}" is not a number of seconds (0 to 3600)`);
    }
  }
  const health = values['health-path'] as string | undefined;
  if (health !== undefined) {
    if (!/^\/[^?#\s]*$/.test(health)) {
      throw new UsageError(`--health-path: "${health}" is not an absolute path such as /healthz`);
    }
    args.healthPath = health;
  }
  const workers = values.workers as string | undefined;
  if (workers !== undefined) {
    const count = /^\d+$/.test(workers) ? Number(workers) : Number.NaN;
    if (workers !== 'auto' && !(count >= 1 && count <= 1024)) {
      throw new UsageError(`--workers: "${workers}" is not a number of processes (1 to 1024) or auto`);
    }
    args.workers = workers === 'auto' ? 'auto' : count;
  }
  return args;
}

/** A port number from a flag or PORT; 0 lets the system pick one. */
export function parsePort(text: string, where: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`${where}: "${text}" is not a port (0 to 65535)`);
  return port;
}

function parseOverrides(words: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const word of words) {
    const match = SAM_OVERRIDE.exec(word) ?? OVERRIDE.exec(word);
    if (match === null) {
      throw new UsageError(
        `--parameter-overrides: "${word}" is not Name=Value (or ParameterKey=Name,ParameterValue=Value)`,
      );
    }
    overrides[match[1]] = match[2];
  }
  return overrides;
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as string[]).includes(word);
}

function unknownCommand(word: string): UsageError {
  return new UsageError(`unknown command "${word}" (commands: ${COMMANDS.join(', ')})`);
}

// parseArgs' own messages explain `--` at length; one line naming the option is enough here.
function describeParseError(error: Error & { code?: string }, options: Options): string {
  const known = Object.keys(options)
    .map((name) => `--${name}`)
    .join(', ');
  const option = /--[\w-]+/.exec(error.message)?.[0] ?? /'(-\w)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option} (options: ${known})`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return /does not take/.test(error.message) ? `${option} takes no value` : `${option} needs a value`;
  }
  return error.message;
}
