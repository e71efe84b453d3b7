import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../config/types.js';
import type { TestInvokeRequest, TestInvokeResult } from '../gateway/test-invoke.js';
import { apiGateway, testInvoke } from '../index.js';
import type { ApiArguments } from './api-arguments.js';
import { invokeDefinedHttpApi } from './http-api-invoke.js';
import { ApiFileError, loadApi } from './load-api.js';
import { UsageError } from './usage-error.js';

/** `invoke`'s own arguments: one request, as the console's Test form takes it. */
export interface InvokeArguments {
  method: string;
  path: string;
  headers: [string, string][];
  query: string;
  /** The text given, or `@file` to read. */
  body?: string;
  stageVariables?: Record<string, string>;
  authorize: boolean;
  json: boolean;
}

/** parseArgs' values for `invoke` → its arguments; throws UsageError naming the flag. */
export function parseInvokeArguments(values: Record<string, unknown>): InvokeArguments {
  const target = values.path as string | undefined;
  if (target === undefined || target === '') {
    throw new UsageError('invoke: --path is missing (apigw-express invoke <file> --path /pets/1)');
  }
  const [pathPart, inlineQuery] = target.split(/\?(.*)/s);
  const method = ((values.method as string | undefined) ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`invoke: --method: "${method}" is not an HTTP method`);
  const headers = ((values.header as string[] | undefined) ?? []).map((header): [string, string] => {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`invoke: --header: "${header}" is not name:value`);
    return [header.slice(0, colon).trim(), header.slice(colon + 1).trim()];
  });
  const query = [inlineQuery, ...((values.query as string[] | undefined) ?? [])]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('&');
  const args: InvokeArguments = {
    method,
    path: pathPart.startsWith('/') ? pathPart : `/${pathPart}`,
    headers,
    query,
    authorize: values.authorize === true,
    json: values.json === true,
  };
  if (values.body !== undefined) args.body = values.body as string;
  const variables = values['stage-variable'] as string[] | undefined;
  if (variables !== undefined) {
    args.stageVariables = {};
    for (const pair of variables) {
      const equals = pair.indexOf('=');
      if (equals <= 0) throw new UsageError(`invoke: --stage-variable: "${pair}" is not name=value`);
      args.stageVariables[pair.slice(0, equals)] = pair.slice(equals + 1);
    }
  }
  return args;
}

/** The console's Test result, as text: request, status, latency, body, headers, then the log. */
export function formatInvokeResult(request: string, result: TestInvokeResult): string {
  return [
    `Request: ${request}`,
    `Status: ${result.status}`,
    `Latency: ${result.latencyMs} ms`,
    'Response body',
    result.body,
    'Response headers',
    JSON.stringify(result.headers),
    'Logs',
    result.log,
  ].join('\n');
}

/** Runs `invoke`: loads the API, runs the one request, prints it; 0 whatever the HTTP status. */
export async function runInvoke(
  command: InvokeArguments & ApiArguments,
  logger: Logger,
  out: (text: string) => void,
): Promise<number> {
  let body: string | Buffer | undefined = command.body;
  if (body?.startsWith('@')) {
    const file = body.slice(1);
    try {
      body = await readFile(path.resolve(file));
    } catch (error) {
      throw new ApiFileError(
        file,
        `cannot read --body file: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  const { options, restless, httpApis } = await loadApi(command, logger);
  if ((restless === true || command.httpApi === true) && httpApis?.[0] !== undefined)
    return invokeDefinedHttpApi(httpApis[0], command, body, logger, out);
  if (command.httpApi === true)
    throw new ApiFileError(command.file, '--http-api: the definition has no HTTP API');
  const api = apiGateway({ ...options, logger });
  try {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of command.headers) headers[name] = [...(headers[name] ?? []), value];
    const input: TestInvokeRequest = {
      method: command.method,
      path: command.path,
      query: command.query,
      headers,
      authorize: command.authorize,
    };
    if (body !== undefined) input.body = body;
    if (command.stageVariables !== undefined) input.stageVariables = command.stageVariables;
    const result = await testInvoke(api, input);
    if (command.json) {
      const { latencyMs, ...rest } = result;
      out(`${JSON.stringify({ ...rest, latency: latencyMs }, null, 2)}\n`);
    } else {
      out(formatInvokeResult(`${command.path}${command.query === '' ? '' : `?${command.query}`}`, result));
    }
    return 0;
  } finally {
    await api.close();
  }
}
